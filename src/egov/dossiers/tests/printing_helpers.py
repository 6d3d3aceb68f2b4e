"""Dossiers in the states each printed form needs, built through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from egov.dossiers import services
from egov.dossiers.tests.factories import Office, intake, receive

VN = ZoneInfo("Asia/Ho_Chi_Minh")
#: Monday 07/12/2026, 09:00 (a working day).
MONDAY = dt.datetime(2026, 12, 7, 9, 0, tzinfo=VN)
#: The re-appointment given in ``reappointed``: Friday 18/12/2026, 16:00.
NEW_DUE = dt.datetime(2026, 12, 18, 16, 0, tzinfo=VN)

COMPONENTS = [
    {"name": "Đơn đề nghị cấp giấy phép xây dựng", "originals": 1, "copies": 0},
    {"name": "Bản vẽ thiết kế xây dựng", "originals": 0, "copies": 2},
]


def act(
    actor: Any, dossier: Any, action: str, at: dt.datetime | None = None, **payload: Any
) -> Any:
    return services.dossier_act(
        actor=actor, code=dossier.code, action=action, payload=payload, at=at or MONDAY
    )


def received(office: Office, version: Any, **overrides: Any) -> Any:
    """Accepted at the desk on Monday 07/12/2026 09:00, with two components."""
    overrides.setdefault("components", [services.ComponentData(**c) for c in COMPONENTS])
    overrides.setdefault("subject", "Xin cấp phép xây dựng nhà ở tại thửa đất số 12")
    return receive(office, version, at=MONDAY, **overrides)


def returned(office: Office, version: Any) -> Any:
    """The whole path: desk → specialist (a supplement) → head → leader → clerk → return."""
    d = act(office.clerk, received(office, version), "forward", note="Chuyển thẩm định")
    d = act(
        office.specialist,
        d,
        "request_supplement",
        at=MONDAY + dt.timedelta(hours=2),
        reason="Thiếu bản vẽ mặt bằng",
        items="Bản vẽ mặt bằng tầng 1\n- Bản vẽ mặt cắt",
    )
    d = act(
        office.clerk,
        d,
        "supplement",
        at=MONDAY + dt.timedelta(days=1),
        note="Đã nộp bản vẽ",
        components=[{"name": "Bản vẽ mặt bằng tầng 1", "copies": 1}],
    )
    d = act(
        office.specialist,
        d,
        "forward",
        at=MONDAY + dt.timedelta(days=1, hours=2),
        note="Đủ điều kiện",
    )
    d = act(office.head, d, "forward", at=MONDAY + dt.timedelta(days=2))
    d = act(office.leader, d, "forward", at=MONDAY + dt.timedelta(days=2, hours=3))
    d = act(
        office.doc_clerk,
        d,
        "resolve",
        at=MONDAY + dt.timedelta(days=3),
        results=[{"name": "Giấy phép xây dựng", "document_number": "12/GPXD"}],
    )
    return act(office.clerk, d, "return_result", at=MONDAY + dt.timedelta(days=3, hours=2))


def awaiting_supplement(office: Office, version: Any) -> Any:
    d = act(office.clerk, received(office, version), "forward")
    return act(
        office.specialist,
        d,
        "request_supplement",
        at=MONDAY + dt.timedelta(hours=2),
        reason="Thiếu bản vẽ mặt bằng",
        items="Bản vẽ mặt bằng tầng 1\nBản vẽ mặt cắt",
    )


def incomplete_at_intake(office: Office, version: Any) -> Any:
    return services.dossier_receive(
        actor=office.clerk,
        data=intake(version),
        outcome="incomplete",
        reason="Đơn chưa có chữ ký",
        items="Đơn đề nghị có chữ ký của chủ đầu tư",
        at=MONDAY,
    )


def refused_at_intake(office: Office, version: Any) -> Any:
    return services.dossier_receive(
        actor=office.clerk,
        data=intake(version),
        outcome="refuse",
        reason="Thửa đất thuộc xã Bình Minh, không thuộc thẩm quyền",
        at=MONDAY,
    )


def reappointed(office: Office, version: Any) -> Any:
    d = act(office.clerk, received(office, version), "forward")
    return act(
        office.specialist,
        d,
        "reschedule",
        at=MONDAY + dt.timedelta(days=4),
        reason="Cần xác minh thực địa",
        new_due_at=NEW_DUE.isoformat(),
    )


def stopped(office: Office, version: Any) -> Any:
    d = act(office.clerk, received(office, version), "forward")
    d = act(
        office.clerk,
        d,
        "request_withdrawal",
        at=MONDAY + dt.timedelta(days=1),
        reason="Công dân xin rút hồ sơ",
    )
    return act(
        office.clerk,
        d,
        "stop",
        at=MONDAY + dt.timedelta(days=1, hours=1),
        reason="Dừng theo đề nghị của công dân",
    )
