"""Accounts as policy: sign-in with lock-out and TOTP, sessions with timeouts, API tokens, user changes.

    accounts = Accounts(store, Policy.from_settings(settings), audit_log)
    user = accounts.add_user("zhang", "张三", ["inspector"], ["620100"], "Gansu-2023!", actor="cli")
    value, user = accounts.sign_in("zhang", "Gansu-2023!", totp_code=None, client="10.0.0.5")
    caller = accounts.caller_for_session(value)      # a Caller, or None (expired, ended, disabled)
    token = accounts.create_token("zhang", days=30)  # "wz_<id>_<secret>", shown once
    caller = accounts.caller_for_token(token)

Every change and every sign-in attempt is recorded in the audit log before it takes effect for the
caller (``AuditUnavailable`` propagates: the request is refused). Refusals raise ``SignInRefused``
with a message for the user that does not tell an unknown login from a wrong password.
"""

from __future__ import annotations

import math
import re
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from api.auth import credentials as cred
from api.auth.roles import ROLES, check_role_set, needs_second_factor
from api.auth.store import AccountExists, AccountMissing, AccountStore, Session, Token, User
from api.context import Caller, SignInMethod

if TYPE_CHECKING:
    from api.audit.log import AuditLog
    from api.settings import Settings

REGION_CODE = re.compile(r"^\d{6}$")
_TOUCH_EVERY = 30.0  # seconds: a session's last_seen is written at most this often


