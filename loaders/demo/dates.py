"""Days as ordinals (ints): the window the demo covers, its fixed dates, and ISO text for the bundle.

    >>> iso(ymd(2024, 1, 26))
    '2024-01-26'
    >>> iso(month_end(ymd(2024, 2, 3)))
    '2024-02-29'

Dates are held as ``date.toordinal()`` ints while the graph is built (cheap to compare and add to);
``iso`` turns one into the bundle's ``YYYY-MM-DD`` text, memoised because the same days recur.
"""

from __future__ import annotations

from datetime import date


def ymd(y: int, m: int, d: int) -> int:
    """The ordinal of a calendar day."""
    return date(y, m, d).toordinal()


WINDOW_START, WINDOW_END = ymd(2018, 1, 1), ymd(2024, 12, 31)
YEAR_START, YEAR_END = ymd(2023, 1, 1), ymd(2023, 12, 31)
REVIEW_DAY = ymd(2024, 1, 26)  # 省委全面依法治省委员会 meeting that reviewed the 61 述法 reports
QUIET = (ymd(2023, 10, 1), ymd(2024, 3, 31))  # no succession in reviewed units around the review
FIRST_START = (ymd(2013, 1, 1), ymd(2017, 12, 31))  # the 2018 holders were appointed before the window
STAFF_START = (ymd(2006, 1, 1), ymd(2023, 6, 30))
NEVER = 10**7  # an ordinal after every real day: "still in post"
_ISO: dict[int, str] = {}


def iso(o: int | None) -> str | None:
    """``YYYY-MM-DD`` of an ordinal (None stays None: an empty cell)."""
    if o is None:
        return None
    s = _ISO.get(o)
    if s is None:
        s = _ISO[o] = date.fromordinal(o).isoformat()
    return s


def month_end(o: int) -> int:
    """The last day of the month that ``o`` falls in."""
    d = date.fromordinal(o)
    nxt = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return nxt.toordinal() - 1
