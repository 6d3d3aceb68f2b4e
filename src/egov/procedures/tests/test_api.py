"""The public catalogue API: list, search, filters, pagination, sectors, detail, 404s,
blank forms, throttling and the OpenAPI document.  No token anywhere."""

import datetime as dt
import json

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from egov.api.auth import TokenRateThrottle
from egov.api.tests.helpers import assert_error
from egov.procedures import services
from egov.procedures.api import PUBLIC_RATE_LIMIT
from egov.procedures.constants import Channel, CutoffRule, OnlineLevel, TimeUnit
from egov.procedures.tests.factories import (
    ChannelOptionFactory,
    ProcedureVersionFactory,
    SectorFactory,
    full_version,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/procedures"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
IN_FORCE_SINCE = dt.date(2025, 1, 1)


@pytest.fixture(autouse=True)
def _clear_cache():
    # The throttle counts in the cache (locmem in tests): every test starts from zero.
    cache.clear()
    yield
    cache.clear()


def publish(version, effective=IN_FORCE_SINCE, number="15/QĐ-UBND"):
    return services.procedure_version_publish(
        actor=None,
        version=version,
        decision_number=number,
        decision_date=min(effective, timezone.localdate()),
        effective_date=effective,
        decision_summary="Công bố danh mục thủ tục hành chính lĩnh vực hộ tịch",
        allow_backdate=True,
    )


def set_fee(version, channel, amount, description=""):
    option = version.channel_options.get(channel=channel, case__isnull=True)
    fee = option.fees.first()
    if fee is None:
        return services.fee_create(
            actor=None, channel_option=option, amount=amount, description=description
        )
    return services.fee_update(actor=None, fee=fee, amount=amount, description=description)


@pytest.fixture
def catalogue(units):
    justice = units.sector
    land = SectorFactory(code="DD", name="Đất đai")

    birth = full_version(
        code="1.001193",
        name="Đăng ký khai sinh",
        sector=justice,
        responsible_agency=units.agency_a,
        limit_days=1,
        process_hours=(2, 2),
    )
    services.procedure_version_update(
        actor=None,
        version=birth,
        cutoff_rule=CutoffRule.SAME_DAY_15H,
        online_level=OnlineLevel.FULL,
        boundary_free=True,
        implementing_agency=units.agency_a,
        competent_agency_name="Chủ tịch UBND xã",
        coordinating_agency_names="Công an xã\nBảo hiểm xã hội huyện",
        intake_address="Bộ phận Một cửa UBND xã An Phú, số 1 đường Trần Phú",
        requirements="Người đi đăng ký khai sinh xuất trình giấy tờ tùy thân.",
        target_description="Công dân Việt Nam",
        territorial_scope=[units.commune_a],
    )
    case = birth.cases.get()
    services.document_create(
        actor=None,
        case=case,
        name="Giấy chứng sinh",
        originals=1,
        copies=0,
        form_name="Mẫu giấy chứng sinh",
        form_url="https://example.vn/mau-giay-chung-sinh.pdf",
        form_file=SimpleUploadedFile("giay-chung-sinh.pdf", PDF, content_type="application/pdf"),
    )
    services.document_create(
        actor=None, case=case, name="Giấy tờ tùy thân của người đi đăng ký", originals=0, copies=1
    )
    set_fee(birth, Channel.DIRECT, 0, "Miễn lệ phí đăng ký khai sinh đúng hạn")
    birth = publish(birth)

    marriage = full_version(
        code="1.000894", name="Đăng ký kết hôn", sector=justice, responsible_agency=units.agency_a
    )
    services.procedure_version_update(
        actor=None,
        version=marriage,
        online_level=OnlineLevel.PARTIAL,
        implementing_agency=units.agency_b,
    )
    set_fee(marriage, Channel.DIRECT, 0, "Miễn lệ phí")
    foreign = services.case_create(
        actor=None, version=marriage, name="Kết hôn có yếu tố nước ngoài"
    )
    own = services.channel_option_create(
        actor=None,
        version=marriage,
        case=foreign,
        channel=Channel.DIRECT,
        time_limit_value=10,
        description="10 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ",
    )
    services.fee_create(actor=None, channel_option=own, amount=1_500_000, unit="đồng/trường hợp")
    marriage = publish(marriage)

    status = full_version(
        code="1.004873",
        name="Cấp Giấy xác nhận tình trạng hôn nhân",
        sector=justice,
        responsible_agency=units.agency_a,
        keywords="đăng ký kết hôn",
    )
    status = publish(status)

    parcel = full_version(
        code="1.004227",
        name="Đăng ký đất đai lần đầu",
        sector=land,
        responsible_agency=units.agency_b,
        limit_days=30,
        process_hours=(8, 40, 16),
    )
    services.procedure_version_update(actor=None, version=parcel, levels=["province"])
    set_fee(parcel, Channel.DIRECT, 50_000, "Lệ phí cấp giấy chứng nhận")
    services.fee_create(
        actor=None,
        channel_option=parcel.channel_options.get(channel=Channel.DIRECT),
        amount=None,
        description="Phí thẩm định hồ sơ: theo Nghị quyết của HĐND tỉnh",
    )
    parcel = publish(parcel)

    draft = full_version(
        code="2.000001",
        name="Đăng ký thủ tục đang soạn thảo",
        sector=land,
        responsible_agency=units.agency_a,
    )
    scheduled = publish(
        full_version(code="2.000002", name="Đăng ký thủ tục sắp có hiệu lực", sector=land),
        effective=dt.date(2099, 1, 1),
    )
    abolished = publish(
        full_version(code="2.000003", name="Đăng ký thủ tục đã bãi bỏ", sector=land)
    )
    services.procedure_version_abolish(
        actor=None,
        version=abolished,
        decision_number="99/QĐ-UBND",
        decision_date=dt.date(2025, 5, 20),
        effective_date=dt.date(2025, 6, 1),
        allow_backdate=True,
    )
    return {
        "birth": birth,
        "marriage": marriage,
        "status": status,
        "parcel": parcel,
        "draft": draft,
        "scheduled": scheduled,
        "abolished": abolished,
    }


def codes(response):
    assert response.status_code == 200, response.content
    return [item["code"] for item in response.json()["items"]]


# --- List and search -----------------------------------------------------------------------


def test_list_shows_the_procedures_in_force_by_name_without_a_token(client, catalogue):
    response = client.get(URL)

    assert response.status_code == 200
    body = response.json()
    # Names folded: "cap giay...", "dang ky dat dai...", "dang ky ket hon", "dang ky khai sinh".
    assert [i["code"] for i in body["items"]] == ["1.004873", "1.004227", "1.000894", "1.001193"]
    assert body["count"] == 4
    assert (body["page"], body["page_size"], body["pages"]) == (1, 20, 1)


def test_list_item_has_levels_online_level_shortest_limit_and_fees(client, catalogue):
    items = {i["code"]: i for i in client.get(URL).json()["items"]}

    birth = items["1.001193"]
    assert birth["name"] == "Đăng ký khai sinh"
    assert birth["sector"] == {"code": "HT", "name": "Hộ tịch"}
    assert birth["levels"] == [{"value": "commune", "label": "Cấp xã"}]
    assert birth["online_level"] == {"value": "full", "label": "Toàn trình"}
    assert birth["time_limit"] == {
        "value": 1,
        "unit": "working_days",
        "unit_label": "Ngày làm việc",
        "text": "1 ngày làm việc",
        "channel": {"value": "direct", "label": "Trực tiếp"},
    }
    assert birth["fees"] == {
        "text": "Không thu phí, lệ phí",
        "min_amount": 0,
        "max_amount": 0,
        "unconfirmed": False,
    }
    assert birth["effective_date"] == "2025-01-01"

    # The case-specific channel (10 days, 1.500.000 đ) counts for the fees, not the limit.
    marriage = items["1.000894"]
    assert marriage["time_limit"]["text"] == "3 ngày làm việc"
    assert marriage["fees"]["text"] == "Từ 0 đến 1.500.000 đồng"
    assert (marriage["fees"]["min_amount"], marriage["fees"]["max_amount"]) == (0, 1_500_000)

    parcel = items["1.004227"]
    assert parcel["levels"] == [{"value": "province", "label": "Cấp tỉnh"}]
    assert parcel["fees"] == {
        "text": "50.000 đồng; có khoản chưa xác định mức thu",
        "min_amount": 50_000,
        "max_amount": 50_000,
        "unconfirmed": True,
    }


def test_list_item_with_only_unconfirmed_fees(client, catalogue):
    items = {i["code"]: i for i in client.get(URL).json()["items"]}
    # full_version's fee has no amount: not confirmed.
    assert items["1.004873"]["fees"] == {
        "text": "Chưa xác định mức thu phí, lệ phí",
        "min_amount": None,
        "max_amount": None,
        "unconfirmed": True,
    }


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("dang ky khai sinh", ["1.001193"]),
        ("Dang Ky", ["1.004227", "1.000894", "1.001193", "1.004873"]),
        ("ĐĂNG KÝ khai SINH", ["1.001193"]),
        ("khai   sinh", ["1.001193"]),
        ("1.0011", ["1.001193"]),
        ("1.000894", ["1.000894"]),
        ("ho tich", ["1.004873", "1.000894", "1.001193"]),
        ("dat dai ket hon", []),
        ("", ["1.004873", "1.004227", "1.000894", "1.001193"]),
    ],
)
def test_search_ignores_diacritics_and_case(client, catalogue, q, expected):
    assert codes(client.get(URL, {"q": q})) == expected


