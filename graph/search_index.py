"""An in-memory search index over names, titles and summaries: Chinese substrings and pinyin.

The embedded engine has no offline full-text search, so the API keeps this index beside the store:
built once at start-up from ``store.scan_nodes``, then kept in step with every write.

    index = SearchIndex.build(store)          # ~500k nodes in a few seconds
    store.write(batch); index.apply(batch)    # re-indexes the rows the batch changed
    index.search("王芳")                       # ['OFF-17', 'OFF-2034', ...] best first
    index.search("zhangwei"); index.search("zw"); index.search("zhangw")

What matches: the query as a substring of any searchable property (``NodeKind.searchable``), or as
the pinyin of one (full ``zhangwei``, initials ``zw``, or a prefix of either; spaces and case are
ignored). Ranking, deterministic, best first:

    1 the whole text equals the query       4 its full pinyin equals the query
    2 the text starts with the query        5 its pinyin initials equal the query
    3 the text contains the query           6 its full pinyin or initials start with the query

Ties go by kind (Official, Organisation, Region, Issue, Case, Campaign, Inspection, Document, the
rest), then shorter text, then id. A node counts once, at its best match.

How it stays fast: every indexed text is an *entry* with a rank key (kind, length, id, field), and
every posting list holds entries in rank order. A query walks one short posting list in that order,
verifies each candidate with a string test, and stops as soon as it has ``first`` nodes; so even a
one-character query against 400k names touches only the few entries it returns. Chinese substrings
use character unigram and bigram postings (the rarest bigram of the query drives the walk, which
intersects it with the others by verification); pinyin uses exact-key dicts and prefix postings.

Thread safety: searches and small writes share one lock (each holds it for milliseconds); a large
write, or one after many renames, builds fresh tables beside the live ones and swaps them in.
"""

from __future__ import annotations

import gc
import heapq
import operator
import re
import threading
import unicodedata
from bisect import bisect_right, insort
from collections import defaultdict, deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import repeat
from operator import methodcaller
from typing import Protocol

import pyarrow as pa

from graph.answers import Answers
from graph.answers import enabled as answers_enabled
from graph.port import WriteBatch
from schema.model import NODE_KINDS

# Ties between equally good matches go to the kinds people look up most.
KIND_ORDER = ("Official", "Organisation", "Region", "Issue", "Case", "Campaign", "Inspection", "Document")
_KIND_PRIORITY = {kind: i for i, kind in enumerate(KIND_ORDER)}
_OTHER_PRIORITY = len(KIND_ORDER)

# Pinyin is for names and short titles; summaries are found by their Chinese text.
PINYIN_MAX_CHARS = 24
# Full-pinyin prefixes are indexed at these lengths; a query walks the list of the longest one it
# covers and verifies each entry (a one-letter query uses the initials).
FULL_PREFIX_LENGTHS = (3, 5, 8, 12)
_INITIALS_LENGTHS = tuple(range(1, 13))
# A write touching more rows than this rebuilds the tables beside the live ones instead of
# inserting entry by entry while holding the lock searches wait on.
REBUILD_ROWS = 1000
# Entries a rename leaves dead are skipped by queries; past this many (and half of all), rebuild.
COMPACT_DEAD_ENTRIES = 1000
# ``containing`` answers this long or longer are kept until the next write, at most this many of them
# (64 × ~20k ids: about 10 MB at a province's scale).
KEEP_CONTAINING_FROM = 500
KEPT_CONTAINING = 64

# Surnames read differently from the character's everyday reading (曾 is céng in 曾经, Zēng as a
# name). The first character of an official's name gets this reading as well as the everyday one.
SURNAME_READINGS = {
    "曾": "zeng",
    "单": "shan",
    "解": "xie",
    "仇": "qiu",
    "区": "ou",
    "朴": "piao",
    "查": "zha",
    "盖": "ge",
    "乐": "yue",
    "秘": "bi",
    "种": "chong",
    "覃": "qin",
    "缪": "miao",
    "翟": "zhai",
    "召": "shao",
    "繁": "po",
    "员": "yun",
    "莘": "shen",
    "颉": "xie",
    "句": "gou",
    "隗": "wei",
}
_SURNAME_KINDS = frozenset({"Official"})

_CJK_GAP = re.compile(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])")
_PINYIN_NOISE = re.compile(r"[\s'’·-]+")
_PINYIN_QUERY = re.compile(r"[a-z0-9]*[a-z][a-z0-9]*")


class NodeSource(Protocol):
    """The one storage operation a build needs (``graph.port.GraphStore`` offers it)."""

    def scan_nodes(self, kind: str, columns: Sequence[str] | None = None) -> Iterator[pa.Table]: ...


