"""The Excel workbook: the blank template, a workbook filled in by a clerk, the round trip,
and broken workbooks (exact row-by-row messages; nothing written)."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from egov.procedures.constants import Channel, CutoffRule, TimeUnit, VersionStatus
from egov.procedures.interchange import excel
from egov.procedures.interchange.errors import FileRejected
from egov.procedures.interchange.importer import ImportOptions
from egov.procedures.interchange.services import import_file
from egov.procedures.interchange.snapshot import (
    export_file,
    version_to_data,
    versions_for_export,
)
from egov.procedures.models import ProcedureVersion
from egov.procedures.tests.interchange_samples import catalogue_bytes, db_state, wipe_catalogue

pytestmark = pytest.mark.django_db

PROCEDURE = {
    "Mã thủ tục": "1.900101",
    "Tên thủ tục": "Chứng thực bản sao từ bản chính",
    "Lĩnh vực": "Chứng thực",
    "Cấp thực hiện": "Cấp xã, Cấp huyện",
    "Loại thủ tục": 1,
    "Đối tượng thực hiện": "Công dân Việt Nam\nTổ chức (không bao gồm doanh nghiệp, HTX)",
    "Mức độ dịch vụ công trực tuyến": "Một phần",
    "Phi địa giới hành chính": "Có",
    "Quy tắc giờ tiếp nhận": str(CutoffRule.SAME_DAY_15H.label),
    "Các trường hợp": "Bản sao giấy tờ\nBản sao văn bằng",
    "Cơ quan thực hiện": "Ủy ban nhân dân cấp xã\nPhòng Tư pháp",
    "Kết quả thực hiện": "Bản sao được chứng thực | KQ.G07.000010",
    "Căn cứ pháp lý": "23/2015/NĐ-CP | Nghị định về chứng thực | 16/02/2015 | Chính phủ",
    "Số quyết định công bố": "1024/QĐ-BTP",
    "Ngày quyết định": dt.datetime(2025, 6, 30),
    "Ngày có hiệu lực": "01/07/2025",
}
CHANNELS = [
    {
        "Mã thủ tục": "1.900101",
        "Cách thức": "Trực tiếp",
        "Thời hạn giải quyết": 1,
        "Đơn vị thời gian": "Ngày làm việc",
        "Phí, lệ phí (đồng)": "2.000",
        "Mô tả phí, lệ phí": "Phí chứng thực bản sao",
        "Đơn vị tính phí": "Đồng/trang",
    },
    {
        "Mã thủ tục": "1.900101",
        "Cách thức": "Trực tiếp",
        "Phí, lệ phí (đồng)": None,
        "Mô tả phí, lệ phí": "Từ trang thứ ba: theo Nghị quyết HĐND tỉnh",
    },
    {
        "Mã thủ tục": "1.900101",
        "Trường hợp": "Bản sao văn bằng",
        "Cách thức": "Dịch vụ bưu chính công ích",
        "Thời hạn giải quyết": 2,
        "Đơn vị thời gian": "Ngày làm việc",
    },
    {
        "Mã thủ tục": "1.900101",
        "Cách thức": "Trực tuyến",
        "Thời hạn giải quyết": 8,
        "Đơn vị thời gian": "Giờ làm việc",
    },
]
DOCUMENTS = [
    {"Mã thủ tục": "1.900101", "Tên giấy tờ": "Bản chính giấy tờ", "Số bản chính": 1},
    {
        "Mã thủ tục": "1.900101",
        "Trường hợp": "Bản sao văn bằng",
        "Tên giấy tờ": "Văn bằng gốc",
        "Số bản chính": 1,
        "Số bản sao": 2,
        "Đường dẫn mẫu đơn": "https://dichvucong.gov.vn/mau.docx",
    },
]
PROCESS = [
    {
        "Mã thủ tục": "1.900101",
        "Thứ tự": 2,
        "Bước công việc": "Chứng thực",
        "Vai trò": "Công chức Tư pháp - Hộ tịch",
        "Số giờ làm việc": 2,
    },
    {
        "Mã thủ tục": "1.900101",
        "Thứ tự": 1,
        "Bước công việc": "Tiếp nhận",
        "Vai trò": "Cán bộ tiếp nhận (Một cửa)",
        "Số giờ làm việc": "0,5",
    },
    {
        "Mã thủ tục": "1.900101",
        "Thứ tự": 3,
        "Bước công việc": "Ký",
        "Vai trò": "Lãnh đạo UBND",
        "Số giờ làm việc": 1,
        "Nhóm song song": 1,
    },
]
STEPS = [
    {"Mã thủ tục": "1.900101", "Thứ tự": 1, "Nội dung bước": "Nộp bản chính và bản sao"},
]


def workbook(
    procedures=(PROCEDURE,),
    channels=tuple(CHANNELS),
    documents=tuple(DOCUMENTS),
    process=tuple(PROCESS),
    steps=tuple(STEPS),
    *,
    drop_sheet=None,
    drop_column=None,
):
    """A workbook built from the blank template, filled in like a clerk would."""
    book = load_workbook(io.BytesIO(excel.template_bytes()))
    rows = {
        excel.SHEET_PROCEDURES: procedures,
        excel.SHEET_CHANNELS: channels,
        excel.SHEET_DOCUMENTS: documents,
        excel.SHEET_PROCESS: process,
        excel.SHEET_STEPS: steps,
    }
    for name, items in rows.items():
        sheet = book[name]
        sheet.delete_rows(2, sheet.max_row)  # the example rows
        headers = [str(c.value).rstrip(" *") for c in sheet[1]]
        for item in items:
            sheet.append([item.get(h) for h in headers])
        if drop_column and drop_column[0] == name:
            sheet.delete_cols(headers.index(drop_column[1]) + 1)
    if drop_sheet:
        del book[drop_sheet]
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def run(raw, **options):
    return import_file(raw=raw, name="thu-tuc.xlsx", options=ImportOptions(**options))


def texts(result):
    return [str(issue) for issue in result.issues]


# --- The template ----------------------------------------------------------------------------


def test_blank_template_has_the_sheets_headers_lists_and_an_example():
    book = load_workbook(io.BytesIO(excel.template_bytes()))
    assert book.sheetnames == [
        "Thủ tục",
        "Trình tự thực hiện",
        "Cách thức",
        "Thành phần hồ sơ",
        "Quy trình nội bộ",
        "Hướng dẫn",
        "Danh mục",
    ]
    assert book["Danh mục"].sheet_state == "hidden"
    channels = book["Cách thức"]
    assert [c.value for c in channels[1]][:5] == [
        "Mã thủ tục *",
        "Trường hợp",
        "Cách thức *",
        "Thời hạn giải quyết *",
        "Đơn vị thời gian *",
    ]
    assert channels["A2"].value == "Ví dụ: 1.001193"
    formulas = {str(v.sqref): v.formula1 for v in channels.data_validations.dataValidation}
    assert formulas["C2:C2000"] == "'Danh mục'!$A$2:$A$4"
    assert formulas["E2:E2000"] == "'Danh mục'!$B$2:$B$5"
    lists = book["Danh mục"]
    assert [lists.cell(row=r, column=2).value for r in range(2, 6)] == [
        "Ngày làm việc",
        "Ngày",
        "Giờ làm việc",
        "Tháng",
    ]
    roles = {
        str(v.sqref): v.formula1 for v in book["Quy trình nội bộ"].data_validations.dataValidation
    }
    assert roles["E2:E2000"].startswith("'Danh mục'!$D$2")
    levels = {str(v.sqref): v for v in book["Thủ tục"].data_validations.dataValidation}
    assert levels["E2:E2000"].errorStyle == "warning"  # "Cấp xã, Cấp huyện" is allowed


def test_the_untouched_template_imports_nothing():
    with pytest.raises(FileRejected) as exc:
        excel.parse(excel.template_bytes())
    assert str(exc.value) == "Tệp không có thủ tục nào."


# --- A workbook filled in by a clerk ---------------------------------------------------------


def test_a_filled_in_workbook_is_imported():
    result = run(workbook(), publish=True, allow_backdate=True)
    assert result.ok, texts(result)
    version = ProcedureVersion.objects.for_detail().get(procedure__code="1.900101")
    assert version.status == VersionStatus.PUBLISHED
    assert version.levels == ["district", "commune"]
    assert version.boundary_free and version.cutoff_rule == CutoffRule.SAME_DAY_15H
    assert version.decision_date == dt.date(2025, 6, 30)
    assert version.effective_date == dt.date(2025, 7, 1)
    assert version.implementing_agency_name == "Ủy ban nhân dân cấp xã; Phòng Tư pháp"
    cases = version.ordered_cases()
    assert [c.name for c in cases] == ["Bản sao giấy tờ", "Bản sao văn bằng"]
    # A row without a case belongs to every case.
    assert [d.name for d in cases[0].ordered_documents()] == ["Bản chính giấy tờ"]
    assert [(d.name, d.copies) for d in cases[1].ordered_documents()] == [
        ("Bản chính giấy tờ", 0),
        ("Văn bằng gốc", 2),
    ]
    assert [s.description for s in cases[1].ordered_steps()] == ["Nộp bản chính và bản sao"]
    direct = cases[0].channel_option(Channel.DIRECT)
    assert direct.time_limit_value == 1 and direct.time_limit_unit == TimeUnit.WORKING_DAYS
    fees = direct.ordered_fees()
    assert [(f.amount, f.unit) for f in fees] == [(2000, "Đồng/trang"), (None, "")]
    assert fees[1].description == "Từ trang thứ ba: theo Nghị quyết HĐND tỉnh"
    assert cases[0].channel_option(Channel.POSTAL) is None
    assert cases[1].channel_option(Channel.POSTAL).time_limit_value == 2
    steps = version.shared_process_template().ordered_steps()
    assert [(s.name, s.role, s.hours) for s in steps] == [
        ("Tiếp nhận", "desk_clerk", Decimal("0.50")),
        ("Chứng thực", "justice_officer", Decimal("2.00")),
        ("Ký", "leader", Decimal("1.00")),
    ]
    legal = version.legal_bases.get()
    assert (legal.number, legal.issued_date, legal.issuer) == (
        "23/2015/NĐ-CP",
        dt.date(2015, 2, 16),
        "Chính phủ",
    )
    assert version.results.get().document_code == "KQ.G07.000010"


def test_excel_round_trip_gives_the_same_content():
    assert run(catalogue_bytes(), publish=False).ok
    first = {v.procedure.code: version_to_data(v) for v in versions_for_export(None)}
    content, name, _type = export_file(versions_for_export(None), "xlsx")
    assert name.endswith(".xlsx")
    parsed = excel.parse(content)
    assert parsed.issues == []
    assert {p.code: p for p in parsed.procedures} == first
    wipe_catalogue()
    assert run(content).ok
    second = {v.procedure.code: version_to_data(v) for v in versions_for_export(None)}
    assert second == first


def test_export_writes_dates_as_dates_and_formulas_as_text():
    assert run(workbook()).ok
    ProcedureVersion.objects.update(description='=HYPERLINK("http://x")')
    content, _name, _type = export_file(versions_for_export(None), "xlsx")
    sheet = load_workbook(io.BytesIO(content))["Thủ tục"]
    headers = [c.value for c in sheet[1]]
    row = {h.rstrip(" *"): c for h, c in zip(headers, sheet[2], strict=True)}
    assert row["Ngày quyết định"].value == dt.datetime(2025, 6, 30)
    assert row["Ngày quyết định"].number_format == "DD/MM/YYYY"
    assert row["Mô tả"].data_type == "s"
    assert row["Mô tả"].value == '=HYPERLINK("http://x")'


# --- Broken workbooks ------------------------------------------------------------------------


def assert_refused(raw, expected, **options):
    before = db_state()
    result = run(raw, **options)
    assert texts(result) == expected
    assert db_state() == before


def test_not_a_workbook():
    expected = [
        "Tệp không phải bảng tính Excel (.xlsx) hợp lệ; hãy tải mẫu trống, điền rồi lưu dưới "
        "dạng Excel Workbook (.xlsx)."
    ]
    assert_refused(b"PK\x03\x04 garbage", expected)
    with pytest.raises(FileRejected):
        excel.parse(b"%PDF-1.4 not a workbook")


def test_wrong_sheet_names():
    book = Workbook()
    book.active.title = "Sheet1"
    buffer = io.BytesIO()
    book.save(buffer)
    expected = [
        f"Không tìm thấy sheet “{name}”. Bảng tính phải có các sheet: Thủ tục, Cách thức, "
        "Thành phần hồ sơ, Quy trình nội bộ (đang có: Sheet1). Hãy tải mẫu trống để xem."
        for name in ("Thủ tục", "Cách thức", "Thành phần hồ sơ", "Quy trình nội bộ")
    ]
    assert_refused(buffer.getvalue(), expected)


def test_missing_required_column():
    raw = workbook(drop_column=("Cách thức", "Đơn vị thời gian"))
    assert_refused(raw, ["Sheet “Cách thức” thiếu cột “Đơn vị thời gian” ở dòng tiêu đề (dòng 1)."])


def test_unknown_time_unit_is_reported_with_its_row():
    channels = [dict(CHANNELS[0]), {**CHANNELS[2], "Đơn vị thời gian": "tuần"}]
    assert_refused(
        workbook(channels=channels),
        [
            "Dòng 3, sheet Cách thức: Đơn vị thời gian “tuần” không hợp lệ (chỉ nhận: Ngày làm "
            "việc, Ngày, Giờ làm việc, Tháng)"
        ],
    )


def test_bad_dates_roles_and_unknown_codes():
    procedures = [{**PROCEDURE, "Ngày quyết định": "30/13/2025"}]
    process = [dict(PROCESS[0]), {**PROCESS[1], "Vai trò": "Bảo vệ"}]
    documents = [dict(DOCUMENTS[0]), {**DOCUMENTS[0], "Mã thủ tục": "1.999999"}]
    role_list = (
        "Cán bộ tiếp nhận (Một cửa), Chuyên viên xử lý, Lãnh đạo phòng, Lãnh đạo UBND, Biên tập "
        "viên cổng thông tin, Kiểm duyệt tin bài cổng thông tin, Văn thư, Công chức Tư pháp - "
        "Hộ tịch, Quản trị đơn vị, Quản trị hệ thống"
    )
    assert_refused(
        workbook(procedures=procedures, process=process, documents=documents),
        [
            "Dòng 2, sheet Thủ tục: Ngày “30/13/2025” không hợp lệ (nhập theo dạng dd/mm/yyyy, "
            "ví dụ 01/07/2025)",
            "Dòng 3, sheet Thành phần hồ sơ: Mã thủ tục “1.999999” không có trong sheet “Thủ "
            "tục” của tệp này.",
            "Dòng 3, sheet Quy trình nội bộ: Vai trò “Bảo vệ” không hợp lệ "
            f"(chỉ nhận: {role_list})",
        ],
    )


def test_budget_over_the_limit_points_at_the_process_row():
    process = [{**PROCESS[0], "Số giờ làm việc": 9}]
    prefix = "Dòng 2, sheet Quy trình nội bộ: Tổng thời gian các bước là 9 giờ, vượt thời hạn"
    assert_refused(
        workbook(process=process),
        [
            f"{prefix} 1 ngày làm việc (8 giờ) – cách thức “Trực tiếp”, trường hợp “Bản sao "
            "giấy tờ”.",
            f"{prefix} 8 giờ làm việc (8 giờ) – cách thức “Trực tuyến”, trường hợp “Bản sao "
            "giấy tờ”.",
            f"{prefix} 1 ngày làm việc (8 giờ) – cách thức “Trực tiếp”, trường hợp “Bản sao "
            "văn bằng”.",
            f"{prefix} 8 giờ làm việc (8 giờ) – cách thức “Trực tuyến”, trường hợp “Bản sao "
            "văn bằng”.",
        ],
    )


def test_required_cells_duplicate_codes_and_orphan_fee_rows():
    procedures = [
        dict(PROCEDURE),
        {**PROCEDURE, "Tên thủ tục": ""},
        {**PROCEDURE, "Mã thủ tục": "1.900102", "Cấp thực hiện": None, "Tên thủ tục": ""},
    ]
    channels = [{"Mã thủ tục": "1.900101", "Cách thức": "Trực tuyến", "Mô tả phí, lệ phí": "Phí"}]
    assert_refused(
        workbook(procedures=procedures, channels=channels),
        [
            "Dòng 3, sheet Thủ tục: Mã thủ tục 1.900101 bị trùng: đã có ở Dòng 2, sheet Thủ tục "
            "trong cùng tệp.",
            "Dòng 4, sheet Thủ tục: Thiếu tên thủ tục.",
            "Dòng 4, sheet Thủ tục: Thiếu cấp thực hiện.",
            "Dòng 2, sheet Cách thức: Dòng phí không có thời hạn nhưng không đứng ngay sau một "
            "dòng cùng mã thủ tục, trường hợp và cách thức: hãy nhập thời hạn giải quyết.",
        ],
    )
