"""Printed forms: the registry and its numbering, the content of each form, PDF, offline."""

from __future__ import annotations

import time
import urllib.request

import pytest
import segno

from egov.dossiers.constants import FormBasis, Status
from egov.dossiers.errors import DOSSIER_ERRORS
from egov.dossiers.printing import (
    FORMS,
    FormNotApplicable,
    FormNotInBasis,
    FormUnknown,
    current_basis,
    form_filename,
    forms_for_dossier,
    forms_in,
    get_form,
    render_form_html,
    render_form_pdf,
)
from egov.dossiers.printing.registry import BasisUnknown
from egov.dossiers.printing.render import OfflineURLFetcher, html_to_pdf
from egov.dossiers.tests import printing_helpers as h
from egov.dossiers.tests.factories import applicant, building_permit, receive

MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")


def assert_pdf(data: bytes) -> None:
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")
    assert 5_000 < len(data) < 400_000, len(data)


# --- the registry ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("slug", "tt01", "tt03"),
    [
        ("receipt", "01", "01"),
        ("supplement", "02", "02"),
        ("refusal", "03", "03"),
        ("apology", "04", "04"),
        ("stop", None, "05"),
        ("control", "05", "06"),
        ("register", "06", "07"),
    ],
)
def test_each_form_has_its_number_per_legal_basis(slug, tt01, tt03):
    spec = FORMS[slug]
    assert spec.number(FormBasis.TT03_2025) == tt03
    if tt01 is None:
        assert not spec.exists_in(FormBasis.TT01_2018)
        with pytest.raises(FormNotInBasis):
            spec.number(FormBasis.TT01_2018)
    else:
        assert spec.number(FormBasis.TT01_2018) == tt01


def test_unconfirmed_numbers_are_marked():
    unconfirmed = {slug for slug, spec in FORMS.items() if spec.unconfirmed}
    assert unconfirmed == {"apology", "stop"}


def test_the_basis_comes_from_the_setting_and_each_call_may_override_it(settings):
    assert current_basis() == FormBasis.TT03_2025
    assert [s.slug for s in forms_in()] == [
        "receipt",
        "supplement",
        "refusal",
        "apology",
        "stop",
        "control",
        "register",
    ]
    settings.EGOV_FORMS_BASIS = "tt01_2018"
    assert current_basis() == FormBasis.TT01_2018
    assert "stop" not in [s.slug for s in forms_in()]
    assert get_form("control")[0].number(current_basis()) == "05"
    assert get_form("control", "tt03_2025")[1] == FormBasis.TT03_2025


def test_stop_notice_under_tt01_and_unknown_forms_are_clear_errors(settings):
    with pytest.raises(FormNotInBasis) as exc:
        get_form("stop", "tt01_2018")
    assert exc.value.status == 409
    assert "Thông báo dừng giải quyết hồ sơ" in exc.value.text
    assert FORMS["stop"].label(FormBasis.TT03_2025) == "Mẫu số 05: Thông báo dừng giải quyết hồ sơ"
    assert "Thông tư 01/2018/TT-VPCP" in exc.value.text
    settings.EGOV_FORMS_BASIS = "tt01_2018"
    with pytest.raises(FormNotInBasis):
        get_form("stop")
    with pytest.raises(FormUnknown) as unknown:
        get_form("khong-co")
    assert unknown.value.status == 404 and "khong-co" in unknown.value.text
    with pytest.raises(BasisUnknown) as basis:
        get_form("receipt", "tt99")
    assert "tt03_2025" in basis.value.text
    # The API catches them with the other dossier errors.
    assert isinstance(exc.value, DOSSIER_ERRORS) and isinstance(unknown.value, DOSSIER_ERRORS)


# --- the forms of one dossier ------------------------------------------------------------------