def test_search_puts_exact_code_then_code_prefix_then_name_prefix_first(client, catalogue):
    # Name starts with the words → before a procedure that only has them as keywords.
    assert codes(client.get(URL, {"q": "dang ky ket hon"})) == ["1.000894", "1.004873"]
    # Every code starting with "1.00", by name.
    assert codes(client.get(URL, {"q": "1.00"})) == [
        "1.004873",
        "1.004227",
        "1.000894",
        "1.001193",
    ]
    # The exact code first, even when others would also match.
    version = ProcedureVersionFactory(
        published=True, procedure__code="1.100489", name="Thủ tục 1.000894 liên quan"
    )
    services.procedure_refresh_search_text(procedure=version.procedure)
    assert codes(client.get(URL, {"q": "1.000894"})) == ["1.000894", "1.100489"]


def test_drafts_scheduled_and_abolished_procedures_are_not_listed(client, catalogue):
    listed = codes(client.get(URL, {"q": "dang ky", "page_size": 100}))
    assert not {"2.000001", "2.000002", "2.000003"} & set(listed)


def test_filters(client, catalogue, units):
    assert codes(client.get(URL, {"sector": "DD"})) == ["1.004227"]
    # 1.004873 only has "đăng ký kết hôn" as keywords: after the names starting with "dang ky".
    assert codes(client.get(URL, {"sector": "HT", "q": "dang ky"})) == [
        "1.000894",
        "1.001193",
        "1.004873",
    ]
    assert codes(client.get(URL, {"level": "province"})) == ["1.004227"]
    assert codes(client.get(URL, {"level": "commune", "online_level": "full"})) == ["1.001193"]
    assert codes(client.get(URL, {"online_level": "partial"})) == ["1.000894"]
    assert codes(client.get(URL, {"agency": units.agency_b.code})) == ["1.000894"]
    assert codes(client.get(URL, {"sector": "KHONGCO"})) == []
    # Empty parameters (a form submitted as is) mean "no filter".
    assert len(codes(client.get(URL, {"level": "", "online_level": "", "sector": ""}))) == 4


