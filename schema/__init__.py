"""The domain model (MODEL.md) as code, declared once: kinds, properties, enumerations and derived rules.

    vocabulary  every enumeration value with its Chinese label; measure kinds with form and 影响期
    model       node and relationship kinds, properties, captions, sort order, key properties, bounds
    captions    a record's Chinese label and the order lists run in, by the declarations
    rules       four forms, sanctions, effect periods, principals at a date, responsibility, stages

Pure Python, no I/O; imports nothing outside the standard library. Everything else derives from it.
"""

from schema import rules
from schema.model import NODE_KINDS, REL_KINDS, NodeKind, Prop, RelKind, header_aliases

__all__ = ["NODE_KINDS", "REL_KINDS", "NodeKind", "Prop", "RelKind", "header_aliases", "rules"]