@pytest.mark.django_db
def test_receipt_content(office, permit, settings):
    settings.EGOV_BASE_URL = "https://motcua.example.vn"
    settings.EGOV_DOSSIER_LOOKUP_URL = ""
    dossier = h.received(office, permit)
    html = render_form_html(dossier, "receipt")
    for text in (
        *MOTTO,
        "ỦY BAN NHÂN DÂN XÃ AN PHÚ",
        "BỘ PHẬN MỘT CỬA XÃ AN PHÚ",
        "An Phú, ngày 07 tháng 12 năm 2026",
        "Mẫu số 01",
        "Thông tư số 03/2025/TT-VPCP",
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        f"Mã hồ sơ: {dossier.code}",
        "Nguyễn Văn An",
        "049090001234",
        "Thôn 1, xã An Phú",
        "0905 123 456",
        "an@example.vn",
        "Xin cấp phép xây dựng nhà ở tại thửa đất số 12",
        "Cấp giấy phép xây dựng nhà ở riêng lẻ",
        "Đơn đề nghị cấp giấy phép xây dựng",
        "Bản vẽ thiết kế xây dựng",
        'Số lượng hồ sơ: <span class="value">1</span> (bộ)',
        "5 ngày làm việc",
        "09:00 ngày 07/12/2026",  # received
        "09:00 ngày 14/12/2026",  # appointment: 5 working days later
        "trực tiếp tại Bộ phận Một cửa xã An Phú",
        "Đã nộp 150.000 đồng",
        "Vào Sổ theo dõi hồ sơ, Quyển số",
        "Số thứ tự",
        "NGƯỜI NỘP HỒ SƠ",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "Nguyễn Thị Hà",  # the clerk who received it
        f"https://motcua.example.vn/tra-cuu-ho-so/?ma={dossier.code}",
        "<svg",
    ):
        assert text in html, text


@pytest.mark.django_db
def test_receipt_qr_follows_the_lookup_setting_and_the_current_due_date(office, permit, settings):
    settings.EGOV_DOSSIER_LOOKUP_URL = "https://dichvucong.example.vn/tra-cuu?nguon=motcua"
    dossier = h.reappointed(office, permit)
    html = render_form_html(dossier, "receipt")
    assert f"https://dichvucong.example.vn/tra-cuu?nguon=motcua&amp;ma={dossier.code}" in html
    assert "16:00 ngày 18/12/2026" in html  # current_due_at after the re-appointment


@pytest.mark.django_db
def test_numbering_and_titles_follow_the_basis(office, permit):
    dossier = h.reappointed(office, permit)
    tt03 = render_form_html(dossier, "control")
    tt01 = render_form_html(dossier, "control", basis="tt01_2018")
    assert "Mẫu số 06" in tt03 and "Thông tư số 03/2025/TT-VPCP" in tt03
    assert "Mẫu số 05" in tt01 and "Thông tư số 01/2018/TT-VPCP" in tt01
    apology03 = render_form_html(dossier, "apology")
    apology01 = render_form_html(dossier, "apology", basis=FormBasis.TT01_2018)
    assert "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT HỒ SƠ" in apology03
    assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in apology01
    assert form_filename(dossier, "control") == f"mau-06-control-{dossier.code}.pdf"


@pytest.mark.django_db
def test_supplement_during_processing(office, permit):
    dossier = h.awaiting_supplement(office, permit)
    html = render_form_html(dossier, "supplement")
    for text in (
        "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
        "Mẫu số 02",
        dossier.code,
        "<li>Bản vẽ mặt bằng tầng 1</li>",
        "<li>Bản vẽ mặt cắt</li>",
        "Thiếu bản vẽ mặt bằng",
        "11:00 ngày 07/12/2026",
        "NGƯỜI HƯỚNG DẪN",
        "Trần Văn Minh",  # the specialist who asked
    ):
        assert text in html, text


@pytest.mark.django_db
def test_supplement_at_intake_and_after_it_was_completed(office, permit):
    dossier = h.incomplete_at_intake(office, permit)
    assert dossier.status == Status.INTAKE_INCOMPLETE
    html = render_form_html(dossier, "supplement")
    assert "Đơn chưa có chữ ký" in html
    assert "<li>Đơn đề nghị có chữ ký của chủ đầu tư</li>" in html
    assert "Nguyễn Thị Hà" in html
    completed = h.act(office.clerk, dossier, "supplement", note="Đã ký đơn")
    assert completed.status == Status.SUBMITTED
    html = render_form_html(completed, "supplement")
    assert "Đơn chưa có chữ ký" in html


