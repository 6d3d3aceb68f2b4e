"""The audit viewer in the staff console: read-only, filtered, for permitted users only."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import NoReverseMatch, reverse

from egov.core.audit.models import AuditEvent
from egov.core.audit.tests.factories import AuditEventFactory, UserFactory, grant

pytestmark = pytest.mark.django_db

BACKEND = "django.contrib.auth.backends.ModelBackend"
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
INDEX = "/admin/audit/"


def _at(day: int, hour: int = 9) -> datetime:
    return datetime(2026, 11, day, hour, 0, tzinfo=HCM)


@pytest.fixture
def auditor(client):
    user = grant(UserFactory(), "wagtailadmin.access_admin", "audit.view_auditevent")
    client.force_login(user, backend=BACKEND)
    return user


@pytest.fixture
def events():
    return {
        "receive": AuditEventFactory(
            occurred_at=_at(3),
            actor_repr="motcua.an",
            action="dossiers.dossier.receive",
            object_type="dossiers.dossier",
            object_id="H01.26.001",
            object_repr="Hồ sơ H01.26.001",
            ip_address="203.0.113.7",
            after={"status": "received", "assignee": None},
        ),
        "approve": AuditEventFactory(
            occurred_at=_at(10),
            actor_repr="lanhdao.binh",
            action="dossiers.dossier.approve",
            object_type="dossiers.dossier",
            object_id="H01.26.002",
            object_repr="Hồ sơ H01.26.002",
            before={"status": "submitted", "note": "Đủ điều kiện"},
            after={"status": "approved", "note": "Đủ điều kiện"},
        ),
        "position": AuditEventFactory(
            occurred_at=_at(20),
            actor_repr="quantri.chi",
            action="organizations.position.assign",
            object_type="organizations.position",
            object_id="15",
            object_repr="Chuyên viên Phòng Tư pháp",
        ),
    }


def _rows(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def _listing(response) -> str:
    """Only the results table (the page also lists filter choices and shortcuts)."""
    html = _rows(response)
    start = html.find('<table class="listing">')
    return html[start : html.index("</table>", start)] if start >= 0 else ""


def test_admin_sees_the_list_newest_first(client, auditor, events):
    assert "Nhật ký hệ thống" in _rows(client.get(INDEX))
    html = _listing(client.get(INDEX))
    assert html.index("H01.26.002") < html.index("H01.26.001")  # newest first
    assert "09:00:00 03/11/2026" not in html  # dates are dd/mm/yyyy first
    assert "03/11/2026 09:00:00" in html  # local time, dd/mm/yyyy
    assert "Chuyên viên Phòng Tư pháp" in html


@pytest.mark.parametrize(
    ("params", "present", "absent"),
    [
        (
            {"occurred_at_from": "05/11/2026", "occurred_at_to": "15/11/2026"},
            ["H01.26.002"],
            ["H01.26.001", "Tư pháp"],
        ),
        ({"occurred_at_to": "03/11/2026"}, ["H01.26.001"], ["H01.26.002", "Tư pháp"]),
        ({"actor": "lanhdao"}, ["H01.26.002"], ["H01.26.001", "Tư pháp"]),
        ({"action": "dossiers.dossier.receive"}, ["H01.26.001"], ["H01.26.002", "Tư pháp"]),
        ({"object_type": "organizations.position"}, ["Tư pháp"], ["H01.26.001", "H01.26.002"]),
        ({"object_id": "H01.26.002"}, ["H01.26.002"], ["H01.26.001", "Tư pháp"]),
        ({"q": "Tư pháp"}, ["Tư pháp"], ["H01.26.001", "H01.26.002"]),
        ({"q": "approve"}, ["H01.26.002"], ["H01.26.001", "Tư pháp"]),
    ],
)
def test_filters_and_search(client, auditor, events, params, present, absent):
    html = _listing(client.get(INDEX, params))
    for text in present:
        assert text in html
    for text in absent:
        assert text not in html


def test_a_bad_date_does_not_break_the_page(client, auditor, events):
    listing = _listing(client.get(INDEX, {"occurred_at_from": "32/13/2026"}))
    assert "H01.26.001" in listing  # the filter is ignored, not a 500


def test_date_range_uses_the_local_day_boundaries(client, auditor):
    # 23:30 on 04/11 in Hà Nội is 16:30 UTC: it belongs to 04/11, not 05/11.
    AuditEventFactory(occurred_at=datetime(2026, 11, 4, 23, 30, tzinfo=HCM), object_id="KHUYA")
    AuditEventFactory(occurred_at=datetime(2026, 11, 5, 0, 30, tzinfo=HCM), object_id="SANGSOM")
    until_4th = _listing(client.get(INDEX, {"occurred_at_to": "04/11/2026"}))
    assert "KHUYA" in until_4th
    assert "SANGSOM" not in until_4th
    from_5th = _listing(client.get(INDEX, {"occurred_at_from": "05/11/2026"}))
    assert "SANGSOM" in from_5th
    assert "KHUYA" not in from_5th


def test_pagination(client, auditor):
    AuditEventFactory.create_batch(55, object_repr="Sự kiện lặp")
    first = _listing(client.get(INDEX))
    assert first.count("Sự kiện lặp") == 50
    second = _listing(client.get(INDEX, {"p": 2}))
    assert second.count("Sự kiện lặp") == 5


def test_detail_shows_before_and_after_as_a_table(client, auditor, events):
    event = events["approve"]
    url = reverse("audit:inspect", args=[event.pk])
    html = _rows(client.get(url))
    assert "dossiers.dossier.approve" in html
    assert "10/11/2026 09:00:00" in html
    assert "Dữ liệu trước và sau" in html
    assert "<code>status</code>" in html
    assert "submitted" in html
    assert "<strong>approved</strong>" in html  # changed value stands out
    assert re.search(r"Địa chỉ IP</dt>\s*<dd>\s*—\s*</dd>", html)  # no IP recorded
    assert "Đủ điều kiện" in html


def test_detail_for_an_unknown_id_is_404(client, auditor):
    assert client.get(reverse("audit:inspect", args=[999999])).status_code == 404


def test_list_links_to_the_detail(client, auditor, events):
    html = _rows(client.get(INDEX))
    assert reverse("audit:inspect", args=[events["position"].pk]) in html


def test_user_without_the_permission_is_turned_away(client, events):
    staff = grant(UserFactory(), "wagtailadmin.access_admin")
    client.force_login(staff, backend=BACKEND)
    response = client.get(INDEX)
    assert response.status_code in (302, 403)
    assert "H01.26.001" not in response.content.decode()
    detail = client.get(reverse("audit:inspect", args=[events["receive"].pk]))
    assert detail.status_code in (302, 403)
    assert "H01.26.001" not in detail.content.decode()
    # An id that does not exist answers alike: the refusal does not tell which ids exist.
    missing = client.get(reverse("audit:inspect", args=[999999]))
    assert missing.status_code == detail.status_code
    # Nor is the menu item shown.
    assert INDEX not in client.get("/admin/").content.decode()


def test_anonymous_is_sent_to_login(client, events):
    response = client.get(INDEX)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_menu_item_is_shown_to_the_auditor(client, auditor):
    assert INDEX in client.get("/admin/").content.decode()


@pytest.mark.parametrize("name", ["add", "edit", "delete", "copy", "history", "usage"])
def test_no_url_to_change_events_exists(name):
    with pytest.raises(NoReverseMatch):
        reverse(f"audit:{name}", args=[] if name == "add" else [1])


@pytest.mark.parametrize(
    "path", ["new/", "edit/{pk}/", "delete/{pk}/", "copy/{pk}/", "history/{pk}/"]
)
def test_change_paths_do_not_exist_even_for_a_superuser(client, events, path):
    superuser = UserFactory(is_superuser=True)
    client.force_login(superuser, backend=BACKEND)
    url = INDEX + path.format(pk=events["receive"].pk)
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "sua"}).status_code == 404
    assert AuditEvent.objects.get(pk=events["receive"].pk).action == "dossiers.dossier.receive"
    assert AuditEvent.objects.count() == 3


def test_list_and_detail_refuse_post(client, auditor, events):
    assert client.post(INDEX).status_code == 405
    detail = reverse("audit:inspect", args=[events["receive"].pk])
    assert client.post(detail).status_code == 405


def test_superuser_sees_no_add_edit_or_delete_button(client, events):
    client.force_login(UserFactory(is_superuser=True), backend=BACKEND)
    html = _rows(client.get(INDEX))
    detail = _rows(client.get(reverse("audit:inspect", args=[events["approve"].pk])))
    for page in (html, detail):
        assert "/admin/audit/new/" not in page
        assert "/admin/audit/edit/" not in page
        assert "/admin/audit/delete/" not in page