@pytest.mark.parametrize(
    ("params", "field", "text"),
    [
        ({"level": "xa"}, "level", "Cấp thực hiện “xa” không hợp lệ"),
        ({"online_level": "4"}, "online_level", "Mức độ dịch vụ công trực tuyến “4”"),
        ({"page": "0"}, "page", "lớn hơn hoặc bằng 1"),
        ({"page": "hai"}, "page", "số nguyên"),
        ({"page_size": "101"}, "page_size", "nhỏ hơn hoặc bằng 100"),
        ({"q": "x" * 201}, "q", "tối đa 200"),
    ],
)
def test_bad_filters_are_422_with_a_vietnamese_message(client, catalogue, params, field, text):
    body = assert_error(client.get(URL, params), 422, "validation_error")
    assert body["message"] == "Dữ liệu gửi lên không hợp lệ."
    [error] = body["details"]
    assert error["loc"] == ["query", field]
    assert text in error["message"]


def test_bad_filter_message_in_english(client, catalogue):
    body = assert_error(
        client.get(URL, {"level": "xa"}, HTTP_ACCEPT_LANGUAGE="en"), 422, "validation_error"
    )
    assert body["message"] == "The submitted data is invalid."
    assert body["details"][0]["message"] == (
        "Implementation level “xa” is invalid; use one of: central, province, district, commune."
    )


