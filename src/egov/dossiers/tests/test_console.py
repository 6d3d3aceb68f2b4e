"""The one-stop console: menu, worklists, the dossier page and every action through it.

Rules checked: one-stop roles only (403 page for others), a dossier outside the unit is a
404, each action works from its form and a bad input is a 4xx with a Vietnamese message
and the typed text kept; a stale form is a 409; nothing is ever a 500.
"""

import datetime as dt
import json
import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from egov.core.audit.models import AuditEvent
from egov.dossiers import services
from egov.dossiers.constants import Status
from egov.dossiers.models import Dossier
from egov.dossiers.tests.console_helpers import (
    PDF,
    act,
    action_url,
    at_head,
    at_specialist,
    awaiting_supplement,
    detail_url,
    other_applicant,
    queue_url,
    submitted,
)
from egov.dossiers.tests.factories import make_staff, receive
from egov.dossiers.views import queues
from egov.organizations.facade import Role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_badges():
    """The menu badges are cached per user id; ids are reused between tests."""
    cache.clear()


def text(response):
    return response.content.decode()


def post(client, user, dossier, action, data=None, **extra):
    """POST an action's form as the user, with the version the page showed."""
    dossier.refresh_from_db()
    client.force_login(user)
    body = {"expected_version": dossier.lock_version, **(data or {})}
    return client.post(action_url(dossier, action), body, **extra)


def refreshed(dossier):
    return Dossier.objects.get(pk=dossier.pk)


def _menu(client, user):
    """``{name: label}`` of the sidebar menu items (Wagtail renders them as JSON)."""
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    match = re.search(
        r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>',
        text(response),
        re.S,
    )
    items = {}

    def walk(node):
        if isinstance(node, dict):
            args = node.get("_args")
            if node.get("_type", "").startswith("wagtail.sidebar.") and args:
                first = args[0]
                if isinstance(first, dict) and "label" in first:
                    name = first["name"]
                    items[name["_val"] if isinstance(name, dict) else name] = first["label"]
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(match.group(1)))
    return items


# --- menu and access ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who", ["clerk", "specialist", "head", "leader", "doc_clerk", "clerk_b", "sysadmin"]
)
def test_menu_for_one_stop_roles(client, office, who):
    items = _menu(client, getattr(office, who))
    assert items["onestop"] == "Một cửa"
    assert items["onestop-my-step"] == "Đang ở bước của tôi"
    assert items["onestop-overdue"] == "Quá hạn"


def test_menu_shows_the_queues_of_the_role_with_counts(client, office, permit):
    receive(office, permit)
    receive(office, permit)
    clerk = _menu(client, office.clerk)
    assert clerk["onestop-my-step"] == "Đang ở bước của tôi (2)"
    assert "onestop-intake" in clerk  # the desk's intake screen, in the same menu
    assert clerk["onestop-to-accept"] == "Chờ tiếp nhận"
    assert "onestop-awaiting-my-approval" not in clerk
    specialist = _menu(client, office.specialist)
    assert "onestop-to-accept" not in specialist
    assert "onestop-ready-to-return" not in specialist
    head = _menu(client, office.head)
    assert head["onestop-awaiting-my-approval"] == "Chờ tôi phê duyệt"


def test_no_menu_and_403_without_a_one_stop_role(client, office, permit):
    admin = make_staff(Role.UNIT_ADMIN, office.pc_a, username="qtv")
    dossier = receive(office, permit)
    assert "onestop" not in _menu(client, admin)
    for url in (queue_url("my_step"), detail_url(dossier), reverse("egov_dossiers:home")):
        response = client.get(url)
        assert response.status_code == 403
        assert "Chỉ cán bộ Bộ phận Một cửa" in text(response)
    response = post(client, admin, dossier, "forward")
    assert response.status_code == 403
    assert refreshed(dossier).status == Status.RECEIVED


