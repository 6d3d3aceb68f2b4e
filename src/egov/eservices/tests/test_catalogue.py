"""The public catalogue ``/dich-vu-cong/``: home, list (search without diacritics, filters,
pages), the procedure page (documents, blank forms, fees, time, where, legal basis, the
expected return date if submitted now, the online button), and bad input."""

from __future__ import annotations

import datetime as dt
from datetime import datetime
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from egov.core.calendar.facade import VN_TZ
from egov.dossiers.tests.factories import build_office, receive
from egov.eservices.catalogue import selectors
from egov.organizations.tests.factories import AgencyFactory, UnitFactory
from egov.procedures import services
from egov.procedures.constants import Channel, OnlineLevel
from egov.procedures.tests.factories import SectorFactory, full_version

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HOME = "/dich-vu-cong/"
LIST = "/dich-vu-cong/thu-tuc/"


def publish(version):
    return services.procedure_version_publish(
        actor=None,
        version=version,
        decision_number="15/QĐ-UBND",
        decision_date=dt.date(2025, 1, 1),
        effective_date=dt.date(2025, 1, 1),
        allow_backdate=True,
    )


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def catalogue(db):
    unit = UnitFactory(name="Xã An Phú")
    agency = AgencyFactory(
        unit=unit, name="UBND xã An Phú", code="000.21.01.T98", address="Số 1 Trần Phú"
    )
    other_agency = AgencyFactory(name="UBND xã Bình Minh", code="000.22.01.T98")
    building = SectorFactory(code="XD", name="Hoạt động xây dựng")
    civil = SectorFactory(code="HT", name="Hộ tịch")

    permit = full_version(
        code="1.013225",
        name="Cấp giấy phép xây dựng nhà ở riêng lẻ",
        sector=building,
        limit_days=15,
    )
    services.procedure_version_update(
        actor=None,
        version=permit,
        online_level=OnlineLevel.FULL,
        implementing_agency=agency,
        intake_address="Bộ phận Một cửa UBND xã An Phú, số 1 Trần Phú",
        requirements="Nhà ở phù hợp quy hoạch.",
    )
    case = permit.cases.get()
    services.document_create(
        actor=None,
        case=case,
        name="Đơn đề nghị cấp giấy phép xây dựng",
        originals=1,
        copies=0,
        form_name="Mẫu số 01",
        form_file=SimpleUploadedFile("mau-01.pdf", PDF, content_type="application/pdf"),
    )
    services.document_create(
        actor=None, case=case, name="Bản vẽ thiết kế xây dựng", originals=0, copies=2
    )
    direct = permit.channel_options.get(channel=Channel.DIRECT, case__isnull=True)
    fee = direct.fees.get()
    services.fee_update(actor=None, fee=fee, amount=75_000, description="Lệ phí cấp phép")
    permit = publish(permit)

    birth = full_version(
        code="1.001193",
        name="Đăng ký khai sinh",
        sector=civil,
        limit_days=1,
        process_hours=(2, 2),
    )
    services.procedure_version_update(
        actor=None,
        version=birth,
        online_level=OnlineLevel.PARTIAL,
        implementing_agency=other_agency,
    )
    birth = publish(birth)

    paper = full_version(code="1.000894", name="Đăng ký kết hôn", sector=civil)
    paper = publish(paper)

    draft = full_version(code="1.099999", name="Cấp giấy phép bí mật", sector=building)
    return SimpleNamespace(
        permit=permit, birth=birth, paper=paper, draft=draft, agency=agency, unit=unit
    )


def body(response):
    return response.content.decode()


def main(response):
    return body(response).split("<main", 1)[1].split("</main>", 1)[0]


# --- Home ------------------------------------------------------------------------------------


def test_url_names():
    assert reverse("eservices:home") == HOME
    assert reverse("eservices:procedure_list") == LIST
    assert reverse("eservices:procedure_detail", args=["1.013225"]) == f"{LIST}1.013225/"


def test_home_has_search_sectors_agencies_and_most_used(client, catalogue):
    response = client.get(HOME)
    assert response.status_code == 200
    page = main(response)
    assert 'type="search"' in page and 'name="q"' in page
    assert "Hoạt động xây dựng" in page and "?sector=XD" in page
    assert "Hộ tịch" in page and "(2)" in page
    assert "UBND xã An Phú" in page and "?agency=000.21.01.T98" in page
    assert "Cấp giấy phép xây dựng nhà ở riêng lẻ" in page
    # Drafts are never public.
    assert "bí mật" not in page
    assert 'href="/tra-cuu-ho-so/"' in page


