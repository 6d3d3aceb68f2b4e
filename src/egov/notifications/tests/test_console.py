"""The notifications console: the delivery log, templates, opt-outs and the bell.

Rules checked: the admin screens need the notifications permissions (system admins; a
desk clerk gets the 403 page), every refusal is a 4xx with a Vietnamese message and the
typed text kept, the bell shows only one's own notifications (anyone else's is a 404),
and the pages read the log with a constant number of queries.
"""

from __future__ import annotations

import itertools
import json
import re
from typing import Any

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from egov.core.audit.models import AuditEvent
from egov.notifications import services
from egov.notifications.constants import Channel, MessageStatus
from egov.notifications.contracts import Recipient, Related
from egov.notifications.models import DeliveryAttempt, Message, OptOut, TemplateOverride
from egov.notifications.tests.factories import CONTEXT, citizen
from egov.organizations.facade import Role, position_assign
from egov.organizations.tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db

_keys = itertools.count(1)

LOG = reverse("egov_notifications:log")
TEMPLATES = reverse("egov_notifications:templates")
OPTOUTS = reverse("egov_notifications:optouts")
BELL = reverse("egov_notifications:bell")


def make_staff(role: str, agency: Any, **kwargs: Any) -> Any:
    user = UserFactory(staff=True, **kwargs)
    position_assign(actor=None, user=user, role=role, agency=agency)
    return user


@pytest.fixture
def agency(db):  # type: ignore[no-untyped-def]
    return AgencyFactory()


@pytest.fixture
def admin(agency):  # type: ignore[no-untyped-def]
    return make_staff(Role.SYSTEM_ADMIN, agency, username="qtht")


@pytest.fixture
def clerk(agency):  # type: ignore[no-untyped-def]
    return make_staff(Role.DESK_CLERK, agency, username="motcua")


@pytest.fixture
def admin_client(client, admin):  # type: ignore[no-untyped-def]
    client.force_login(admin)
    return client


def text(response: Any) -> str:
    return str(response.content.decode())


def notify(recipient: Recipient | None = None, **kwargs: Any) -> list[Message]:
    result = services.notify(
        kwargs.pop("event", "tests.hello"),
        [recipient or citizen()],
        kwargs.pop("context", CONTEXT),
        dedupe_key=f"console:{next(_keys)}",
        **kwargs,
    )
    return list(Message.objects.filter(pk__in=result.queued + result.skipped))


def sms(**fields: Any) -> Message:
    """A queued SMS to the test citizen, then put in the state ``fields`` say."""
    message = next(m for m in notify(citizen(email="")) if m.channel == Channel.SMS)
    if fields:
        Message.objects.filter(pk=message.pk).update(**fields)
        message.refresh_from_db()
    return message


def failed_sms() -> Message:
    message = sms(
        status=MessageStatus.FAILED,
        attempts=2,
        provider="vnpt",
        failed_at=timezone.now(),
        error="Số thuê bao không tồn tại",
    )
    DeliveryAttempt.objects.create(
        message=message,
        number=1,
        provider="vnpt",
        started_at=timezone.now(),
        duration_ms=312,
        outcome="transient",
        error="Hết thời gian chờ",
        detail="HTTP 504",
    )
    return message


def inapp(user: Any, **kwargs: Any) -> Message:
    recipient = Recipient(name="Cán bộ", user_id=user.pk, channels=frozenset({Channel.INAPP}))
    return notify(recipient, **kwargs)[0]


def detail_url(message: Message) -> str:
    return reverse("egov_notifications:message", args=[message.uuid])


def edit_url(event: str = "tests.hello", channel: str = "sms", language: str = "vi") -> str:
    return reverse("egov_notifications:template_edit", args=[event, channel, language])


def menu(client: Any, user: Any) -> dict[str, str]:
    """``{name: label}`` of the sidebar menu items (Wagtail renders them as JSON)."""
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    match = re.search(
        r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>',
        text(response),
        re.S,
    )
    assert match
    items: dict[str, str] = {}

    def walk(node: Any) -> None:
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