# --- worklists ---------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["clerk", "specialist", "head", "leader", "doc_clerk", "sysadmin"])
def test_every_queue_opens_for_every_role(client, office, permit, who):
    receive(office, permit)
    client.force_login(getattr(office, who))
    for slug in (
        "to_accept",
        "my_step",
        "due_today",
        "due_24h",
        "overdue",
        "awaiting_supplement",
        "awaiting_my_approval",
        "ready_to_return",
        "all",
    ):
        response = client.get(queue_url(slug))
        assert response.status_code == 200, slug
    assert client.get(reverse("egov_dossiers:home")).status_code == 302
    assert client.get(queue_url("everything")).status_code == 404


def test_queue_table_search_and_pages(client, office, permit):
    an = receive(office, permit)
    bich = receive(office, permit, applicant=other_applicant())
    client.force_login(office.clerk)
    response = client.get(queue_url("my_step"))
    body = text(response)
    for expected in (
        an.code,
        bich.code,
        "Nguyễn Văn An",
        "Trần Thị Bích",
        "Cấp giấy phép xây dựng",
        timezone.localtime(an.current_due_at).strftime("%d/%m/%Y %H:%M"),
        timezone.localtime(an.received_at).strftime("%d/%m/%Y %H:%M"),
        "Tiếp nhận, kiểm tra, số hóa hồ sơ",
        "Nguyễn Thị Hà",
        "Đã tiếp nhận",
    ):
        assert expected in body, expected
    assert 'aria-current="page">Đang ở bước của tôi <span class="egov-badge">2</span>' in body

    body = text(client.get(queue_url("my_step"), {"q": "tran thi bich"}))
    assert bich.code in body and an.code not in body
    body = text(client.get(queue_url("all"), {"q": "0905 123 456"}))
    assert an.code in body and bich.code not in body
    assert "Không có hồ sơ nào phù hợp." in text(client.get(queue_url("all"), {"q": "zzz"}))
    assert client.get(queue_url("all"), {"q": "a\x00b"}).status_code == 200


def test_queue_pages_follow_the_cursor(client, office, permit, monkeypatch):
    made = [receive(office, permit) for _ in range(3)]
    monkeypatch.setattr(queues, "PER_PAGE", 2)
    client.force_login(office.clerk)
    body = text(client.get(queue_url("all")))
    assert made[2].code in body and made[1].code in body and made[0].code not in body
    next_url = re.search(r'href="(\?cursor=[^"]+)" rel="next"', body).group(1)
    body = text(client.get(queue_url("all") + next_url.replace("&amp;", "&")))
    assert made[0].code in body and made[1].code not in body
    assert 'rel="prev"' in body and "Trang đầu" in body


def test_queue_page_does_not_grow_with_its_rows(client, office, permit):
    def queries(more):
        for _ in range(more):
            receive(office, permit)
        client.force_login(office.clerk)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(queue_url("my_step")).status_code == 200
        return len(ctx.captured_queries)

    queries(1)  # warm up the session and the menu
    assert queries(2) == queries(3)


@pytest.mark.parametrize("cursor", ["garbage", "Đ%%", "x" * 1000])
def test_garbage_cursor_shows_the_first_page(client, office, permit, cursor):
    dossier = receive(office, permit)
    client.force_login(office.clerk)
    response = client.get(queue_url("my_step"), {"cursor": cursor})
    assert response.status_code == 200
    body = text(response)
    assert dossier.code in body
    assert "Liên kết phân trang không hợp lệ" in body


def test_late_and_due_soon_rows_are_marked(client, office, permit):
    late = receive(office, permit)
    soon = receive(office, permit)
    now = timezone.now()
    Dossier.objects.filter(pk=late.pk).update(current_due_at=now - dt.timedelta(hours=1))
    Dossier.objects.filter(pk=soon.pk).update(current_due_at=now + dt.timedelta(minutes=30))
    client.force_login(office.clerk)
    body = text(client.get(queue_url("my_step")))
    assert body.count("egov-row-late") == 1 and body.count("egov-row-soon") == 1
    assert "Quá hạn</span>" in body and "Sắp đến hạn</span>" in body
    assert late.code in text(client.get(queue_url("overdue")))


# --- the dossier page --------------------------------------------------------------------------


