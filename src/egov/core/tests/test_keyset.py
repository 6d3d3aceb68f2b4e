"""Keyset cursors: a round trip, and every kind of foreign cursor refused."""

from __future__ import annotations

import datetime as dt

import pytest

from egov.core.keyset import CursorInvalid, cursor_decode, cursor_encode

AT = dt.datetime(2026, 11, 27, 8, 30, tzinfo=dt.UTC)


def test_round_trip() -> None:
    cursor = cursor_encode("log", "n", AT, 42)
    assert cursor_decode(cursor, "log") == ("n", AT, 42)
    assert cursor_decode(cursor_encode("log", "p", None, 7), "log") == ("p", None, 7)


@pytest.mark.parametrize(
    "cursor",
    [
        cursor_encode("other", "n", AT, 1),  # another list
        cursor_encode("log", "x", AT, 1),  # no such direction
        cursor_encode("log", "n", AT, 0),  # not an id
        cursor_encode("log", "n", AT.replace(tzinfo=None), 1),  # a naive time
        "not-base64!!",
        "A" * 301,
        "",
    ],
)
def test_foreign_cursors_are_refused(cursor: str) -> None:
    with pytest.raises(CursorInvalid):
        cursor_decode(cursor, "log")


def test_a_key_can_be_required() -> None:
    with pytest.raises(CursorInvalid):
        cursor_decode(cursor_encode("log", "n", None, 3), "log", require_key=True)
