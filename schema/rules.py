"""Rules derived from the model: four forms, sanctions, effect periods, principals, counting, stages.

All pure functions over plain values; no I/O. Both storage backends and the API use these, so the
same question gets the same answer whatever engine holds the data.

    >>> form_of("admonishment")
    1
    >>> period_end_of("gov_warning", date(2023, 3, 15))
    datetime.date(2023, 9, 14)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from schema.vocabulary import MEASURE_KIND, MEASURE_KIND_DECLS, PERMANENT, STAGE

# ---------------------------------------------------------------- measures and the four forms

MEASURE_LABELS: dict[str, str] = MEASURE_KIND.labels()
FORM_OF_KIND: dict[str, int] = {k: m.form for k, m in MEASURE_KIND_DECLS.items()}
ORG_MEASURE_KINDS = tuple(k for k, m in MEASURE_KIND_DECLS.items() if m.subject == "organisation")
PARTY_SANCTIONS = tuple(k for k, m in MEASURE_KIND_DECLS.items() if m.sanction == "party")
GOV_SANCTIONS = tuple(k for k, m in MEASURE_KIND_DECLS.items() if m.sanction == "gov")
LIGHT_SANCTIONS = tuple(k for k, m in MEASURE_KIND_DECLS.items() if m.sanction is not None and not m.heavy)
HEAVY_SANCTIONS = tuple(k for k, m in MEASURE_KIND_DECLS.items() if m.heavy)
# 影响期 in months (RESEARCH §4.1–4.3). None: no lasting effect. PERMANENT: no end.
EFFECT_MONTHS: dict[str, int | None] = {k: m.effect_months for k, m in MEASURE_KIND_DECLS.items()}

JUDICIAL_TRANSFERS = ("to_judicial_organ", "to_procuratorate_for_prosecution")
DISCIPLINE_TRANSFER = "to_discipline_commission_for_filing"


def form_of(measure_kind: str) -> int:
    """The form (1–3) a measure kind belongs to; form 4 comes from transfers, not kinds."""
    return FORM_OF_KIND[measure_kind]


def is_sanction(measure_kind: str) -> bool:
    return measure_kind in PARTY_SANCTIONS or measure_kind in GOV_SANCTIONS


def add_months(d: date, months: int) -> date:
    month0 = d.month - 1 + months
    year, month = d.year + month0 // 12, month0 % 12 + 1
    for day in (d.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def period_end_of(measure_kind: str, effective_on: date | None) -> date | None:
    """Last day of the effect period, or None (no period, permanent, or no start date)."""
    months = EFFECT_MONTHS[measure_kind]
    if effective_on is None or months is None or months == PERMANENT:
        return None
    return add_months(effective_on, months) - timedelta(days=1)


def in_effect(measure_kind: str, effective_on: date | None, period_end: date | None, on: date) -> bool:
    """Whether a measure's effect period covers ``on`` (permanent measures never lapse)."""
    months = EFFECT_MONTHS[measure_kind]
    if effective_on is None or months is None or on < effective_on:
        return False
    if months == PERMANENT:
        return True
    return period_end is not None and on <= period_end


# ---------------------------------------------------------------- posts and principals

PRINCIPAL_POST_KINDS = ("party_principal", "gov_principal")


def post_covers(start: date | None, end: date | None, on: date) -> bool:
    """``start <= on <= end``; ``end`` is the last day in post, None means still in post."""
    return (start is None or start <= on) and (end is None or on <= end)


def principals_at(posts: Iterable[Mapping[str, Any]], on: date) -> list[str]:
    """Official ids who were 党政主要负责人 on ``on``, from HELD_POST rows (keys official, post_kind, start, end).

    Acting holders count; one person holding both posts (一肩挑) appears once. Sorted by id.
    """
    ids = {
        p["official"]
        for p in posts
        if p["post_kind"] in PRINCIPAL_POST_KINDS and post_covers(p.get("start"), p.get("end"), on)
    }
    return sorted(ids)


def responsibility_date(occurred_on: date | None, found_on: date | None) -> date | None:
    """The date that fixes who is responsible by default: occurrence, else discovery."""
    return occurred_on if occurred_on is not None else found_on


@dataclass(frozen=True)
class Responsibility:
    official: str
    kind: str  # RESPONSIBILITY_KINDS
    basis: str  # "explicit" | "principal_at_occurrence"


def responsible_for_issue(
    explicit: Iterable[tuple[str, str]],
    principal_posts: Iterable[Mapping[str, Any]],
    occurred_on: date | None,
    found_on: date | None,
) -> list[Responsibility]:
    """Explicit RESPONSIBLE edges (official, kind) first; otherwise the principals in office then.

    Liability follows the person in office on the day (终身问责), not today's holder.
    """
    given = sorted(set(explicit))
    if given:
        return [Responsibility(o, k, "explicit") for o, k in given]
    on = responsibility_date(occurred_on, found_on)
    if on is None:
        return []
    return [
        Responsibility(o, "principal_leadership", "principal_at_occurrence") for o in principals_at(principal_posts, on)
    ]


# ---------------------------------------------------------------- counting (四种形态统计)


