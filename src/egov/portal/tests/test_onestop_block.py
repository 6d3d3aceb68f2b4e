"""The district home's on-time-rate block: shown from the public board, hidden without data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from egov.statistics.types import BoardFigures, BoardRow, Period, PublicBoard

pytestmark = pytest.mark.django_db


def _figures(rate: str | None, received: int, online: int) -> BoardFigures:
    return BoardFigures(
        received=received,
        received_online=online,
        resolved=received,
        resolved_on_time=received,
        on_time_rate=Decimal(rate) if rate is not None else None,
        rated=0,
        satisfaction_rate=None,
    )


def _board(year_rate: str | None) -> PublicBoard:
    today = dt.date(2026, 11, 27)
    return PublicBoard(
        today=today,
        periods={
            "month": Period(dt.date(2026, 11, 1), today),
            "quarter": Period(dt.date(2026, 10, 1), today),
            "year": Period(dt.date(2026, 1, 1), today),
        },
        agencies=[],
        sectors=[],
        total=BoardRow(
            kind="total",
            key=None,
            label="Tổng",
            level="",
            figures={
                "month": _figures(None, 0, 0),
                "quarter": _figures(year_rate, 40, 10),
                "year": _figures(year_rate, 369, 108),
            },
        ),
        rules={},
        generated_at=timezone.now(),
    )


@pytest.fixture
def portal(db: Any) -> Any:
    from egov.organizations.demo.builder import demo_seed
    from egov.portal.demo.builder import portal_seed

    demo_seed(force=True)
    portal_seed(force=True)


def test_the_block_shows_the_year_rate_with_a_link_to_the_board(client, portal, monkeypatch):
    monkeypatch.setattr("egov.statistics.facade.public_board", lambda: _board("92.20"))
    html = client.get("/").content.decode()
    assert "Kết quả giải quyết thủ tục hành chính" in html
    assert "92,2 %" in html and "năm 2026" in html
    assert "Tháng 11/2026" in html and "–" in html  # no resolved dossier this month yet
    assert "/cong-khai/ket-qua-giai-quyet/" in html


def test_the_block_is_hidden_without_resolved_dossiers(client, portal):
    # An empty database: the real board has no rate, so no block and no made-up 0 %.
    html = client.get("/").content.decode()
    assert "Kết quả giải quyết thủ tục hành chính" not in html


def test_a_communes_home_has_no_block(client, portal, monkeypatch):
    from egov.portal.models import PortalHomePage

    monkeypatch.setattr("egov.statistics.facade.public_board", lambda: _board("92.20"))
    commune = PortalHomePage.objects.filter(depth=3).first()
    assert commune is not None
    html = client.get(commune.url).content.decode()
    assert "Kết quả giải quyết thủ tục hành chính" not in html
