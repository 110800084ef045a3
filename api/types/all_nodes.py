"""Imports every node type module so that each registers itself (``api.types.node.to_node``)."""

from api.types import (  # noqa: F401
    assessment,
    campaign,
    case,
    clue,
    document,
    duty_report,
    exposure,
    inspection,
    issue,
    measure,
    official,
    organisation,
    rectification_step,
    region,
    study_event,
    transfer,
)
