"""专项整治 / 督察计划 Campaign: its inspections, issues and four-form figures."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from api.types.arguments import UNSET, DateFrom, DateTo
from api.types.enums import CampaignKind, IssueStatus
from api.types.node import Node, linked, node_type
from api.types.pagination import DEFAULT_PAGE, Connection


@node_type("Campaign")
@strawberry.type(description="专项整治 / 督察计划: a special campaign or inspection plan.")
class Campaign(Node):
    name: str = ""
    year: int | None = None
    campaign_kind: CampaignKind | None = None

    @strawberry.field(description="Inspections PART_OF this campaign, by id.")
    async def inspections(self, info: Info) -> list[Inspection]:
        return sorted(await linked(info, self, "PART_OF", "in", "Inspection"), key=lambda i: i.id)

    @strawberry.field(description="Issues found by the campaign's inspections, oldest found first.")
    async def issues(
        self,
        info: Info,
        status: list[IssueStatus] | None = None,
        found_from: DateFrom = UNSET,
        found_to: DateTo = UNSET,
        first: int = DEFAULT_PAGE,
        after: str | None = None,
    ) -> Connection[Issue]:
        from api.types.issue import issue_connection

        return await issue_connection(
            info, first, after, status=status, found_from=found_from, found_to=found_to, campaign_id=str(self.id)
        )

    @strawberry.field(description="The campaign's four-form figures (Query.fourForms with campaignId).")
    async def four_forms(self, info: Info, date_from: DateFrom = UNSET, date_to: DateTo = UNSET) -> FourFormsStats:
        from api.types.stats import StatsFilter, four_forms_stats

        return await four_forms_stats(info, StatsFilter(campaign_id=self.id, date_from=date_from, date_to=date_to))


# Types this module refers to, imported last: the modules refer to each other.
from api.types.inspection import Inspection  # noqa: E402
from api.types.issue import Issue  # noqa: E402
from api.types.stats import FourFormsStats  # noqa: E402
