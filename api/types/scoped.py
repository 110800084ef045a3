"""Fields several node types share, scoped to the node: its issues and its four-form figures.

    @strawberry.type
    class Campaign(Node):
        issues = issues_field("campaign_id", "Issues found by the campaign's inspections, …")
        four_forms = four_forms_field("campaign_id", "The campaign's four-form figures …")

``scope`` names the filter the node's id goes into (``graph.queries.IssueFilter`` and
``StatsFilter`` have the same fields as Query.issues and Query.fourForms).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.types import Info

from api.types.arguments import UNSET, DateFrom, DateTo
from api.types.enums import IssueStatus
from api.types.pagination import DEFAULT_PAGE, After, Connection, First

STATUS_DESCRIPTION = "问题状态 (status): only issues in one of these statuses; omit for every status."

if TYPE_CHECKING:  # resolved lazily by strawberry: those modules import the ones that import this one
    from api.types.issue import Issue
    from api.types.stats import FourFormsStats


def issues_field(scope: str, description: str) -> Any:
    """An ``issues`` connection (status, found dates, first/after) filtered on ``scope`` = the node's id."""

    async def issues(
        self: Any,
        info: Info,
        status: Annotated[list[IssueStatus] | None, strawberry.argument(description=STATUS_DESCRIPTION)] = None,
        found_from: DateFrom = UNSET,
        found_to: DateTo = UNSET,
        first: First = DEFAULT_PAGE,
        after: After = None,
    ) -> Connection[Annotated[Issue, strawberry.lazy("api.types.issue")]]:
        from api.types.issue import issue_connection

        return await issue_connection(
            info, first, after, status=status, found_from=found_from, found_to=found_to, **{scope: str(self.id)}
        )

    return strawberry.field(resolver=issues, description=description)


def four_forms_field(scope: str, description: str) -> Any:
    """A ``fourForms`` field (from/to dates) with ``scope`` = the node's id in the filter."""

    async def four_forms(
        self: Any, info: Info, date_from: DateFrom = UNSET, date_to: DateTo = UNSET
    ) -> Annotated[FourFormsStats, strawberry.lazy("api.types.stats")]:
        from api.types.stats import StatsFilter, four_forms_stats

        return await four_forms_stats(info, StatsFilter(date_from=date_from, date_to=date_to, **{scope: self.id}))

    return strawberry.field(resolver=four_forms, description=description)
