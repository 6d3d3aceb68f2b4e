"""The sync dashboard "Đồng bộ DVCQG": who sees what, filters, replay, inbound failures."""

from __future__ import annotations

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from egov.core.audit.models import AuditEvent
from egov.dossiers.tests.factories import make_staff, receive
from egov.dvcqg import services
from egov.dvcqg.constants import InboundStatus, ItemKind, ItemStatus
from egov.dvcqg.models import InboundDossier, SyncItem
from egov.dvcqg.tests.test_inbound import portal_dossier
from egov.organizations.facade import Role

VN = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY = dt.datetime(2026, 12, 7, 9, 0, tzinfo=VN)
HOME = reverse("egov_dvcqg:home")
INBOUND = reverse("egov_dvcqg:inbound_list")


@pytest.fixture
def failed(office, permit, portal, settings, django_capture_on_commit_callbacks):
    """Commune A's dossier failed to sync, commune B's went through."""
    settings.EGOV_DVCQG_MAX_ATTEMPTS = 1
    portal.fail_next(1, "refuse")
    with django_capture_on_commit_callbacks(execute=True):
        mine = receive(office, permit, at=MONDAY)
        theirs = services_receive_b(office, permit)
    return mine, theirs


def services_receive_b(office, permit):
    from egov.dossiers import services as dossier_services
    from egov.dossiers.tests.factories import intake

    return dossier_services.dossier_receive(
        actor=office.clerk_b,
        data=intake(permit, competent_agency_id=office.pc_b.pk),
        at=MONDAY,
    )


def item_of(dossier) -> SyncItem:
    return SyncItem.objects.get(dossier=dossier, kind=ItemKind.DOSSIER)


def test_system_admins_see_the_counts_and_every_item(client, office, failed):
    mine, theirs = failed
    client.force_login(office.sysadmin)
    page = client.get(HOME)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Đồng bộ DVCQG" in html
    assert mine.code in html and theirs.code in html
    assert "Gửi lại tất cả mục lỗi" in html
    counts = {c["status"]: c["count"] for c in page.context["counts"]}
    assert counts == {"pending": "1", "sending": "0", "done": "2", "failed": "1"}
    menu = client.get("/admin/").content.decode()
    assert HOME in menu


def test_unit_admins_see_their_units_items_only(client, office, failed):
    mine, theirs = failed
    admin_b = make_staff(Role.UNIT_ADMIN, office.pc_b, username="qtdv_b")
    client.force_login(admin_b)
    html = client.get(HOME).content.decode()
    assert theirs.code in html and mine.code not in html
    other = item_of(mine)
    assert client.get(reverse("egov_dvcqg:item", args=[other.uuid])).status_code == 404
    answer = client.post(reverse("egov_dvcqg:item_replay", args=[other.uuid]))
    assert answer.status_code == 404
    other.refresh_from_db()
    assert other.status == ItemStatus.FAILED
    # "Replay all" replays nothing of another unit.
    client.post(reverse("egov_dvcqg:replay_failed"))
    other.refresh_from_db()
    assert other.status == ItemStatus.FAILED


def test_others_get_the_403_page(client, office, failed):
    client.force_login(office.clerk)
    answer = client.get(HOME)
    assert answer.status_code == 403
    assert "chỉ dành cho quản trị hệ thống và quản trị đơn vị" in answer.content.decode()
    assert HOME not in client.get("/admin/").content.decode()
    item = item_of(failed[0])
    assert client.post(reverse("egov_dvcqg:item_replay", args=[item.uuid])).status_code == 403


def test_filters_and_bad_input(client, office, failed):
    mine, theirs = failed
    client.force_login(office.sysadmin)
    page = client.get(HOME, {"status": "failed"})
    assert [r["item"].dossier_id for r in page.context["rows"]] == [mine.pk]
    page = client.get(HOME, {"code": theirs.code, "kind": "timeline"})
    assert [r["item"].kind for r in page.context["rows"]] == ["timeline"]
    bad = client.get(HOME, {"date_from": "32/13/2026", "status": "failed"})
    assert bad.status_code == 400
    assert "ngày/tháng/năm" in bad.content.decode()
    assert [r["item"].dossier_id for r in bad.context["rows"]] == [mine.pk]
    assert client.get(HOME, {"status": "nonsense"}).status_code == 400
    cursor = client.get(HOME, {"cursor": "garbage"})
    assert cursor.status_code == 200
    assert "không hợp lệ" in cursor.content.decode()
    assert client.get(reverse("egov_dvcqg:item", args=[uuid.uuid4()])).status_code == 404
    assert client.get(HOME + "items/not-a-uuid/").status_code == 404