@dataclass
class FourFormsCount:
    """CONTRACT §3 FourFormsStats, counted by MODEL.md's rules."""

    form1: int = 0
    form2: int = 0
    form3: int = 0
    form4: int = 0
    held_accountable: int = 0
    sanctioned: int = 0
    party_sanctioned: int = 0
    gov_sanctioned: int = 0
    transferred_to_discipline: int = 0
    transferred_to_judicial: int = 0
    exposed_cases: int = 0


@dataclass(frozen=True)
class MeasureFact:
    measure: str
    kind: str
    subject: str  # official id; measures on organisations are not person figures
    subject_is_official: bool
    case: str | None


@dataclass(frozen=True)
class TransferFact:
    transfer: str
    kind: str
    case: str
    subjects: tuple[str, ...]  # official ids the case CONCERNS


@dataclass
class AccountabilityFacts:
    """What counting needs, already filtered to the scope (campaign, region, dates)."""

    measures: list[MeasureFact] = field(default_factory=list)
    transfers: list[TransferFact] = field(default_factory=list)
    exposed_cases: set[str] = field(default_factory=set)


def count_four_forms(facts: AccountabilityFacts) -> FourFormsCount:
    """Person-times for forms, persons for sanctions and transfers, cases for exposures.

    - form1–3: one per measure on an official (人次).
    - form4: one per (case, subject) where the case has a judicial or procuratorate transfer.
    - sanctioned: distinct officials with a party or government sanction (both counts once).
    - heldAccountable: distinct officials with a measure or a transfer.
    """
    out = FourFormsCount()
    held: set[str] = set()
    party: set[str] = set()
    gov: set[str] = set()
    for m in facts.measures:
        if not m.subject_is_official:
            continue
        form = FORM_OF_KIND[m.kind]
        if form == 1:
            out.form1 += 1
        elif form == 2:
            out.form2 += 1
        else:
            out.form3 += 1
        held.add(m.subject)
        if m.kind in PARTY_SANCTIONS:
            party.add(m.subject)
        if m.kind in GOV_SANCTIONS:
            gov.add(m.subject)
    discipline: set[str] = set()
    judicial: set[str] = set()
    form4_pairs: set[tuple[str, str]] = set()
    for t in facts.transfers:
        held.update(t.subjects)
        if t.kind == DISCIPLINE_TRANSFER:
            discipline.update(t.subjects)
        elif t.kind in JUDICIAL_TRANSFERS:
            judicial.update(t.subjects)
            form4_pairs.update((t.case, s) for s in t.subjects)
    out.form4 = len(form4_pairs)
    out.held_accountable = len(held)
    out.party_sanctioned = len(party)
    out.gov_sanctioned = len(gov)
    out.sanctioned = len(party | gov)
    out.transferred_to_discipline = len(discipline)
    out.transferred_to_judicial = len(judicial)
    out.exposed_cases = len(facts.exposed_cases)
    return out


# ---------------------------------------------------------------- the stage of a chain

STAGES = STAGE.names
TRANSFER_OVERDUE_DAYS = 90


def chain_stage(
    issue: Mapping[str, Any],
    step_kinds: Iterable[str],
    cases: Iterable[Mapping[str, Any]],
    measures_count: int,
    transfers: Iterable[Mapping[str, Any]],
) -> str:
    """The furthest stage the chain has reached (MODEL.md "Stage of a chain").

    closed: the issue is rectified or verified (or a 销号 step exists) and every case is closed
    and every transfer has an outcome other than pending; a chain with no accountability closes
    on verification or a closed step.
    """
    steps = set(step_kinds)
    cases = list(cases)
    transfers = list(transfers)
    status = issue.get("status")
    rectified = status in ("rectified", "verified") or bool(steps & {"completion_report", "closed"})
    cases_closed = all(c.get("closed_on") is not None for c in cases)
    transfers_done = all((t.get("outcome") or "pending") != "pending" for t in transfers)
    if cases or transfers:
        if rectified and cases_closed and transfers_done:
            return "closed"
    elif status == "verified" or "closed" in steps:
        return "closed"
    if transfers:
        return "transferred"
    if cases or measures_count:
        return "accountability"
    if rectified:
        return "rectified"
    if status in ("rectifying", "reopened") or steps:
        return "rectifying"
    if issue.get("feedback_on") is not None:
        return "feedback"
    return "discovered"


@dataclass(frozen=True)
class Overdue:
    kind: str  # "rectification" | "transfer"
    node: str  # issue id or transfer id
    due: date
    days_over: int


def transfer_overdue(transferred_on: date | None, outcome: str | None, today: date) -> date | None:
    """The day a transfer fell due, when it is still pending more than 90 days after it was sent."""
    if transferred_on is None or (outcome or "pending") != "pending":
        return None
    due = transferred_on + timedelta(days=TRANSFER_OVERDUE_DAYS)
    return due if today > due else None


def overdue_items(issue: Mapping[str, Any], transfers: Iterable[Mapping[str, Any]], today: date) -> list[Overdue]:
    """Rectification past its deadline; transfers still without an outcome 90 days on."""
    out: list[Overdue] = []
    deadline = issue.get("deadline")
    if deadline is not None and today > deadline and issue.get("status") not in ("rectified", "verified"):
        out.append(Overdue("rectification", issue["id"], deadline, (today - deadline).days))
    for t in transfers:
        due = transfer_overdue(t.get("transferred_on"), t.get("outcome"), today)
        if due is not None:
            out.append(Overdue("transfer", t["id"], due, (today - due).days))
    return out
