"""Argument types shared by several fields, each with its description.

async def chain(self, info: Info, as_of: AsOf = None) -> …      # asOf: Date (described)
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, TypeVar

import strawberry

from api.types.enums import MeasureKind

T = TypeVar("T")
# Optional arguments default to UNSET (not null), so the SDL reads `posts(on: Date)` as CONTRACT §3 does.
UNSET: Any = strawberry.UNSET


def given(value: T | None) -> T | None:
    """An optional argument's value, None when it was not given."""
    return None if value is strawberry.UNSET else value


DateFrom = Annotated[date | None, strawberry.argument(name="from", description="Inclusive start date.")]
DateTo = Annotated[date | None, strawberry.argument(name="to", description="Inclusive end date.")]
AsOf = Annotated[
    date | None,
    strawberry.argument(
        description="截至日期 (as of): the day stages, deadlines and overdue items are judged on; default today."
    ),
]
PostsOn = Annotated[
    date | None,
    strawberry.argument(description="任职日期 (on): only the posts held on this date; omit for every post."),
]
FormFilter = Annotated[
    int | None,
    strawberry.argument(description="形态 (form): only measures of this form of the 四种形态 (1–3)."),
]
MeasureKindFilter = Annotated[
    MeasureKind | None,
    strawberry.argument(description="措施种类 (measure kind): only measures of this kind."),
]