@pytest.mark.django_db
def test_refusal(office, permit):
    dossier = h.refused_at_intake(office, permit)
    html = render_form_html(dossier, "refusal")
    for text in (
        "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
        "Mẫu số 03",
        "Thửa đất thuộc xã Bình Minh, không thuộc thẩm quyền",
        "07/12/2026",
        "Nguyễn Văn An",
    ):
        assert text in html, text


@pytest.mark.django_db
def test_apology(office, permit):
    dossier = h.reappointed(office, permit)
    html = render_form_html(dossier, "apology")
    for text in (
        "Mẫu số 04",
        "Kính gửi: Ông/Bà Nguyễn Văn An",
        dossier.code,
        "09:00 ngày 14/12/2026",  # the original appointment
        "Cần xác minh thực địa",
        "16:00 ngày 18/12/2026",  # the new one
        "An Phú, ngày 11 tháng 12 năm 2026",
        "THỦ TRƯỞNG CƠ QUAN",
    ):
        assert text in html, text


@pytest.mark.django_db
def test_stop_notice(office, permit):
    dossier = h.stopped(office, permit)
    html = render_form_html(dossier, "stop")
    for text in (
        "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ",
        "Mẫu số 05",
        dossier.code,
        "Ngày 08/12/2026",  # the request
        "Công dân xin rút hồ sơ",
        "kể từ ngày 08/12/2026",
        "150.000 đồng đã nộp",
    ):
        assert text in html, text
    with pytest.raises(FormNotInBasis):
        render_form_pdf(dossier, "stop", basis="tt01_2018")


@pytest.mark.django_db
def test_control_slip_has_one_row_per_handover(office, permit):
    dossier = h.returned(office, permit)
    html = render_form_html(dossier, "control")
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in html
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    # receive, forward ×4, resolve, return (the supplement request and answer are no handover)
    assert body.count("<tr>") == 7
    for text in (
        "Nguyễn Thị Hà (Tiếp nhận, kiểm tra, số hóa hồ sơ)",
        "Trần Văn Minh",
        "Lê Quang Hùng",
        "Phạm Ngọc Dũng",
        "Võ Thị Lan",
        "09:00 ngày 07/12/2026",
        "Đủ điều kiện",
        "Trả kết quả",
    ):
        assert text in body, text
    assert "Trước hạn" in body or "Đúng hạn" in body


@pytest.mark.parametrize(
    ("builder", "slug"),
    [
        ("received", "receipt"),
        ("awaiting_supplement", "supplement"),
        ("refused_at_intake", "refusal"),
        ("reappointed", "apology"),
        ("stopped", "stop"),
        ("returned", "control"),
    ],
)
@pytest.mark.django_db
def test_every_form_renders_to_pdf(office, permit, builder, slug):
    dossier = getattr(h, builder)(office, permit)
    assert_pdf(render_form_pdf(dossier, slug, actor=office.clerk))


@pytest.mark.django_db
def test_a_form_that_does_not_fit_the_dossier_is_a_conflict(office, permit):
    dossier = h.received(office, permit)
    assert [s.slug for s in forms_for_dossier(dossier)] == ["receipt", "control"]
    for slug in ("refusal", "apology", "stop", "supplement", "register"):
        with pytest.raises(FormNotApplicable) as exc:
            render_form_pdf(dossier, slug)
        assert exc.value.status == 409 and exc.value.text
    refused = h.refused_at_intake(office, permit)
    assert [s.slug for s in forms_for_dossier(refused)] == ["refusal"]
    with pytest.raises(FormNotApplicable):
        render_form_html(refused, "receipt")


