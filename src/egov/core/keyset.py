"""Opaque cursors for keyset pagination (no OFFSET, no COUNT over big tables).

A cursor names the list it belongs to (``scope``), the direction (``"n"`` next, ``"p"``
previous) and the last row seen: its sort key (an aware date-time, or none) and its id.
It is URL-safe base64 of a short JSON array; anything else (edited, from another list,
too long) raises ``CursorInvalid``, which the caller turns into its own 4xx message.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json

from django.utils import timezone

MAX_CURSOR_LENGTH = 300


class CursorInvalid(ValueError):
    """The cursor was not made by ``cursor_encode`` for this list."""


def cursor_encode(scope: str, direction: str, key: dt.datetime | None, pk: int) -> str:
    raw = json.dumps(
        [scope, direction, key.isoformat() if key is not None else None, pk],
        separators=(",", ":"),
    )
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def cursor_decode(
    cursor: str, scope: str, *, require_key: bool = False
) -> tuple[str, dt.datetime | None, int]:
    """``(direction, key, pk)`` of a cursor of ``scope``; ``CursorInvalid`` otherwise."""
    try:
        text = str(cursor).strip()
        if len(text) > MAX_CURSOR_LENGTH:
            raise ValueError(text)
        padded = text + "=" * (-len(text) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")).decode())
        name, direction, raw_key, pk = data
        if name != scope or direction not in ("n", "p"):
            raise ValueError(data)
        if not isinstance(pk, int) or isinstance(pk, bool) or not 0 < pk < 2**63:
            raise ValueError(pk)
        if raw_key is None and require_key:
            raise ValueError(raw_key)
        key = None
        if raw_key is not None:
            if not isinstance(raw_key, str):
                raise ValueError(raw_key)
            key = dt.datetime.fromisoformat(raw_key)
            if timezone.is_naive(key):
                raise ValueError(raw_key)
    except (ValueError, TypeError, UnicodeError, binascii.Error, json.JSONDecodeError) as exc:
        raise CursorInvalid(str(cursor)[:40]) from exc
    return direction, key, pk