def test_dossier_page_shows_the_whole_record(client, office, permit):
    dossier = at_head(office, permit)
    client.force_login(office.head)
    response = client.get(detail_url(dossier))
    assert response.status_code == 200
    body = text(response)
    local = timezone.localtime
    for expected in (
        dossier.code,
        "Đang xử lý",
        "4 – Đang xử lý",  # national status
        "1.009994 – Cấp giấy phép xây dựng nhà ở riêng lẻ",
        "Nguyễn Văn An",
        "049090001234",
        "0905 123 456",
        "Bộ phận Một cửa xã An Phú",
        "Ủy ban nhân dân xã An Phú",
        "Hạn trả theo quy định",
        local(dossier.due_at).strftime("%d/%m/%Y %H:%M"),
        "Hạn trả hiện tại",
        "Trưởng phòng xem xét, trình ký",  # step
        "Lãnh đạo phòng",  # its role
        "Diễn biến hồ sơ",
        "Tiếp nhận tại Bộ phận Một cửa",
        "Chuyển bước tiếp theo",
        "Trần Văn Minh",  # who forwarded to the head
        "Lệ phí cấp giấy phép xây dựng",
        "150.000",
        "Mẫu số 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
        reverse("egov_dossiers:form_pdf", args=[dossier.code, "receipt"]),
        'id="action-forward"',
        'id="action-send_back"',
        f'name="expected_version" value="{refreshed(dossier).lock_version}"',
    ):
        assert expected in body, expected
    assert 'id="action-accept"' not in body
    # Someone else of the unit sees the page, without the head's buttons.
    client.force_login(office.clerk)
    body = text(client.get(detail_url(dossier)))
    assert dossier.code in body and 'id="action-forward"' not in body


def test_dossier_outside_the_unit_is_404(client, office, permit):
    dossier = receive(office, permit)
    client.force_login(office.clerk_b)
    assert client.get(detail_url(dossier)).status_code == 404
    pdf = reverse("egov_dossiers:form_pdf", args=[dossier.code, "receipt"])
    assert client.get(pdf).status_code == 404
    response = post(client, office.clerk_b, dossier, "request_withdrawal", {"reason": "x"})
    assert response.status_code == 404
    assert refreshed(dossier).status == Status.RECEIVED
    client.force_login(office.clerk)
    assert client.get(detail_url(dossier).replace("-0001", "-9999")).status_code == 404
    assert client.get("/admin/dossiers/not-a-code/").status_code == 404