def test_pagination(client, catalogue):
    first = client.get(URL, {"page_size": 3}).json()
    assert (first["count"], first["pages"], len(first["items"])) == (4, 2, 3)
    second = client.get(URL, {"page_size": 3, "page": 2}).json()
    assert [i["code"] for i in second["items"]] == ["1.001193"]
    beyond = client.get(URL, {"page_size": 3, "page": 9}).json()
    assert (beyond["count"], beyond["page"], beyond["items"]) == (4, 9, [])


def test_list_runs_a_fixed_number_of_queries(client, catalogue, django_assert_num_queries):
    sector = SectorFactory(code="TC", name="Tài chính")
    for n in range(25):
        version = ProcedureVersionFactory(
            published=True,
            procedure__code=f"1.2000{n:02d}",
            name=f"Thủ tục tài chính {n}",
            sector=sector,
        )
        services.procedure_refresh_search_text(procedure=version.procedure)
        option = ChannelOptionFactory(version=version, time_limit_unit=TimeUnit.CALENDAR_DAYS)
        option.fees.create(order=1, amount=10_000)
        option.fees.create(order=2, amount=None)
    # count, page, channel options, fees
    with django_assert_num_queries(4):
        response = client.get(URL, {"page_size": 100})
    assert response.json()["count"] == 29
    with django_assert_num_queries(4):
        response = client.get(
            URL, {"q": "thu tuc tai chinh", "sector": "TC", "page_size": 10, "page": 2}
        )
    assert len(response.json()["items"]) == 10


# --- Sectors -------------------------------------------------------------------------------


def test_sectors_with_the_number_of_procedures_in_force(client, catalogue):
    SectorFactory(code="XD", name="Xây dựng")
    response = client.get(f"{URL}/sectors")

    assert response.status_code == 200
    # Folded names: "dat dai", "ho tich", "xay dung" ("Đ" is not sorted after "Z").
    assert response.json() == [
        {"code": "DD", "name": "Đất đai", "count": 1},
        {"code": "HT", "name": "Hộ tịch", "count": 3},
        {"code": "XD", "name": "Xây dựng", "count": 0},
    ]


# --- Detail --------------------------------------------------------------------------------


