"""GraphQL enums, derived from schema/ (never retyped): values are MODEL.md identifiers in UPPER_SNAKE_CASE.

    MeasureKind.ADMONISHMENT.value == "admonishment"

Each enum is a ``str`` enum, so a resolver may return the stored identifier as it is.
"""

from __future__ import annotations

import enum
from typing import Any

import strawberry

from schema.model import NODE_KINDS, REL_KINDS
from schema.rules import MEASURE_LABELS, STAGES

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


def _values(kind: str, prop: str) -> tuple[str, ...]:
    declared = NODE_KINDS[kind].properties if kind in NODE_KINDS else REL_KINDS[kind].properties
    return declared[prop].enum


def _make(name: str, values: tuple[str, ...], description: str) -> Any:
    py_enum = enum.Enum(name, {v.upper(): v for v in values}, type=str)  # type: ignore[misc]
    return strawberry.enum(py_enum, description=description)


def _describe(name: str) -> str:
    kind, prop = _SOURCES[name]
    if kind in NODE_KINDS:
        return f"{NODE_KINDS[kind].label}.{NODE_KINDS[kind].properties[prop].label} ({kind}.{prop})"
    return f"{REL_KINDS[kind].label}.{REL_KINDS[kind].properties[prop].label} ({kind}.{prop})"


RegionLevel = _make("RegionLevel", _values(*_SOURCES["RegionLevel"]), _describe("RegionLevel"))
OrganisationKind = _make("OrganisationKind", _values(*_SOURCES["OrganisationKind"]), _describe("OrganisationKind"))
Gender = _make("Gender", _values(*_SOURCES["Gender"]), _describe("Gender"))
Rank = _make("Rank", _values(*_SOURCES["Rank"]), _describe("Rank"))
StudyEventKind = _make("StudyEventKind", _values(*_SOURCES["StudyEventKind"]), _describe("StudyEventKind"))
DutyReportForm = _make("DutyReportForm", _values(*_SOURCES["DutyReportForm"]), _describe("DutyReportForm"))
AssessmentKind = _make("AssessmentKind", _values(*_SOURCES["AssessmentKind"]), _describe("AssessmentKind"))
CampaignKind = _make("CampaignKind", _values(*_SOURCES["CampaignKind"]), _describe("CampaignKind"))
InspectionKind = _make("InspectionKind", _values(*_SOURCES["InspectionKind"]), _describe("InspectionKind"))
Severity = _make("Severity", _values(*_SOURCES["Severity"]), _describe("Severity"))
FeedbackForm = _make("FeedbackForm", _values(*_SOURCES["FeedbackForm"]), _describe("FeedbackForm"))
DeadlineKind = _make("DeadlineKind", _values(*_SOURCES["DeadlineKind"]), _describe("DeadlineKind"))
IssueStatus = _make("IssueStatus", _values(*_SOURCES["IssueStatus"]), _describe("IssueStatus"))
RectificationStepKind = _make(
    "RectificationStepKind", _values(*_SOURCES["RectificationStepKind"]), _describe("RectificationStepKind")
)
ClueDisposal = _make("ClueDisposal", _values(*_SOURCES["ClueDisposal"]), _describe("ClueDisposal"))
CaseKind = _make("CaseKind", _values(*_SOURCES["CaseKind"]), _describe("CaseKind"))
MeasureKind = _make(
    "MeasureKind",
    _values(*_SOURCES["MeasureKind"]),
    "处置措施 (Measure.kind): " + "，".join(f"{k.upper()} {v}" for k, v in MEASURE_LABELS.items()),
)
TransferKind = _make("TransferKind", _values(*_SOURCES["TransferKind"]), _describe("TransferKind"))
TransferOutcome = _make("TransferOutcome", _values(*_SOURCES["TransferOutcome"]), _describe("TransferOutcome"))
DocumentKind = _make("DocumentKind", _values(*_SOURCES["DocumentKind"]), _describe("DocumentKind"))
PostKind = _make("PostKind", _values(*_SOURCES["PostKind"]), _describe("PostKind"))
ResponsibilityKind = _make(
    "ResponsibilityKind", _values(*_SOURCES["ResponsibilityKind"]), _describe("ResponsibilityKind")
)
ChainStage = _make("ChainStage", STAGES, "问责链条所处阶段 (MODEL.md: discovered → … → closed)")
ResponsibilityBasis = _make(
    "ResponsibilityBasis",
    ("explicit", "principal_at_occurrence"),
    "EXPLICIT: a RESPONSIBLE relationship names the official; PRINCIPAL_AT_OCCURRENCE: no explicit "
    "attribution, so the principals in office on occurredOn (else foundOn) bear principal leadership responsibility",
)