def test_attachment_links_and_printed_forms(client, office, permit):
    dossier = awaiting_supplement(office, permit)
    response = post(
        client,
        office.clerk,
        dossier,
        "supplement",
        {
            "name_1": "Bản vẽ mặt bằng tầng 1",
            "file_1": SimpleUploadedFile("mat-bang.pdf", PDF, content_type="application/pdf"),
            "name_2": "Giấy xác nhận (bản giấy)",
            "note": "Công dân nộp tại quầy",
        },
    )
    assert response.status_code == 302, text(response)
    dossier = refreshed(dossier)
    assert dossier.status == Status.IN_PROGRESS
    component = dossier.components.get(name="Bản vẽ mặt bằng tầng 1")
    attachment = component.attachments.get()
    assert component.from_supplement
    assert dossier.components.filter(name="Giấy xác nhận (bản giấy)").exists()
    body = text(client.get(detail_url(dossier)))
    assert attachment.get_download_url() in body and "mat-bang.pdf" in body
    assert "Mẫu số 02: Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ" in body
    assert "Tạm dừng thời hạn" in body and "Thiếu bản vẽ mặt bằng" in body

    response = client.get(reverse("egov_dossiers:form_pdf", args=[dossier.code, "receipt"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    # A form that does not fit the dossier: the page with the reason, 409.
    response = client.get(reverse("egov_dossiers:form_pdf", args=[dossier.code, "refusal"]))
    assert response.status_code == 409
    assert "Hồ sơ không bị từ chối tiếp nhận." in text(response)
    response = client.get(reverse("egov_dossiers:form_pdf", args=[dossier.code, "nothing"]))
    assert response.status_code == 404
    control = reverse("egov_dossiers:form_pdf", args=[dossier.code, "control"])
    response = client.get(control, {"basis": "tt01_2018"})
    assert response.status_code == 200
    assert "mau-05-control" in response["Content-Disposition"]
    response = client.get(control, {"basis": "tt99"})
    assert response.status_code == 409
    assert "Căn cứ biểu mẫu “tt99” không hợp lệ" in text(response)


def test_warning_banner_from_one_working_day_before(client, office, permit):
    dossier = at_specialist(office, permit)
    client.force_login(office.specialist)
    assert "Hồ sơ sắp đến hạn" not in text(client.get(detail_url(dossier)))
    now = timezone.now()
    Dossier.objects.filter(pk=dossier.pk).update(current_due_at=now + dt.timedelta(minutes=30))
    body = text(client.get(detail_url(dossier)))
    assert "Hồ sơ sắp đến hạn trả kết quả" in body
    assert "hẹn lại ngày trả" in body
    Dossier.objects.filter(pk=dossier.pk).update(current_due_at=now - dt.timedelta(minutes=30))
    body = text(client.get(detail_url(dossier)))
    assert "Hồ sơ đã quá hạn trả kết quả" in body
    assert 'id="action-reschedule"' in body


def test_online_submission_past_its_acceptance_deadline(client, office, permit):
    dossier = submitted(office, permit)
    Dossier.objects.filter(pk=dossier.pk).update(
        acceptance_due_at=timezone.now() - dt.timedelta(hours=1)
    )
    client.force_login(office.clerk)
    assert "Hồ sơ trực tuyến đã quá hạn tiếp nhận" in text(client.get(detail_url(dossier)))
    body = text(client.get(queue_url("to_accept")))
    assert dossier.code in body and "Quá hạn tiếp nhận" in body and "Hạn tiếp nhận" in body


# --- actions -----------------------------------------------------------------------------------


def assert_refused(response, status, message, *kept):
    body = text(response)
    assert response.status_code == status, body[:2000]
    assert message in body, message
    for value in kept:
        assert value in body, value


def test_accept_and_refuse_online_submissions(client, office, permit):
    dossier = submitted(office, permit)
    # Only the desk accepts: a specialist of the same unit gets a 403 with the reason.
    response = post(client, office.specialist, dossier, "accept", {"note": "đủ"})
    assert_refused(response, 403, "chỉ dành cho", "đủ")
    response = post(client, office.clerk, dossier, "accept", {"note": "Hồ sơ đầy đủ"})
    assert response.status_code == 302
    assert response["Location"] == detail_url(dossier)
    assert refreshed(dossier).status == Status.RECEIVED

    other = submitted(office, permit)
    response = post(client, office.clerk, other, "refuse", {"reason": ""})
    assert_refused(response, 400, "Thông tin chưa hợp lệ")
    response = post(client, office.clerk, other, "refuse", {"reason": "Không thuộc thẩm quyền"})
    assert response.status_code == 302
    assert refreshed(other).status == Status.REFUSED


def test_forward_send_back_and_reassign(client, office, permit):
    dossier = receive(office, permit)
    response = post(client, office.clerk, dossier, "forward", {"handler_id": "99999"})
    assert_refused(response, 400, "Thông tin chưa hợp lệ")
    response = post(
        client,
        office.clerk,
        dossier,
        "forward",
        {"handler_id": office.specialist.pk, "note": "Chuyển thẩm định"},
    )
    assert response.status_code == 302
    dossier = refreshed(dossier)
    assert dossier.handler == office.specialist

    response = post(client, office.specialist, dossier, "send_back", {"reason": "  "})
    assert_refused(response, 400, "Thông tin chưa hợp lệ")
    response = post(
        client, office.specialist, dossier, "send_back", {"reason": "Thiếu trang 2 bản vẽ"}
    )
    assert response.status_code == 302
    assert refreshed(dossier).handler == office.clerk

    act(office.clerk, dossier, "forward")
    second = make_staff(Role.SPECIALIST, office.pc_a, username="chuyenvien2")
    response = post(client, office.head, dossier, "reassign", {"handler_id": "abc"})
    assert_refused(response, 400, "Thông tin chưa hợp lệ")
    response = post(
        client, office.head, dossier, "reassign", {"handler_id": second.pk, "note": "Cân đối"}
    )
    assert response.status_code == 302, text(response)
    assert refreshed(dossier).handler == second


def test_opinions_asked_and_given(client, office, permit):
    dossier = at_specialist(office, permit)
    response = post(
        client,
        office.specialist,
        dossier,
        "request_opinions",
        {"agency_ids": [office.pc_b.pk], "question": "", "hours": "16", "mandatory": "on"},
    )
    assert_refused(response, 400, "Thông tin chưa hợp lệ")
    response = post(
        client,
        office.specialist,
        dossier,
        "request_opinions",
        {
            "agency_ids": [office.pc_b.pk],
            "question": "Có vướng quy hoạch không?",
            "hours": "16",
            "mandatory": "on",
        },
    )
    assert response.status_code == 302, text(response)
    # Forwarding before the mandatory answer: 409 with the agency named, input kept.
    response = post(client, office.specialist, dossier, "forward", {"note": "Chuyển tiếp"})
    assert_refused(response, 409, "Còn chờ ý kiến bắt buộc", "Chuyển tiếp")

    client.force_login(office.specialist_b)
    assert 'id="action-give_opinion"' in text(client.get(detail_url(dossier)))
    response = post(client, office.specialist_b, dossier, "give_opinion", {"answer": ""})
    assert_refused(response, 400, "Thông tin chưa hợp lệ")
    response = post(
        client, office.specialist_b, dossier, "give_opinion", {"answer": "Không vướng quy hoạch"}
    )
    assert response.status_code == 302
    assert dossier.opinions.get().answer == "Không vướng quy hoạch"


def test_supplement_requested_and_bad_file_refused(client, office, permit):
    dossier = at_specialist(office, permit)
    response = post(client, office.specialist, dossier, "request_supplement", {"reason": ""})
    assert_refused(response, 400, "Thông tin chưa hợp lệ")
    response = post(
        client,
        office.specialist,
        dossier,
        "request_supplement",
        {"reason": "Thiếu bản vẽ", "items": "Bản vẽ mặt cắt"},
    )
    assert response.status_code == 302
    assert refreshed(dossier).status == Status.AWAITING_SUPPLEMENT
    bad = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = post(
        client,
        office.clerk,
        dossier,
        "supplement",
        {"name_1": "Bản vẽ mặt cắt", "file_1": bad, "note": "Nộp tại quầy"},
    )
    assert_refused(response, 400, "Thông tin chưa hợp lệ", "Bản vẽ mặt cắt", "Nộp tại quầy")
    assert refreshed(dossier).status == Status.AWAITING_SUPPLEMENT


def test_payment_requested_and_confirmed(client, office, permit):
    dossier = at_specialist(office, permit)
    response = post(
        client, office.specialist, dossier, "request_payment", {"reason": "x", "amount": "-5"}
    )
    assert_refused(response, 400, "Thông tin chưa hợp lệ")
    response = post(
        client,
        office.specialist,
        dossier,
        "request_payment",
        {"reason": "Nộp lệ phí trước bạ", "items": "Lệ phí trước bạ", "amount": "500000"},
    )
    assert response.status_code == 302
    assert refreshed(dossier).status == Status.AWAITING_PAYMENT
    response = post(client, office.clerk, dossier, "confirm_payment", {"receipt_number": "x" * 80})
    assert_refused(response, 400, "Thông tin chưa hợp lệ")
    response = post(client, office.clerk, dossier, "confirm_payment", {"receipt_number": "BL-0001"})
    assert response.status_code == 302
    dossier = refreshed(dossier)
    assert dossier.status == Status.IN_PROGRESS and dossier.fee_paid


def test_withdrawal_declined_then_stopped(client, office, permit):
    dossier = at_specialist(office, permit)
    response = post(client, office.clerk, dossier, "request_withdrawal", {"reason": ""})
    assert_refused(response, 400, "Thông tin chưa hợp lệ")
    response = post(
        client, office.clerk, dossier, "request_withdrawal", {"reason": "Công dân xin rút"}
    )
    assert response.status_code == 302
    response = post(
        client, office.clerk, dossier, "decline_withdrawal", {"reason": "Đã ký kết quả"}
    )
    assert response.status_code == 302
    assert refreshed(dossier).status == Status.IN_PROGRESS
    act(office.clerk, dossier, "request_withdrawal", reason="Công dân xin rút lần nữa")
    # The specialist is neither the desk nor a manager: 403, the reason kept.
    response = post(client, office.specialist, dossier, "stop", {"reason": "Dừng theo đơn"})
    assert_refused(response, 403, "chỉ dành cho", "Dừng theo đơn")
    response = post(client, office.clerk, dossier, "stop", {"reason": "Dừng theo đơn"})
    assert response.status_code == 302
    assert refreshed(dossier).status == Status.STOPPED


def test_reschedule_once_only(client, office, permit):
    dossier = at_specialist(office, permit)
    due = timezone.localtime(refreshed(dossier).current_due_at)
    earlier = due - dt.timedelta(days=1)
    response = post(
        client,
        office.specialist,
        dossier,
        "reschedule",
        {
            "new_due_date": earlier.strftime("%d/%m/%Y"),
            "new_due_time": "16:30",
            "reason": "Chờ kết quả đo đạc",
        },
    )
    assert_refused(response, 422, "Ngày hẹn trả mới phải sau hạn hiện tại", "Chờ kết quả đo đạc")
    response = post(
        client,
        office.specialist,
        dossier,
        "reschedule",
        {"new_due_date": "31/02/2026", "new_due_time": "16:30", "reason": "x"},
    )
    assert_refused(response, 400, "Thông tin chưa hợp lệ")
    later_day = due + dt.timedelta(days=7)
    response = post(
        client,
        office.specialist,
        dossier,
        "reschedule",
        {
            "new_due_date": later_day.strftime("%d/%m/%Y"),
            "new_due_time": "16:30",
            "reason": "Chờ kết quả đo đạc",
        },
    )
    assert response.status_code == 302, text(response)
    dossier = refreshed(dossier)
    assert timezone.localtime(dossier.current_due_at).strftime("%d/%m/%Y %H:%M") == (
        f"{later_day:%d/%m/%Y} 16:30"
    )
    assert dossier.due_at == due  # the legal date stays
    body = text(client.get(detail_url(dossier)))
    assert 'id="action-reschedule"' not in body
    assert "Hẹn lại ngày trả" in body and "Chờ kết quả đo đạc" in body
    # A second attempt (a stale page still showing the form): refused, said clearly.
    response = post(
        client,
        office.specialist,
        dossier,
        "reschedule",
        {
            "new_due_date": (later_day + dt.timedelta(days=3)).strftime("%d/%m/%Y"),
            "new_due_time": "10:00",
            "reason": "Lần hai",
        },
    )
    assert_refused(response, 409, "chỉ được hẹn lại một lần", "Lần hai")


def test_resolve_and_return(client, office, permit):
    dossier = at_specialist(office, permit)
    response = post(client, office.specialist, dossier, "resolve", {"kind": "refused"})
    assert_refused(response, 422, "Hãy nhập lý do")
    response = post(
        client,
        office.specialist,
        dossier,
        "resolve",
        {"kind": "granted", "document_number": "25/GPXD", "signer": "Phạm Ngọc Dũng"},
    )
    assert response.status_code == 302, text(response)
    dossier = refreshed(dossier)
    assert dossier.status == Status.RESOLVED
    result = dossier.results.get()
    assert (result.name, result.document_number, result.document_code) == (
        "Giấy phép xây dựng",
        "25/GPXD",
        "KQ-GPXD",
    )
    client.force_login(office.clerk)
    assert dossier.code in text(client.get(queue_url("ready_to_return")))
    response = post(client, office.clerk, dossier, "return_result", {"note": "Đã trả tại quầy"})
    assert response.status_code == 302
    assert refreshed(dossier).status == Status.RETURNED
    # Returned: no more buttons; a replayed form is a 409.
    response = post(client, office.clerk, dossier, "return_result", {"note": "lại"})
    assert_refused(response, 409, "Không thể", "lại")


def test_transfer_to_another_agency(client, office, permit):
    dossier = at_specialist(office, permit)
    response = post(
        client,
        office.specialist,
        dossier,
        "transfer",
        {"agency_id": office.pc_b.pk, "hours": "1000", "note": "Xác minh"},
    )
    assert response.status_code == 422
    assert "Xác minh" in text(response)
    response = post(
        client,
        office.specialist,
        dossier,
        "transfer",
        {"agency_id": office.pc_b.pk, "hours": "8", "note": "Xác minh nguồn gốc đất"},
    )
    assert response.status_code == 302, text(response)
    sub = Dossier.objects.get(parent=dossier)
    body = text(client.get(detail_url(dossier)))
    assert "Hồ sơ liên thông" in body and sub.code in body
    client.force_login(office.specialist_b)
    assert client.get(detail_url(sub)).status_code == 200


def test_stale_form_is_409_and_keeps_the_typing(client, office, permit):
    dossier = at_specialist(office, permit)
    stale_version = refreshed(dossier).lock_version
    act(office.specialist, dossier, "request_opinions", agency_ids=[office.pc_b.pk], question="?")
    client.force_login(office.specialist)
    response = client.post(
        action_url(dossier, "forward"),
        {"expected_version": stale_version, "note": "Ý kiến của tôi: đồng ý"},
    )
    assert_refused(response, 409, "vừa được người khác cập nhật", "Ý kiến của tôi: đồng ý")
    fresh = refreshed(dossier).lock_version
    assert f'name="expected_version" value="{fresh}"' in text(response)
    assert refreshed(dossier).handler == office.specialist


def test_someone_else_moved_the_step(client, office, permit):
    dossier = receive(office, permit)
    version = refreshed(dossier).lock_version
    act(office.clerk, dossier, "forward")
    client.force_login(office.clerk)
    response = client.post(
        action_url(dossier, "forward"), {"expected_version": version + 1, "note": "lần 2"}
    )
    assert_refused(response, 409, "không ở bước của bạn", "lần 2")


def test_unknown_action_and_get_on_an_action(client, office, permit):
    dossier = receive(office, permit)
    client.force_login(office.clerk)
    assert client.post(action_url(dossier, "explode"), {}).status_code == 404
    response = client.get(action_url(dossier, "forward"))
    assert response.status_code == 302
    assert response["Location"] == f"{detail_url(dossier)}#action-forward"
    response = client.post(action_url(dossier, "forward"), {"expected_version": "abc"})
    assert_refused(response, 400, "Thông tin chưa hợp lệ")


def test_out_of_scope_action_is_audited_and_changes_nothing(client, office, permit):
    dossier = receive(office, permit)
    version = refreshed(dossier).lock_version
    response = post(client, office.specialist_b, dossier, "forward", {"note": "x"})
    assert response.status_code == 404
    assert refreshed(dossier).lock_version == version
    assert AuditEvent.objects.filter(
        action="dossiers.access_denied", object_id=str(dossier.pk)
    ).exists()


def test_full_path_through_the_console(client, office, permit):
    """Desk → specialist → head → leader → document clerk → desk, all from the pages."""
    dossier = receive(office, permit)
    for user in (office.clerk, office.specialist, office.head, office.leader):
        response = post(client, user, dossier, "forward", {"note": f"{user.username} xong"})
        assert response.status_code == 302, (user.username, text(response))
    assert refreshed(dossier).handler == office.doc_clerk
    response = post(
        client, office.doc_clerk, dossier, "resolve", {"kind": "granted", "document_number": "1"}
    )
    assert response.status_code == 302, text(response)
    response = post(client, office.clerk, dossier, "return_result", {})
    assert response.status_code == 302
    dossier = refreshed(dossier)
    assert dossier.status == Status.RETURNED
    client.force_login(office.clerk)
    body = text(client.get(detail_url(dossier)))
    assert body.count("Chuyển bước tiếp theo") >= 4
    assert "Trả kết quả" in body
    assert services.allowed_actions(actor=office.clerk, dossier=dossier) == []
