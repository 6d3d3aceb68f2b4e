"""Pushing dossiers to the national portal through the outbox (against the local double)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from egov.core.attachments.services import attachment_create
from egov.dossiers import services as dossier_services
from egov.dossiers.facade import ComponentData
from egov.dossiers.tests.factories import receive
from egov.dvcqg import services
from egov.dvcqg.constants import ItemKind, ItemStatus
from egov.dvcqg.errors import DvcqgError
from egov.dvcqg.models import SyncItem

VN = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY = dt.datetime(2026, 12, 7, 9, 0, tzinfo=VN)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def act(actor, dossier, action, **payload):
    return dossier_services.dossier_act(
        actor=actor, code=dossier.code, action=action, payload=payload, at=MONDAY
    )


def dossier_item(dossier) -> SyncItem:
    return SyncItem.objects.get(dossier=dossier, kind=ItemKind.DOSSIER)


def make_due() -> None:
    SyncItem.objects.filter(status=ItemStatus.PENDING).update(
        next_attempt_at=timezone.now() - dt.timedelta(seconds=1)
    )


def test_a_desk_intake_is_pushed_with_the_national_fields(
    office, permit, portal, django_capture_on_commit_callbacks
):
    upload = attachment_create(
        actor=office.clerk,
        uploaded_file=SimpleUploadedFile("don.pdf", PDF, content_type="application/pdf"),
        owner_type="accounts.user",
        owner_id=office.clerk.pk,
    )
    with django_capture_on_commit_callbacks(execute=True):
        d = receive(
            office,
            permit,
            at=MONDAY,
            components=[
                ComponentData(name="Đơn đề nghị", originals=1, attachment_uuids=[str(upload.uuid)])
            ],
        )
    assert portal.errors == []
    sent = portal.dossiers[d.code]
    assert sent["MaTTHC"] == "1.009994"
    assert sent["TenTTHC"] == "Cấp giấy phép xây dựng nhà ở riêng lẻ"
    assert sent["KenhThucHien"] == 1
    assert sent["TrangThaiHoSo"] == 2
    assert sent["LoaiDoiTuong"] == 1
    assert sent["ChuHoSo"] == "Nguyễn Văn An"
    assert sent["SoGiayToChuHoSo"] == "049090001234"
    assert sent["SoDienThoai"] == "0905123456"
    assert sent["NgayTiepNhan"] == "20261207090000"
    assert sent["NgayHenTra"] == d.current_due_at.astimezone(VN).strftime("%Y%m%d%H%M%S")
    assert sent["DonViXuLy"] == "Ủy ban nhân dân xã An Phú"
    assert sent["HoSoCoThanhPhanSoHoa"] == 1
    assert [f["Gia"] for f in sent["DanhSachLePhi"]] == [150000]
    (doc,) = sent["TaiLieuNop"]
    assert doc["TenTepDinhKem"] == "don.pdf" and doc["DuocSoHoa"] == 1
    assert doc["DuongDanTaiTepTin"].startswith("https://motcua.example.gov.vn/api/v1/dvcqg/files/")
    assert [line["NoiDungXuLy"] for line in portal.timeline] == ["Tiếp nhận tại Bộ phận Một cửa"]
    assert portal.timeline[0]["TrangThai"] == 2
    assert dossier_item(d).status == ItemStatus.DONE
    assert SyncItem.objects.get(kind=ItemKind.TIMELINE).status == ItemStatus.DONE
    assert portal.calls[:2] == [("POST", "/hoso/dongbo"), ("POST", "/hoso/tiendo")]


def test_the_signed_file_link_serves_the_file_and_nothing_else(
    office, permit, portal, client, settings, django_capture_on_commit_callbacks
):
    upload = attachment_create(
        actor=office.clerk,
        uploaded_file=SimpleUploadedFile("ban-ve.pdf", PDF, content_type="application/pdf"),
        owner_type="accounts.user",
        owner_id=office.clerk.pk,
    )
    with django_capture_on_commit_callbacks(execute=True):
        d = receive(
            office,
            permit,
            at=MONDAY,
            components=[ComponentData(name="Bản vẽ", attachment_uuids=[str(upload.uuid)])],
        )
    link = portal.dossiers[d.code]["TaiLieuNop"][0]["DuongDanTaiTepTin"]
    path = link.removeprefix("https://motcua.example.gov.vn")
    answer = client.get(path)
    assert answer.status_code == 200
    assert b"".join(answer.streaming_content) == PDF
    assert client.get(path[:-3] + "abc").status_code == 404
    assert client.get("/api/v1/dvcqg/files/not-a-token").status_code == 404
    settings.EGOV_DVCQG_FILE_LINK_DAYS = -1  # every link has expired
    assert client.get(path).status_code == 404


def test_status_changes_push_updates_and_coalesce_into_one_dossier_item(
    office, permit, portal, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        d = receive(office, permit, at=MONDAY)
    with django_capture_on_commit_callbacks(execute=True):
        d = act(office.clerk, d, "forward", handler_id=office.specialist.pk)
    assert portal.dossiers[d.code]["TrangThaiHoSo"] == 4
    with django_capture_on_commit_callbacks(execute=True):
        d = act(
            office.specialist,
            d,
            "request_supplement",
            reason="Thiếu bản vẽ",
            items="Bản vẽ mặt bằng",
        )
    sent = portal.dossiers[d.code]
    assert sent["TrangThaiHoSo"] == 5
    (asked,) = sent["DanhSachHoSoBoSung"]
    assert asked["NoiDungBoSung"] == "Thiếu bản vẽ\nBản vẽ mặt bằng"
    assert asked["NguoiYeuCauBoSung"] == "Trần Văn Minh"
    assert asked["TrangThaiBoSung"] == 1 and asked["NgayTiepNhanBoSung"] == ""
    with django_capture_on_commit_callbacks(execute=True):
        d = act(
            office.clerk,
            d,
            "supplement",
            note="Đã nộp bản vẽ",
            components=[{"name": "Bản vẽ mặt bằng"}],
        )
    sent = portal.dossiers[d.code]
    assert sent["TrangThaiHoSo"] == 4
    assert sent["DanhSachHoSoBoSung"][0]["TrangThaiBoSung"] == 2
    assert sent["DanhSachHoSoBoSung"][0]["NgayTiepNhanBoSung"] == "20261207090000"
    assert ("POST", "/hoso/capnhat") in portal.calls
    assert SyncItem.objects.filter(kind=ItemKind.DOSSIER).count() == 1
    assert dossier_item(d).generation == 4
    assert SyncItem.objects.filter(kind=ItemKind.TIMELINE, status=ItemStatus.DONE).count() == 4
    assert [line["TrangThai"] for line in portal.timeline] == [2, 4, 5, 4]
    assert portal.errors == []


def test_a_result_is_pushed_with_its_file_and_the_return(
    office, permit, portal, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        d = receive(office, permit, at=MONDAY)
        d = act(office.clerk, d, "forward", handler_id=office.specialist.pk)
        d = act(office.specialist, d, "forward")
        d = act(office.head, d, "forward")
        d = act(office.leader, d, "forward")
    upload = attachment_create(
        actor=office.doc_clerk,
        uploaded_file=SimpleUploadedFile("gpxd.pdf", PDF, content_type="application/pdf"),
        owner_type="accounts.user",
        owner_id=office.doc_clerk.pk,
    )
    with django_capture_on_commit_callbacks(execute=True):
        d = act(
            office.doc_clerk,
            d,
            "resolve",
            results=[
                {
                    "name": "Giấy phép xây dựng",
                    "document_number": "12/GPXD",
                    "attachment_uuids": [str(upload.uuid)],
                }
            ],
        )
        d = act(office.clerk, d, "return_result")
    sent = portal.dossiers[d.code]
    assert sent["TrangThaiHoSo"] == 10
    assert sent["NgayKetThucXuLy"] and sent["NgayTra"]
    (result,) = sent["DanhSachGiayToKetQua"]
    assert result["TenGiayTo"] == "Giấy phép xây dựng"
    assert result["DuongDanTepTinKetQua"].startswith(
        "https://motcua.example.gov.vn/api/v1/dvcqg/files/"
    )
    assert portal.errors == []


def test_a_failing_portal_is_retried_with_a_doubling_wait_then_failed_then_replayed(
    office, permit, portal, django_capture_on_commit_callbacks
):
    portal.fail_next(1, "500")
    portal.fail_next(1, "timeout")
    portal.fail_next(1, "refuse")
    with django_capture_on_commit_callbacks(execute=True):
        d = receive(office, permit, at=MONDAY)
    item = dossier_item(d)
    assert (item.status, item.attempts) == (ItemStatus.PENDING, 1)
    assert "HTTP 500" in item.last_error
    first_wait = (item.next_attempt_at - item.updated_at).total_seconds()
    assert 9 <= first_wait <= 11
    timeline = SyncItem.objects.get(kind=ItemKind.TIMELINE)
    assert timeline.status == ItemStatus.PENDING  # waits for its dossier

    # Not due yet: nothing is sent.
    calls = len(portal.calls)
    assert services.item_deliver(item_id=item.pk).status == ItemStatus.PENDING
    assert len(portal.calls) == calls

    make_due()
    outcome = services.item_deliver(item_id=item.pk)
    item.refresh_from_db()
    assert (item.status, item.attempts) == (ItemStatus.PENDING, 2)
    assert "không trả lời" in item.last_error
    assert 18 <= outcome.retry_in <= 22  # doubled

    make_due()
    services.item_deliver(item_id=item.pk)
    item.refresh_from_db()
    assert (item.status, item.attempts) == (ItemStatus.FAILED, 3)
    assert "Hệ thống đang bảo trì" in item.last_error
    assert item.payload["MaHoSo"] == d.code  # what we tried to send, for the dashboard
    # The timeline line is not pushed before its dossier.
    assert services.timeline_deliver(dossier_id=d.pk).status == "waiting"
    assert portal.timeline == []

    with django_capture_on_commit_callbacks(execute=True):
        services.item_replay(actor=office.sysadmin, item_id=item.pk, scope=SyncItem.objects.all())
    item.refresh_from_db()
    assert item.status == ItemStatus.DONE and item.last_error == ""
    timeline.refresh_from_db()
    assert timeline.status == ItemStatus.DONE
    assert len(portal.timeline) == 1 and portal.errors == []
    with pytest.raises(DvcqgError):
        services.item_replay(actor=office.sysadmin, item_id=item.pk, scope=SyncItem.objects.all())


def test_replay_all_failed(office, permit, portal, settings, django_capture_on_commit_callbacks):
    settings.EGOV_DVCQG_MAX_ATTEMPTS = 1
    portal.fail_next(2, "500")
    with django_capture_on_commit_callbacks(execute=True):
        first = receive(office, permit, at=MONDAY)
        second = receive(office, permit, at=MONDAY)
    assert SyncItem.objects.filter(kind=ItemKind.DOSSIER, status=ItemStatus.FAILED).count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        count = services.items_replay_failed(actor=office.sysadmin, scope=SyncItem.objects.all())
    assert count == 2
    assert set(portal.dossiers) == {first.code, second.code}
    assert not SyncItem.objects.exclude(status=ItemStatus.DONE).exists()


def test_after_a_restart_dispatch_takes_back_items_left_sending_and_lost_tasks(
    office, permit, portal, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "_deliver_later", lambda item_id: None)  # the broker lost them
    with django_capture_on_commit_callbacks(execute=True):
        d1 = receive(office, permit, at=MONDAY)
        d2 = receive(office, permit, at=MONDAY)
    assert portal.calls == []
    # d1's worker died while sending.
    SyncItem.objects.filter(dossier=d1, kind=ItemKind.DOSSIER).update(
        status=ItemStatus.SENDING,
        attempts=1,
        claimed_until=timezone.now() - dt.timedelta(minutes=1),
    )
    # A worker still sending d2 within its lease is left alone.
    SyncItem.objects.filter(dossier=d2, kind=ItemKind.DOSSIER).update(
        status=ItemStatus.SENDING,
        attempts=1,
        claimed_until=timezone.now() + dt.timedelta(minutes=4),
    )
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        queued = services.dispatch_due()
    assert queued == 1
    assert set(portal.dossiers) == {d1.code}
    assert dossier_item(d1).status == ItemStatus.DONE
    assert dossier_item(d2).status == ItemStatus.SENDING
    assert len(portal.timeline) == 1
    # Later the lease of d2 runs out too: the next dispatch pushes it.
    with django_capture_on_commit_callbacks(execute=True):
        services.dispatch_due(now=timezone.now() + dt.timedelta(minutes=5))
    assert set(portal.dossiers) == {d1.code, d2.code}
    assert portal.errors == []


def test_a_rolled_back_action_leaves_no_outbox_row(
    office, permit, portal, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        receive(office, permit, at=MONDAY)
        raise RuntimeError("the clerk's screen crashed")
    assert not SyncItem.objects.exists()
    assert portal.calls == []


def test_nothing_is_written_while_the_connector_is_off(
    office, permit, settings, django_capture_on_commit_callbacks
):
    settings.EGOV_DVCQG_ENABLED = False
    with django_capture_on_commit_callbacks(execute=True):
        receive(office, permit, at=MONDAY)
    assert not SyncItem.objects.exists()


def test_a_dossier_changed_while_it_was_sent_is_sent_again(
    office, permit, portal, monkeypatch, django_capture_on_commit_callbacks
):
    from egov.dvcqg import client

    with django_capture_on_commit_callbacks(execute=True):
        d = receive(office, permit, at=MONDAY)
    real = client.dossier_push

    def push_and_change(payload):
        answer = real(payload)
        # Another action committed while the portal was answering.
        services._dossier_item_bump(d.pk)
        monkeypatch.setattr(client, "dossier_push", real)
        return answer

    monkeypatch.setattr(client, "dossier_push", push_and_change)
    with django_capture_on_commit_callbacks(execute=True):
        act(office.clerk, d, "forward", handler_id=office.specialist.pk)
    item = dossier_item(d)
    assert item.status == ItemStatus.DONE
    assert item.sent_generation == item.generation == 3
    assert [c for c in portal.calls if c[1] != "/hoso/tiendo"].count(("POST", "/hoso/dongbo")) == 3


def test_lien_thong_sub_dossiers_are_not_pushed(
    office, permit, portal, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        d = receive(office, permit, at=MONDAY)
        d = act(office.clerk, d, "forward", handler_id=office.specialist.pk)
        d = act(office.specialist, d, "transfer", agency_id=office.pc_b.pk, hours=16)
    sub = d.sub_dossiers.get()
    assert not SyncItem.objects.filter(dossier=sub).exists()
    assert set(portal.dossiers) == {d.code}
    assert portal.timeline[-1]["NoiDungXuLy"].startswith("Chuyển liên thông")
    assert portal.errors == []
