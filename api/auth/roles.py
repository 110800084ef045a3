"""The roles of CONTRACT §4, declared once: name, Chinese name, which node kinds they read, 2FA.

    ROLES["personnel"].reads("Clue")        # False: personnel read every kind except Clue
    ROLES["admin"].reads("Official")        # False: the three administrators read no graph data
    check_role_set(["admin", "inspector"])  # ValueError: 三员分立 keeps administrators apart

Enforcement lives in one place, ``Caller.may_read_kind`` (api/context.py), which asks this table.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from schema.model import NODE_KINDS


@dataclass(frozen=True)
class Role:
    name: str
    chinese: str
    readable_kinds: frozenset[str]  # node kinds whose data the role reads (empty: no graph data)
    manages: str  # what an administrator looks after ("" for business roles)

    @property
    def is_administrator(self) -> bool:
        return not self.readable_kinds

    @property
    def needs_second_factor(self) -> bool:
        """Administrators must sign in with a TOTP code as well as their password (等保 §8.1.4.1)."""
        return self.is_administrator

    def reads(self, kind: str) -> bool:
        return kind in self.readable_kinds


_ALL = frozenset(NODE_KINDS)
_NO_GRAPH: frozenset[str] = frozenset()

ROLES: dict[str, Role] = {
    r.name: r
    for r in (
        Role("inspector", "纪检监察", _ALL, ""),
        Role("personnel", "组织人事", _ALL - {"Clue"}, ""),
        Role("auditor", "法治督察 / 审计", _ALL - {"Clue"}, ""),
        Role("admin", "系统管理员", _NO_GRAPH, "users, tokens, loads"),
        Role("security_admin", "安全管理员", _NO_GRAPH, "roles and jurisdictions"),
        Role("audit_admin", "审计管理员", _NO_GRAPH, "the audit log"),
    )
}
BUSINESS_ROLES = tuple(name for name, r in ROLES.items() if not r.is_administrator)
ADMIN_ROLES = tuple(name for name, r in ROLES.items() if r.is_administrator)


def check_role_set(roles: Iterable[str]) -> tuple[str, ...]:
    """The roles, validated: known names, at least one, no administrator combined with another role.

    Separation of the three administrators (三员分立, 等保 §8.1.5): one account holds at most one
    administrator role, and an administrator holds no business role.
    """
    names = tuple(dict.fromkeys(roles))
    if not names:
        raise ValueError("a user needs a role; one of: " + ", ".join(ROLES))
    unknown = [n for n in names if n not in ROLES]
    if unknown:
        raise ValueError(f"unknown role {unknown[0]!r}; expected one of: {', '.join(ROLES)}")
    admins = [n for n in names if ROLES[n].is_administrator]
    if admins and len(names) > 1:
        raise ValueError(
            f"三员分立: the administrator role {admins[0]!r} cannot be combined with another role "
            f"(got {', '.join(names)}); create a separate account"
        )
    return names


def roles_may_read(roles: Iterable[str], kind: str) -> bool:
    """Whether any of the roles reads the node kind."""
    return any(ROLES[r].reads(kind) for r in roles if r in ROLES)


def needs_second_factor(roles: Iterable[str]) -> bool:
    return any(ROLES[r].needs_second_factor for r in roles if r in ROLES)