# --- menu and permissions ----------------------------------------------------------------------


def test_menu_for_a_system_admin_and_for_a_clerk(client, admin, clerk) -> None:  # type: ignore[no-untyped-def]
    items = menu(client, admin)
    assert items["notifications"] == "Thông báo"
    assert items["notifications-log"] == "Nhật ký gửi"
    assert items["notifications-templates"] == "Mẫu thông báo"
    assert items["notifications-optouts"] == "Từ chối nhận"
    assert items["my-notifications"] == "Thông báo của tôi"
    items = menu(client, clerk)
    assert "notifications" not in items and "notifications-log" not in items
    assert items["my-notifications"] == "Thông báo của tôi"


def test_a_desk_clerk_gets_the_403_page_on_every_admin_screen(client, clerk) -> None:  # type: ignore[no-untyped-def]
    message = failed_sms()
    client.force_login(clerk)
    for url in (LOG, detail_url(message), TEMPLATES, edit_url(), OPTOUTS):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "chỉ dành cho quản trị hệ thống" in text(response)
        assert "0905" not in text(response)
    posts = [
        reverse("egov_notifications:resend", args=[message.uuid]),
        reverse("egov_notifications:template_reset", args=["tests.hello", "sms", "vi"]),
        OPTOUTS,
    ]
    for url in posts:
        assert client.post(url, {"channel": "sms", "address": "0905123456"}).status_code == 403
    assert Message.objects.count() == 1
    assert not OptOut.objects.exists()


def test_a_superuser_opens_everything(client) -> None:  # type: ignore[no-untyped-def]
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(root)
    for url in (LOG, TEMPLATES, OPTOUTS, BELL):
        assert client.get(url).status_code == 200, url


