"""The national TTHC JSON package: mapping, the demo catalogue, round trip, broken files.

Every broken input is checked for its exact Vietnamese message and for the database being
unchanged afterwards (all or nothing)."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.utils import timezone

from egov.core.audit.models import AuditEvent
from egov.procedures.constants import (
    Channel,
    CutoffRule,
    OnlineLevel,
    TargetGroup,
    TimeUnit,
    VersionStatus,
)
from egov.procedures.interchange import national_json
from egov.procedures.interchange.errors import FileRejected
from egov.procedures.interchange.importer import ImportOptions, import_procedures
from egov.procedures.interchange.services import import_file
from egov.procedures.interchange.snapshot import (
    export_file,
    version_to_data,
    versions_for_export,
)
from egov.procedures.models import Procedure, ProcedureVersion, Sector
from egov.procedures.tests.factories import ProcedureVersionFactory, full_version
from egov.procedures.tests.interchange_samples import (
    catalogue_bytes,
    db_state,
    national,
    package,
    wipe_catalogue,
)

pytestmark = pytest.mark.django_db


def run(raw, **options):
    return import_file(raw=raw, name="goi.json", options=ImportOptions(**options))


def messages(result):
    return [str(issue) for issue in result.issues]


def snapshots():
    return {v.procedure.code: version_to_data(v) for v in versions_for_export(None)}


# --- Reading the national format -------------------------------------------------------------


def test_demo_catalogue_parses_without_a_problem():
    parsed = national_json.parse(catalogue_bytes())
    assert parsed.issues == []
    assert len(parsed.procedures) == 44
    assert len({p.code for p in parsed.procedures}) == 44


def test_birth_registration_is_mapped_field_by_field():
    birth = next(
        p for p in national_json.parse(catalogue_bytes()).procedures if p.code == "1.001193"
    )
    assert birth.name == "Thủ tục đăng ký khai sinh"
    assert birth.levels == ["commune"]
    assert birth.sector_name == "Hộ tịch"
    assert birth.procedure_type == 2
    assert birth.cutoff_rule == CutoffRule.SAME_DAY_15H
    assert birth.online_level == OnlineLevel.FULL and birth.online_full_eligible
    assert birth.target_group == TargetGroup.CITIZEN
    assert birth.target_description == "Công dân Việt Nam\nNgười Việt Nam định cư ở nước ngoài"
    # "Giấy tờ phải nộp / phải xuất trình" in TRUONGHOP are document groups, not cases:
    # one case, 5 documents to hand in and 2 to show, and the 5 steps.
    assert birth.case_names == ["Trường hợp chung"]
    groups = [d.group for d in birth.cases[0].documents]
    assert groups == ["Giấy tờ phải nộp"] * 5 + ["Giấy tờ phải xuất trình"] * 2
    assert len(birth.cases[0].steps) == 5
    assert birth.cases[0].documents[0].form_name == "Tờ khai đăng ký khai sinh"
    assert [c.channel for c in birth.channels] == [Channel.DIRECT, Channel.ONLINE, Channel.POSTAL]
    assert {(c.value, c.unit) for c in birth.channels} == {(1, TimeUnit.WORKING_DAYS)}
    assert birth.channels[0].fees[0].amount == 0
    assert birth.legal_bases[0].number == "60/2014/QH13"
    assert birth.legal_bases[0].issued_date == dt.date(2014, 11, 20)
    assert birth.decision_number == "163/QĐ-BTP" and birth.decision_date is None
    assert [s.hours for s in birth.processes[0].steps] == [
        Decimal("0.5"),
        Decimal(2),
        Decimal(1),
        Decimal("0.25"),
        Decimal("0.25"),
    ]
    assert birth.payload["_egov"]["sector_group"] == "justice"


def test_levels_units_fees_and_parallel_labels():
    item = national(
        CAPTHUCHIEN=[{"TENCAP": "Cấp bộ"}, {"TENCAP": "Cấp xã"}, {"TENCAP": "Cơ quan khác"}],
        CACHTHUCTHUCHIEN=[
            {
                "KENH": 2,
                "THOIGIAN": [
                    {
                        "THOIGIANGIAIQUYET": 16,
                        "DONVITINH": "Giờ",
                        "PHILEPHI": [{"MOTA": "Theo Nghị quyết HĐND tỉnh", "SOTIEN": None}],
                    }
                ],
            },
            {"KENH": "3", "THOIGIAN": [{"THOIGIANGIAIQUYET": "1", "DONVITINH": "Tháng"}]},
        ],
        _egov={
            "level_key": "district",
            "internal_process": [
                {"name": "Tiếp nhận", "role": "desk_clerk", "hours": 2},
                {
                    "name": "Ý kiến phòng A",
                    "role": "specialist",
                    "hours": 8,
                    "parallel_group": "y-kien",
                },
                {
                    "name": "Ý kiến phòng B",
                    "role": "specialist",
                    "hours": 4,
                    "parallel_group": "y-kien",
                },
                {"name": "Ký", "role": "Lãnh đạo UBND", "hours": "2,5"},
            ],
        },
    )
    data = national_json.parse(package(item)).procedures[0]
    assert data.levels == ["commune", "district", "central"]
    assert [(c.channel, c.value, c.unit) for c in data.channels] == [
        (Channel.ONLINE, 16, TimeUnit.HOURS),
        (Channel.POSTAL, 1, TimeUnit.MONTHS),
    ]
    fee = data.channels[0].fees[0]
    assert fee.amount is None and fee.description == "Theo Nghị quyết HĐND tỉnh"
    assert [s.parallel_group for s in data.processes[0].steps] == [None, 1, 1, None]
    assert data.processes[0].steps[3].role == "leader"
    assert data.processes[0].steps[3].hours == Decimal("2.5")
    assert data.online_level == OnlineLevel.PARTIAL  # an online channel, no _egov value


def test_a_single_procedure_or_a_list_is_accepted():
    one = json.dumps(national()).encode()
    assert [p.code for p in national_json.parse(one).procedures] == ["1.900001"]
    many = json.dumps([national("1.900001"), national("1.900002")]).encode()
    assert len(national_json.parse(many).procedures) == 2


# --- The demo catalogue ----------------------------------------------------------------------


def test_whole_demo_catalogue_imports_and_a_second_import_changes_nothing():
    result = run(catalogue_bytes())
    assert result.ok, messages(result)[:5]
    assert len(result.created) == 44
    assert Procedure.objects.count() == 44
    assert ProcedureVersion.objects.filter(status=VersionStatus.DRAFT).count() == 44
    birth = ProcedureVersion.objects.for_detail().get(procedure__code="1.001193")
    assert birth.national_payload["MaTTHC"] == "1.001193"  # the raw package is kept (A1)
    assert [c.name for c in birth.ordered_cases()] == ["Trường hợp chung"]
    assert [d.group for d in birth.ordered_cases()[0].ordered_documents()][-1] == (
        "Giấy tờ phải xuất trình"
    )
    assert birth.implementing_agency_name == "Ủy ban nhân dân cấp xã"
    assert birth.decision_number == "163/QĐ-BTP"  # kept on the draft until published
    imports = AuditEvent.objects.filter(action="procedures.version.import")
    assert imports.count() == 44
    assert imports.first().after["cases"] >= 1

    before = db_state()
    again = run(catalogue_bytes(), on_existing="update")
    assert again.ok and len(again.unchanged) == 44 and not again.new_versions
    assert db_state() == before


def test_json_round_trip_gives_the_same_content():
    assert run(catalogue_bytes()).ok
    first = snapshots()
    content, name, content_type = export_file(versions_for_export(None), "json")
    assert name.endswith(".json") and content_type == "application/json"
    package_out = json.loads(content)
    assert len(package_out["THUTUC"]) == 44
    # Keys the import does not model are carried over (the demo's sources and notes).
    exported_birth = next(p for p in package_out["THUTUC"] if p["MaTTHC"] == "1.001193")
    assert exported_birth["_egov"]["source"].startswith("chatbot-tthc")
    # The export is the same content: importing it again as an update changes nothing...
    before = db_state()
    assert run(content, on_existing="update").unchanged == sorted(first)
    assert db_state() == before
    # ...and into an empty catalogue it gives back the same procedures.
    wipe_catalogue()
    assert run(content).ok
    assert snapshots() == first


# --- Updates and publication -----------------------------------------------------------------


def test_existing_code_is_an_error_by_default():
    full_version(code="1.900001")
    before = db_state()
    result = run(package(national("1.900001")))
    assert messages(result) == [
        "Thủ tục thứ 1 (1.900001): Mã thủ tục 1.900001 đã tồn tại. Muốn cập nhật, hãy chọn "
        "“cập nhật thủ tục đã có” (lệnh: --update): hệ thống tạo phiên bản mới ở dạng bản nháp."
    ]
    assert db_state() == before


def test_update_creates_a_new_draft_and_never_edits_the_published_version():
    today = timezone.localdate()
    assert run(package(national("1.900001")), publish=True).published == ["1.900001"]
    v1 = ProcedureVersion.objects.get(procedure__code="1.900001")
    assert v1.status == VersionStatus.PUBLISHED and v1.effective_date == today

    changed = national("1.900001", TENTTHC="Thủ tục thử nghiệm nhập (sửa đổi)")
    result = run(package(changed), on_existing="update")
    assert result.new_versions == ["1.900001"]
    v1.refresh_from_db()
    assert v1.status == VersionStatus.PUBLISHED and v1.name == "Thủ tục thử nghiệm nhập"
    v2 = ProcedureVersion.objects.get(procedure__code="1.900001", number=2)
    assert v2.status == VersionStatus.DRAFT and v2.based_on == v1
    assert v2.name == "Thủ tục thử nghiệm nhập (sửa đổi)"
    assert v2.cases.get().documents.get().name == "Tờ khai"

    # Another change while that draft exists: refused, nothing written.
    before = db_state()
    again = run(package(national("1.900001", TENTTHC="Lần ba")), on_existing="update")
    assert messages(again) == [
        "Thủ tục thứ 1 (1.900001): Thủ tục 1.900001 đang có bản nháp (phiên bản 2); hãy hoàn "
        "thành hoặc hủy bản nháp đó trước."
    ]
    assert db_state() == before
    # The same content as the draft, with --publish: the draft is published.
    published = run(package(changed), on_existing="update", publish=True)
    assert published.ok and published.published == ["1.900001"]
    v2.refresh_from_db()
    assert v2.status == VersionStatus.PUBLISHED
    v1.refresh_from_db()
    assert v1.status == VersionStatus.SUPERSEDED


def test_publishing_needs_a_decision_and_refuses_a_past_effective_date():
    item = national("1.900001", NGAYQUYETDINH="2025-03-01")
    result = run(package(item), publish=True)
    today = timezone.localdate().strftime("%d/%m/%Y")
    assert messages(result) == [
        "Thủ tục thứ 1 (1.900001), NGAYQUYETDINH: Ngày có hiệu lực 01/03/2025 đã qua: hồ sơ đã "
        "tiếp nhận giữ nguyên phiên bản cũ, nên phiên bản mới chỉ được có hiệu lực từ hôm nay "
        f"({today}) trở đi."
    ]
    assert Procedure.objects.count() == 0
    # The system recording a decision that already took effect may back-date it.
    ok = run(package(item), publish=True, allow_backdate=True)
    assert ok.published == ["1.900001"]
    assert ProcedureVersion.objects.get().effective_date == dt.date(2025, 3, 1)

    missing = national("1.900002", SOQUYETDINH="", NGAYQUYETDINH="")
    assert messages(run(package(missing), publish=True)) == [
        "Thủ tục thứ 1 (1.900002), SOQUYETDINH: Hãy nhập số quyết định.",
        "Thủ tục thứ 1 (1.900002), NGAYQUYETDINH: Hãy nhập ngày ký quyết định.",
        "Thủ tục thứ 1 (1.900002), NGAYQUYETDINH: Hãy nhập ngày có hiệu lực.",
    ]


def test_dry_run_checks_everything_and_writes_nothing():
    before = db_state()
    result = run(catalogue_bytes(), dry_run=True)
    assert result.ok and len(result.created) == 44
    assert result.summary().startswith("Chạy thử xong, tệp hợp lệ (chưa ghi gì)")
    assert db_state() == before


def test_unit_admin_imports_for_their_agency_and_names_are_linked(units):
    item = national("1.900001", COQUANTHUCHIEN=[{"TENDONVI": "UBND xã An Phú"}])
    options = {
        "actor": units.admin_a,
        "responsible_agency": units.agency_a,
        "unit": units.commune_a,
    }
    result = run(package(item), **options)
    assert result.ok, messages(result)
    version = ProcedureVersion.objects.select_related("procedure").get()
    assert version.procedure.responsible_agency == units.agency_a
    assert version.implementing_agency == units.agency_a
    assert version.implementing_agency_name == "UBND xã An Phú"
    assert version.sector == units.sector  # "Hộ tịch" matched by name


def test_unit_admin_may_not_add_sectors_nor_import_for_another_agency(units):
    before = db_state()
    other_sector = national("1.900001", LINHVUCTHUCHIEN=[{"TENLINHVUC": "Lĩnh vực chưa có"}])
    result = run(package(other_sector), actor=units.admin_a, responsible_agency=units.agency_a)
    assert messages(result) == [
        "Thủ tục thứ 1 (1.900001): Lĩnh vực “Lĩnh vực chưa có” chưa có trong danh mục lĩnh vực; "
        "chỉ quản trị hệ thống được thêm lĩnh vực mới (hoặc sửa tên lĩnh vực cho khớp danh mục)."
    ]
    result = run(package(national()), actor=units.admin_a, responsible_agency=units.agency_b)
    assert messages(result) == [
        "Thủ tục thứ 1 (1.900001): Chỉ quản trị đơn vị của cơ quan chịu trách nhiệm (hoặc quản "
        "trị hệ thống) mới được sửa, công bố thủ tục 1.900001."
    ]
    assert db_state() == before


def test_the_system_creates_missing_sectors_once():
    items = [
        national("1.900001", LINHVUCTHUCHIEN=[{"TENLINHVUC": "Giám định tư pháp"}]),
        national("1.900002", LINHVUCTHUCHIEN=[{"TENLINHVUC": "Giám định tư pháp"}]),
    ]
    assert run(package(*items)).ok
    sector = Sector.objects.get(name="Giám định tư pháp")
    assert sector.code == "giam-dinh-tu-phap"
    assert ProcedureVersion.objects.filter(sector=sector).count() == 2


# --- Broken files: the exact message, and nothing written -----------------------------------


def assert_refused(raw, expected, **options):
    before = db_state()
    result = run(raw, **options)
    assert messages(result) == expected
    assert not result.created and not result.published
    assert db_state() == before


def test_not_json():
    assert_refused(
        b'{"THUTUC": [}',
        [
            "Tệp không phải JSON hợp lệ (lỗi ở dòng 1, cột 13): hãy kiểm tra dấu phẩy, ngoặc "
            "và dấu nháy."
        ],
    )


def test_not_utf8_and_empty_package():
    assert_refused(
        '{"THUTUC": ["Hộ tịch"]}'.encode("utf-16"),
        ["Tệp không phải văn bản UTF-8; hãy lưu lại tệp JSON với mã UTF-8."],
    )
    assert_refused(b'{"THUTUC": []}', ["Tệp không có thủ tục nào."])


@pytest.mark.parametrize("raw", [b'{"foo": 1}', b"42", b'{"THUTUC": {"MaTTHC": "1"}}'])
def test_wrong_structure(raw):
    assert_refused(
        raw,
        [
            "Tệp JSON không đúng cấu trúc gói thủ tục quốc gia: cần một thủ tục (có “MaTTHC”), "
            'một danh sách thủ tục, hoặc {"THUTUC": [...]}.'
        ],
    )


def test_wrong_types_inside_a_procedure():
    item = national("1.900001", CACHTHUCTHUCHIEN={"KENH": 1}, THANHPHANHOSO=["Tờ khai"])
    assert_refused(
        package(item, "không phải thủ tục"),
        [
            "Thủ tục thứ 1 (1.900001), THANHPHANHOSO[0]: Phải là một đối tượng JSON ({...}).",
            "Thủ tục thứ 1 (1.900001), CACHTHUCTHUCHIEN: Phải là một danh sách JSON ([...]).",
            "Thủ tục thứ 2: Phải là một đối tượng JSON ({...}).",
        ],
    )


def test_unknown_time_unit_in_the_third_procedure_stops_the_whole_file():
    bad = national("1.001193")
    bad["CACHTHUCTHUCHIEN"][0]["THOIGIAN"][0]["DONVITINH"] = "tuần"
    assert_refused(
        package(national("1.900001"), national("1.900002"), bad),
        [
            "Thủ tục thứ 3 (1.001193), CACHTHUCTHUCHIEN[0].THOIGIAN[0].DONVITINH: Đơn vị thời "
            "gian “tuần” không hợp lệ (chỉ nhận: Ngày làm việc, Ngày, Giờ làm việc, Tháng)"
        ],
    )


def test_unknown_channel_level_and_bad_numbers():
    item = national(
        "1.900001",
        CAPTHUCHIEN=[{"TENCAP": "Cấp thôn"}],
        CACHTHUCTHUCHIEN=[{"KENH": 4, "THOIGIAN": [{"THOIGIANGIAIQUYET": 0, "DONVITINH": "Ngày"}]}],
        LOAITTHC=7,
    )
    item["THANHPHANHOSO"][0]["GIAYTO"][0]["SOBANSAO"] = -1
    item["CACHTHUCTHUCHIEN"][0]["THOIGIAN"][0]["PHILEPHI"] = [{"SOTIEN": "năm nghìn"}]
    assert_refused(
        package(item),
        [
            "Thủ tục thứ 1 (1.900001), LOAITTHC: Loại thủ tục “7” không hợp lệ (chỉ nhận: 1 – "
            "không được luật giao cho địa phương quy định chi tiết, 2 – được luật giao cho địa "
            "phương quy định chi tiết, 3 – khác)",
            "Thủ tục thứ 1 (1.900001), CAPTHUCHIEN[0].TENCAP: Cấp thực hiện “Cấp thôn” không "
            "hợp lệ (chỉ nhận: Cấp xã, Cấp huyện, Cấp tỉnh, Cấp bộ, Cơ quan khác)",
            "Thủ tục thứ 1 (1.900001), THANHPHANHOSO[0].GIAYTO[0].SOBANSAO: Số bản “-1” không "
            "hợp lệ: hãy nhập số nguyên từ 0 trở lên",
            "Thủ tục thứ 1 (1.900001), CACHTHUCTHUCHIEN[0].KENH: Cách thức “4” không hợp lệ "
            "(chỉ nhận: 1 hoặc Trực tiếp, 2 hoặc Trực tuyến, 3 hoặc Dịch vụ bưu chính công ích)",
            "Thủ tục thứ 1 (1.900001), CACHTHUCTHUCHIEN[0].THOIGIAN[0].THOIGIANGIAIQUYET: Thời "
            "hạn giải quyết “0” không hợp lệ: hãy nhập số nguyên lớn hơn 0.",
            "Thủ tục thứ 1 (1.900001), CACHTHUCTHUCHIEN[0].THOIGIAN[0].PHILEPHI[0].SOTIEN: Số "
            "tiền “năm nghìn” không hợp lệ: hãy nhập số đồng (số nguyên từ 0 trở lên), hoặc để "
            "trống nếu mức thu chưa xác định",
        ],
    )


def test_duplicate_code_in_the_file_and_bad_code():
    assert_refused(
        package(national("1.900001"), national("1.900001"), national("19.0001")),
        [
            "Thủ tục thứ 2 (1.900001): Mã thủ tục 1.900001 bị trùng: đã có ở Thủ tục thứ 1 "
            "(1.900001) trong cùng tệp.",
            "Thủ tục thứ 3 (19.0001): Mã thủ tục “19.0001” không hợp lệ: mã phải có dạng "
            "d.dddddd, ví dụ 1.001193.",
        ],
    )


def test_missing_name_and_sector():
    item = national("1.900001", TENTTHC="", LINHVUCTHUCHIEN=[])
    assert_refused(
        package(item),
        [
            "Thủ tục thứ 1 (1.900001), TENTTHC: Thiếu tên thủ tục (TENTTHC).",
            "Thủ tục thứ 1 (1.900001), LINHVUCTHUCHIEN: Thiếu lĩnh vực "
            "(LINHVUCTHUCHIEN[0].TENLINHVUC).",
        ],
    )


def test_budgets_over_the_legal_limit():
    item = national(
        "1.900001",
        _egov={
            "internal_process": [
                {"name": "Tiếp nhận", "role": "desk_clerk", "hours": 4},
                {"name": "Xử lý", "role": "specialist", "hours": 16},
                {"name": "Ký", "role": "leader", "hours": 8},
            ]
        },
    )
    assert_refused(
        package(item),
        [
            "Thủ tục thứ 1 (1.900001), _egov.internal_process: Tổng thời gian các bước là 28 "
            "giờ, vượt thời hạn 3 ngày làm việc (24 giờ) – cách thức “Trực tiếp”, trường hợp "
            "“Trường hợp chung”."
        ],
    )


def test_bad_date():
    item = national("1.900001")
    item["CANCUPHAPLY"][0]["NGAYBANHANH"] = "31/02/2025"
    assert_refused(
        package(item),
        [
            "Thủ tục thứ 1 (1.900001), CANCUPHAPLY[0].NGAYBANHANH: Ngày “31/02/2025” không hợp "
            "lệ (nhập theo dạng dd/mm/yyyy, ví dụ 01/07/2025)"
        ],
    )


def test_a_procedure_with_a_bad_value_still_gets_its_budget_checked():
    item = national("1.900001")
    item["CANCUPHAPLY"][0]["NGAYBANHANH"] = "hôm qua"
    item["_egov"]["internal_process"][1]["hours"] = 30
    assert_refused(
        package(item),
        [
            "Thủ tục thứ 1 (1.900001), CANCUPHAPLY[0].NGAYBANHANH: Ngày “hôm qua” không hợp lệ "
            "(nhập theo dạng dd/mm/yyyy, ví dụ 01/07/2025)",
            "Thủ tục thứ 1 (1.900001), _egov.internal_process: Tổng thời gian các bước là 34 "
            "giờ, vượt thời hạn 3 ngày làm việc (24 giờ) – cách thức “Trực tiếp”, trường hợp "
            "“Trường hợp chung”.",
        ],
    )


def test_field_too_long_is_refused_by_the_models_validator():
    item = national("1.900001", SOQUYETDINH="Q" * 61)
    assert_refused(
        package(item),
        [
            "Thủ tục thứ 1 (1.900001): Số quyết định công bố: Giá trị này chỉ có tối đa 60 kí "
            "tự (hiện có 61)"
        ],
    )


def test_a_broken_file_leaves_an_existing_catalogue_untouched():
    version = ProcedureVersionFactory(published=True)
    before = db_state()
    bad = national("1.900009")
    bad["CACHTHUCTHUCHIEN"][0]["THOIGIAN"][0]["DONVITINH"] = "tuần"
    result = run(package(national("1.900008"), bad))
    assert not result.ok
    assert db_state() == before
    version.refresh_from_db()
    assert version.status == VersionStatus.PUBLISHED


def test_direct_parse_rejects_garbage():
    with pytest.raises(FileRejected):
        national_json.parse(b"\x00\x01")


def test_import_procedures_rejects_an_unknown_mode():
    with pytest.raises(ValueError):
        import_procedures(national_json.parse(package(national())), ImportOptions(on_existing="x"))


def test_document_groups_are_headings_not_cases(db) -> None:  # type: ignore[no-untyped-def]
    """The national data puts "Giấy tờ phải nộp / phải xuất trình" where cases go."""
    from egov.procedures.interchange.national_json import parse, procedure_to_json

    item = {
        "MaTTHC": "1.001193",
        "TENTTHC": "Thủ tục đăng ký khai sinh",
        "LOAITTHC": 1,
        "CAPTHUCHIEN": [{"TENCAP": "Cấp xã"}],
        "LINHVUCTHUCHIEN": [{"TENLINHVUC": "Hộ tịch"}],
        "CACHTHUCTHUCHIEN": [
            {"KENH": 1, "THOIGIAN": [{"THOIGIANGIAIQUYET": 1, "DONVITINH": "Ngày làm việc"}]}
        ],
        "THANHPHANHOSO": [
            {
                "TRUONGHOP": "Giấy tờ phải nộp",
                "GIAYTO": [{"TENGIAYTO": "Tờ khai", "SOBANCHINH": 1}],
            },
            {
                "TRUONGHOP": "Giấy tờ phải xuất trình",
                "GIAYTO": [{"TENGIAYTO": "Căn cước của người đi đăng ký", "SOBANCHINH": 1}],
            },
        ],
    }
    parsed = parse(json.dumps({"THUTUC": [item]}).encode())
    assert not parsed.issues, parsed.issues
    (data,) = parsed.procedures
    assert [case.name for case in data.cases] == ["Trường hợp chung"]
    assert [(d.name, d.group) for d in data.cases[0].documents] == [
        ("Tờ khai", "Giấy tờ phải nộp"),
        ("Căn cước của người đi đăng ký", "Giấy tờ phải xuất trình"),
    ]
    exported = procedure_to_json(data)
    assert [g["TRUONGHOP"] for g in exported["THANHPHANHOSO"]] == [
        "Giấy tờ phải nộp",
        "Giấy tờ phải xuất trình",
    ]
