"""Access checks on the caller in the request context (for now every caller may read everything).

Every root field carries ``CanRead``; when identities with jurisdictions arrive, the check goes
here and no resolver changes.
"""

from __future__ import annotations

from typing import Any

from strawberry.permission import BasePermission
from strawberry.types import Info

from api.errors import FORBIDDEN, Unauthenticated


class CanRead(BasePermission):
    message = "You may not read this; ask for access to the region's data."
    error_extensions = {"code": FORBIDDEN}

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        caller = info.context.caller
        if not caller.authenticated:
            raise Unauthenticated("Sign in first: this server needs an identity for every request.")
        return True
