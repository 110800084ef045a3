"""依据文件 Document: a notice, briefing, decision or letter that other nodes are EVIDENCED_BY."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry.types import Info

from api.types.enums import DocumentKind
from api.types.node import Node, linked, node_type


@node_type("Document")
@strawberry.type(description="依据文件: a source document.")
class Document(Node):
    title: str = ""
    doc_no: str | None = strawberry.field(default=None, description="文号")
    on: date | None = strawberry.field(name="date", default=None)
    document_kind: DocumentKind | None = None
    sha256: str | None = None

    @strawberry.field(description="The nodes EVIDENCED_BY this document.")
    async def evidences(self, info: Info) -> list[Node]:
        return await linked(info, self, "EVIDENCED_BY", "in")