def test_most_used_are_the_procedures_with_most_dossiers(db):
    office = build_office()
    from egov.dossiers.tests.factories import building_permit

    permit = building_permit(code="1.009994")
    other = full_version(code="1.000001", name="Thủ tục A", sector=SectorFactory(code="A"))
    other = publish(other)
    for _ in range(2):
        receive(office, permit)
    used = selectors.most_used(limit=2)
    assert [v.procedure.code for v in used] == ["1.009994", "1.000001"]
    # Cached: a new dossier elsewhere does not cost the home page a count query.
    assert cache.get(selectors.MOST_USED_CACHE_KEY) == ["1.009994"]


def test_home_and_list_query_counts_do_not_grow_with_the_catalogue(
    client, catalogue, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        assert client.get(HOME).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(LIST).status_code == 200


# --- List ------------------------------------------------------------------------------------


def test_search_without_diacritics_finds_the_procedure(client, catalogue):
    response = client.get(LIST, {"q": "cap giay phep xay dung"})
    assert response.status_code == 200
    page = main(response)
    assert "Cấp giấy phép xây dựng nhà ở riêng lẻ" in page
    assert "Đăng ký khai sinh" not in page
    assert "1 thủ tục" in page
    # The code typed first wins.
    page = main(client.get(LIST, {"q": "1.001193"}))
    assert "Đăng ký khai sinh" in page and "Cấp giấy phép" not in page


def test_browse_by_sector_and_agency_and_filter_online_level(client, catalogue):
    page = main(client.get(LIST, {"sector": "HT"}))
    assert "Đăng ký khai sinh" in page and "Đăng ký kết hôn" in page
    assert "Cấp giấy phép xây dựng" not in page

    page = main(client.get(LIST, {"agency": "000.21.01.T98"}))
    assert "Cấp giấy phép xây dựng" in page and "Đăng ký khai sinh" not in page

    page = main(client.get(LIST, {"online": "full"}))
    assert "Cấp giấy phép xây dựng" in page and "Đăng ký khai sinh" not in page
    page = main(client.get(LIST, {"online": "partial"}))
    assert "Đăng ký khai sinh" in page and "Cấp giấy phép xây dựng" not in page
    assert "Đăng ký kết hôn" not in page  # not online at all


def test_list_is_paginated_keeping_the_filters(client, catalogue, monkeypatch):
    monkeypatch.setattr(selectors, "PAGE_SIZE", 1)
    response = client.get(LIST, {"sector": "HT"})
    page = main(response)
    assert "Trang 1/2" in page
    assert "?sector=HT&amp;page=2" in page
    second = main(client.get(LIST, {"sector": "HT", "page": "2"}))
    assert "Trang 2/2" in second
    # A page past the end or not a number shows a page, never an error.
    assert client.get(LIST, {"page": "999"}).status_code == 200
    assert client.get(LIST, {"page": "abc"}).status_code == 200


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"sector": "KHONGCO"}, "Lĩnh vực đã chọn không có trong danh mục."),
        ({"agency": "999999"}, "Cơ quan đã chọn không có trong danh mục."),
        ({"online": "none"}, "Mức độ trực tuyến chỉ có: một phần, toàn trình."),
        ({"q": "x" * 201}, "Từ khóa tìm kiếm dài tối đa 200 ký tự."),
    ],
)
def test_bad_filters_are_a_clear_400(client, catalogue, params, message):
    response = client.get(LIST, params)
    assert response.status_code == 400
    page = main(response)
    assert message in page
    assert 'aria-invalid="true"' in page


def test_nothing_found_says_what_to_do(client, catalogue):
    page = main(client.get(LIST, {"q": "khong co thu tuc nao nhu vay"}))
    assert "0 thủ tục" in page and "Thử gõ ít từ hơn" in page


# --- Detail ----------------------------------------------------------------------------------