@pytest.mark.django_db
def test_absent_optional_fields_print_as_blanks(office):
    version = building_permit(code="1.000777", fee=None)
    dossier = receive(
        office,
        version,
        at=h.MONDAY,
        applicant=applicant(id_number="", phone="", email="", address=""),
        return_method="postal",
        return_address="Số 5 đường Lê Lợi, xã An Phú",
        fee_paid=False,
    )
    dossier.received_by = None
    for slug in ("receipt", "control"):
        html = render_form_html(dossier, slug)
        assert "…………" in html
        assert "Nguyễn Văn An" in html
    html = render_form_html(dossier, "receipt")
    assert "Không thu phí, lệ phí" in html
    assert "qua dịch vụ bưu chính công ích, địa chỉ: Số 5 đường Lê Lợi, xã An Phú" in html
    assert "<td>Đơn đề nghị cấp giấy phép xây dựng</td>" not in html  # none handed in
    assert_pdf(render_form_pdf(dossier, "receipt"))


@pytest.mark.django_db
def test_user_text_is_escaped_and_nothing_is_fetched(office, permit, monkeypatch):
    requested: list[str] = []  # what WeasyPrint asked the fetcher for
    opened: list[str] = []  # what actually reached urllib
    real_fetch = OfflineURLFetcher.fetch
    real_open = urllib.request.OpenerDirector.open

    def fetch_spy(self, url, *args, **kwargs):
        requested.append(url)
        return real_fetch(self, url, *args, **kwargs)

    def open_spy(self, fullurl, *args, **kwargs):
        opened.append(getattr(fullurl, "full_url", fullurl))
        return real_open(self, fullurl, *args, **kwargs)

    monkeypatch.setattr(OfflineURLFetcher, "fetch", fetch_spy)
    monkeypatch.setattr(urllib.request.OpenerDirector, "open", open_spy)
    dossier = h.received(office, permit, subject='<img src="http://evil.example/x.png"> nhà ở')
    html = render_form_html(dossier, "receipt")
    assert "<img" not in html and "&lt;img" in html
    assert_pdf(render_form_pdf(dossier, "receipt"))
    assert requested == []  # the forms themselves need nothing from outside
    inline = segno.make("xin chào").png_data_uri(scale=4)
    page = (
        '<html><head><link rel="stylesheet" href="https://fonts.example/x.css">'
        '<style>@font-face { font-family: X; src: url("http://fonts.example/x.woff"); }</style>'
        '</head><body style="font-family: X, serif">'
        '<img src="http://evil.example/x.png"><img src="file:///etc/passwd">'
        f'<img src="{inline}">' + "<p>Xin chào</p>" * 50 + "</body></html>"
    )
    assert html_to_pdf(page).startswith(b"%PDF-")
    assert {"https://fonts.example/x.css", "http://evil.example/x.png"} <= set(requested)
    assert "file:///etc/passwd" in requested
    assert opened and all(url.startswith("data:") for url in opened), opened


def test_the_offline_fetcher_refuses_everything_but_data_urls():
    from weasyprint.urls import URLFetchingError

    fetcher = OfflineURLFetcher()
    for url in (
        "http://example.com/a.png",
        "https://fonts.googleapis.com/css",
        "file:///etc/passwd",
        "ftp://example.com/x",
    ):
        with pytest.raises(URLFetchingError):
            fetcher.fetch(url)
    response = fetcher.fetch("data:text/plain;base64,eGluIGNow6Bv")
    assert response.read() == "xin chào".encode()


@pytest.mark.django_db
def test_a_receipt_renders_fast(office, permit):
    dossier = h.received(office, permit)
    render_form_pdf(dossier, "receipt")  # warm-up: fonts are loaded once per process
    started = time.perf_counter()
    render_form_pdf(dossier, "receipt")
    # About 0.2 s on an idle machine; the bound only catches a fetch or a runaway layout.
    assert time.perf_counter() - started < 2.5


@pytest.mark.django_db
def test_rendering_runs_a_bounded_number_of_queries(office, permit, django_assert_max_num_queries):
    from egov.dossiers.models import Dossier

    dossier = h.returned(office, permit)
    fresh = Dossier.objects.get(pk=dossier.pk)
    with django_assert_max_num_queries(20):
        render_form_html(fresh, "control")
