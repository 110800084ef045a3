"""The gate keeps the documents of short query texts (one object per text, so their costs are kept
too) and parses long ones each time, so the kept texts stay small however large the bodies sent."""

from __future__ import annotations

from api.auth import edge


def test_short_texts_are_kept_and_long_ones_are_not():
    short = "{ officials(first: 5) { totalCount } }"
    assert edge._parsed(short) is edge._parsed(short)
    long = "{ search(text: " + '"' + "张" * (edge._KEPT_QUERY_CHARS + 1) + '"' + ") { id } }"
    first, second = edge._parsed(long), edge._parsed(long)
    assert first is not None and second is not None and first is not second
    assert first.to_dict() == second.to_dict()
    kept = edge._kept_parse.cache_info().currsize
    edge._parsed(long)
    assert edge._kept_parse.cache_info().currsize == kept
    assert edge._parsed("{ not graphql") is None
