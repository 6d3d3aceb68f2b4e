"""A citizen stops e-mail notices from the link in a message, then receives them again, on a
phone (the screenshots of docs/user-guide/tu-choi-nhan-thong-bao.md)."""

from __future__ import annotations

import pytest

from egov.notifications import services
from egov.notifications.channels import channel_get
from egov.notifications.constants import Channel
from egov.notifications.models import Message, OptOut
from egov.notifications.tests.factories import CONTEXT, citizen
from egov.notifications.unsubscribe import token_make
from tests.e2e.conftest import shoot

pytestmark = pytest.mark.django_db(transaction=True)

ADDRESS = "dao.nguyen@example.vn"


def test_the_notice_email_shows_the_opt_out_link(phone_page, settings) -> None:  # type: ignore[no-untyped-def]
    settings.DEFAULT_FROM_EMAIL = "UBND xã Hòa Tiến <thongbao@hoatien.example.vn>"
    services.notify(
        "tests.hello",
        [citizen(phone="")],
        CONTEXT,
        dedupe_key="e2e:mail",
        link="https://dichvucong.example.vn/tra-cuu-ho-so/?ma=000.00.13.H49-261127-0001",
    )
    message = Message.objects.get(dedupe_key="e2e:mail")
    built = channel_get(Channel.EMAIL).build(message)  # type: ignore[attr-defined]
    [(html, _mimetype)] = built.alternatives
    phone_page.set_content(str(html))
    assert phone_page.get_by_role("link", name="Xem chi tiết").is_visible()
    assert phone_page.get_by_role("link", name="Ngừng nhận thư thông báo").is_visible()
    shoot(phone_page, "thu-thong-bao-dien-thoai", full_page=True)


def test_citizen_stops_and_restarts_email_notices(phone_page) -> None:  # type: ignore[no-untyped-def]
    token = token_make(Channel.EMAIL, ADDRESS)
    phone_page.goto(f"/thong-bao/tu-choi/{token}/")
    main = phone_page.locator("main")
    assert "d***@example.vn" in main.inner_text()
    assert not OptOut.objects.exists()
    shoot(phone_page, "tu-choi-nhan-thu-xac-nhan", full_page=True)

    main.get_by_role("button", name="Ngừng nhận thư thông báo").click()
    phone_page.wait_for_load_state("networkidle")
    assert "Đã ngừng nhận thư thông báo" in main.inner_text()
    assert OptOut.objects.filter(channel=Channel.EMAIL, address=ADDRESS).exists()
    shoot(phone_page, "tu-choi-nhan-thu-xong", full_page=True)

    main.get_by_role("button", name="Nhận lại thư thông báo").click()
    phone_page.wait_for_load_state("networkidle")
    assert "Đã nhận lại thư thông báo" in main.inner_text()
    assert not OptOut.objects.exists()
    shoot(phone_page, "tu-choi-nhan-thu-nhan-lai", full_page=True)

    phone_page.goto("/thong-bao/tu-choi/lien-ket-hong/")
    assert "Liên kết không hợp lệ" in main.inner_text()
