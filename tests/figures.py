"""Figures a test measured, printed together at the end of the run (``tests/conftest.py``).

    from tests.figures import figure
    figure("issue 11", "root fields x identities x GET/POST refused with 401", f"{refused} of {sent}")

They are what a closing note quotes ("figures in your note, from tests"): the count comes from the
assertion that checked it, in the run that passed, on each backend it ran on.
"""

from __future__ import annotations

from collections import defaultdict

FIGURES: defaultdict[str, dict[str, str]] = defaultdict(dict)


def figure(topic: str, what: str, value: object) -> None:
    """Record ``what`` = ``value`` under ``topic`` (a later value of the same ``what`` replaces it)."""
    FIGURES[topic][what] = str(value)


def report_lines() -> list[str]:
    lines: list[str] = []
    for topic in sorted(FIGURES):
        lines.append(f"{topic}:")
        lines += [f"  {what}: {value}" for what, value in sorted(FIGURES[topic].items())]
    return lines