@lru_cache(maxsize=65536)
def char_pinyin(ch: str) -> tuple[str, str]:
    """``(full, initial)`` pinyin of one character: ``("zhang", "z")``; letters and digits stand for
    themselves; anything else (punctuation, symbols) is ``("", "")``.

    Cached per character: names repeat a few thousand characters, so a 500k-name build calls
    pypinyin a few thousand times instead of once per name.
    """
    if ch.isascii():
        return (ch, ch) if ch.isalnum() else ("", "")
    from pypinyin import Style, lazy_pinyin  # a second and a half to import: only builds and writes need it

    readings = lazy_pinyin(ch, style=Style.NORMAL, errors="ignore")
    full = readings[0] if readings else ""
    if not (full.isascii() and full.isalpha()):
        return ("", "")
    return (full, full[0])


def _pinyin_keys(text: str, surname: bool) -> tuple[tuple[str, str], ...]:
    """The (full, initials) keys of a normalised text; with ``surname``, also the surname reading
    of its first character if that differs (曾杰: ``zengjie`` besides ``cengjie``)."""
    if len(text) > PINYIN_MAX_CHARS:
        return ()
    parts = [char_pinyin(ch) for ch in text]
    full = "".join(p[0] for p in parts)
    if not full:
        return ()
    keys = [(full, "".join(p[1] for p in parts))]
    reading = SURNAME_READINGS.get(text[0]) if surname else None
    if reading is not None and reading != parts[0][0]:
        keys.append((reading + full[len(parts[0][0]) :], reading[0] + keys[0][1][1:]))
    return tuple(keys)


