"""专项整治 / 督察计划 Campaign: its inspections, issues and four-form figures."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from api.types.enums import CampaignKind
from api.types.node import Node, linked, node_type
from api.types.scoped import four_forms_field, issues_field

if TYPE_CHECKING:  # strawberry resolves these lazily: the modules refer to each other
    from api.types.inspection import Inspection


@node_type("Campaign")
@strawberry.type(description="专项整治 / 督察计划: a special campaign or inspection plan.")
class Campaign(Node):
    name: str = ""
    year: int | None = None
    campaign_kind: CampaignKind | None = None

    @strawberry.field(description="Inspections PART_OF this campaign, by id.")
    async def inspections(self, info: Info) -> list[Annotated[Inspection, strawberry.lazy("api.types.inspection")]]:
        return sorted(await linked(info, self, "PART_OF", "in", "Inspection"), key=lambda i: i.id)

    issues = issues_field("campaign_id", "Issues found by the campaign's inspections, oldest found first.")
    four_forms = four_forms_field("campaign_id", "The campaign's four-form figures (Query.fourForms with campaignId).")
