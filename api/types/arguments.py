"""Argument types shared by several fields."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, TypeVar

import strawberry

T = TypeVar("T")
# Optional arguments default to UNSET (not null), so the SDL reads `posts(on: Date)` as CONTRACT §3 does.
UNSET: Any = strawberry.UNSET


def given(value: T | None) -> T | None:
    """An optional argument's value, None when it was not given."""
    return None if value is strawberry.UNSET else value


DateFrom = Annotated[date | None, strawberry.argument(name="from", description="Inclusive start date.")]
DateTo = Annotated[date | None, strawberry.argument(name="to", description="Inclusive end date.")]