def test_detail_has_everything_a_citizen_needs_before_coming(client, catalogue, units):
    response = client.get(f"{URL}/1.001193")

    assert response.status_code == 200
    body = response.json()
    birth = catalogue["birth"]
    assert body["code"] == "1.001193"
    assert body["name"] == "Đăng ký khai sinh"
    assert body["sector"] == {"code": "HT", "name": "Hộ tịch"}
    assert body["levels"] == [{"value": "commune", "label": "Cấp xã"}]
    assert body["procedure_type"]["value"] == 1
    assert body["target_description"] == "Công dân Việt Nam"
    assert body["agencies"] == {
        "implementing": {"code": units.agency_a.code, "name": "UBND xã An Phú"},
        "competent": {"code": None, "name": "Chủ tịch UBND xã"},
        "authorised": None,
        "coordinating": [
            {"code": None, "name": "Công an xã"},
            {"code": None, "name": "Bảo hiểm xã hội huyện"},
        ],
    }
    assert body["intake_address"] == "Bộ phận Một cửa UBND xã An Phú, số 1 đường Trần Phú"
    assert body["requirements"].startswith("Người đi đăng ký khai sinh")
    assert body["online_level"] == {"value": "full", "label": "Toàn trình"}
    assert body["online_full_eligible"] is False
    assert body["boundary_free"] is True
    assert body["territorial_scope"] == [{"code": units.commune_a.code, "name": "Xã An Phú"}]
    assert body["cutoff"] == {
        "rule": {
            "value": "same_day_15h",
            "label": "Giải quyết trong ngày; nhận sau 15 giờ thì trả ngày làm việc tiếp theo",
        },
        "time": "15:00",
    }
    assert body["start_after_payment"] is False
    assert body["version"] == {
        "id": birth.pk,
        "number": 1,
        "status": {"value": "published", "label": "Đã công bố"},
        "effective_date": "2025-01-01",
        "effective_to": None,
        "decision": {
            "number": "15/QĐ-UBND",
            "date": "2025-01-01",
            "summary": "Công bố danh mục thủ tục hành chính lĩnh vực hộ tịch",
        },
    }
    assert body["results"] == [{"order": 1, "name": "Giấy khai sinh", "document_code": "KQ01"}]
    assert body["legal_bases"] == [
        {
            "order": 1,
            "number": "60/2014/QH13",
            "name": "Luật Hộ tịch",
            "issued_date": "2014-11-20",
            "issuer": "Quốc hội",
        }
    ]

    [case] = body["cases"]
    assert case["id"] == birth.cases.get().pk
    assert case["name"] == "Trường hợp chung"
    assert [(d["name"], d["originals"], d["copies"]) for d in case["documents"]] == [
        ("Tờ khai đăng ký khai sinh", 1, 0),
        ("Giấy chứng sinh", 1, 0),
        ("Giấy tờ tùy thân của người đi đăng ký", 0, 1),
    ]
    assert case["documents"][0]["form"] is None
    form = case["documents"][1]["form"]
    assert form["name"] == "Mẫu giấy chứng sinh"
    assert form["url"] == "https://example.vn/mau-giay-chung-sinh.pdf"
    assert form["file"]["name"] == "giay-chung-sinh.pdf"
    assert form["file"]["content_type"] == "application/pdf"
    assert form["file"]["size"] == len(PDF)
    assert form["file"]["download_url"] == (
        f"http://testserver/api/v1/procedures/1.001193/forms/{form['file']['uuid']}"
    )
    assert case["steps"] == [{"order": 1, "description": "Nộp hồ sơ tại Bộ phận Một cửa"}]
    assert case["channels"] == [
        {
            "channel": {"value": "direct", "label": "Trực tiếp"},
            "time_limit": {
                "value": 1,
                "unit": "working_days",
                "unit_label": "Ngày làm việc",
                "text": "1 ngày làm việc",
            },
            "description": "",
            "fees": [
                {
                    "amount": 0,
                    "unit": "",
                    "description": "Miễn lệ phí đăng ký khai sinh đúng hạn",
                    "text": "Không thu",
                }
            ],
        },
        {
            "channel": {"value": "online", "label": "Trực tuyến"},
            "time_limit": {
                "value": 1,
                "unit": "working_days",
                "unit_label": "Ngày làm việc",
                "text": "1 ngày làm việc",
            },
            "description": "",
            "fees": [],
        },
    ]


def test_detail_channels_are_per_case(client, catalogue):
    body = client.get(f"{URL}/1.000894").json()

    general, foreign = body["cases"]
    assert [c["channel"]["value"] for c in general["channels"]] == ["direct", "online"]
    assert foreign["name"] == "Kết hôn có yếu tố nước ngoài"
    direct = foreign["channels"][0]
    assert direct["time_limit"]["text"] == "10 ngày làm việc"
    assert direct["description"] == "10 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ"
    assert direct["fees"] == [
        {
            "amount": 1_500_000,
            "unit": "đồng/trường hợp",
            "description": "",
            "text": "1.500.000 đồng/trường hợp",
        }
    ]
    # The shared online channel still applies to the foreign case.
    assert [c["channel"]["value"] for c in foreign["channels"]] == ["direct", "online"]


def test_detail_fee_not_confirmed_is_null_with_its_description(client, catalogue):
    body = client.get(f"{URL}/1.004227").json()
    fees = body["cases"][0]["channels"][0]["fees"]
    assert fees == [
        {
            "amount": 50_000,
            "unit": "",
            "description": "Lệ phí cấp giấy chứng nhận",
            "text": "50.000 đồng",
        },
        {
            "amount": None,
            "unit": "",
            "description": "Phí thẩm định hồ sơ: theo Nghị quyết của HĐND tỉnh",
            "text": "Chưa xác định mức thu",
        },
    ]


def test_detail_shows_the_version_in_force_not_a_newer_draft_or_scheduled_one(client, catalogue):
    birth = catalogue["birth"]
    draft = services.procedure_version_create_draft(actor=None, procedure=birth.procedure)
    services.procedure_version_update(actor=None, version=draft, name="Đăng ký khai sinh (mới)")
    publish(draft, effective=dt.date(2099, 1, 1), number="77/QĐ-UBND")

    body = client.get(f"{URL}/1.001193").json()
    assert body["name"] == "Đăng ký khai sinh"
    assert body["version"]["number"] == 1
    assert body["version"]["effective_to"] == "2099-01-01"


