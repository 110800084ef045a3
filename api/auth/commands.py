"""``wenze user …`` and ``wenze token …`` (CONTRACT §4), and the demonstration users of ``wenze demo``.

    wenze user add zhang --name 张三 --role inspector --region 620100 --password-stdin < pw.txt
    wenze user list | user disable LOGIN | user enable LOGIN
    wenze user grant LOGIN --region CODE | user revoke LOGIN --region CODE
    wenze user totp LOGIN              # prints the otpauth:// URI once (enrol it in an authenticator app)
    wenze token create LOGIN [--days N]  # prints wz_<id>_<secret> once; only its hash is kept
    wenze token revoke TOKEN_ID

Every change is written to the audit log first (as ``cli:<os user>``). Exit codes: 0 done,
1 bad input or no such user/token, 4 the audit log could not be written.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime

from api.audit.log import AuditLog
from api.auth.accounts import Accounts, BadAccountInput, Policy
from api.auth.roles import ROLES
from api.auth.store import AccountExists, open_account_store
from api.settings import Settings

DEMO_PASSWORD = "Wenze-Demo-2023"
# (login, name, role, region): each business role at the province, 兰州市 and 城关区 (GB/T 2260 codes).
_DEMO_PLACES = (("province", "甘肃省", "620000"), ("lanzhou", "兰州市", "620100"), ("chengguan", "城关区", "620102"))
DEMO_USERS = tuple(
    (f"{role}.{place}", f"演示 {ROLES[role].chinese}（{where}）", role, code)
    for role in ("inspector", "personnel", "auditor")
    for place, where, code in _DEMO_PLACES
)


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


@contextmanager
def open_accounts(settings: Settings) -> Iterator[Accounts]:
    store = open_account_store(settings)
    try:
        yield Accounts(store, Policy.from_settings(settings), AuditLog.from_settings(settings))
    finally:
        store.close()


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise BadAccountInput("no terminal to ask for the password: pass --password-stdin and pipe it in")
    first = getpass.getpass("密码 password: ")
    if getpass.getpass("再次输入 again: ") != first:
        raise BadAccountInput("两次输入的密码不一致 the passwords differ")
    return first


def _user_add(args: argparse.Namespace, accounts: Accounts) -> int:
    user = accounts.add_user(args.login, args.name, args.role, args.region or [], _read_password(args), actor())
    _say(f"已创建用户 created {user.login} ({', '.join(user.roles)}; regions {', '.join(user.regions) or '-'})")
    if any(ROLES[r].needs_second_factor for r in user.roles):
        _say(f"管理员须绑定动态口令 administrators need TOTP before signing in: wenze user totp {user.login}")
    return 0


def _user_list(args: argparse.Namespace, accounts: Accounts) -> int:
    now = accounts.clock()
    print(f"{'login':<24} {'name':<20} {'roles':<28} {'regions':<22} {'totp':<5} status")
    for u in accounts.store.users():
        roles = ",".join(f"{r}({ROLES[r].chinese})" if r in ROLES else r for r in u.roles)
        status = (
            "disabled"
            if u.disabled
            else (
                "locked until " + datetime.fromtimestamp(u.locked_until).strftime("%H:%M")
                if u.locked_until > now
                else "active"
            )
        )
        print(
            f"{u.login:<24} {u.name:<20} {roles:<28} {','.join(u.regions) or '-':<22} "
            f"{'yes' if u.totp_secret else 'no':<5} {status}"
        )
    return 0


def _user_disable(args: argparse.Namespace, accounts: Accounts) -> int:
    ended = accounts.disable(args.login, actor())
    _say(f"已停用 disabled {args.login}: {ended} session(s) ended; its tokens no longer work")
    return 0


def _user_enable(args: argparse.Namespace, accounts: Accounts) -> int:
    accounts.enable(args.login, actor())
    _say(f"已启用 enabled {args.login}")
    return 0


def _user_grant(args: argparse.Namespace, accounts: Accounts) -> int:
    regions = accounts.grant(args.login, args.region, actor())
    _say(f"{args.login}: regions now {', '.join(regions)}")
    return 0


def _user_revoke(args: argparse.Namespace, accounts: Accounts) -> int:
    regions = accounts.revoke_region(args.login, args.region, actor())
    _say(f"{args.login}: regions now {', '.join(regions) or '-'}")
    return 0


def _user_totp(args: argparse.Namespace, accounts: Accounts) -> int:
    uri = accounts.enrol_totp(args.login, actor())
    _say("请在身份验证器应用中添加（只显示这一次） add this to an authenticator app (shown once):")
    print(uri)
    return 0


def _user_password(args: argparse.Namespace, accounts: Accounts) -> int:
    accounts.set_password(args.login, _read_password(args), actor())
    _say(f"已设置密码 password set for {args.login}")
    return 0


def _token_create(args: argparse.Namespace, accounts: Accounts) -> int:
    token = accounts.create_token(args.login, args.days, actor())
    _say(f"API 令牌（只显示这一次） API token for {args.login} (shown once; send it as Authorization: Bearer …):")
    print(token)
    return 0


def _token_revoke(args: argparse.Namespace, accounts: Accounts) -> int:
    token_id = args.token_id.split("_")[1] if args.token_id.startswith("wz_") else args.token_id
    accounts.revoke_token(token_id, actor())
    _say(f"已吊销 revoked token {token_id}")
    return 0


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``user`` and ``token`` to the ``wenze`` parser; each sets ``accounts_run``."""
    user = sub.add_parser("user", help="manage users (add, list, disable, enable, grant, revoke, totp, password)")
    users = user.add_subparsers(dest="user_command", required=True)
    p = users.add_parser("add", help="create a user")
    p.add_argument("login")
    p.add_argument("--name", required=True)
    p.add_argument(
        "--role",
        required=True,
        action="append",
        choices=list(ROLES),
        help="inspector, personnel, auditor, admin, security_admin, audit_admin",
    )
    p.add_argument("--region", action="append", help="a GB/T 2260 code (repeat for several)")
    p.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    p.set_defaults(accounts_run=_user_add)
    users.add_parser("list", help="list users").set_defaults(accounts_run=_user_list)
    for name, run in (("disable", _user_disable), ("enable", _user_enable), ("totp", _user_totp)):
        p = users.add_parser(name, help=f"{name} a user")
        p.add_argument("login")
        p.set_defaults(accounts_run=run)
    p = users.add_parser("password", help="set a user's password")
    p.add_argument("login")
    p.add_argument("--password-stdin", action="store_true")
    p.set_defaults(accounts_run=_user_password)
    for name, run in (("grant", _user_grant), ("revoke", _user_revoke)):
        p = users.add_parser(name, help=f"{name} a jurisdiction")
        p.add_argument("login")
        p.add_argument("--region", required=True)
        p.set_defaults(accounts_run=run)
    token = sub.add_parser("token", help="API tokens (create, revoke)")
    tokens = token.add_subparsers(dest="token_command", required=True)
    p = tokens.add_parser("create", help="print a new API token once")
    p.add_argument("login")
    p.add_argument("--days", type=int, default=None, help="valid for N days (default WENZE_TOKEN_DAYS, 90)")
    p.set_defaults(accounts_run=_token_create)
    p = tokens.add_parser("revoke", help="revoke a token by its id")
    p.add_argument("token_id")
    p.set_defaults(accounts_run=_token_revoke)


def run_accounts_command(
    run: Callable[[argparse.Namespace, Accounts], int], args: argparse.Namespace, settings: Settings
) -> int:
    with open_accounts(settings) as accounts:
        return run(args, accounts)


def ensure_demo_users(settings: Settings) -> list[str]:
    """Create the demonstration users that do not exist yet; the logins created."""
    created = []
    with open_accounts(settings) as accounts:
        for login, name, role, region in DEMO_USERS:
            try:
                accounts.add_user(login, name, [role], [region], DEMO_PASSWORD, actor="demo")
            except AccountExists:
                continue
            created.append(login)
    return created


def demo_sign_in_help(host: str, port: int) -> str:
    logins = "\n".join(f"  {login:<22} {name}  (region {region})" for login, name, _, region in DEMO_USERS)
    return (
        f"登录 sign in at http://{host}:{port}/login with one of these demonstration users,\n"
        f"password 密码 {DEMO_PASSWORD} (demonstration only; never use it for real data):\n{logins}\n"
        f"Scripts: wenze token create inspector.province, then send Authorization: Bearer <token>."
    )
