"""Lists in pages: ``first`` (at most ``MAX_PAGE``) and ``after`` (an opaque cursor).

paginate(items, first=20, after=None)   # -> (page, total, PageInfo)
async def attendees(self, info: Info, first: First = DEFAULT_PAGE, after: After = None) -> Connection[…]
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import secrets
from collections.abc import Sequence
from typing import Annotated, Generic, TypeVar

import strawberry

from api.errors import BadUserInput

MAX_PAGE = 100
DEFAULT_PAGE = 20
T = TypeVar("T")

First = Annotated[
    int, strawberry.argument(description=f"每页条数 (page size): how many items the page holds, 0 to {MAX_PAGE}.")
]
After = Annotated[
    str | None,
    strawberry.argument(description="游标 (cursor): the previous page's pageInfo.endCursor; omit for the first page."),
]


@strawberry.type(description="Where a page ends, and whether more follow.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="是否还有下一页 (whether more items follow this page).")
    end_cursor: str | None = strawberry.field(
        description="本页末项游标 (cursor of the page's last item): pass it as `after` for the next page; "
        "null when the page is empty."
    )


@strawberry.type(description="One page of a list: `nodes`, the size of the whole list, and the cursor to go on.")
class Connection(Generic[T]):
    nodes: list[T] = strawberry.field(description="本页条目 (the items of this page), in the list's order.")
    total_count: int = strawberry.field(description="总数 (how many items the whole list holds, every page).")
    page_info: PageInfo = strawberry.field(description="分页信息 (where this page ends, and whether more follow).")


# Cursors are bound to the caller: another caller replaying one gets BAD_USER_INPUT (CONTRACT §4).
# Several app servers behind one load balancer share WENZE_CURSOR_KEY; else each process has its own.
_CURSOR_KEY = (os.environ.get("WENZE_CURSOR_KEY") or secrets.token_hex(32)).encode()


def _mac(offset: int) -> str:
    from api.context import current_caller

    who = current_caller().id
    return hmac.new(_CURSOR_KEY, f"{who}|{offset}".encode(), hashlib.sha256).hexdigest()[:16]


def _cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"o:{offset}:{_mac(offset)}".encode()).decode()


def _offset(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
        head, number, mac = text.split(":")
        if head != "o":
            raise ValueError(text)
        value = int(number)
        if value < 0 or not hmac.compare_digest(mac, _mac(value)):
            raise ValueError(text)
        return value
    except (ValueError, binascii.Error, UnicodeDecodeError) as e:
        raise BadUserInput(
            f"'after' is not a cursor this API gave you: {cursor!r}; pass pageInfo.endCursor of your own previous page"
        ) from e


def check_first(first: int, cap: int = MAX_PAGE, name: str = "first") -> int:
    if first < 0 or first > cap:
        raise BadUserInput(f"'{name}' must be between 0 and {cap} (got {first}); page through longer lists")
    return first


def page_bounds(total: int, first: int, after: str | None) -> tuple[int, int]:
    check_first(first)
    start = _offset(after) + 1 if after else 0
    return start, min(start + first, total)


def page_start(first: int, after: str | None) -> int:
    """Where the page ``first``/``after`` starts, for lists the engine pages itself (``page_info`` then)."""
    check_first(first)
    return _offset(after) + 1 if after else 0


def page_info(start: int, size: int, total: int) -> PageInfo:
    """The PageInfo of ``size`` items from ``start`` in a list of ``total``."""
    end = start + size
    return PageInfo(has_next_page=end < total, end_cursor=_cursor(end - 1) if size else None)


def paginate(items: Sequence[T], first: int, after: str | None) -> tuple[list[T], int, PageInfo]:
    start, end = page_bounds(len(items), first, after)
    page = list(items[start:end])
    info = PageInfo(has_next_page=end < len(items), end_cursor=_cursor(end - 1) if end > start else None)
    return page, len(items), info
