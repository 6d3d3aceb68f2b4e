"""The one-stop shop in Chromium (issue 4: "Done when").

A desk clerk receives a building-permit dossier at the desk, prints the receipt, and the
dossier walks its whole internal process with the demo accounts: specialist (two parallel
steps), supplement asked and recorded, department head, leader, document clerk, back to
the desk, returned.  Then: another unit's clerk cannot open it, a stale form is refused
with a clear message, and the citizen's lookup on a phone shows no personal data.

Screenshots for the user guide (``docs/user-guide/mot-cua-*.md``) are taken on the way.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from egov.dossiers import services
from tests.e2e.conftest import login, shoot

pytestmark = pytest.mark.usefixtures("demo_data")

#: Cấp giấy phép xây dựng mới … nhà ở riêng lẻ: desk → specialist (two parallel steps) →
#: department head → leader → document clerk → desk.
PROCEDURE = "1.013225"
APPLICANT = "Trần Thị Bình Minh"
ID_NUMBER = "049190001234"
PHONE = "0905 123 456"
PHONE_DIGITS = "0905123456"
CODE_RE = re.compile(r"[A-Za-z0-9.]+-\d{6}-\d{4,}")
MOMENT_RE = re.compile(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}")
VN = ZoneInfo("Asia/Ho_Chi_Minh")
#: How long the citizen takes to bring the missing documents (the server's clock moves on).
SUPPLEMENT_AFTER = dt.timedelta(days=14)


@pytest.fixture
def catalogue(demo_data):  # type: ignore[no-untyped-def]
    call_command("seed_procedures", verbosity=0)


# --- helpers ---------------------------------------------------------------------------------


def full_name(username: str) -> str:
    user = get_user_model().objects.get(username=username)
    return str(user.get_full_name() or username)


def switch_user(page: Any, username: str) -> None:
    """Log out (drop the session) and log in as ``username``."""
    page.context.clear_cookies()
    login(page, username)


def follow(page: Any, target: Any) -> Any:
    """Click a link or a button, wait for the page it leads to and return its response."""
    with page.expect_navigation(wait_until="load") as navigation:
        target.click()
    return navigation.value


def open_menu(page: Any, section: str, item: str, *, screenshot: str = "") -> None:
    """Follow the console's sidebar from the page shown: ``section`` → ``item``."""
    page.get_by_role("button", name=section).first.click()
    link = page.get_by_role("link", name=re.compile(rf"^{re.escape(item)}")).first
    if screenshot:
        link.wait_for()
        page.wait_for_timeout(400)  # the menu slides open
        shoot(page, screenshot)
    follow(page, link)


def show(target: Any) -> None:
    """Scroll ``target`` to the top of the screen, just below the console's sticky header."""
    target.evaluate(
        "el => { el.style.scrollMarginTop = '5.5rem';"
        " el.scrollIntoView({block: 'start', behavior: 'instant'}); }"
    )


def inside(inner: Any, outer: Any) -> bool:
    """Is ``inner`` drawn within ``outer`` (e.g. a button's label within the button)?"""
    a, b = inner.bounding_box(), outer.bounding_box()
    assert a is not None and b is not None
    return bool(
        a["x"] >= b["x"]
        and a["y"] >= b["y"]
        and a["x"] + a["width"] <= b["x"] + b["width"] + 1
        and a["y"] + a["height"] <= b["y"] + b["height"] + 1
    )


def region(page: Any, heading: str) -> Any:
    """A section of the dossier page, by its heading."""
    return page.get_by_role("region", name=heading)


def fact(page: Any, term: str) -> str:
    """The value next to ``term`` in the dossier page's summary."""
    dt_ = region(page, "Thông tin hồ sơ").locator("dt", has_text=term).first
    return str(dt_.locator("xpath=following-sibling::dd[1]").inner_text()).strip()


def moment(text: str) -> dt.datetime:
    """The first ``dd/mm/yyyy HH:MM`` in ``text`` (Asia/Ho_Chi_Minh)."""
    found = MOMENT_RE.search(text)
    assert found, text
    return dt.datetime.strptime(found.group(0), "%d/%m/%Y %H:%M").replace(tzinfo=VN)


def action_form(page: Any, title: str) -> Any:
    """Open the action ``title`` on the dossier page and return its box."""
    box = page.locator("details").filter(has=page.locator("summary", has_text=title)).first
    if box.get_attribute("open") is None:
        box.locator("summary").click()
    return box