def test_signed_out_is_sent_to_the_login_page(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get(LOG)
    assert response.status_code == 302
    assert "login" in response["Location"]


# --- the delivery log --------------------------------------------------------------------------


def test_log_lists_messages_with_their_facts(admin_client) -> None:  # type: ignore[no-untyped-def]
    notify(related=Related("dossier", "000.21.03.T99-261127-0001"))
    response = admin_client.get(LOG)
    assert response.status_code == 200
    page = text(response)
    assert "Sự kiện thử" in page
    assert "Nguyễn Thị Đào" in page
    assert "0905 123 456" in page  # the phone in full: nothing masked for admins
    assert "dao.nguyen@example.vn" in page
    assert "Chờ gửi" in page
    assert "000.21.03.T99-261127-0001" in page
    assert timezone.localtime().strftime("%d/%m/%Y") in page


def test_log_filters(admin_client) -> None:  # type: ignore[no-untyped-def]
    failed = failed_sms()
    notify(citizen(name="Trần Văn Bình", phone="0912 000 111", email="binh@example.vn"))
    notify(
        citizen(name="Lê Thị Hoa", phone="", email="hoa@example.vn"),
        related=Related("dossier", "000.21.03.T99-261127-0009"),
    )

    def names(**query: str) -> set[str]:
        response = admin_client.get(LOG, query)
        assert response.status_code == 200, text(response)
        return set(re.findall(r'class="egov-notif-recipient">([^<]+)<br>', text(response)))

    assert names(status="failed") == {"Nguyễn Thị Đào"}
    assert names(q="0912.000.111") == {"Trần Văn Bình"}
    assert names(q="0905 123 456", status="failed") == {"Nguyễn Thị Đào"}
    assert names(channel="email") == {"Trần Văn Bình", "Lê Thị Hoa"}
    assert names(related="000.21.03.T99-261127-0009") == {"Lê Thị Hoa"}
    assert names(event="tests.code") == set()
    today = timezone.localtime().strftime("%d/%m/%Y")
    assert len(names(date_from=today, date_to=today)) == 3
    assert names(date_from="01/01/2020", date_to="02/01/2020") == set()
    # The summary line says how many failed in the last day and links to them.
    page = text(admin_client.get(LOG))
    assert "1 thông báo gửi không thành công trong 24 giờ qua" in page
    assert "?status=failed&amp;period=24" in page
    assert failed.uuid


def test_a_bad_date_is_shown_on_its_field_and_the_other_filters_apply(admin_client) -> None:  # type: ignore[no-untyped-def]
    failed_sms()
    notify(citizen(name="Trần Văn Bình", phone="0912 000 111", email=""))
    response = admin_client.get(LOG, {"date_from": "32/13/2026", "status": "failed"})
    assert response.status_code == 400
    page = text(response)
    assert "Ngày không hợp lệ" in page
    assert 'value="32/13/2026"' in page  # what was typed stays in the box
    assert "Nguyễn Thị Đào" in page and "Trần Văn Bình" not in page
    response = admin_client.get(LOG, {"date_from": "02/01/2026", "date_to": "01/01/2026"})
    assert response.status_code == 400
    assert "phải sau hoặc trùng" in text(response)


def test_log_pages_and_a_cursor_that_is_not_ours(admin_client) -> None:  # type: ignore[no-untyped-def]
    for _ in range(30):
        sms()
    response = admin_client.get(LOG)
    page = text(response)
    assert page.count('class="title"') == 30  # fewer than a page
    response = admin_client.get(LOG, {"cursor": "garbage"})
    assert response.status_code == 200
    assert "Liên kết phân trang không hợp lệ" in text(response)


@override_settings(EGOV_SMS_ASCII=True)
def test_log_page_reads_a_constant_number_of_queries(admin_client) -> None:  # type: ignore[no-untyped-def]
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert admin_client.get(LOG).status_code == 200
        return len(ctx.captured_queries)

    admin_client.get(LOG)  # warm-up (session, permissions cache)
    notify()
    few = count()
    for _ in range(20):
        notify(citizen(user_id=None))
    many = count()
    assert few == many
    # One query for the table, one bounded count for the summary line, one for the bell.
    with CaptureQueriesContext(connection) as ctx:
        admin_client.get(LOG)
    log_queries = [q["sql"] for q in ctx.captured_queries if "notifications_message" in q["sql"]]
    assert len(log_queries) == 3, log_queries
    assert not any("OFFSET" in q.upper() for q in log_queries)


def test_message_page_shows_everything(admin_client) -> None:  # type: ignore[no-untyped-def]
    message = failed_sms()
    response = admin_client.get(detail_url(message))
    assert response.status_code == 200
    page = text(response)
    for expected in (
        "Sự kiện thử",
        "tests.hello",
        "Nguyễn Thị Đào",
        "0905 123 456",
        "+84905123456",
        "Gửi không thành công",
        "Số thuê bao không tồn tại",
        "Ho so 000.00.13.H49-261127-0001",
        "Mã hóa GSM-7, 1 phần tin.",
        "Hết thời gian chờ",
        "HTTP 504",
        "312",
        "Gửi lại",
    ):
        assert expected in page, expected


def test_a_sensitive_message_shows_no_body_and_no_resend(admin_client) -> None:  # type: ignore[no-untyped-def]
    message = notify(citizen(email=""), event="tests.code", context={"code": "482913"})[0]
    Message.objects.filter(pk=message.pk).update(status=MessageStatus.FAILED)
    page = text(admin_client.get(detail_url(message)))
    assert "482913" not in page
    assert "nội dung không hiển thị" in page
    assert reverse("egov_notifications:resend", args=[message.uuid]) not in page
    response = admin_client.post(reverse("egov_notifications:resend", args=[message.uuid]))
    assert response.status_code == 409
    assert "Chỉ gửi lại được" in text(response)
    assert Message.objects.count() == 1


def test_unknown_message_is_a_404(admin_client) -> None:  # type: ignore[no-untyped-def]
    response = admin_client.get(
        reverse("egov_notifications:message", args=["6f1c1b7e-8d4e-4a43-9f3e-2b1f4d7c9a11"])
    )
    assert response.status_code == 404


def test_resend_a_failed_message(admin_client, admin) -> None:  # type: ignore[no-untyped-def]
    message = failed_sms()
    response = admin_client.post(reverse("egov_notifications:resend", args=[message.uuid]))
    assert response.status_code == 302
    copy = Message.objects.get(resent_from=message)
    assert response["Location"] == detail_url(copy)
    assert copy.status == MessageStatus.QUEUED and copy.body == message.body
    assert AuditEvent.objects.filter(action="notifications.message.resend").count() == 1
    page = text(admin_client.get(response["Location"]))
    assert "Đã đưa thông báo vào hàng đợi gửi lại tới 0905 123 456." in page
    assert detail_url(message) in page  # "gửi lại từ"
    assert detail_url(copy) in text(admin_client.get(detail_url(message)))  # "các lần gửi lại"


def test_resend_refused_for_a_message_that_did_not_fail(admin_client) -> None:  # type: ignore[no-untyped-def]
    message = sms(status=MessageStatus.SENT)
    response = admin_client.post(reverse("egov_notifications:resend", args=[message.uuid]))
    assert response.status_code == 409
    assert "Chỉ gửi lại được thông báo gửi không thành công" in text(response)
    assert Message.objects.count() == 1
    assert (
        admin_client.get(reverse("egov_notifications:resend", args=[message.uuid])).status_code
        == 405
    )


def test_resend_needs_the_csrf_token(client, admin) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client

    message = failed_sms()
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(admin)
    response = strict.post(reverse("egov_notifications:resend", args=[message.uuid]))
    assert response.status_code == 403
    assert not Message.objects.filter(resent_from=message).exists()


def test_resend_refused_after_an_opt_out(admin_client) -> None:  # type: ignore[no-untyped-def]
    message = failed_sms()
    services.optout_add(channel=Channel.SMS, address="0905123456")
    response = admin_client.post(reverse("egov_notifications:resend", args=[message.uuid]))
    assert response.status_code == 409
    assert "đã từ chối nhận" in text(response)


# --- templates ---------------------------------------------------------------------------------


def test_template_list_shows_events_channels_and_languages(admin_client) -> None:  # type: ignore[no-untyped-def]
    TemplateOverride.objects.create(
        event="tests.hello",
        channel=Channel.EMAIL,
        language="vi",
        subject="S {code}",
        body="B",
        enabled=False,
    )
    page = text(admin_client.get(TEMPLATES))
    assert "Sự kiện thử" in page and "tests.hello" in page
    assert "Tin nhắn tổng hợp hằng ngày" in page or "Tin tổng hợp hằng ngày cho lãnh đạo" in page
    assert "Công dân, tổ chức" in page
    assert "Mẫu đã sửa" in page and "Mẫu mặc định" in page and "Dùng mẫu tiếng Việt" in page
    assert "Đang tắt" in page
    assert "Bắt buộc (không thể từ chối nhận)" in page  # tests.code
    assert edit_url("tests.hello", "email", "en") in page


def test_template_editor_opens_with_the_default_text_and_a_preview(admin_client) -> None:  # type: ignore[no-untyped-def]
    response = admin_client.get(edit_url())
    assert response.status_code == 200
    page = text(response)
    assert "Hồ sơ {code} đã được tiếp nhận, hẹn trả {due_date}." in page
    assert 'name="lock_version" value="-1"' in page
    assert "{code}" in page and "Mã hồ sơ" in page and "{agency}" in page  # placeholders
    assert "Hồ sơ 000.00.13.H49-261127-0001 đã được tiếp nhận" in page  # rendered sample
    assert 'name="subject"' not in page  # SMS has no subject


@override_settings(EGOV_SMS_ASCII=True)
def test_preview_counts_sms_as_typed_and_as_sent(admin_client) -> None:  # type: ignore[no-untyped-def]
    url = reverse("egov_notifications:template_preview", args=["tests.hello", "sms", "vi"])
    response = admin_client.post(
        url, {"body": "Hồ sơ {code} đã được tiếp nhận."}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    page = text(response)
    assert "<html" not in page  # a fragment for htmx
    typed = re.search(r'id="egov-sms-typed-count">(.*?)</p>', page, re.S)
    sent = re.search(r'id="egov-sms-sent-count">(.*?)</p>', page, re.S)
    assert typed and sent
    assert "UCS-2" in typed.group(1) and "<strong>50</strong>" in typed.group(1)
    assert "GSM-7" in sent.group(1) and "<strong>50</strong>" in sent.group(1)
    assert "Ho so 000.00.13.H49-261127-0001 da duoc tiep nhan." in page
    long_body = "Hồ sơ {code} " + "rất dài " * 20
    page = text(admin_client.post(url, {"body": long_body}))
    segments = re.findall(r"<strong data-segments>(\d+)</strong>", page)
    assert segments == ["3", "2"]  # UCS-2 as typed, GSM-7 once folded


@override_settings(EGOV_SMS_ASCII=False)
def test_preview_without_folding_shows_one_count(admin_client) -> None:  # type: ignore[no-untyped-def]
    url = reverse("egov_notifications:template_preview", args=["tests.hello", "sms", "vi"])
    page = text(admin_client.post(url, {"body": "Hồ sơ {code}"}))
    assert "egov-sms-sent-count" not in page
    assert "giữ nguyên dấu" in page


def test_preview_flags_an_unknown_placeholder(admin_client) -> None:  # type: ignore[no-untyped-def]
    url = reverse("egov_notifications:template_preview", args=["tests.hello", "email", "vi"])
    page = text(admin_client.post(url, {"subject": "Hồ sơ {ma_ho_so}", "body": "Xin chào"}))
    assert "Trường không có trong sự kiện này: {ma_ho_so}." in page


def test_the_no_script_preview_button_keeps_the_text(admin_client) -> None:  # type: ignore[no-untyped-def]
    response = admin_client.post(
        edit_url(), {"body": "Mới: {code}", "lock_version": "-1", "action": "preview"}
    )
    assert response.status_code == 200
    page = text(response)
    assert "Mới: {code}</textarea>" in page
    assert "Mới: 000.00.13.H49-261127-0001" in page
    assert not TemplateOverride.objects.exists()


def test_save_a_template(admin_client, admin) -> None:  # type: ignore[no-untyped-def]
    response = admin_client.post(
        edit_url("tests.hello", "email", "vi"),
        {
            "subject": "Hồ sơ {code}",
            "body": "Kính gửi ông/bà, hồ sơ {code} hẹn trả {due_date}.",
            "enabled": "on",
            "lock_version": "-1",
            "action": "save",
        },
    )
    assert response.status_code == 302
    override = TemplateOverride.objects.get(event="tests.hello", channel="email", language="vi")
    assert override.subject == "Hồ sơ {code}" and override.enabled
    assert override.updated_by == admin
    page = text(admin_client.get(response["Location"]))
    assert "Đã lưu mẫu thông báo." in page
    assert "Mẫu đã sửa" in page
    assert 'name="lock_version" value="0"' in page


def test_switch_a_channel_off(admin_client) -> None:  # type: ignore[no-untyped-def]
    response = admin_client.post(
        edit_url(), {"body": "Hồ sơ {code}.", "lock_version": "-1", "action": "save"}
    )
    assert response.status_code == 302
    assert TemplateOverride.objects.get().enabled is False
    assert "Đang tắt" in text(admin_client.get(TEMPLATES))


def test_an_invalid_placeholder_is_shown_on_the_field_and_the_text_kept(admin_client) -> None:  # type: ignore[no-untyped-def]
    typed = "Hồ sơ {ma_ho_so} đã xong"
    response = admin_client.post(
        edit_url(), {"body": typed, "enabled": "on", "lock_version": "-1", "action": "save"}
    )
    assert response.status_code == 422
    page = text(response)
    assert "Trường không có trong sự kiện này: {ma_ho_so}." in page
    assert f"{typed}</textarea>" in page
    assert not TemplateOverride.objects.exists()


def test_email_needs_a_subject_and_a_body(admin_client) -> None:  # type: ignore[no-untyped-def]
    response = admin_client.post(
        edit_url("tests.hello", "email", "vi"),
        {"subject": "", "body": "  ", "lock_version": "-1", "action": "save"},
    )
    assert response.status_code == 422
    page = text(response)
    assert "Thư điện tử cần có tiêu đề." in page
    assert "Nội dung không được để trống." in page


def test_a_stale_form_is_a_conflict_and_keeps_the_text(admin_client, admin) -> None:  # type: ignore[no-untyped-def]
    services.template_save(
        actor=admin,
        event="tests.hello",
        channel="sms",
        language="vi",
        subject="",
        body="Bản của người khác {code}",
        enabled=True,
        lock_version=None,
    )
    mine = "Bản của tôi {code}"
    response = admin_client.post(
        edit_url(), {"body": mine, "enabled": "on", "lock_version": "-1", "action": "save"}
    )
    assert response.status_code == 409
    page = text(response)
    assert "Mẫu này vừa được người khác sửa" in page
    assert f"{mine}</textarea>" in page
    assert "Bản của người khác {code}" in page
    assert 'name="lock_version" value="0"' in page  # saving again replaces their text
    assert TemplateOverride.objects.get().body == "Bản của người khác {code}"
    response = admin_client.post(
        edit_url(), {"body": mine, "enabled": "on", "lock_version": "0", "action": "save"}
    )
    assert response.status_code == 302
    override = TemplateOverride.objects.get()
    assert override.body == mine and override.lock_version == 1
    # A version older than the saved one is refused the same way.
    response = admin_client.post(
        edit_url(), {"body": "Cũ", "enabled": "on", "lock_version": "0", "action": "save"}
    )
    assert response.status_code == 409


def test_reset_to_the_default_text(admin_client, admin) -> None:  # type: ignore[no-untyped-def]
    services.template_save(
        actor=admin,
        event="tests.hello",
        channel="sms",
        language="vi",
        subject="",
        body="Sửa {code}",
        enabled=True,
        lock_version=None,
    )
    assert "Về mẫu mặc định" in text(admin_client.get(edit_url()))
    reset = reverse("egov_notifications:template_reset", args=["tests.hello", "sms", "vi"])
    response = admin_client.post(reset)
    assert response.status_code == 302
    assert not TemplateOverride.objects.exists()
    page = text(admin_client.get(response["Location"]))
    assert "Đã quay về mẫu mặc định." in page
    assert "Hồ sơ {code} đã được tiếp nhận" in page
    page = text(admin_client.get(admin_client.post(reset)["Location"]))
    assert "không có gì thay đổi" in page
    assert AuditEvent.objects.filter(action="notifications.template.reset").count() == 1


def test_an_english_template_starts_from_the_vietnamese_fallback(admin_client) -> None:  # type: ignore[no-untyped-def]
    page = text(admin_client.get(edit_url("tests.hello", "inapp", "en")))
    assert "Chưa có mẫu bằng ngôn ngữ này" in page
    assert "Hẹn trả {due_date}." in page


@pytest.mark.parametrize(
    "url",
    [
        edit_url("tests.nope", "sms", "vi"),
        edit_url("tests.code", "email", "vi"),  # not a channel of the event
        edit_url("tests.hello", "sms", "fr"),
        edit_url("tests.hello", "fax", "vi"),
    ],
)
def test_unknown_template_is_a_404(admin_client, url) -> None:  # type: ignore[no-untyped-def]
    assert admin_client.get(url).status_code == 404
    assert admin_client.post(url, {"body": "x", "lock_version": "-1"}).status_code == 404


# --- opt-outs ----------------------------------------------------------------------------------


def test_add_an_opt_out_with_a_phone_typed_the_usual_way(admin_client) -> None:  # type: ignore[no-untyped-def]
    response = admin_client.post(
        OPTOUTS, {"channel": "sms", "address": "0905 123 456", "note": "Gọi điện ngày 26/11"}
    )
    assert response.status_code == 302
    optout = OptOut.objects.get()
    assert optout.address == "+84905123456" and optout.source == "staff"
    page = text(admin_client.get(OPTOUTS))
    assert "0905 123 456 không nhận thông báo qua kênh “Tin nhắn SMS” nữa" in page
    assert "Gọi điện ngày 26/11" in page
    # The list filters by the address however it is typed.
    assert "0905 123 456" in text(admin_client.get(OPTOUTS, {"address": "+84905123456"}))
    assert "Không có địa chỉ nào phù hợp" in text(
        admin_client.get(OPTOUTS, {"channel": "email", "address": "0905123456"})
    )


def test_an_invalid_phone_is_shown_on_the_field(admin_client) -> None:  # type: ignore[no-untyped-def]
    response = admin_client.post(OPTOUTS, {"channel": "sms", "address": "0905-12", "note": "x"})
    assert response.status_code == 422
    page = text(response)
    field_errors = re.findall(r'class="error-message">\s*(.*?)\s*<', page, re.S)
    assert any("điện thoại" in error.lower() for error in field_errors), field_errors
    assert 'value="0905-12"' in page
    assert not OptOut.objects.exists()
    response = admin_client.post(OPTOUTS, {"channel": "inapp", "address": "user:1"})
    assert response.status_code == 422
    assert not OptOut.objects.exists()


def test_remove_an_opt_out_after_confirming(admin_client) -> None:  # type: ignore[no-untyped-def]
    services.optout_add(channel=Channel.SMS, address="0905123456")
    page = text(admin_client.get(OPTOUTS))
    confirm = (
        reverse("egov_notifications:optout_remove") + "?channel=sms&amp;address=%2B84905123456"
    )
    assert confirm in page
    response = admin_client.get(confirm.replace("&amp;", "&"))
    assert response.status_code == 200
    assert "Bỏ <strong>0905 123 456</strong> khỏi danh sách" in text(response)
    assert OptOut.objects.exists()  # nothing happens on GET
    response = admin_client.post(
        reverse("egov_notifications:optout_remove"),
        {"channel": "sms", "address": "+84905123456"},
    )
    assert response.status_code == 302
    assert not OptOut.objects.exists()
    assert "Đã bỏ 0905 123 456 khỏi danh sách" in text(admin_client.get(OPTOUTS))
    missing = admin_client.get(
        reverse("egov_notifications:optout_remove"), {"channel": "sms", "address": "0905123456"}
    )
    assert missing.status_code == 404
    bad = admin_client.post(
        reverse("egov_notifications:optout_remove"), {"channel": "sms", "address": "abc"}
    )
    assert bad.status_code == 422


# --- the bell ----------------------------------------------------------------------------------


def test_bell_count_in_the_menu_and_the_list(client, clerk, admin) -> None:  # type: ignore[no-untyped-def]
    first = inapp(clerk, link="https://dichvucong.example.vn/h/1")
    inapp(clerk)
    inapp(admin)  # someone else's
    assert menu(client, clerk)["my-notifications"] == "Thông báo của tôi (2)"
    response = client.get(BELL)
    assert response.status_code == 200
    page = text(response)
    assert page.count("egov-notif-item--unread") == 2
    assert "Bạn có <strong>2</strong> thông báo chưa đọc." in page
    assert 'href="https://dichvucong.example.vn/h/1"' in page
    assert "Hồ sơ 000.00.13.H49-261127-0001" in page
    assert reverse("egov_notifications:bell_read", args=[first.uuid]) in page
    # The dashboard panel lists them too.
    home = text(client.get(reverse("wagtailadmin_home")))
    assert "Thông báo mới" in home and "dichvucong.example.vn/h/1" in home


def test_bell_count_is_bounded(client, clerk) -> None:  # type: ignore[no-untyped-def]
    Message.objects.bulk_create(
        [
            Message(
                event="tests.hello",
                dedupe_key=f"many:{i}",
                channel=Channel.INAPP,
                address=f"user:{clerk.pk}",
                recipient_user=clerk,
                subject=f"Thông báo {i}",
                body="x",
                status=MessageStatus.SENT,
            )
            for i in range(120)
        ]
    )
    assert menu(client, clerk)["my-notifications"] == "Thông báo của tôi (99+)"
    page = text(client.get(BELL))
    assert page.count("egov-notif-item--unread") == 50  # one page
    assert 'rel="next"' in page


def test_one_bell_query_per_admin_page(client, clerk) -> None:  # type: ignore[no-untyped-def]
    inapp(clerk)
    client.force_login(clerk)
    client.get(BELL)
    for url in (BELL, reverse("wagtailadmin_home")):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts = [
            q["sql"]
            for q in ctx.captured_queries
            if "notifications_message" in q["sql"] and "COUNT" in q["sql"].upper()
        ]
        assert len(counts) == 1, counts


def test_mark_one_read_then_all(client, clerk) -> None:  # type: ignore[no-untyped-def]
    first, second, third = inapp(clerk), inapp(clerk), inapp(clerk)
    client.force_login(clerk)
    response = client.post(reverse("egov_notifications:bell_read", args=[first.uuid]))
    assert response.status_code == 302 and response["Location"] == BELL
    first.refresh_from_db()
    assert first.read_at is not None
    assert menu(client, clerk)["my-notifications"] == "Thông báo của tôi (2)"
    response = client.post(reverse("egov_notifications:bell_read_all"))
    assert response.status_code == 302
    assert not Message.objects.filter(recipient_user=clerk, read_at__isnull=True).exists()
    page = text(client.get(BELL))
    assert "Đã đánh dấu 2 thông báo là đã đọc." in page
    assert "Bạn đã đọc hết thông báo." in page
    assert "egov-notif-item--unread" not in page
    assert menu(client, clerk)["my-notifications"] == "Thông báo của tôi"
    assert "Thông báo mới" not in text(client.get(reverse("wagtailadmin_home")))
    assert second.uuid and third.uuid
    page = text(client.get(BELL, {"unread": "1"}))
    assert "Không có thông báo chưa đọc." in page


def test_someone_elses_notification_is_a_404(client, clerk, admin) -> None:  # type: ignore[no-untyped-def]
    theirs = inapp(admin)
    mine_sms = sms(recipient_user=clerk)  # an SMS is not a bell notification either
    client.force_login(clerk)
    for message in (theirs, mine_sms):
        response = client.post(reverse("egov_notifications:bell_read", args=[message.uuid]))
        assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert "Hồ sơ 000.00.13.H49" not in text(client.get(BELL))
    assert (
        client.get(reverse("egov_notifications:bell_read", args=[theirs.uuid])).status_code == 405
    )


def test_a_link_that_is_not_a_web_address_is_not_a_link(client, clerk) -> None:  # type: ignore[no-untyped-def]
    inapp(clerk, link="javascript:alert(1)")
    inapp(clerk, link="/admin/dossiers/")
    client.force_login(clerk)
    page = text(client.get(BELL))
    assert "javascript:" not in page
    assert 'href="/admin/dossiers/"' in page