class SignInRefused(Exception):
    """A sign-in that did not succeed. ``reason`` is for the audit log; ``str(e)`` is for the user."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


class BadAccountInput(ValueError):
    """An account change with bad input (weak password, unknown role, bad region code)."""


@dataclass(frozen=True)
class Policy:
    idle_seconds: float = 30 * 60
    absolute_seconds: float = 12 * 3600
    lockout_failures: int = 5
    lockout_seconds: float = 30 * 60
    token_days: int = 90

    @classmethod
    def from_settings(cls, settings: Settings) -> Policy:
        return cls(
            settings.session_idle_minutes * 60.0,
            settings.session_absolute_hours * 3600.0,
            settings.lockout_failures,
            settings.lockout_minutes * 60.0,
            settings.token_days,
        )


def caller_of(user: User, method: SignInMethod) -> Caller:
    return Caller(
        id=user.id,
        name=user.name,
        login=user.login,
        roles=frozenset(user.roles),
        regions=frozenset(user.regions),
        method=method,
    )


def check_regions(regions: Iterable[str]) -> tuple[str, ...]:
    codes = tuple(dict.fromkeys(regions))
    bad = [c for c in codes if not REGION_CODE.match(c)]
    if bad:
        raise BadAccountInput(f"区划代码应为 6 位数字 a region code is 6 digits (GB/T 2260), got {bad[0]!r}")
    return codes


class Accounts:
    def __init__(
        self, store: AccountStore, policy: Policy, audit: AuditLog | None, clock: Callable[[], float] = time.time
    ) -> None:
        self.store = store
        self.policy = policy
        self.audit = audit
        self.clock = clock

    def _record(self, event: str, actor: str, **details: Any) -> None:
        if self.audit is not None:
            self.audit.event(event, actor, **details)

    def _user(self, login: str) -> User:
        user = self.store.user_by_login(login)
        if user is None:
            raise AccountMissing(f"没有登录名为 {login!r} 的用户 no user with login {login!r} (see `wenze user list`)")
        return user

    # ---- user administration (CLI; actor = who ran it)

    def add_user(
        self, login: str, name: str, roles: Iterable[str], regions: Iterable[str], password: str | None, actor: str
    ) -> User:
        if not re.fullmatch(r"[A-Za-z0-9._@-]{2,64}", login):
            raise BadAccountInput("登录名为 2–64 个字母、数字或 . _ @ - (a login is 2–64 letters, digits or . _ @ -)")
        try:
            role_names = check_role_set(roles)
        except ValueError as e:
            raise BadAccountInput(str(e)) from e
        codes = check_regions(regions)
        if not codes and any(not ROLES[r].is_administrator for r in role_names):
            raise BadAccountInput("业务角色须有管辖区划 a business role needs at least one --region CODE")
        digest = ""
        if password is not None:
            problems = cred.password_problems(password, login)
            if problems:
                raise BadAccountInput("；".join(problems))
            digest = cred.hash_password(password)
        if self.store.user_by_login(login) is not None:  # before the audit entry, which says it was added
            raise AccountExists(f"a user with login {login!r} already exists")
        now = self.clock()
        user = User(
            id=uuid.uuid4().hex,
            login=login,
            name=name,
            roles=role_names,
            regions=codes,
            password_hash=digest,
            created=now,
            password_changed=now if digest else 0.0,
        )
        self._record("user_added", actor, subject=login, roles=list(role_names), regions=list(codes))
        self.store.add_user(user)
        return user

    def set_password(self, login: str, password: str, actor: str) -> None:
        user = self._user(login)
        problems = cred.password_problems(password, login)
        if problems:
            raise BadAccountInput("；".join(problems))
        self._record("password_set", actor, subject=login)
        self.store.set_password_hash(user.id, cred.hash_password(password), self.clock())

    def disable(self, login: str, actor: str) -> int:
        """Disable the user and end every session at once (tokens stop: they check the user). Sessions ended."""
        user = self._user(login)
        self._record("user_disabled", actor, subject=login)
        self.store.set_disabled(user.id, True)
        return self.store.delete_sessions_of(user.id)

    def enable(self, login: str, actor: str) -> None:
        user = self._user(login)
        self._record("user_enabled", actor, subject=login)
        self.store.set_disabled(user.id, False)
        self.store.note_sign_in(user.id)  # a fresh start: no failures, no lock

    def grant(self, login: str, region: str, actor: str) -> tuple[str, ...]:
        user = self._user(login)
        (code,) = check_regions([region])
        regions = tuple(dict.fromkeys((*user.regions, code)))
        self._record("region_granted", actor, subject=login, region=code, regions=list(regions))
        self.store.set_regions(user.id, regions)
        return regions

    def revoke_region(self, login: str, region: str, actor: str) -> tuple[str, ...]:
        user = self._user(login)
        if region not in user.regions:
            raise BadAccountInput(f"{login} 没有区划 {region} (has {', '.join(user.regions) or 'none'})")
        regions = tuple(r for r in user.regions if r != region)
        self._record("region_revoked", actor, subject=login, region=region, regions=list(regions))
        self.store.set_regions(user.id, regions)
        return regions

    def enrol_totp(self, login: str, actor: str) -> str:
        """A new TOTP secret for the user; returns the otpauth URI (show it once)."""
        user = self._user(login)
        secret = cred.new_totp_secret()
        self._record("totp_enrolled", actor, subject=login)
        self.store.set_totp_secret(user.id, secret)
        return cred.totp_uri(secret, login)

    def create_token(self, login: str, days: int | None, actor: str, note: str = "") -> str:
        user = self._user(login)
        token = cred.new_api_token()
        now = self.clock()
        expires = now + 86400.0 * (days if days is not None else self.policy.token_days)
        self._record("token_created", actor, subject=login, token_id=token.id, expires=expires)
        self.store.add_token(Token(token.id, user.id, cred.secret_hash(token.secret), now, expires, False, note))
        return str(token)

    def revoke_token(self, token_id: str, actor: str) -> None:
        found = self.store.token_with_user(token_id)
        if found is None:
            raise AccountMissing(f"没有编号为 {token_id!r} 的令牌 no token with id {token_id!r}")
        self._record("token_revoked", actor, subject=found[1].login, token_id=token_id)
        self.store.revoke_token(token_id)

    # ---- signing in

    def sign_in(self, login: str, password: str, totp_code: str | None, client: str) -> tuple[str, User]:
        """A new session's cookie value and the user, or ``SignInRefused``."""
        now = self.clock()
        user = self.store.user_by_login(login)
        wrong = SignInRefused("登录名或密码错误 wrong login or password", "bad_credentials")
        if user is None:
            cred.verify_password(cred.dummy_hash(), password)  # same time as for a real login
            self._record("sign_in_failed", login or "-", client=client, reason="unknown_login")
            raise wrong
        if user.locked_until > now:
            minutes = max(1, math.ceil((user.locked_until - now) / 60))
            self._record("sign_in_failed", login, client=client, reason="locked")
            raise SignInRefused(
                f"账户已锁定，请 {minutes} 分钟后再试 the account is locked; try again in {minutes} min", "locked"
            )
        if user.disabled:
            cred.verify_password(cred.dummy_hash(), password)
            self._record("sign_in_failed", login, client=client, reason="disabled")
            raise wrong
        if not cred.verify_password(user.password_hash, password):
            self._fail(user, client, "bad_password", now)
            raise wrong
        second = needs_second_factor(user.roles) or bool(user.totp_secret)
        if second:
            if not user.totp_secret:
                self._record("sign_in_failed", login, client=client, reason="totp_not_enrolled")
                raise SignInRefused(
                    f"管理员账户须先绑定动态口令 this administrator must enrol TOTP first: wenze user totp {login}",
                    "totp_not_enrolled",
                )
            if not totp_code:
                self._record("sign_in_failed", login, client=client, reason="totp_required")
                raise SignInRefused("请输入动态口令 enter the 6-digit TOTP code", "totp_required")
            step = cred.totp_step(user.totp_secret, totp_code, now)
            if step is None or not self.store.advance_totp_step(user.id, step):
                self._fail(user, client, "bad_totp", now)
                raise SignInRefused("动态口令错误或已使用 wrong or already used TOTP code", "bad_totp")
        self._record("sign_in", login, client=client, method="password", second_factor=second)
        self.store.note_sign_in(user.id)
        if cred.needs_rehash(user.password_hash):
            self.store.set_password_hash(user.id, cred.hash_password(password), user.password_changed)
        value = cred.new_session_value()
        self.store.add_session(Session(cred.secret_hash(value), user.id, now, now, "password", client))
        return value, user

    def _fail(self, user: User, client: str, reason: str, now: float) -> None:
        after = self.store.note_failed_sign_in(user.id, now, self.policy.lockout_failures, self.policy.lockout_seconds)
        self._record("sign_in_failed", user.login, client=client, reason=reason)
        if after.locked_until > now:
            self._record(
                "locked_out", user.login, client=client, until=after.locked_until, failures=self.policy.lockout_failures
            )

    def sign_out(self, value: str, actor: str) -> None:
        self._record("sign_out", actor)
        self.store.delete_session(cred.secret_hash(value))

    def caller_for_session(self, value: str) -> Caller | None:
        """The caller of a live session cookie, or None (unknown, ended, timed out, disabled user)."""
        id_hash = cred.secret_hash(value)
        found = self.store.session_with_user(id_hash)
        if found is None:
            return None
        session, user = found
        now = self.clock()
        if (
            user.disabled
            or now - session.created > self.policy.absolute_seconds
            or now - session.last_seen > self.policy.idle_seconds
        ):
            self.store.delete_session(id_hash)
            return None
        if now - session.last_seen > _TOUCH_EVERY:
            self.store.touch_session(id_hash, now)
        return caller_of(user, "password")

    def caller_for_token(self, text: str) -> Caller | None:
        """The caller of a ``wz_<id>_<secret>`` API token, or None (unknown, wrong, expired, revoked, disabled)."""
        parsed = cred.parse_api_token(text)
        if parsed is None:
            return None
        found = self.store.token_with_user(parsed[0])
        if found is None:
            return None
        token, user = found
        if (
            not cred.same_hash(token.secret_hash, cred.secret_hash(parsed[1]))
            or token.revoked
            or token.expires <= self.clock()
            or user.disabled
        ):
            return None
        return caller_of(user, "token")

    def purge_sessions(self) -> int:
        now = self.clock()
        return self.store.delete_sessions_before(now - self.policy.absolute_seconds, now - self.policy.idle_seconds)
