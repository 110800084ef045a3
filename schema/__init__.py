"""The domain model (MODEL.md) as code: kinds, properties, enumerations and derived rules. No I/O."""

from schema import rules
from schema.model import NODE_KINDS, REL_KINDS, NodeKind, Prop, RelKind, header_aliases

__all__ = ["NODE_KINDS", "REL_KINDS", "NodeKind", "Prop", "RelKind", "header_aliases", "rules"]
