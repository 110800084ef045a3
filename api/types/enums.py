"""GraphQL enums, derived from schema/ (never retyped): values are MODEL.md identifiers in UPPER_SNAKE_CASE.

    MeasureKind.ADMONISHMENT.value == "admonishment"

Each enum is a ``str`` enum, so a resolver may return the stored identifier as it is.
"""

from __future__ import annotations

import enum
from typing import Any

import strawberry

from schema.model import NODE_KINDS, REL_KINDS
from schema.rules import MEASURE_LABELS
from schema.vocabulary import MEASURE_KIND, RESPONSIBILITY_BASIS, STAGE, Vocabulary

# GraphQL name -> (node or relationship kind, property) whose enumeration it exposes.
_SOURCES: dict[str, tuple[str, str]] = {
    "RegionLevel": ("Region", "level"),
    "OrganisationKind": ("Organisation", "kind"),
    "Gender": ("Official", "gender"),
    "Rank": ("Official", "rank"),
    "StudyEventKind": ("StudyEvent", "kind"),
    "DutyReportForm": ("DutyReport", "form"),
    "AssessmentKind": ("Assessment", "kind"),
    "CampaignKind": ("Campaign", "kind"),
    "InspectionKind": ("Inspection", "kind"),
    "Severity": ("Issue", "severity"),
    "FeedbackForm": ("Issue", "feedback_form"),
    "DeadlineKind": ("Issue", "deadline_kind"),
    "IssueStatus": ("Issue", "status"),
    "RectificationStepKind": ("RectificationStep", "kind"),
    "ClueDisposal": ("Clue", "disposal"),
    "CaseKind": ("Case", "kind"),
    "MeasureKind": ("Measure", "kind"),
    "TransferKind": ("Transfer", "kind"),
    "TransferOutcome": ("Transfer", "outcome"),
    "DocumentKind": ("Document", "kind"),
    "PostKind": ("HELD_POST", "post_kind"),
    "ResponsibilityKind": ("RESPONSIBLE", "kind"),
}


def _vocabulary(kind: str, prop: str) -> Vocabulary:
    declared = NODE_KINDS[kind].properties if kind in NODE_KINDS else REL_KINDS[kind].properties
    values = declared[prop].values
    assert values is not None, f"{kind}.{prop} is not an enumeration"
    return values


def _make(name: str, vocabulary: Vocabulary, description: str) -> Any:
    """A str enum whose values are the identifiers, each described by its Chinese label."""
    py_enum = enum.Enum(name, {v.name.upper(): v.name for v in vocabulary.values}, type=str)  # type: ignore[misc]
    made = strawberry.enum(py_enum, description=description)
    labels = vocabulary.labels()
    for value in made.__strawberry_definition__.values:  # type: ignore[attr-defined]
        value.description = labels[value.value]
    return made


def _declared(name: str) -> Any:
    kind, prop = _SOURCES[name]
    owner = NODE_KINDS[kind] if kind in NODE_KINDS else REL_KINDS[kind]
    description = f"{owner.label}.{owner.properties[prop].label} ({kind}.{prop})"
    return _make(name, _vocabulary(kind, prop), description)


RegionLevel = _declared("RegionLevel")
OrganisationKind = _declared("OrganisationKind")
Gender = _declared("Gender")
Rank = _declared("Rank")
StudyEventKind = _declared("StudyEventKind")
DutyReportForm = _declared("DutyReportForm")
AssessmentKind = _declared("AssessmentKind")
CampaignKind = _declared("CampaignKind")
InspectionKind = _declared("InspectionKind")
Severity = _declared("Severity")
FeedbackForm = _declared("FeedbackForm")
DeadlineKind = _declared("DeadlineKind")
IssueStatus = _declared("IssueStatus")
RectificationStepKind = _declared("RectificationStepKind")
ClueDisposal = _declared("ClueDisposal")
CaseKind = _declared("CaseKind")
MeasureKind = _make(
    "MeasureKind",
    MEASURE_KIND,
    "处置措施 (Measure.kind): " + "，".join(f"{k.upper()} {v}" for k, v in MEASURE_LABELS.items()),
)
TransferKind = _declared("TransferKind")
TransferOutcome = _declared("TransferOutcome")
DocumentKind = _declared("DocumentKind")
PostKind = _declared("PostKind")
ResponsibilityKind = _declared("ResponsibilityKind")
ChainStage = _make("ChainStage", STAGE, "问责链条所处阶段 (MODEL.md: discovered → … → closed)")
ResponsibilityBasis = _make(
    "ResponsibilityBasis",
    RESPONSIBILITY_BASIS,
    "EXPLICIT: a RESPONSIBLE relationship names the official; PRINCIPAL_AT_OCCURRENCE: no explicit "
    "attribution, so the principals in office on occurredOn (else foundOn) bear principal leadership responsibility",
)