def act(page: Any, code: str, title: str, button: str, box: Any = None) -> None:
    """Send the action form ``title``; the dossier page says it was done."""
    box = box if box is not None else action_form(page, title)
    response = follow(page, box.get_by_role("button", name=button))
    assert response is not None and response.status == 200, response
    message = f"Đã thực hiện “{title}” cho hồ sơ {code}."
    assert page.get_by_text(message).count() == 1, region(page, "Thông tin hồ sơ").inner_text()


def open_from_queue(page: Any, queue: str, code: str) -> None:
    open_menu(page, "Một cửa", queue)
    follow(page, page.get_by_role("link", name=code))


def forward(page: Any, code: str) -> None:
    act(page, code, "Chuyển bước tiếp theo", "Chuyển bước tiếp theo")


# --- the whole path ----------------------------------------------------------------------------


def test_desk_to_result_through_every_step(
    page, catalogue, live_server, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    # 1. The desk receives the dossier: "Một cửa" → "Tiếp nhận hồ sơ", find the procedure.
    login(page, "demo.clerk")
    open_menu(page, "Một cửa", "Tiếp nhận hồ sơ")
    page.get_by_label("Tìm thủ tục").fill(PROCEDURE)
    with page.expect_navigation(wait_until="load"):
        page.keyboard.press("Enter")
    row = page.get_by_role("row").filter(has_text=PROCEDURE)
    assert "giấy phép xây dựng" in row.inner_text().lower()
    shoot(page, "mot-cua-tiep-nhan-tim-thu-tuc")
    follow(page, row.get_by_role("link").first)

    # The applicant, the checklist, the fee.
    page.get_by_label("Họ và tên (hoặc tên tổ chức)").fill(APPLICANT)
    page.get_by_label("Số định danh cá nhân / mã số thuế").fill(ID_NUMBER)
    page.get_by_label("Ngày sinh").fill("05/09/1990")
    page.get_by_label("Số điện thoại", exact=True).fill(PHONE)
    page.get_by_label("Địa chỉ", exact=True).fill("Thôn 2, xã Bình An")
    show(page.get_by_role("heading", name="1. Người nộp hồ sơ"))
    shoot(page, "mot-cua-tiep-nhan-nguoi-nop")
    checklist = page.locator("input[type=checkbox][name^=doc][name$='-received']")
    assert checklist.count() == 3
    for i in range(checklist.count()):
        checklist.nth(i).check()
    show(page.get_by_role("heading", name="2. Thành phần hồ sơ"))
    shoot(page, "mot-cua-tiep-nhan-thanh-phan")
    page.get_by_label("Đã thu phí, lệ phí").check()
    accept = page.get_by_role("button", name="Tiếp nhận hồ sơ (Mẫu 01)")
    show(page.get_by_role("heading", name="4. Kết quả kiểm tra hồ sơ"))
    assert inside(accept.get_by_text("Tiếp nhận hồ sơ (Mẫu 01)"), accept)  # the label shows
    shoot(page, "mot-cua-tiep-nhan-ket-qua-kiem-tra")
    follow(page, accept)

    # The code and the appointment; the receipt is a PDF.
    assert "/intake/done/" in page.url
    text = page.locator("main").inner_text()
    assert "Hồ sơ đã được tiếp nhận" in text
    found = CODE_RE.search(text)
    assert found, text
    code = found.group(0)
    assert re.search(r"Hẹn trả kết quả\s+\d{2}:\d{2} ngày \d{2}/\d{2}/\d{4}", text), text
    shoot(page, "mot-cua-tiep-nhan-xong")
    receipt = page.get_by_role("link", name="In giấy tiếp nhận và hẹn trả kết quả (Mẫu 01)")
    response = page.request.get(live_server.url + receipt.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    pdf = response.body()
    assert pdf.startswith(b"%PDF-")

    # The desk forwards it to the specialist (two parallel steps, handlers chosen for them).
    follow(page, page.get_by_role("link", name="Mở hồ sơ"))
    assert fact(page, "Trạng thái").startswith("Đã tiếp nhận")
    legal_due = fact(page, "Hạn trả theo quy định")
    box = action_form(page, "Chuyển bước tiếp theo")
    show(box)
    shoot(page, "mot-cua-chuyen-buoc")
    act(page, code, "Chuyển bước tiếp theo", "Chuyển bước tiếp theo", box)
    assert fact(page, "Trạng thái").startswith("Đang xử lý")

    # 2. The specialist finds it at their step and asks for a supplement.
    switch_user(page, "demo.specialist")
    open_menu(page, "Một cửa", "Đang ở bước của tôi", screenshot="mot-cua-thuc-don")
    shoot(page, "mot-cua-danh-sach")
    follow(page, page.get_by_role("link", name=code))
    box = action_form(page, "Yêu cầu bổ sung, hoàn thiện hồ sơ")
    box.get_by_label("Lý do").fill("Bản vẽ thiết kế chưa có chữ ký của chủ đầu tư.")
    box.get_by_label("Giấy tờ cần bổ sung, hoàn thiện").fill("02 bộ bản vẽ thiết kế xây dựng")
    show(box)
    shoot(page, "mot-cua-yeu-cau-bo-sung")
    act(page, code, "Yêu cầu bổ sung, hoàn thiện hồ sơ", "Gửi yêu cầu bổ sung", box)
    assert fact(page, "Trạng thái").startswith("Chờ bổ sung hồ sơ")
    due_before = moment(fact(page, "Hạn trả hiện tại"))

    # 3. Two weeks later the citizen brings the drawings (the server's clock moves on: the
    # live server runs in this process); the desk records them and the clock runs again.
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + SUPPLEMENT_AFTER)
    scan = tmp_path / "ban-ve-thiet-ke.pdf"
    scan.write_bytes(pdf)
    switch_user(page, "demo.clerk")
    open_from_queue(page, "Chờ bổ sung", code)
    box = action_form(page, "Ghi nhận hồ sơ bổ sung")
    box.get_by_label("Tên giấy tờ bổ sung 1").fill("02 bộ bản vẽ thiết kế xây dựng (đã ký)")
    box.get_by_label("Bản số hóa 1").set_input_files(str(scan))
    show(box)
    shoot(page, "mot-cua-ghi-nhan-bo-sung")
    act(page, code, "Ghi nhận hồ sơ bổ sung", "Ghi nhận hồ sơ bổ sung", box)
    assert fact(page, "Trạng thái").startswith("Đang xử lý")
    assert moment(fact(page, "Hạn trả hiện tại")) > due_before
    assert fact(page, "Hạn trả theo quy định") == legal_due
    components = region(page, "Thành phần hồ sơ").inner_text().lower()
    assert "ban-ve-thiet-ke.pdf" in components and "nộp bổ sung" in components

    # 4. The specialist finishes both parallel steps.
    switch_user(page, "demo.specialist")
    open_from_queue(page, "Đang ở bước của tôi", code)
    forward(page, code)
    assert "Trưởng phòng" not in fact(page, "Trạng thái")  # the other parallel step is open
    forward(page, code)
    assert "Trưởng phòng" in fact(page, "Trạng thái")

    # 5. The department head and the leader approve.
    switch_user(page, "demo.head")
    open_from_queue(page, "Chờ tôi phê duyệt", code)
    forward(page, code)
    switch_user(page, "demo.leader")
    open_from_queue(page, "Chờ tôi phê duyệt", code)
    forward(page, code)
    assert "Đóng dấu, vào sổ, phát hành" in fact(page, "Trạng thái")

    # 6. The document clerk numbers and issues the permit.
    switch_user(page, "demo.doc_clerk")
    open_from_queue(page, "Đang ở bước của tôi", code)
    box = action_form(page, "Có kết quả giải quyết")
    box.get_by_label("Số, ký hiệu văn bản").fill("125/GPXD")
    box.get_by_label("Người ký").fill(full_name("demo.leader"))
    show(box)
    shoot(page, "mot-cua-co-ket-qua")
    act(page, code, "Có kết quả giải quyết", "Ghi nhận kết quả", box)
    assert fact(page, "Trạng thái").startswith("Đã có kết quả, chờ trả")

    # 7. The desk returns the result.
    switch_user(page, "demo.clerk")
    open_from_queue(page, "Chờ trả kết quả", code)
    act(page, code, "Trả kết quả", "Trả kết quả")
    assert fact(page, "Trạng thái").startswith("Đã trả kết quả")
    shoot(page, "mot-cua-ho-so")

    # Every step is on the timeline, with who did it.
    timeline = region(page, "Diễn biến hồ sơ").inner_text()
    for label in (
        "Tiếp nhận tại Bộ phận Một cửa",
        "Yêu cầu bổ sung, hoàn thiện hồ sơ",
        "Ghi nhận hồ sơ bổ sung",
        "Có kết quả giải quyết",
        "Trả kết quả",
    ):
        assert label in timeline, label
    # desk → specialist, specialist ×2 (parallel steps), head, leader
    assert timeline.count("Chuyển bước tiếp theo") == 5, timeline
    for username in ("demo.clerk", "demo.specialist", "demo.head", "demo.leader", "demo.doc_clerk"):
        assert full_name(username) in timeline, username
    assert "125/GPXD" in region(page, "Kết quả giải quyết").inner_text()
    page.set_viewport_size({"width": 1280, "height": 1500})
    show(region(page, "Quy trình xử lý"))
    shoot(page, "mot-cua-dien-bien")
    page.set_viewport_size({"width": 1280, "height": 860})
    printing = region(page, "In biểu mẫu")
    assert "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" in printing.inner_text()
    show(printing)
    shoot(page, "mot-cua-in-bieu-mau")


# --- out of scope, stale forms, the citizen's lookup -------------------------------------------


def received_dossier(*, forwarded: bool = False) -> Any:
    """A building-permit dossier received at the district desk (through the services)."""
    users = get_user_model().objects
    dossier = services.dossier_receive(
        actor=users.get(username="demo.clerk"),
        data=services.IntakeData(
            procedure_code=PROCEDURE,
            applicant=services.ApplicantData(
                full_name=APPLICANT,
                id_number=ID_NUMBER,
                phone=PHONE_DIGITS,
                email="binhminh@example.vn",
                address="Thôn 2, xã Bình An",
            ),
            fee_paid=True,
        ),
    )
    if forwarded:
        dossier = services.dossier_act(
            actor=users.get(username="demo.clerk"),
            code=dossier.code,
            action="forward",
            payload={},
            expected_version=dossier.lock_version,
        )
    return dossier


def test_other_unit_and_stale_form_get_a_clear_message(page, catalogue) -> None:  # type: ignore[no-untyped-def]
    code = received_dossier().code
    url = reverse("egov_dossiers:detail", args=[code])

    # The commune's clerk cannot open the district's dossier: "not found", as for no dossier.
    login(page, "demo.clerk.binhan")
    response = page.goto(url)
    assert response is not None and response.status == 404
    assert "Không tìm thấy" in page.locator("body").inner_text()
    assert APPLICANT not in page.content()
    shoot(page, "mot-cua-ngoai-pham-vi")

    # The district clerk has the dossier open twice; the older page's form is refused.
    switch_user(page, "demo.clerk")
    page.goto(url)
    other = page.context.new_page()
    other.goto(url)
    forward(other, code)
    other.close()
    stale = action_form(page, "Chuyển bước tiếp theo")
    response = follow(page, stale.get_by_role("button", name="Chuyển bước tiếp theo"))
    assert response.status == 409
    alert = page.get_by_role("alert").first.inner_text()
    assert f"Hồ sơ {code} vừa được người khác cập nhật" in alert, alert
    assert "Đang xử lý" in fact(page, "Trạng thái")
    shoot(page, "mot-cua-xung-dot")


def test_citizen_looks_the_dossier_up_on_a_phone(phone_page, catalogue) -> None:  # type: ignore[no-untyped-def]
    code = received_dossier(forwarded=True).code
    response = phone_page.goto(f"/tra-cuu-ho-so/?ma={code}")
    assert response is not None and response.status == 200
    # The QR code fills the code in; the page asks for the second factor.
    phone_page.get_by_label("Số kiểm tra (4 chữ số)").fill(PHONE_DIGITS[-4:])
    phone_page.get_by_role("button", name="Tra cứu").click()
    phone_page.wait_for_load_state("networkidle")
    text = phone_page.locator("body").inner_text()
    assert code in text
    assert "Đang xử lý" in text
    assert "Thẩm định hồ sơ" in text  # where the dossier is
    assert "Trần T. B. M." not in text  # not even the masked name
    for personal in (APPLICANT, ID_NUMBER, PHONE, PHONE_DIGITS, "905123456", "binhminh@", "Thôn 2"):
        assert personal not in text, personal
    assert full_name("demo.specialist") not in text  # no staff names either
    shoot(phone_page, "mot-cua-tra-cuu-dien-thoai", full_page=True)