def test_keyset_pages(client, office, failed, monkeypatch):
    from egov.dvcqg import views

    monkeypatch.setattr(views, "PER_PAGE", 2)
    client.force_login(office.sysadmin)
    first = client.get(HOME)
    assert len(first.context["rows"]) == 2 and first.context["next_url"]
    second = client.get(HOME + first.context["next_url"])
    assert len(second.context["rows"]) == 2
    seen = {r["item"].pk for r in first.context["rows"] + second.context["rows"]}
    assert seen == set(SyncItem.objects.values_list("pk", flat=True))
    back = client.get(HOME + second.context["prev_url"])
    assert [r["item"].pk for r in back.context["rows"]] == [
        r["item"].pk for r in first.context["rows"]
    ]


def test_an_item_page_shows_the_payload_and_the_error_and_replays(
    client, office, failed, portal, django_capture_on_commit_callbacks
):
    mine, _ = failed
    item = item_of(mine)
    client.force_login(office.sysadmin)
    page = client.get(reverse("egov_dvcqg:item", args=[item.uuid]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Hệ thống đang bảo trì" in html and "&quot;MaHoSo&quot;" in html
    assert "Gửi lại" in html
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(reverse("egov_dvcqg:item_replay", args=[item.uuid]))
    assert answer.status_code == 302
    item.refresh_from_db()
    assert item.status == ItemStatus.DONE
    assert mine.code in portal.dossiers
    assert AuditEvent.objects.filter(action="dvcqg.item.replay").count() == 1
    again = client.post(reverse("egov_dvcqg:item_replay", args=[item.uuid]))
    assert again.status_code == 409
    assert "Chỉ gửi lại được" in again.content.decode()


def test_replay_all(client, office, failed, django_capture_on_commit_callbacks):
    client.force_login(office.sysadmin)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(reverse("egov_dvcqg:replay_failed"), follow=True)
    assert "Đã đưa 1 mục" in answer.content.decode()
    assert not SyncItem.objects.exclude(status=ItemStatus.DONE).exists()
    answer = client.post(reverse("egov_dvcqg:replay_failed"), follow=True)
    assert "Không có mục nào" in answer.content.decode()
    assert client.get(reverse("egov_dvcqg:replay_failed")).status_code == 405


def test_inbound_failures_are_listed_and_retried(
    client, office, permit, portal, django_capture_on_commit_callbacks
):
    portal.inbound = [portal_dossier(MaHoSo="X-1", MaCoQuanTiepNhan="000.21.09.T99")]
    services.pull_inbound()
    row = InboundDossier.objects.get()
    client.force_login(office.sysadmin)
    listing = client.get(INBOUND, {"status": "failed"})
    assert "X-1" in listing.content.decode()
    assert client.get(INBOUND, {"status": "bad"}).status_code == 400
    page = client.get(reverse("egov_dvcqg:inbound", args=[row.uuid]))
    assert "Không có cơ quan tiếp nhận mã “000.21.09.T99”" in page.content.decode()
    still = client.post(reverse("egov_dvcqg:inbound_retry", args=[row.uuid]))
    assert still.status_code == 422
    office.desk_a.code = "000.21.09.T99"
    office.desk_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(reverse("egov_dvcqg:inbound_retry", args=[row.uuid]))
    assert done.status_code == 302
    row.refresh_from_db()
    assert row.status == InboundStatus.CREATED
    assert client.post(reverse("egov_dvcqg:inbound_retry", args=[row.uuid])).status_code == 409
    # A unit admin elsewhere does not see it.
    client.force_login(make_staff(Role.UNIT_ADMIN, office.pc_b, username="qtdv_b"))
    assert client.get(reverse("egov_dvcqg:inbound", args=[row.uuid])).status_code == 404


def test_the_dashboard_reads_a_constant_number_of_queries(
    client,
    office,
    permit,
    failed,
    django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
):
    client.force_login(office.sysadmin)
    client.get(HOME)  # warm the session and the menus
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(HOME)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(4):
            receive(office, permit, at=MONDAY)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(HOME)
    assert len(page.context["rows"]) == 12
