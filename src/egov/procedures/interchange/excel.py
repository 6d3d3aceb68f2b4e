"""The Excel workbook clerks fill in (openpyxl): read it, write it, and the blank template.

Sheets (headers in row 1; a row whose "Mã thủ tục" starts with "Ví dụ" is the example and
is skipped; empty rows are skipped):

* **Thủ tục** — one row per procedure: code, name, sector, levels, type, target group,
  online level, boundary-free, cut-off, cases, agencies, intake address, results, legal
  basis, requirements, decision number / date / effective date / summary.
* **Trình tự thực hiện** (optional) — code, case, order, step.
* **Cách thức** — code, case, channel, time limit, unit, description, fee amount, fee
  description, fee unit.  A row without a time limit adds one more fee to the channel on
  the row above (same code, case and channel).
* **Thành phần hồ sơ** — code, case, document, originals, copies, form name, form URL, group
  ("Giấy tờ phải nộp" / "Giấy tờ phải xuất trình").
* **Quy trình nội bộ** — code, case, order, step, role, agency, hours, parallel group.

"Trường hợp" empty = every case (steps and documents are copied into each case; a channel
or a process without a case applies to every case without its own).  Cells with several
items take one per line (Alt+Enter) or separated by ";": levels, target groups, cases,
agencies, results ("Tên kết quả | mã kết quả"), legal basis ("Số hiệu | Tên văn bản |
dd/mm/yyyy | Cơ quan ban hành").  Dates: date cells or dd/mm/yyyy text.  The template's
drop-down lists (channel, unit, level, role, …) come from a hidden sheet "Danh mục".
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from egov.core.text import fold_vietnamese
from egov.organizations.facade import Role
from egov.procedures.constants import (
    Channel,
    CutoffRule,
    OnlineLevel,
    ProcedureLevel,
    TargetGroup,
    TimeUnit,
)
from egov.procedures.interchange import values
from egov.procedures.interchange.data import (
    DEFAULT_CASE_NAME,
    CaseData,
    ChannelData,
    DocumentData,
    FeeData,
    LegalBasisData,
    ParseResult,
    ProcedureData,
    ProcessData,
    ProcessStepData,
    ResultData,
    StepData,
)
from egov.procedures.interchange.errors import (
    FileRejected,
    ImportIssue,
    Message,
    ValueProblem,
    message,
)
from egov.procedures.interchange.national_json import AGENCY_SEPARATOR

FORMAT = "xlsx"
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXAMPLE_PREFIX = "Ví dụ"
MAX_TEMPLATE_ROWS = 2000

SHEET_PROCEDURES = "Thủ tục"
SHEET_STEPS = "Trình tự thực hiện"
SHEET_CHANNELS = "Cách thức"
SHEET_DOCUMENTS = "Thành phần hồ sơ"
SHEET_PROCESS = "Quy trình nội bộ"
SHEET_HELP = "Hướng dẫn"
SHEET_LISTS = "Danh mục"
REQUIRED_SHEETS = (SHEET_PROCEDURES, SHEET_CHANNELS, SHEET_DOCUMENTS, SHEET_PROCESS)

YES, NO = "Có", "Không"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool = False
    width: int = 18
    #: Name of a list of "Danh mục" offered as a drop-down (``errorStyle`` warning when
    #: several values may be combined, e.g. levels).
    choices: str = ""
    several: bool = False
    date: bool = False


C = Column
PROCEDURE_COLUMNS = (
    C("code", "Mã thủ tục", True, 12),
    C("name", "Tên thủ tục", True, 50),
    C("sector", "Lĩnh vực", True, 24),
    C("sector_code", "Mã lĩnh vực", False, 14),
    C("levels", "Cấp thực hiện", True, 16, "levels", several=True),
    C("type", "Loại thủ tục", False, 10, "types"),
    C("target_group", "Nhóm đối tượng", False, 22, "targets"),
    C("targets", "Đối tượng thực hiện", False, 30),
    C("online_level", "Mức độ dịch vụ công trực tuyến", False, 18, "online"),
    C("online_full_eligible", "Đủ điều kiện toàn trình", False, 12, "yesno"),
    C("boundary_free", "Phi địa giới hành chính", False, 12, "yesno"),
    C("cutoff", "Quy tắc giờ tiếp nhận", False, 30, "cutoffs"),
    C("cutoff_time", "Giờ chốt tiếp nhận", False, 10),
    C("start_after_payment", "Tính thời hạn từ khi nộp phí", False, 12, "yesno"),
    C("cases", "Các trường hợp", False, 30),
    C("implementing", "Cơ quan thực hiện", False, 28),
    C("competent", "Cơ quan có thẩm quyền", False, 28),
    C("authorised", "Cơ quan được ủy quyền", False, 28),
    C("coordinating", "Cơ quan phối hợp", False, 28),
    C("address", "Địa chỉ tiếp nhận", False, 36),
    C("results", "Kết quả thực hiện", False, 36),
    C("legal", "Căn cứ pháp lý", False, 48),
    C("requirements", "Yêu cầu, điều kiện", False, 36),
    C("description", "Mô tả", False, 30),
    C("keywords", "Từ khóa", False, 20),
    C("decision_number", "Số quyết định công bố", False, 18),
    C("decision_date", "Ngày quyết định", False, 13, date=True),
    C("effective_date", "Ngày có hiệu lực", False, 13, date=True),
    C("decision_summary", "Trích yếu quyết định", False, 36),
    C("national_id", "Mã bản ghi quốc gia (IDQG)", False, 16),
)
STEP_COLUMNS = (
    C("code", "Mã thủ tục", True, 12),
    C("case", "Trường hợp", False, 24),
    C("order", "Thứ tự", False, 8),
    C("step", "Nội dung bước", True, 70),
)
CHANNEL_COLUMNS = (
    C("code", "Mã thủ tục", True, 12),
    C("case", "Trường hợp", False, 24),
    C("channel", "Cách thức", True, 22, "channels"),
    C("value", "Thời hạn giải quyết", True, 10),
    C("unit", "Đơn vị thời gian", True, 16, "units"),
    C("description", "Mô tả thời hạn", False, 40),
    C("amount", "Phí, lệ phí (đồng)", False, 14),
    C("fee_description", "Mô tả phí, lệ phí", False, 40),
    C("fee_unit", "Đơn vị tính phí", False, 14),
)
DOCUMENT_COLUMNS = (
    C("code", "Mã thủ tục", True, 12),
    C("case", "Trường hợp", False, 24),
    C("name", "Tên giấy tờ", True, 60),
    C("originals", "Số bản chính", False, 10),
    C("copies", "Số bản sao", False, 10),
    C("form_name", "Tên mẫu đơn, tờ khai", False, 30),
    C("form_url", "Đường dẫn mẫu đơn", False, 30),
    C("group", "Nhóm giấy tờ (phải nộp / phải xuất trình)", False, 24),
)
PROCESS_COLUMNS = (
    C("code", "Mã thủ tục", True, 12),
    C("case", "Trường hợp", False, 24),
    C("order", "Thứ tự", False, 8),
    C("name", "Bước công việc", True, 44),
    C("role", "Vai trò", False, 26, "roles"),
    C("agency", "Cơ quan thực hiện", False, 26),
    C("hours", "Số giờ làm việc", True, 10),
    C("group", "Nhóm song song", False, 10),
    C("process_name", "Tên quy trình", False, 24),
    C("process_decision", "Quyết định phê duyệt quy trình", False, 24),
)
SHEETS: dict[str, tuple[Column, ...]] = {
    SHEET_PROCEDURES: PROCEDURE_COLUMNS,
    SHEET_STEPS: STEP_COLUMNS,
    SHEET_CHANNELS: CHANNEL_COLUMNS,
    SHEET_DOCUMENTS: DOCUMENT_COLUMNS,
    SHEET_PROCESS: PROCESS_COLUMNS,
}


def choice_lists() -> dict[str, list[str]]:
    """The drop-down lists of the template (sheet "Danh mục")."""
    return {
        "channels": [str(label) for label in Channel.labels],
        "units": [str(label) for label in TimeUnit.labels],
        "levels": [values.NATIONAL_LEVEL_NAMES[level] for level in values.LEVEL_ORDER],
        "roles": [str(label) for label in Role.labels],
        "online": [str(label) for label in OnlineLevel.labels],
        "yesno": [YES, NO],
        "types": ["1", "2", "3"],
        "targets": [str(label) for label in TargetGroup.labels],
        "cutoffs": [str(label) for label in CutoffRule.labels],
    }


_LIST_TITLES = {
    "channels": "Cách thức",
    "units": "Đơn vị thời gian",
    "levels": "Cấp thực hiện",
    "roles": "Vai trò",
    "online": "Mức độ DVCTT",
    "yesno": "Có/Không",
    "types": "Loại thủ tục",
    "targets": "Nhóm đối tượng",
    "cutoffs": "Quy tắc giờ tiếp nhận",
}


# --- Reading ---------------------------------------------------------------------------------


def _key(text: Any) -> str:
    return fold_vietnamese(str(text or "").replace("*", "")).strip()


def _open(source: bytes | IO[bytes]) -> Any:
    stream = io.BytesIO(source) if isinstance(source, bytes) else source
    try:
        return load_workbook(stream, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, IndexError) as exc:
        raise FileRejected(message(Message.NOT_WORKBOOK)) from exc
    except Exception as exc:
        raise FileRejected(message(Message.NOT_WORKBOOK)) from exc


@dataclass
class _Row:
    number: int
    sheet: str
    cells: dict[str, Any]

    @property
    def where(self) -> str:
        return f"Dòng {self.number}, sheet {self.sheet}"

    def __getitem__(self, key: str) -> Any:
        return self.cells.get(key)


def _rows(workbook: Any, sheet_name: str, columns: tuple[Column, ...]) -> list[_Row]:
    """The data rows of a sheet as ``{column key: value}`` (header checked first)."""
    sheet = _find_sheet(workbook, sheet_name)
    if sheet is None:
        return []
    iterator = sheet.iter_rows(values_only=True)
    header = next(iterator, None) or ()
    positions: dict[str, int] = {}
    by_header = {_key(h): i for i, h in enumerate(header) if h not in (None, "")}
    for column in columns:
        index = by_header.get(_key(column.header))
        if index is None:
            if column.required:
                raise FileRejected(
                    [
                        ImportIssue(
                            "",
                            message(Message.MISSING_COLUMN, sheet=sheet_name, column=column.header),
                        )
                    ]
                )
            continue
        positions[column.key] = index
    rows = []
    for number, raw in enumerate(iterator, start=2):
        cells = {
            key: (raw[index] if index < len(raw) else None) for key, index in positions.items()
        }
        cells = {k: (v.strip() if isinstance(v, str) else v) for k, v in cells.items()}
        if all(v in (None, "") for v in cells.values()):
            continue
        code = cells.get("code")
        if isinstance(code, str) and code.startswith(EXAMPLE_PREFIX):
            continue
        rows.append(_Row(number, sheet_name, cells))
    return rows


def _find_sheet(workbook: Any, name: str) -> Any:
    wanted = _key(name)
    for sheet_name in workbook.sheetnames:
        if _key(sheet_name) == wanted:
            return workbook[sheet_name]
    return None


def _check_sheets(workbook: Any) -> None:
    missing = [name for name in REQUIRED_SHEETS if _find_sheet(workbook, name) is None]
    if missing:
        expected = ", ".join(REQUIRED_SHEETS)
        found = ", ".join(workbook.sheetnames) or "không có sheet nào"
        raise FileRejected(
            [
                ImportIssue(
                    "", message(Message.MISSING_SHEET, sheet=m, expected=expected, found=found)
                )
                for m in missing
            ]
        )


class _Parser:
    def __init__(self) -> None:
        self.result = ParseResult(format=FORMAT)
        self.by_code: dict[str, ProcedureData] = {}
        self.broken: set[str] = set()
        #: per code: cases named in the rows of the part sheets, in order.
        self.appearing: dict[str, list[str]] = {}
        self.explicit: dict[str, list[str]] = {}
        self.steps: dict[str, list[tuple[str, StepData]]] = {}
        self.documents: dict[str, list[tuple[str, DocumentData]]] = {}
        self.process_rows: dict[str, list[tuple[_Row, str]]] = {}

    def problem(self, row: _Row, text: str, code: str | None = None) -> None:
        self.result.issues.append(ImportIssue(row.where, text))
        if code:
            self.broken.add(code)

    def value(self, row: _Row, key: str, fn: Callable[[Any], Any], default: Any, code: str) -> Any:
        try:
            return fn(row[key])
        except ValueProblem as exc:
            self.problem(row, exc.text, code)
            return default

    def required(self, row: _Row, key: str, header: str, code: str) -> str:
        value = self.value(row, key, values.text, "", code)
        if not value:
            self.problem(
                row, message(Message.REQUIRED, field=header[:1].lower() + header[1:]), code
            )
        return str(value)

    # -- sheet "Thủ tục" --

    def procedures(self, rows: list[_Row]) -> None:
        for row in rows:
            code = self.value(row, "code", values.text, "", "")
            if not code:
                self.problem(row, message(Message.REQUIRED, field="mã thủ tục"))
                continue
            if code in self.by_code:
                self.problem(
                    row,
                    message(
                        Message.CODE_DUPLICATE_IN_FILE, code=code, first=self.by_code[code].where
                    ),
                )
                continue
            data = self.procedure(row, code)
            self.by_code[code] = data
            self.result.procedures.append(data)

    def procedure(self, row: _Row, code: str) -> ProcedureData:
        v = self.value
        data = ProcedureData(
            code=code,
            name=self.required(row, "name", "Tên thủ tục", code),
            sector_name=self.required(row, "sector", "Lĩnh vực", code),
            where=row.where,
        )
        data.sector_code = v(row, "sector_code", values.text, "", code)
        data.levels = self.levels(row, code)
        data.procedure_type = v(row, "type", values.procedure_type, 1, code)
        targets = values.lines(row["targets"]) if row["targets"] else []
        data.target_description = "\n".join(targets)
        explicit_target = v(row, "target_group", values.target_group, None, code)
        data.target_group = explicit_target or values.classify_target_group(targets)
        data.online_level = (
            v(row, "online_level", values.online_level, OnlineLevel.NONE, code)
            if row["online_level"]
            else OnlineLevel.NONE
        )
        data.online_full_eligible = v(
            row,
            "online_full_eligible",
            lambda x: values.boolean(x, data.online_level == OnlineLevel.FULL),
            False,
            code,
        )
        data.boundary_free = v(row, "boundary_free", values.boolean, False, code)
        data.cutoff_rule = v(row, "cutoff", values.cutoff, CutoffRule.NONE, code)
        data.cutoff_time = v(
            row,
            "cutoff_time",
            lambda x: values.clock_time(x, data.cutoff_time),
            data.cutoff_time,
            code,
        )
        data.start_after_payment = v(row, "start_after_payment", values.boolean, False, code)
        self.explicit[code] = values.lines(row["cases"]) if row["cases"] else []
        data.implementing_agency_name = AGENCY_SEPARATOR.join(values.lines(row["implementing"]))
        data.competent_agency_name = AGENCY_SEPARATOR.join(values.lines(row["competent"]))
        data.authorised_agency_name = AGENCY_SEPARATOR.join(values.lines(row["authorised"]))
        data.coordinating_agency_names = values.lines(row["coordinating"])
        data.intake_address = v(row, "address", values.text, "", code)
        data.requirements = v(row, "requirements", values.text, "", code)
        data.description = v(row, "description", values.text, "", code)
        data.keywords = v(row, "keywords", values.text, "", code)
        data.national_id = v(row, "national_id", values.text, "", code)
        data.decision_number = v(row, "decision_number", values.text, "", code)
        data.decision_date = v(row, "decision_date", values.date, None, code)
        data.effective_date = (
            v(row, "effective_date", values.date, None, code) or data.decision_date
        )
        data.decision_summary = v(row, "decision_summary", values.text, "", code)
        for line in _split_lines(row["results"]):
            parts = [p.strip() for p in line.split("|")]
            data.results.append(
                ResultData(
                    name=parts[0], document_code=parts[1] if len(parts) > 1 else "", where=row.where
                )
            )
        for line in _split_lines(row["legal"]):
            parts = [p.strip() for p in line.split("|")] + ["", "", "", ""]
            number, name, issued_raw, issuer = parts[:4]
            try:
                issued = values.date(issued_raw)
            except ValueProblem as exc:
                self.problem(row, exc.text, code)
                issued = None
            if not name and not number:
                self.problem(row, message(Message.LEGAL_NAME_REQUIRED), code)
                continue
            data.legal_bases.append(
                LegalBasisData(
                    name=name or number,
                    number=number,
                    issued_date=issued,
                    issuer=issuer,
                    where=row.where,
                )
            )
        return data

    def levels(self, row: _Row, code: str) -> list[str]:
        raw = values.text(row["levels"]) if row["levels"] is not None else ""
        if not raw:
            self.problem(row, message(Message.REQUIRED, field="cấp thực hiện"), code)
            return []
        found: set[str] = set()
        for part in re.split(r"[,;\r\n]+", raw):
            if not part.strip():
                continue
            try:
                level = values.level(part.strip())
            except ValueProblem as exc:
                self.problem(row, exc.text, code)
                continue
            if level:
                found.add(level)
        return values.sort_levels(found)

    # -- part sheets --

    def _owner(self, row: _Row) -> tuple[str, ProcedureData] | None:
        code = self.value(row, "code", values.text, "", "")
        if not code:
            self.problem(row, message(Message.REQUIRED, field="mã thủ tục"))
            return None
        data = self.by_code.get(code)
        if data is None:
            if code not in self.broken:
                self.problem(row, message(Message.CODE_UNKNOWN_IN_SHEET, code=code))
            return None
        return code, data

    def _case(self, row: _Row, code: str) -> str:
        case = str(self.value(row, "case", values.text, "", code))
        if case:
            self.appearing.setdefault(code, []).append(case)
        return case

    @staticmethod
    def _ordered(rows: list[_Row], parser: _Parser, code_of: Callable[[_Row], str]) -> list[_Row]:
        """Rows sorted by "Thứ tự" (when given) within their procedure, file order otherwise."""

        def order(row: _Row) -> int:
            raw = row["order"]
            if raw in (None, ""):
                return 0
            try:
                return values.count(raw, 0)
            except ValueProblem as exc:
                parser.problem(row, exc.text, code_of(row))
                return 0

        return sorted(rows, key=order)

    def step_rows(self, rows: list[_Row]) -> None:
        for row in self._ordered(rows, self, lambda r: str(r["code"] or "")):
            owner = self._owner(row)
            if owner is None:
                continue
            code, _data = owner
            case = self._case(row, code)
            text = self.required(row, "step", "Nội dung bước", code)
            if text:
                self.steps.setdefault(code, []).append((case, StepData(text, where=row.where)))

    def document_rows(self, rows: list[_Row]) -> None:
        for row in rows:
            owner = self._owner(row)
            if owner is None:
                continue
            code, _data = owner
            case = self._case(row, code)
            name = self.required(row, "name", "Tên giấy tờ", code)
            document = DocumentData(
                name=name,
                originals=self.value(row, "originals", lambda x: values.count(x, 1), 1, code),
                copies=self.value(row, "copies", lambda x: values.count(x, 0), 0, code),
                form_name=self.value(row, "form_name", values.text, "", code),
                form_url=self.value(row, "form_url", values.text, "", code),
                group=self.value(row, "group", values.text, "", code),
                where=row.where,
            )
            if name:
                self.documents.setdefault(code, []).append((case, document))

    def channel_rows(self, rows: list[_Row]) -> None:
        last: dict[str, ChannelData] = {}
        for row in rows:
            owner = self._owner(row)
            if owner is None:
                continue
            code, data = owner
            case = self._case(row, code) or None
            channel = self.value(row, "channel", values.channel, "", code) if row["channel"] else ""
            if not row["channel"]:
                self.problem(row, message(Message.REQUIRED, field="cách thức"), code)
            fee = self._fee(row, code)
            if row["value"] in (None, "") and row["unit"] in (None, ""):
                previous = last.get(code)
                if previous is None or previous.case != case or previous.channel != channel:
                    self.problem(row, message(Message.FEE_WITHOUT_CHANNEL), code)
                elif fee is not None:
                    previous.fees.append(fee)
                continue
            value = self.value(row, "value", values.time_limit, 0, code)
            unit = ""
            if row["unit"] in (None, ""):
                self.problem(row, message(Message.REQUIRED, field="đơn vị thời gian"), code)
            else:
                unit = self.value(row, "unit", values.time_unit, "", code)
            option = ChannelData(
                channel=channel,
                value=value,
                unit=unit,
                description=self.value(row, "description", values.text, "", code),
                case=case,
                fees=[fee] if fee is not None else [],
                where=row.where,
            )
            data.channels.append(option)
            last[code] = option

    def _fee(self, row: _Row, code: str) -> FeeData | None:
        if all(row[k] in (None, "") for k in ("amount", "fee_description", "fee_unit")):
            return None
        return FeeData(
            amount=self.value(row, "amount", values.amount, None, code),
            description=self.value(row, "fee_description", values.text, "", code),
            unit=self.value(row, "fee_unit", values.text, "", code),
            where=row.where,
        )

    def process_rows_(self, rows: list[_Row]) -> None:
        for row in self._ordered(rows, self, lambda r: str(r["code"] or "")):
            owner = self._owner(row)
            if owner is None:
                continue
            code, _data = owner
            case = self._case(row, code)
            self.process_rows.setdefault(code, []).append((row, case))

    def processes(self) -> None:
        for code, entries in self.process_rows.items():
            data = self.by_code[code]
            groups: dict[str, list[_Row]] = {}
            for row, case in entries:
                groups.setdefault(case, []).append(row)
            for case, rows in groups.items():
                numbers = values.parallel_groups([r["group"] for r in rows])
                steps = []
                for row, group in zip(rows, numbers, strict=True):
                    if isinstance(group, ValueProblem):
                        self.problem(row, group.text, code)
                        group = None
                    steps.append(
                        ProcessStepData(
                            name=self.required(row, "name", "Bước công việc", code),
                            hours=self.value(row, "hours", values.hours, Decimal(1), code),
                            role=self.value(row, "role", values.role, "", code),
                            parallel_group=group,
                            agency_name=self.value(row, "agency", values.text, "", code),
                            where=row.where,
                        )
                    )
                name = next((str(r["process_name"]) for r in rows if r["process_name"]), "")
                decision = next(
                    (str(r["process_decision"]) for r in rows if r["process_decision"]), ""
                )
                data.processes.append(
                    ProcessData(
                        steps=steps,
                        case=case or None,
                        name=name,
                        decision_reference=decision,
                        where=rows[0].where,
                    )
                )

    def finish(self) -> ParseResult:
        self.processes()
        for data in self.result.procedures:
            code = data.code
            names = self.explicit.get(code, []) + self.appearing.get(code, [])
            unique = list(dict.fromkeys(n for n in names if n)) or [DEFAULT_CASE_NAME]
            data.cases = [CaseData(name=n) for n in unique]
            by_name = {c.name: c for c in data.cases}
            for case_name, step in self.steps.get(code, []):
                for case in [by_name[case_name]] if case_name else data.cases:
                    case.steps.append(StepData(step.description, where=step.where))
            for case_name, document in self.documents.get(code, []):
                for case in [by_name[case_name]] if case_name else data.cases:
                    case.documents.append(
                        DocumentData(
                            name=document.name,
                            originals=document.originals,
                            copies=document.copies,
                            form_name=document.form_name,
                            form_url=document.form_url,
                            group=document.group,
                            where=document.where,
                        )
                    )
            data.broken = code in self.broken
            data.normalise()
        return self.result


def _split_lines(value: Any) -> list[str]:
    """One item per line (a ";" may be part of a legal text's name, so lines only)."""
    raw = values.text(value)
    return [line.strip() for line in raw.splitlines() if line.strip()]


def parse(source: bytes | IO[bytes]) -> ParseResult:
    """Read a workbook; ``FileRejected`` for a file that is not one, or lacks sheets/columns."""
    workbook = _open(source)
    try:
        _check_sheets(workbook)
        parser = _Parser()
        parser.procedures(_rows(workbook, SHEET_PROCEDURES, PROCEDURE_COLUMNS))
        parser.step_rows(_rows(workbook, SHEET_STEPS, STEP_COLUMNS))
        parser.document_rows(_rows(workbook, SHEET_DOCUMENTS, DOCUMENT_COLUMNS))
        parser.channel_rows(_rows(workbook, SHEET_CHANNELS, CHANNEL_COLUMNS))
        parser.process_rows_(_rows(workbook, SHEET_PROCESS, PROCESS_COLUMNS))
        result = parser.finish()
    finally:
        workbook.close()
    if not result.procedures and not result.issues:
        raise FileRejected(message(Message.EMPTY_PACKAGE))
    return result


# --- Writing ---------------------------------------------------------------------------------

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
_REQUIRED_FILL = PatternFill("solid", fgColor="9C2A2A")
_EXAMPLE_FONT = Font(italic=True, color="7F7F7F")
_WRAP = Alignment(wrap_text=True, vertical="top")


def _yes_no(flag: bool) -> str:
    return YES if flag else NO


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _put(sheet: Worksheet, row: int, column: int, value: Any, *, date: bool = False) -> None:
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # text, never a formula
    if date and isinstance(value, dt.date):
        cell.number_format = "DD/MM/YYYY"
    cell.alignment = _WRAP


def _header(sheet: Worksheet, columns: tuple[Column, ...]) -> None:
    for index, column in enumerate(columns, start=1):
        title = f"{column.header} *" if column.required else column.header
        cell = sheet.cell(row=1, column=index, value=title)
        cell.font = _HEADER_FONT
        cell.fill = _REQUIRED_FILL if column.required else _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "B2"
    sheet.row_dimensions[1].height = 32


def _validations(sheet: Worksheet, columns: tuple[Column, ...], refs: dict[str, str]) -> None:
    for index, column in enumerate(columns, start=1):
        if not column.choices:
            continue
        letter = get_column_letter(index)
        validation = DataValidation(
            type="list",
            formula1=refs[column.choices],
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="warning" if column.several else "stop",
            errorTitle="Giá trị không có trong danh sách",
            error="Hãy chọn một giá trị trong danh sách (xem sheet Hướng dẫn).",
        )
        validation.add(f"{letter}2:{letter}{MAX_TEMPLATE_ROWS}")
        sheet.add_data_validation(validation)


def _lists_sheet(workbook: Workbook) -> dict[str, str]:
    sheet = workbook.create_sheet(SHEET_LISTS)
    refs: dict[str, str] = {}
    for index, (key, items) in enumerate(choice_lists().items(), start=1):
        letter = get_column_letter(index)
        sheet.cell(row=1, column=index, value=_LIST_TITLES[key]).font = Font(bold=True)
        for row, item in enumerate(items, start=2):
            sheet.cell(row=row, column=index, value=item)
        sheet.column_dimensions[letter].width = 30
        refs[key] = f"'{SHEET_LISTS}'!${letter}$2:${letter}${len(items) + 1}"
    sheet.sheet_state = "hidden"
    return refs


HELP_LINES = (
    "Mẫu nhập danh mục thủ tục hành chính",
    "",
    "1. Mỗi thủ tục một dòng ở sheet “Thủ tục”. Các sheet “Trình tự thực hiện”, “Cách thức”, "
    "“Thành phần hồ sơ”, “Quy trình nội bộ” ghi các phần của thủ tục, nối với thủ tục "
    "bằng cột “Mã thủ tục”.",
    "2. Cột có dấu * (tiêu đề màu đỏ) là bắt buộc. Dòng bắt đầu bằng “Ví dụ” được bỏ qua khi "
    "nhập; có thể xóa.",
    "3. “Trường hợp” để trống nghĩa là áp dụng cho mọi trường hợp của thủ tục.",
    "4. Ô có nhiều giá trị (cấp thực hiện, đối tượng, các trường hợp, cơ quan, kết quả, căn cứ "
    "pháp lý): mỗi giá trị một dòng (Alt+Enter) hoặc cách nhau bằng dấu “;”. Cấp thực hiện "
    "có thể ghi “Cấp xã, Cấp huyện”.",
    "5. Kết quả: “Tên kết quả | mã kết quả”. Căn cứ pháp lý: “Số hiệu | Tên văn bản | "
    "dd/mm/yyyy | Cơ quan ban hành”.",
    "6. Ngày ghi dd/mm/yyyy (ví dụ 01/07/2025). Giờ chốt tiếp nhận ghi HH:MM (ví dụ 15:00).",
    "7. Sheet “Cách thức”: mỗi dòng một cách thức (Trực tiếp, Trực tuyến, Dịch vụ bưu chính "
    "công ích) với thời hạn và đơn vị (Ngày làm việc, Ngày, Giờ làm việc, Tháng). Phí để trống "
    "số tiền nếu mức thu chưa xác định (ghi rõ ở mô tả). Muốn thêm một khoản phí nữa cho cùng "
    "cách thức, thêm một dòng cùng mã, trường hợp, cách thức và để trống thời hạn.",
    "8. Sheet “Quy trình nội bộ”: thời gian tính bằng giờ làm việc (1 ngày làm việc = 8 giờ). "
    "Các bước cùng “Nhóm song song” chạy đồng thời, chỉ tính bước dài nhất. Tổng thời gian "
    "không được vượt thời hạn giải quyết của từng cách thức.",
    "9. Tệp có lỗi thì không có dữ liệu nào được nhập; hệ thống liệt kê lỗi theo từng dòng.",
)


def _help_sheet(workbook: Workbook) -> None:
    sheet = workbook.create_sheet(SHEET_HELP)
    sheet.column_dimensions["A"].width = 120
    for row, line in enumerate(HELP_LINES, start=1):
        cell = sheet.cell(row=row, column=1, value=line)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if row == 1:
            cell.font = Font(bold=True, size=14)


EXAMPLE = ProcedureData(
    code=f"{EXAMPLE_PREFIX}: 1.001193",
    name="Thủ tục đăng ký khai sinh",
    sector_name="Hộ tịch",
    levels=[ProcedureLevel.COMMUNE],
    procedure_type=2,
    target_group=TargetGroup.CITIZEN,
    target_description="Công dân Việt Nam",
    online_level=OnlineLevel.FULL,
    online_full_eligible=True,
    cutoff_rule=CutoffRule.SAME_DAY_15H,
    implementing_agency_name="Ủy ban nhân dân cấp xã",
    intake_address="Bộ phận Một cửa Ủy ban nhân dân xã",
    results=[ResultData("Giấy khai sinh (bản chính, bản điện tử)", "KQ.G07.000001")],
    legal_bases=[LegalBasisData("Luật Hộ tịch", "60/2014/QH13", dt.date(2014, 11, 20), "Quốc hội")],
    requirements="Trong 60 ngày kể từ ngày sinh con, cha hoặc mẹ có trách nhiệm đăng ký khai sinh.",
    decision_number="163/QĐ-BTP",
    decision_date=dt.date(2025, 2, 20),
    effective_date=dt.date(2025, 3, 1),
    cases=[
        CaseData(
            DEFAULT_CASE_NAME,
            steps=[StepData("Nộp hồ sơ tại Bộ phận Một cửa hoặc trực tuyến")],
            documents=[
                DocumentData("Tờ khai đăng ký khai sinh", 1, 0, "Tờ khai đăng ký khai sinh")
            ],
        )
    ],
    channels=[
        ChannelData(
            Channel.DIRECT,
            1,
            TimeUnit.WORKING_DAYS,
            "Giải quyết trong ngày; nhận sau 15 giờ thì trả ngày làm việc tiếp theo",
            fees=[FeeData(0, "Miễn lệ phí đăng ký khai sinh đúng hạn", "Đồng")],
        )
    ],
    processes=[
        ProcessData(
            steps=[
                ProcessStepData("Tiếp nhận, kiểm tra hồ sơ", Decimal("0.5"), Role.DESK_CLERK),
                ProcessStepData("Thẩm tra, ghi sổ, in kết quả", Decimal(2), Role.JUSTICE_OFFICER),
                ProcessStepData("Lãnh đạo ký", Decimal(1), Role.LEADER),
            ]
        )
    ],
)


def _label(choices: Any, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _procedure_cells(data: ProcedureData) -> dict[str, Any]:
    return {
        "code": data.code,
        "name": data.name,
        "sector": data.sector_name,
        "sector_code": data.sector_code,
        "levels": ", ".join(values.NATIONAL_LEVEL_NAMES[lv] for lv in data.levels),
        "type": str(data.procedure_type),
        "target_group": _label(TargetGroup, data.target_group),
        "targets": data.target_description,
        "online_level": _label(OnlineLevel, data.online_level),
        "online_full_eligible": _yes_no(data.online_full_eligible),
        "boundary_free": _yes_no(data.boundary_free),
        "cutoff": _label(CutoffRule, data.cutoff_rule),
        "cutoff_time": data.cutoff_time.strftime("%H:%M"),
        "start_after_payment": _yes_no(data.start_after_payment),
        "cases": "\n".join(data.case_names) if data.case_names != [DEFAULT_CASE_NAME] else "",
        "implementing": "\n".join(_agency_lines(data.implementing_agency_name)),
        "competent": "\n".join(_agency_lines(data.competent_agency_name)),
        "authorised": "\n".join(_agency_lines(data.authorised_agency_name)),
        "coordinating": "\n".join(data.coordinating_agency_names),
        "address": data.intake_address,
        "results": "\n".join(
            f"{r.name} | {r.document_code}" if r.document_code else r.name for r in data.results
        ),
        "legal": "\n".join(
            " | ".join([b.number, b.name, values.format_date(b.issued_date), b.issuer]).rstrip(" |")
            for b in data.legal_bases
        ),
        "requirements": data.requirements,
        "description": data.description,
        "keywords": data.keywords,
        "decision_number": data.decision_number,
        "decision_date": data.decision_date,
        "effective_date": data.effective_date,
        "decision_summary": data.decision_summary,
        "national_id": data.national_id,
    }


def _agency_lines(names: str) -> list[str]:
    return [n.strip() for n in names.split(AGENCY_SEPARATOR.strip()) if n.strip()]


def _part_rows(data: ProcedureData) -> dict[str, list[dict[str, Any]]]:
    rows: dict[str, list[dict[str, Any]]] = {
        SHEET_STEPS: [],
        SHEET_CHANNELS: [],
        SHEET_DOCUMENTS: [],
        SHEET_PROCESS: [],
    }
    for case, steps in _factor(data.cases, "steps"):
        for order, step in enumerate(steps, start=1):
            rows[SHEET_STEPS].append(
                {"code": data.code, "case": case, "order": order, "step": step.description}
            )
    for case, documents in _factor(data.cases, "documents"):
        for document in documents:
            rows[SHEET_DOCUMENTS].append(
                {
                    "code": data.code,
                    "case": case,
                    "name": document.name,
                    "originals": document.originals,
                    "copies": document.copies,
                    "form_name": document.form_name,
                    "form_url": document.form_url,
                    "group": document.group,
                }
            )
    for option in data.channels:
        fees: list[FeeData | None] = [*option.fees] or [None]
        for index, fee in enumerate(fees):
            row: dict[str, Any] = {
                "code": data.code,
                "case": option.case or "",
                "channel": _label(Channel, option.channel),
            }
            if index == 0:
                row.update(
                    {
                        "value": option.value,
                        "unit": _label(TimeUnit, option.unit),
                        "description": option.description,
                    }
                )
            if fee is not None:
                row.update(
                    {
                        "amount": fee.amount,
                        "fee_description": fee.description,
                        "fee_unit": fee.unit,
                    }
                )
            rows[SHEET_CHANNELS].append(row)
    for process in data.processes:
        for order, step in enumerate(process.steps, start=1):
            rows[SHEET_PROCESS].append(
                {
                    "code": data.code,
                    "case": process.case or "",
                    "order": order,
                    "name": step.name,
                    "role": _label(Role, step.role) if step.role else "",
                    "agency": step.agency_name,
                    "hours": _number(step.hours),
                    "group": step.parallel_group,
                    "process_name": process.name if order == 1 else "",
                    "process_decision": process.decision_reference if order == 1 else "",
                }
            )
    return rows


def _factor(cases: list[CaseData], attr: str) -> list[tuple[str, list[Any]]]:
    lists = [getattr(case, attr) for case in cases]
    if all(lst == lists[0] for lst in lists):
        return [("", lists[0])] if lists[0] else []
    return [(case.name, lst) for case, lst in zip(cases, lists, strict=True) if lst]


def build_workbook(procedures: Iterable[ProcedureData], *, example: bool = False) -> Workbook:
    """The workbook: the five sheets (with drop-downs), "Hướng dẫn", hidden "Danh mục"."""
    workbook = Workbook()
    default = workbook.active
    sheets: dict[str, Worksheet] = {}
    for index, (name, columns) in enumerate(SHEETS.items()):
        sheet = default if index == 0 and default is not None else workbook.create_sheet(name)
        sheet.title = name
        _header(sheet, columns)
        sheets[name] = sheet
    _help_sheet(workbook)
    refs = _lists_sheet(workbook)
    for name, columns in SHEETS.items():
        _validations(sheets[name], columns, refs)

    next_row = dict.fromkeys(SHEETS, 2)

    def write(name: str, cells: dict[str, Any], *, italic: bool = False) -> None:
        sheet = sheets[name]
        row = next_row[name]
        for index, column in enumerate(SHEETS[name], start=1):
            value = cells.get(column.key)
            if value in (None, ""):
                continue
            _put(sheet, row, index, value, date=column.date)
            if italic:
                sheet.cell(row=row, column=index).font = _EXAMPLE_FONT
        next_row[name] = row + 1

    items = [EXAMPLE] if example else list(procedures)
    for data in items:
        write(SHEET_PROCEDURES, _procedure_cells(data), italic=example)
        for name, rows in _part_rows(data).items():
            for cells in rows:
                write(name, cells, italic=example)
    return workbook


def dump(procedures: Iterable[ProcedureData]) -> bytes:
    buffer = io.BytesIO()
    build_workbook(procedures).save(buffer)
    return buffer.getvalue()


def template_bytes() -> bytes:
    """The blank template (with one example row per sheet, skipped on import)."""
    buffer = io.BytesIO()
    build_workbook([], example=True).save(buffer)
    return buffer.getvalue()