def test_detail_runs_a_fixed_number_of_queries(client, catalogue, django_assert_num_queries):
    # The version and its one-to-one parts, then one query per kind of part (coordinating
    # agencies, scope, legal bases, results, cases, documents, blank forms, steps, channels,
    # fees, internal processes, their steps).
    with django_assert_num_queries(13):
        client.get(f"{URL}/1.001193")
    # More cases, documents, steps and channels do not add queries.
    marriage = catalogue["marriage"]
    draft = services.procedure_version_create_draft(actor=None, procedure=marriage.procedure)
    for n in range(4):
        case = services.case_create(actor=None, version=draft, name=f"Trường hợp {n}")
        services.document_create(
            actor=None,
            case=case,
            name="Giấy tờ",
            form_file=SimpleUploadedFile(f"mau-{n}.pdf", PDF, content_type="application/pdf"),
        )
        services.step_create(actor=None, case=case, description="Bước")
        option = services.channel_option_create(
            actor=None, version=draft, case=case, channel=Channel.POSTAL, time_limit_value=5
        )
        services.fee_create(actor=None, channel_option=option, amount=20_000)
    publish(draft, effective=timezone.localdate(), number="78/QĐ-UBND")
    with django_assert_num_queries(13):
        response = client.get(f"{URL}/1.000894")
    assert len(response.json()["cases"]) == 6


def test_unknown_code_is_a_404_with_the_uniform_body(client, catalogue):
    body = assert_error(client.get(f"{URL}/9.999999"), 404, "procedures.not_found")
    assert body["message"] == "Không tìm thấy thủ tục “9.999999”."
    assert body["details"] is None


@pytest.mark.parametrize("code", ["abc", "1.0011", "1.001193x", "1.00%001193", "%E2%80%8B"])
def test_a_code_that_cannot_exist_is_a_404_without_a_500(client, catalogue, code):
    assert_error(client.get(f"{URL}/{code}"), 404, "procedures.not_found")
    assert_error(client.get(f"{URL}/{code}/expected-return"), 404, "procedures.not_found")


def test_a_draft_only_procedure_is_not_found(client, catalogue):
    body = assert_error(client.get(f"{URL}/2.000001"), 404, "procedures.not_found")
    assert "2.000001" in body["message"]


def test_a_procedure_not_in_force_yet_is_a_404_with_a_specific_message(client, catalogue):
    body = assert_error(client.get(f"{URL}/2.000002"), 404, "procedures.not_in_force")
    today = timezone.localdate()
    assert body["message"] == (
        f"Thủ tục 2.000002 không có phiên bản nào có hiệu lực vào ngày {today:%d/%m/%Y}; "
        "phiên bản tiếp theo có hiệu lực từ ngày 01/01/2099."
    )
    assert body["details"] == {
        "code": "2.000002",
        "date": today.isoformat(),
        "next_effective_date": "2099-01-01",
        "ended_on": None,
    }


def test_an_abolished_procedure_is_a_404_with_a_specific_message(client, catalogue):
    body = assert_error(client.get(f"{URL}/2.000003"), 404, "procedures.not_in_force")
    assert "đã hết hiệu lực" in body["message"]
    assert "01/06/2025" in body["message"]
    assert body["details"]["ended_on"] == "2025-06-01"
    assert body["details"]["next_effective_date"] is None


def test_not_found_in_english(client, catalogue):
    body = assert_error(
        client.get(f"{URL}/9.999999", HTTP_ACCEPT_LANGUAGE="en"), 404, "procedures.not_found"
    )
    assert body["message"] == "Procedure “9.999999” was not found."
    body = assert_error(
        client.get(f"{URL}/2.000003", HTTP_ACCEPT_LANGUAGE="en"), 404, "procedures.not_in_force"
    )
    assert body["message"].startswith("Procedure 2.000003 is no longer in force")