def test_detail_has_everything_a_citizen_needs_before_coming(client, catalogue):
    response = client.get(f"{LIST}1.013225/")
    assert response.status_code == 200
    page = main(response)
    for text in (
        "Cấp giấy phép xây dựng nhà ở riêng lẻ",
        "1.013225",
        "Đơn đề nghị cấp giấy phép xây dựng",
        "1 bản chính, 0 bản sao",
        "Bản vẽ thiết kế xây dựng",
        "0 bản chính, 2 bản sao",
        "Trực tiếp",
        "Trực tuyến",
        "15 ngày làm việc",
        "75.000 đồng",
        "UBND xã An Phú",
        "Số 1 Trần Phú",
        "Bộ phận Một cửa UBND xã An Phú, số 1 Trần Phú",
        "Luật Hộ tịch",
        "60/2014/QH13",
        "Giấy khai sinh",  # the result of the factory's version
        "Nhà ở phù hợp quy hoạch.",
        "Nộp hồ sơ tại Bộ phận Một cửa",
        "Trực tuyến toàn trình",
    ):
        assert text in page, text


def test_blank_forms_download_without_logging_in(client, catalogue):
    page = main(client.get(f"{LIST}1.013225/"))
    document = catalogue.permit.cases.get().documents.get(name__startswith="Đơn")
    url = reverse(
        "api-v1:procedure_form", kwargs={"code": "1.013225", "uuid": document.form_template.uuid}
    )
    assert f'href="{url}"' in page and "Tải mẫu: Mẫu số 01" in page
    download = client.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF


def test_expected_return_if_submitted_now_uses_the_working_calendar(catalogue):
    # Friday 27/11/2026 10:00: 1 working day → Monday 30/11/2026.
    friday = datetime(2026, 11, 27, 10, 0, tzinfo=VN_TZ)
    returns = selectors.expected_returns(catalogue.birth, at=friday)
    assert {r.channel for r in returns} == {"direct", "online"}
    for item in returns:
        assert item.due_at is not None
        assert item.due_at.astimezone(VN_TZ).date() == dt.date(2026, 11, 30)
        assert "30/11/2026" in item.due_display
        assert item.explanation


def test_detail_shows_the_expected_return_date_for_now(client, catalogue):
    expected = selectors.expected_returns(catalogue.permit)[0]
    page = main(client.get(f"{LIST}1.013225/"))
    assert "Nếu nộp hồ sơ ngay bây giờ" in page
    assert expected.due_display in page


def test_online_button_goes_to_the_wizard(client, catalogue):
    start = reverse("eservices:draft_start", args=["1.013225"])
    page = main(client.get(f"{LIST}1.013225/"))
    assert f'href="{start}"' in page and "Nộp hồ sơ trực tuyến" in page
    # A procedure not offered online has no button.
    paper = main(client.get(f"{LIST}1.000894/"))
    assert "Nộp hồ sơ trực tuyến" not in paper
    assert "chưa nhận hồ sơ trực tuyến" in paper


@override_settings(
    EGOV_ESERVICES_FRONT_DOOR="national", EGOV_NATIONAL_PORTAL_URL="https://dvc.example.vn"
)
def test_national_front_door_links_to_the_portal_instead(client, catalogue):
    page = main(client.get(f"{LIST}1.013225/"))
    assert 'href="https://dvc.example.vn"' in page
    assert "Cổng Dịch vụ công quốc gia" in page
    assert "/nop-ho-so/" not in page


@pytest.mark.parametrize("code", ["1.099999", "9.999999", "abc", "1.0132250", "' OR 1=1"])
def test_drafts_unknown_and_malformed_codes_are_a_friendly_404(client, catalogue, code):
    response = client.get(f"{LIST}{code}/")
    assert response.status_code == 404
    assert "Không tìm thấy thủ tục" in body(response)
    assert "bí mật" not in body(response)


def test_only_get_and_head(client, catalogue):
    assert client.post(LIST).status_code == 405
    assert client.post(f"{LIST}1.013225/").status_code == 405


def test_detail_query_count_is_fixed(client, catalogue, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        assert client.get(f"{LIST}1.013225/").status_code == 200


def test_dates_are_in_vietnam_time(catalogue):
    late = datetime(2026, 11, 27, 23, 30, tzinfo=VN_TZ)  # Friday night, after hours
    for item in selectors.expected_returns(catalogue.birth, at=late):
        assert item.due_at is not None
        assert timezone.localtime(item.due_at).date() >= dt.date(2026, 11, 30)