def normalise(text: str) -> str:
    """The form texts and queries are compared in: NFKC (full-width to ASCII), case-folded, with
    runs of whitespace collapsed and whitespace between two Chinese characters dropped."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    if " " in folded or not folded.isprintable():
        folded = _CJK_GAP.sub("", " ".join(folded.split()))
    return text if folded == text else folded  # most names are already normal: keep one copy


def _pinyin_query(text: str) -> str | None:
    """The query as pinyin (``"Zhang Wei"`` → ``"zhangwei"``), or None if it cannot be pinyin."""
    squeezed = _PINYIN_NOISE.sub("", text)
    return squeezed if _PINYIN_QUERY.fullmatch(squeezed) else None


Values = tuple[str | None, ...]  # one node's searchable property values, in NodeKind.searchable order


Postings = defaultdict[str, list[int]]  # a missing word reads as an empty list: use .get() in queries
Keys = tuple[tuple[str, str], ...]  # (full, initials) pinyin of one text
# One indexed value: (kind priority, length, node id, field index, text, surname reading applies).
# The first four are its rank key; entries are numbered in rank order by a build.
Entry = tuple[int, int, str, int, str, bool]


def _postings() -> Postings:
    return defaultdict(list)


@dataclass
class _Tables:
    """Every structure a query reads. Entry ``e`` is one non-empty searchable value of one node."""

    entries: list[Entry] = field(default_factory=list)
    dead: bytearray = field(default_factory=bytearray)  # 1 once a write replaced the entry's value
    dead_count: int = 0
    pinyin: dict[tuple[str, bool], Keys] = field(default_factory=dict)  # by (text, surname)
    docs: dict[str, tuple[str, Values]] = field(default_factory=dict)  # node id -> kind, values
    # entries by (text, surname reading applies): the whole-text matches, and a build's work units
    same_text: dict[tuple[str, bool], list[int]] = field(default_factory=dict)
    # postings: entry numbers in rank order
    head: Postings = field(default_factory=_postings)  # first character
    grams: Postings = field(default_factory=_postings)  # every character and character pair
    full_exact: Postings = field(default_factory=_postings)
    initials_exact: Postings = field(default_factory=_postings)
    full_prefix: Postings = field(default_factory=_postings)  # at FULL_PREFIX_LENGTHS
    initials_prefix: Postings = field(default_factory=_postings)  # lengths 1 to 12
    # the pinyin postings of a full / initials key, looked up once per distinct key
    _full_cache: dict[str, list[list[int]]] = field(default_factory=dict, repr=False)
    _initials_cache: dict[str, list[list[int]]] = field(default_factory=dict, repr=False)
    _ids_by_kind: dict[str, list[str]] = field(default_factory=dict, repr=False)  # sorted, made on first use

    def rank(self, e: int) -> tuple[int | str, ...]:
        return self.entries[e][:4]

    @classmethod
    def from_docs(cls, docs: Iterable[tuple[str, str, Values]]) -> _Tables:
        """Tables for ``(id, kind, values)`` rows.

        Entries are numbered in rank order, so sorting a posting list's entry numbers puts it in
        rank order. Entries with the same text (hundreds of officials named 王芳) share their work:
        the text's postings are found once and the whole group is added to each with one extend.
        """
        tables = cls()
        entries = tables.entries
        normalised: dict[str, str] = {}
        for node_id, kind, values in docs:
            tables.docs[node_id] = (kind, values)
            priority = _KIND_PRIORITY.get(kind, _OTHER_PRIORITY)
            for i, value in enumerate(values):
                if not value:
                    continue
                text = normalised.get(value)
                if text is None:
                    text = normalised[value] = normalise(value)
                if text:
                    entries.append((priority, len(text), node_id, i, text, i == 0 and kind in _SURNAME_KINDS))
        entries.sort()
        tables.dead = bytearray(len(entries))
        same_text = tables.same_text
        for e, entry in enumerate(entries):
            same_text.setdefault(entry[4:], []).append(e)
        for group, members in same_text.items():
            keys = tables.pinyin[group] = _pinyin_keys(*group)
            # posting.extend(members) for every posting of the group, looped in C
            deque(map(methodcaller("extend", members), tables._postings_of(group[0], keys)), maxlen=0)
        for table in tables._posting_tables():
            for posting in table.values():
                posting.sort()
        tables._full_cache.clear()  # only a build looks up so many keys; a write refills what it needs
        tables._initials_cache.clear()
        return tables

    def _posting_tables(self) -> tuple[Postings, ...]:
        return (
            self.head,
            self.grams,
            self.full_exact,
            self.initials_exact,
            self.full_prefix,
            self.initials_prefix,
        )

    def _postings_of(self, text: str, keys: Keys) -> list[list[int]]:
        """Every posting list an entry with this text and these pinyin keys belongs in (made if new).

        The words are made and looked up by ``map`` over C functions: a build does this for a few
        million words, and a Python loop per word would be most of the build time.
        """
        postings = [self.head[text[0]]]
        postings += map(self.grams.__getitem__, {*text, *map(operator.add, text, text[1:])})
        for full, initials in keys:  # one key, or two for a surname with its own reading
            postings += self._full_postings(full)
            postings += self._initials_postings(initials)
        return postings

    def _full_postings(self, full: str) -> list[list[int]]:
        postings = self._full_cache.get(full)
        if postings is None:  # homophones (王芳, 汪芳, 王方) share these
            postings = [self.full_exact[full]]
            postings += map(self.full_prefix.__getitem__, {full[:n] for n in FULL_PREFIX_LENGTHS})
            self._full_cache[full] = postings
        return postings

    def _initials_postings(self, initials: str) -> list[list[int]]:
        postings = self._initials_cache.get(initials)
        if postings is None:
            postings = [self.initials_exact[initials]]
            postings += map(self.initials_prefix.__getitem__, {initials[:n] for n in _INITIALS_LENGTHS})
            self._initials_cache[initials] = postings
        return postings

    def replace(self, node_id: str, kind: str, values: Values) -> None:
        """Re-index one node (new, or with changed values): old entries die, new ones go in place."""
        old_kind, old_values = self.docs.get(node_id, (kind, ()))
        for i, value in enumerate(old_values):
            text = normalise(value) if value else ""
            same_text = self.same_text.get((text, i == 0 and old_kind in _SURNAME_KINDS), [])
            for e in [e for e in same_text if self.entries[e][2] == node_id and self.entries[e][3] == i]:
                self.dead[e] = 1
                self.dead_count += 1
                same_text.remove(e)  # these lists stay small and clean; the postings skip dead entries
        self.docs[node_id] = (kind, values)
        self._ids_by_kind.clear()
        priority = _KIND_PRIORITY.get(kind, _OTHER_PRIORITY)
        for i, value in enumerate(values):
            text = normalise(value) if value else ""
            if text:
                self._insert((priority, len(text), node_id, i, text, i == 0 and kind in _SURNAME_KINDS))

    def _insert(self, entry: Entry) -> None:
        """Add one entry after the build, keeping every posting list in rank order."""
        e = len(self.entries)
        self.entries.append(entry)
        self.dead.append(0)
        group = (entry[4], entry[5])
        keys = self.pinyin.get(group)
        if keys is None:
            keys = self.pinyin[group] = _pinyin_keys(*group)
        key = entry[:4]
        for posting in [self.same_text.setdefault(group, []), *self._postings_of(entry[4], keys)]:
            if not posting or self.rank(posting[-1]) < key:
                posting.append(e)
            else:
                insort(posting, e, key=self.rank)

    # ------------------------------------------------------------------ queries

    def ids_of(self, kind: str) -> list[str]:
        """Every indexed id of a kind, sorted (kept until the next write)."""
        ids = self._ids_by_kind.get(kind)
        if ids is None:
            ids = self._ids_by_kind[kind] = sorted(i for i, (k, _) in self.docs.items() if k == kind)
        return ids

    def containing(self, kind: str, field_index: int, text: str) -> list[str]:
        """Ids of a kind whose value ``field_index`` contains ``text`` as it is written, sorted.

        Candidates come from the rarest posting of the query's characters and pairs, so the cost
        follows the matches, not the size of the kind.
        """
        q = normalise(text)
        docs = self.docs
        if not q:
            candidates: Iterable[str] = (i for i, (k, _) in docs.items() if k == kind)
        else:
            words = {q} if len(q) == 1 else {a + b for a, b in zip(q, q[1:], strict=False)}
            postings = [self.grams.get(w, []) for w in words]
            shortest = min(postings, key=len)
            dead, entries = self.dead, self.entries
            candidates = {entries[e][2] for e in shortest if not dead[e] and entries[e][3] == field_index}
        out = []
        for node_id in candidates:
            doc = docs.get(node_id)
            if doc is not None and doc[0] == kind:
                value = doc[1][field_index]
                if value and text in value:
                    out.append(node_id)
        out.sort()
        return out

    def search(self, query: str, first: int) -> list[str]:
        streams = self._text_streams(query)
        pinyin = _pinyin_query(query)
        if pinyin is not None:
            streams += self._pinyin_streams(pinyin)
        found: list[str] = []
        seen: set[str] = set()
        dead, entries = self.dead, self.entries
        for stream in streams:  # tiers, best first; each yields entries in rank order
            for e in stream:
                if dead[e]:
                    continue
                node_id = entries[e][2]
                if node_id not in seen:
                    seen.add(node_id)
                    found.append(node_id)
                    if len(found) >= first:
                        return found
        return found

    def _text_streams(self, q: str) -> list[Iterable[int]]:
        entries = self.entries
        # officials' names (read with surname readings) and every other text, merged in rank order
        exact = heapq.merge(self.same_text.get((q, True), []), self.same_text.get((q, False), []), key=self.rank)
        if len(q) == 1:
            rarest = self.grams.get(q, [])
        else:
            # Every text containing q is in the list of each of q's character pairs; walking the
            # shortest and verifying with ``in`` intersects them.
            lists = [self.grams.get(q[j : j + 2]) for j in range(len(q) - 1)]
            if any(posting is None for posting in lists):
                return [exact]  # some pair of characters occurs nowhere
            rarest = min((p for p in lists if p is not None), key=len)
        by_head = min(self.head.get(q[0], []), rarest, key=len)
        return [
            exact,
            (e for e in by_head if entries[e][4].startswith(q)),
            (e for e in rarest if q in entries[e][4]),
        ]

    def _pinyin_streams(self, q: str) -> list[Iterable[int]]:
        entries, pinyin = self.entries, self.pinyin

        def starting_with_q(posting: Iterable[int], part: int) -> Iterator[int]:
            """Entries whose full pinyin (part 0) or initials (part 1) start with q."""
            for e in posting:
                if any(key[part].startswith(q) for key in pinyin[entries[e][4:]]):
                    yield e

        # Walk the list of the longest indexed prefix the query covers, verifying when it is shorter.
        # A one-letter query needs no full-pinyin list: a full pinyin starts with its initial.
        covered = bisect_right(FULL_PREFIX_LENGTHS, len(q))
        by_full: Iterable[int] = []
        if covered:
            n = FULL_PREFIX_LENGTHS[covered - 1]
            by_full = self.full_prefix.get(q[:n], [])
            if n < len(q):
                by_full = starting_with_q(by_full, 0)
        n = min(len(q), _INITIALS_LENGTHS[-1])
        by_initials: Iterable[int] = self.initials_prefix.get(q[:n], [])
        if n < len(q):
            by_initials = starting_with_q(by_initials, 1)
        return [
            self.full_exact.get(q, []),
            self.initials_exact.get(q, []),
            heapq.merge(by_full, by_initials, key=self.rank),
        ]


class SearchIndex:
    """Ranked search over every searchable property (see the module docstring for the rules)."""

    def __init__(self) -> None:
        self._tables = _Tables()
        self._lock = threading.Lock()  # searches and in-place writes
        self._write_lock = threading.Lock()  # one write at a time
        # Long ``containing`` answers (a one-character name: tens of thousands of officials, 50–150 ms
        # to gather and sort) kept until the next write changes the tables (``_generation``).
        self._generation = 0
        self._answers = Answers(limit=KEPT_CONTAINING)

    @classmethod
    def build(cls, store: NodeSource) -> SearchIndex:
        """Index every node of every kind that declares searchable properties.

        index = SearchIndex.build(store)
        index.search("王芳", first=5)      # ['OFF-17', 'OFF-2034']
        """
        index = cls()
        index._tables = _built(_scan(store))
        return index

    @property
    def size(self) -> int:
        """How many nodes are indexed."""
        return len(self._tables.docs)

    def search(self, text: str, first: int = 20) -> list[str]:
        """Ids of the best ``first`` nodes for ``text``, best first; [] for a blank query."""
        query = normalise(text)
        if not query or first <= 0:
            return []
        with self._lock:
            return self._tables.search(query, first)

    def ids_of(self, kind: str) -> list[str]:
        """Every indexed node of a kind (``NodeKind.searchable`` kinds only), sorted by id."""
        with self._lock:
            return self._tables.ids_of(kind)

    def containing(self, kind: str, prop: str, text: str) -> list[str]:
        """Ids of a kind whose searchable property ``prop`` contains ``text`` (as written), sorted by id.

        index.containing("Official", "name", "张")     # every official with 张 in the name
        """
        field_index = NODE_KINDS[kind].searchable.index(prop)
        key = (kind, field_index, text)
        with self._lock:
            keep = answers_enabled()
            if keep:
                found, ids = self._answers.get(self._generation, key)
                if found:
                    return list(ids)
            out = self._tables.containing(kind, field_index, text)
            if keep and len(out) >= KEEP_CONTAINING_FROM:
                self._answers.put(self._generation, key, tuple(out))
            return out

    def apply(self, batch: WriteBatch) -> None:
        """Keep the index in step with a write the store has accepted (upsert by id).

        A row re-indexes its node only if it carries a searchable column whose value changed;
        a column absent from the row leaves that value as it was, as in the store.
        """
        with self._write_lock:
            changes = self._changes(batch)
            if not changes:
                return
            tables = self._tables
            # Rebuild beside the live tables for a large write, or once many entries are dead.
            dead = tables.dead_count + len(changes)
            if len(changes) > REBUILD_ROWS or dead > max(COMPACT_DEAD_ENTRIES, len(tables.entries) // 2):
                docs = dict(tables.docs)
                docs.update(changes)
                fresh = _built((node_id, kind, values) for node_id, (kind, values) in docs.items())
                with self._lock:
                    self._tables = fresh
                    self._generation += 1
                return
            with self._lock:
                for node_id, (kind, values) in changes.items():
                    tables.replace(node_id, kind, values)
                self._generation += 1

    def _changes(self, batch: WriteBatch) -> dict[str, tuple[str, Values]]:
        """The nodes whose searchable values this batch changes, with their new values."""
        docs = self._tables.docs
        changes: dict[str, tuple[str, Values]] = {}
        for rows in batch.nodes:
            declared = NODE_KINDS.get(rows.kind)
            if declared is None or not declared.searchable:
                continue
            present = [c for c in declared.searchable if c in rows.table.column_names]
            ids = rows.table.column("id").to_pylist()
            columns = {c: rows.table.column(c).to_pylist() for c in present}
            for row, node_id in enumerate(ids):
                known = changes.get(node_id) or docs.get(node_id)
                old: Values = known[1] if known is not None else (None,) * len(declared.searchable)
                new = tuple(columns[c][row] if c in columns else old[i] for i, c in enumerate(declared.searchable))
                if known is None or new != old:
                    changes[node_id] = (rows.kind, new)
        return changes


def _built(docs: Iterable[tuple[str, str, Values]]) -> _Tables:
    # A build allocates millions of small lists that all live on; the cyclic collector would rescan
    # them again and again (a third of the build time) while finding nothing to free.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _Tables.from_docs(docs)
    finally:
        if collecting:
            gc.enable()


def _scan(store: NodeSource) -> Iterator[tuple[str, str, Values]]:
    for kind, declared in NODE_KINDS.items():
        if not declared.searchable:
            continue
        for table in store.scan_nodes(kind, list(declared.searchable)):
            columns = [table.column(c).to_pylist() for c in declared.searchable]
            yield from zip(table.column("id").to_pylist(), repeat(kind), zip(*columns, strict=True))