def test_labels_in_english(client, catalogue):
    body = client.get(f"{URL}/1.001193", HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["levels"] == [{"value": "commune", "label": "Commune level"}]
    assert body["online_level"]["label"] == "Fully online"
    assert body["cases"][0]["channels"][0]["channel"]["label"] == "In person"
    assert body["cases"][0]["channels"][0]["time_limit"]["text"] == "1 working days"


# --- Blank forms ---------------------------------------------------------------------------


def test_blank_form_downloads_without_a_token(client, catalogue):
    body = client.get(f"{URL}/1.001193").json()
    file = body["cases"][0]["documents"][1]["form"]["file"]

    response = client.get(file["download_url"])

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    assert "giay-chung-sinh.pdf" in response["Content-Disposition"]


def test_blank_form_of_another_procedure_or_a_draft_is_not_found(client, catalogue):
    uuid = client.get(f"{URL}/1.001193").json()["cases"][0]["documents"][1]["form"]["file"]["uuid"]
    assert_error(client.get(f"{URL}/1.000894/forms/{uuid}"), 404, "not_found")
    assert_error(
        client.get(f"{URL}/1.001193/forms/00000000-0000-0000-0000-000000000000"), 404, "not_found"
    )
    draft = catalogue["draft"]
    doc = services.document_create(
        actor=None,
        case=draft.cases.get(),
        name="Tờ khai nháp",
        form_file=SimpleUploadedFile("nhap.pdf", PDF, content_type="application/pdf"),
    )
    assert_error(client.get(f"{URL}/2.000001/forms/{doc.form_template.uuid}"), 404, "not_found")
    assert client.get(f"{URL}/1.001193/forms/not-a-uuid").status_code == 422


# --- Public access, throttling, OpenAPI --------------------------------------------------------


def test_a_bad_token_does_not_matter_on_public_routes(client, catalogue):
    response = client.get(URL, HTTP_AUTHORIZATION="Bearer egov_nonsense")
    assert response.status_code == 200


def test_public_routes_are_throttled_per_client_address(client, catalogue, settings):
    settings.EGOV_API_PUBLIC_RATE = "3/min"
    assert client.get(URL).status_code == 200
    assert client.get(f"{URL}/1.001193").status_code == 200
    assert client.get(f"{URL}/sectors").status_code == 200

    response = client.get(f"{URL}/1.001193/expected-return")
    body = assert_error(response, 429, "auth.throttled")
    assert 0 < int(response["Retry-After"]) <= 60
    assert 0 < body["details"]["retry_after"] <= 60
    # Counted in the shared cache, apart from the token endpoint's counter.
    assert PUBLIC_RATE_LIMIT.count("127.0.0.1") == 4
    assert TokenRateThrottle().count("127.0.0.1") == 0
    # Another address has its own allowance.
    assert Client(REMOTE_ADDR="10.0.0.9").get(URL).status_code == 200


def test_openapi_lists_the_public_routes(client, catalogue):
    schema = json.loads(client.get("/api/v1/openapi.json").content)
    paths = schema["paths"]
    expected = {
        "/api/v1/procedures",
        "/api/v1/procedures/sectors",
        "/api/v1/procedures/{code}",
        "/api/v1/procedures/{code}/expected-return",
        "/api/v1/procedures/{code}/forms/{uuid}",
    }
    assert expected <= set(paths)
    for path in expected:
        assert "security" not in paths[path]["get"], path  # public: no token
        assert "429" in paths[path]["get"]["responses"], path
    list_params = {p["name"] for p in paths["/api/v1/procedures"]["get"]["parameters"]}
    assert list_params == {"q", "sector", "level", "agency", "online_level", "page", "page_size"}
    due_params = {
        p["name"] for p in paths["/api/v1/procedures/{code}/expected-return"]["get"]["parameters"]
    }
    assert due_params == {"code", "channel", "case", "at", "unit"}
    assert set(paths["/api/v1/procedures/{code}"]["get"]["responses"]) >= {"200", "404"}
    components = schema["components"]["schemas"]
    assert {"ProcedurePageOut", "ProcedureDetailOut", "ExpectedReturnOut"} <= set(components)


@pytest.mark.parametrize("value", ["²", "¹", "99999999999999999999999"])
def test_odd_sector_and_agency_values_match_nothing_instead_of_failing(client, catalogue, value):
    for name in ("sector", "agency"):
        response = client.get(URL, {name: value})
        assert response.status_code == 200, response.content
        assert response.json()["count"] == 0
