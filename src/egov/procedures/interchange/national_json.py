"""The national TTHC JSON package (``onestop.md`` §2.9): read it, and write it back.

Accepted shapes: one procedure (an object with ``MaTTHC``), a list of procedures, or a
package ``{"THUTUC": [...]}`` (other top-level keys such as ``_source`` are ignored).

Field mapping (national → catalogue):

========================================  ==================================================
``MaTTHC``, ``TENTTHC``, ``IDQG``          code, name, national record id
``LOAITTHC`` 1/2/3                         procedure type
``CAPTHUCHIEN[].TENCAP``                   levels ("Cấp xã/huyện/tỉnh/bộ"; "Cơ quan khác" is
                                           kept in the raw package only) + ``_egov.level_key``
``LINHVUCTHUCHIEN[0]``                     sector (``MALINHVUC`` code, ``TENLINHVUC`` name)
``TRINHTUTHUCHIEN[]{TRUONGHOP, TRINHTU}``  steps of each case
``THANHPHANHOSO[]{TRUONGHOP, GIAYTO}``     documents of each case (``SOBANCHINH``/``SOBANSAO``,
                                           ``TENMAUDON``, ``URL``)
``CACHTHUCTHUCHIEN[]{KENH, THOIGIAN}``     channels (1 direct, 2 online, 3 postal) with the time
                                           limit (``THOIGIANGIAIQUYET`` + ``DONVITINH``) and
                                           fees (``PHILEPHI[]{MOTA, SOTIEN, DONVI}``; ``SOTIEN``
                                           null = amount not confirmed); an optional
                                           ``TRUONGHOP`` ties the channel to one case
``DOITUONGTHUCHIEN[].TENDOITUONG``         target description (+ target group, derived)
``COQUAN*[].TENDONVI``                     implementing / competent / authorised /
                                           coordinating agency names
``DIACHITIEPNHAN``, ``YEUCAU``, ``TUKHOA``,  intake address, requirements, keywords, description
``MOTA``
``KETQUATHUCHIEN[]{TENKETQUA, MAKETQUA}``  results
``CANCUPHAPLY[]{SOVANBAN, TENVANBAN,       legal basis
NGAYBANHANH, COQUANBANHANH}``
``SOQUYETDINH``, ``NGAYQUYETDINH``,        publication decision (effective date:
``TRICHYEU``                               ``_egov.effective_date``, else the decision date)
``_egov``                                  local extension: ``cutoff``, ``cutoff_time``,
                                           ``start_after_payment``, ``online_level``,
                                           ``online_full_eligible``, ``boundary_free``,
                                           ``internal_process`` [{name, role, hours,
                                           parallel_group, agency}], ``case_processes``,
                                           ``process_name``, ``process_decision``,
                                           ``level_key``, ``target_group``, ``cases``,
                                           ``effective_date`` (other keys are kept)
========================================  ==================================================

Cases: every distinct non-empty ``TRUONGHOP`` is a case (in ``_egov.cases`` order when
given, else in order of appearance); entries with an empty ``TRUONGHOP`` belong to every
case; no ``TRUONGHOP`` at all → one case "Trường hợp chung".
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any, TypeVar

from egov.procedures.constants import Channel, CutoffRule, OnlineLevel
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

FORMAT = "json"
_T = TypeVar("_T")

#: Top-level keys this module reads and writes (everything else of a package is kept).
MANAGED_KEYS = (
    "MaTTHC",
    "IDQG",
    "TENTTHC",
    "LOAITTHC",
    "CAPTHUCHIEN",
    "LINHVUCTHUCHIEN",
    "TRINHTUTHUCHIEN",
    "CACHTHUCTHUCHIEN",
    "THANHPHANHOSO",
    "DOITUONGTHUCHIEN",
    "COQUANTHUCHIEN",
    "COQUANCOTHAMQUYEN",
    "COQUANDUOCUYQUYEN",
    "COQUANPHOIHOP",
    "DIACHITIEPNHAN",
    "KETQUATHUCHIEN",
    "CANCUPHAPLY",
    "YEUCAU",
    "TUKHOA",
    "MOTA",
    "SOQUYETDINH",
    "NGAYQUYETDINH",
    "TRICHYEU",
)
MANAGED_EGOV_KEYS = (
    "cutoff",
    "cutoff_time",
    "start_after_payment",
    "online_level",
    "online_full_eligible",
    "boundary_free",
    "internal_process",
    "case_processes",
    "process_name",
    "process_decision",
    "level_key",
    "target_group",
    "cases",
    "effective_date",
)
_CODE_KEYS = ("MaTTHC", "MATTHC", "MATHUTUC")
_NAME_KEYS = ("TENTTHC", "TENTHUTUC")
AGENCY_SEPARATOR = "; "


# --- Reading ---------------------------------------------------------------------------------


def load(raw: bytes | str) -> Any:
    """Decode and parse the file; ``FileRejected`` with a Vietnamese message otherwise."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise FileRejected(message(Message.NOT_UTF8)) from exc
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        raise FileRejected(message(Message.NOT_JSON, line=exc.lineno, column=exc.colno)) from exc
    except RecursionError as exc:
        raise FileRejected(message(Message.JSON_STRUCTURE)) from exc


def procedures_of(document: Any) -> list[Any]:
    """The list of procedure objects of a package, a list, or a single procedure."""
    if isinstance(document, dict):
        if "THUTUC" in document:
            items = document["THUTUC"]
            if not isinstance(items, list):
                raise FileRejected(message(Message.JSON_STRUCTURE))
            return items
        if any(key in document for key in _CODE_KEYS):
            return [document]
        raise FileRejected(message(Message.JSON_STRUCTURE))
    if isinstance(document, list):
        return document
    raise FileRejected(message(Message.JSON_STRUCTURE))


def parse(raw: bytes | str) -> ParseResult:
    """Read a national JSON package into ``ProcedureData`` (row-by-row issues collected).

    Raises ``FileRejected`` when the file is not JSON or not a package at all.
    """
    items = procedures_of(load(raw))
    if not items:
        raise FileRejected(message(Message.EMPTY_PACKAGE))
    return parse_items(items)


def parse_items(items: list[Any]) -> ParseResult:
    result = ParseResult(format=FORMAT)
    for index, item in enumerate(items, start=1):
        reader = _Reader(index, item, result.issues)
        data = reader.procedure()
        if data is not None:
            result.procedures.append(data)
    return result


class _Reader:
    """Reads one procedure object; every problem becomes an issue at its JSON path."""

    def __init__(self, index: int, item: Any, issues: list[ImportIssue]) -> None:
        self.index = index
        self.item = item
        self.issues = issues
        code = ""
        if isinstance(item, dict):
            for key in _CODE_KEYS:
                if key in item and isinstance(item[key], str | int | float):
                    code = str(item[key]).strip()
                    break
        self.code = code
        self.where = f"Thủ tục thứ {index} ({code})" if code else f"Thủ tục thứ {index}"
        self.ok = True

    # -- helpers --

    def at(self, path: str) -> str:
        return f"{self.where}, {path}" if path else self.where

    def problem(self, path: str, text: str) -> None:
        self.ok = False
        issue = ImportIssue(self.at(path), text)
        if issue not in self.issues:  # a list read twice reports its problem once
            self.issues.append(issue)

    def value(
        self, obj: dict[str, Any], key: str, path: str, fn: Callable[[Any], _T], default: _T
    ) -> _T:
        try:
            return fn(obj.get(key))
        except ValueProblem as exc:
            self.problem(f"{path}{key}" if not path.endswith("]") else f"{path}.{key}", exc.text)
            return default

    def text(self, obj: dict[str, Any], key: str, path: str = "") -> str:
        return self.value(obj, key, path, values.text, "")

    def objects(self, obj: dict[str, Any], key: str, path: str = "") -> list[dict[str, Any]]:
        """``obj[key]`` as a list of objects (missing → empty; wrong → an issue)."""
        full = f"{path}.{key}" if path else key
        raw = obj.get(key)
        if raw is None:
            return []
        if not isinstance(raw, list):
            self.problem(full, message(Message.NOT_LIST))
            return []
        result = []
        for i, entry in enumerate(raw):
            if isinstance(entry, dict):
                result.append(entry)
            else:
                self.problem(f"{full}[{i}]", message(Message.NOT_OBJECT))
                result.append({})
        return result

    # -- the procedure --

    def procedure(self) -> ProcedureData | None:
        item = self.item
        if not isinstance(item, dict):
            self.problem("", message(Message.NOT_OBJECT))
            return None
        egov_raw = item.get("_egov")
        egov: dict[str, Any] = {}
        if isinstance(egov_raw, dict):
            egov = egov_raw
        elif egov_raw is not None:
            self.problem("_egov", message(Message.NOT_OBJECT))

        if not self.code:
            self.problem("MaTTHC", message(Message.REQUIRED, field="mã thủ tục (MaTTHC)"))
        name = ""
        for key in _NAME_KEYS:
            if key in item:
                name = self.text(item, key)
                break
        if not name:
            self.problem("TENTTHC", message(Message.REQUIRED, field="tên thủ tục (TENTTHC)"))

        data = ProcedureData(code=self.code, name=name, sector_name="", payload=item)
        data.where = self.where
        data.field_where = {
            "decision_number": self.at("SOQUYETDINH"),
            "decision_date": self.at("NGAYQUYETDINH"),
            "effective_date": self.at(
                "_egov.effective_date" if egov.get("effective_date") else "NGAYQUYETDINH"
            ),
        }
        data.national_id = self.text(item, "IDQG")
        data.procedure_type = self.value(item, "LOAITTHC", "", values.procedure_type, 1)
        self._levels(data, item, egov)
        self._sector(data, item)
        self._target(data, item, egov)
        data.description = self.text(item, "MOTA")
        data.keywords = self.text(item, "TUKHOA")
        data.intake_address = self.text(item, "DIACHITIEPNHAN")
        data.requirements = self.text(item, "YEUCAU")
        data.implementing_agency_name = AGENCY_SEPARATOR.join(
            self._agencies(item, "COQUANTHUCHIEN")
        )
        data.competent_agency_name = AGENCY_SEPARATOR.join(
            self._agencies(item, "COQUANCOTHAMQUYEN")
        )
        data.authorised_agency_name = AGENCY_SEPARATOR.join(
            self._agencies(item, "COQUANDUOCUYQUYEN")
        )
        data.coordinating_agency_names = self._agencies(item, "COQUANPHOIHOP")
        self._results(data, item)
        self._legal_bases(data, item)
        self._decision(data, item, egov)
        self._cases(data, item, egov)
        self._channels(data, item)
        self._processes(data, egov)
        self._local(data, egov)
        data.broken = not self.ok
        return data.normalise()

    def _levels(self, data: ProcedureData, item: dict[str, Any], egov: dict[str, Any]) -> None:
        levels: set[str] = set()
        for i, entry in enumerate(self.objects(item, "CAPTHUCHIEN")):
            found = self.value(entry, "TENCAP", f"CAPTHUCHIEN[{i}]", values.level, None)
            if found:
                levels.add(found)
        if egov.get("level_key") not in (None, ""):
            found = self.value(egov, "level_key", "_egov.", values.level, None)
            if found:
                levels.add(found)
        data.levels = values.sort_levels(levels)

    def _sector(self, data: ProcedureData, item: dict[str, Any]) -> None:
        sectors = self.objects(item, "LINHVUCTHUCHIEN")
        if sectors:
            data.sector_name = self.text(sectors[0], "TENLINHVUC", "LINHVUCTHUCHIEN[0]")
            data.sector_code = self.text(sectors[0], "MALINHVUC", "LINHVUCTHUCHIEN[0]")
        if not data.sector_name:
            self.problem(
                "LINHVUCTHUCHIEN",
                message(Message.REQUIRED, field="lĩnh vực (LINHVUCTHUCHIEN[0].TENLINHVUC)"),
            )

    def _target(self, data: ProcedureData, item: dict[str, Any], egov: dict[str, Any]) -> None:
        names = []
        for i, entry in enumerate(self.objects(item, "DOITUONGTHUCHIEN")):
            name = self.text(entry, "TENDOITUONG", f"DOITUONGTHUCHIEN[{i}]")
            if name:
                names.append(name)
        data.target_description = "\n".join(names)
        explicit = self.value(egov, "target_group", "_egov.", values.target_group, None)
        data.target_group = explicit or values.classify_target_group(names)

    def _agencies(self, item: dict[str, Any], key: str) -> list[str]:
        names = []
        for i, entry in enumerate(self.objects(item, key)):
            name = self.text(entry, "TENDONVI", f"{key}[{i}]")
            if name:
                names.append(name)
        return names

    def _results(self, data: ProcedureData, item: dict[str, Any]) -> None:
        for i, entry in enumerate(self.objects(item, "KETQUATHUCHIEN")):
            path = f"KETQUATHUCHIEN[{i}]"
            name = self.text(entry, "TENKETQUA", path)
            code = self.text(entry, "MAKETQUA", path)
            if not name and not code:
                continue
            if not name:
                self.problem(f"{path}.TENKETQUA", message(Message.REQUIRED, field="tên kết quả"))
                continue
            data.results.append(ResultData(name=name, document_code=code, where=self.at(path)))

    def _legal_bases(self, data: ProcedureData, item: dict[str, Any]) -> None:
        for i, entry in enumerate(self.objects(item, "CANCUPHAPLY")):
            path = f"CANCUPHAPLY[{i}]"
            number = self.text(entry, "SOVANBAN", path)
            name = self.text(entry, "TENVANBAN", path)
            issued = self.value(entry, "NGAYBANHANH", path, values.date, None)
            issuer = self.text(entry, "COQUANBANHANH", path)
            if not number and not name:
                if issuer or issued:
                    self.problem(path, message(Message.LEGAL_NAME_REQUIRED))
                continue
            data.legal_bases.append(
                LegalBasisData(
                    name=name or number,
                    number=number,
                    issued_date=issued,
                    issuer=issuer,
                    where=self.at(path),
                )
            )

    def _decision(self, data: ProcedureData, item: dict[str, Any], egov: dict[str, Any]) -> None:
        data.decision_number = self.text(item, "SOQUYETDINH")
        data.decision_date = self.value(item, "NGAYQUYETDINH", "", values.date, None)
        data.decision_summary = self.text(item, "TRICHYEU")
        effective = self.value(egov, "effective_date", "_egov.", values.date, None)
        if effective is None and "NGAYHIEULUC" in item:
            effective = self.value(item, "NGAYHIEULUC", "", values.date, None)
        data.effective_date = effective or data.decision_date

    def _cases(self, data: ProcedureData, item: dict[str, Any], egov: dict[str, Any]) -> None:
        """Cases in order; steps and documents with an empty TRUONGHOP go to every case."""
        step_groups: list[tuple[str, list[StepData]]] = []
        for i, group in enumerate(self.objects(item, "TRINHTUTHUCHIEN")):
            path = f"TRINHTUTHUCHIEN[{i}]"
            case = self.text(group, "TRUONGHOP", path)
            steps = []
            for j, entry in enumerate(self.objects(group, "TRINHTU", path)):
                description = self.text(entry, "TENTRINHTU", f"{path}.TRINHTU[{j}]")
                if description:
                    steps.append(StepData(description, where=self.at(f"{path}.TRINHTU[{j}]")))
            step_groups.append((case, steps))
        document_groups: list[tuple[str, list[DocumentData]]] = []
        for i, group in enumerate(self.objects(item, "THANHPHANHOSO")):
            path = f"THANHPHANHOSO[{i}]"
            case = self.text(group, "TRUONGHOP", path)
            heading = ""
            if values.is_document_group(case):
                heading, case = case, ""  # a heading for every case, not a case of its own
            documents = []
            for j, entry in enumerate(self.objects(group, "GIAYTO", path)):
                document = self._document(entry, f"{path}.GIAYTO[{j}]")
                if document is not None:
                    document.group = heading
                    documents.append(document)
            document_groups.append((case, documents))

        appearing: list[str] = [name for name, _ in step_groups + document_groups if name]
        for i, entry in enumerate(self.objects(item, "CACHTHUCTHUCHIEN")):
            name = self.text(entry, "TRUONGHOP", f"CACHTHUCTHUCHIEN[{i}]")
            if name:
                appearing.append(name)
        for i, entry in enumerate(self.objects(egov, "case_processes", "_egov")):
            name = self.text(entry, "TRUONGHOP", f"_egov.case_processes[{i}]")
            if name:
                appearing.append(name)
        explicit: list[str] = []
        raw_cases = egov.get("cases")
        if isinstance(raw_cases, list):
            for i, name in enumerate(raw_cases):
                try:
                    explicit.append(values.text(name))
                except ValueProblem as exc:
                    self.problem(f"_egov.cases[{i}]", exc.text)
        elif raw_cases is not None:
            self.problem("_egov.cases", message(Message.NOT_LIST))
        names = _unique([n for n in explicit + appearing if n]) or [DEFAULT_CASE_NAME]
        data.cases = [CaseData(name=name) for name in names]
        by_name = {case.name: case for case in data.cases}
        for case_name, steps in step_groups:
            for target in [by_name[case_name]] if case_name else data.cases:
                target.steps.extend(copy.copy(s) for s in steps)
        for case_name, documents in document_groups:
            for target in [by_name[case_name]] if case_name else data.cases:
                target.documents.extend(copy.copy(d) for d in documents)

    def _document(self, entry: dict[str, Any], path: str) -> DocumentData | None:
        name = self.text(entry, "TENGIAYTO", path)
        originals = self.value(entry, "SOBANCHINH", path, lambda v: values.count(v, 1), 1)
        copies = self.value(entry, "SOBANSAO", path, lambda v: values.count(v, 0), 0)
        form_name = self.text(entry, "TENMAUDON", path)
        form_url = self.text(entry, "URL", path)
        if not name:
            if form_name or form_url:
                self.problem(f"{path}.TENGIAYTO", message(Message.REQUIRED, field="tên giấy tờ"))
            return None
        return DocumentData(
            name=name,
            originals=originals,
            copies=copies,
            form_name=form_name,
            form_url=form_url,
            where=self.at(path),
        )

    def _channels(self, data: ProcedureData, item: dict[str, Any]) -> None:
        for i, entry in enumerate(self.objects(item, "CACHTHUCTHUCHIEN")):
            path = f"CACHTHUCTHUCHIEN[{i}]"
            channel = self.value(entry, "KENH", path, values.channel, "")
            case = self.text(entry, "TRUONGHOP", path) or None
            for j, limit in enumerate(self.objects(entry, "THOIGIAN", path)):
                where = f"{path}.THOIGIAN[{j}]"
                value = self.value(limit, "THOIGIANGIAIQUYET", where, values.time_limit, 0)
                unit = self.value(limit, "DONVITINH", where, values.time_unit, "")
                option = ChannelData(
                    channel=channel,
                    value=value,
                    unit=unit,
                    description=self.text(limit, "MOTA", where),
                    case=case,
                    where=self.at(where),
                )
                for k, fee in enumerate(self.objects(limit, "PHILEPHI", where)):
                    fee_path = f"{where}.PHILEPHI[{k}]"
                    option.fees.append(
                        FeeData(
                            amount=self.value(fee, "SOTIEN", fee_path, values.amount, None),
                            description=self.text(fee, "MOTA", fee_path),
                            unit=self.text(fee, "DONVI", fee_path),
                            where=self.at(fee_path),
                        )
                    )
                data.channels.append(option)

    def _process_steps(self, raw: Any, path: str) -> list[ProcessStepData]:
        if raw is None:
            return []
        if not isinstance(raw, list):
            self.problem(path, message(Message.NOT_LIST))
            return []
        steps = []
        entries: list[tuple[str, dict[str, Any]]] = []
        for i, entry in enumerate(raw):
            step_path = f"{path}[{i}]"
            if not isinstance(entry, dict):
                self.problem(step_path, message(Message.NOT_OBJECT))
                continue
            entries.append((step_path, entry))
        groups = values.parallel_groups([entry.get("parallel_group") for _, entry in entries])
        for (step_path, entry), group in zip(entries, groups, strict=True):
            name = self.text(entry, "name", step_path)
            if not name:
                self.problem(f"{step_path}.name", message(Message.REQUIRED, field="tên bước"))
            if isinstance(group, ValueProblem):
                self.problem(f"{step_path}.parallel_group", group.text)
                group = None
            steps.append(
                ProcessStepData(
                    name=name,
                    hours=self.value(entry, "hours", step_path, values.hours, Decimal(1)),
                    role=self.value(entry, "role", step_path, values.role, ""),
                    parallel_group=group,
                    agency_name=self.text(entry, "agency", step_path),
                    where=self.at(step_path),
                )
            )
        return steps

    def _processes(self, data: ProcedureData, egov: dict[str, Any]) -> None:
        steps = self._process_steps(egov.get("internal_process"), "_egov.internal_process")
        if steps:
            data.processes.append(
                ProcessData(
                    steps=steps,
                    name=self.text(egov, "process_name", "_egov."),
                    decision_reference=self.text(egov, "process_decision", "_egov."),
                    where=self.at("_egov.internal_process"),
                )
            )
        for i, entry in enumerate(self.objects(egov, "case_processes", "_egov")):
            path = f"_egov.case_processes[{i}]"
            case = self.text(entry, "TRUONGHOP", path)
            if not case:
                self.problem(f"{path}.TRUONGHOP", message(Message.REQUIRED, field="trường hợp"))
                continue
            case_steps = self._process_steps(
                entry.get("internal_process"), f"{path}.internal_process"
            )
            if case_steps:
                data.processes.append(
                    ProcessData(
                        steps=case_steps,
                        case=case,
                        name=self.text(entry, "name", path),
                        decision_reference=self.text(entry, "decision_reference", path),
                        where=self.at(f"{path}.internal_process"),
                    )
                )

    def _local(self, data: ProcedureData, egov: dict[str, Any]) -> None:
        data.cutoff_rule = self.value(egov, "cutoff", "_egov.", values.cutoff, str(CutoffRule.NONE))
        data.cutoff_time = self.value(
            egov,
            "cutoff_time",
            "_egov.",
            lambda v: values.clock_time(v, data.cutoff_time),
            data.cutoff_time,
        )
        data.start_after_payment = self.value(
            egov, "start_after_payment", "_egov.", values.boolean, False
        )
        has_online = any(c.channel == Channel.ONLINE for c in data.channels)
        default_online = str(OnlineLevel.PARTIAL if has_online else OnlineLevel.NONE)
        if egov.get("online_level") in (None, ""):
            data.online_level = default_online
        else:
            data.online_level = self.value(
                egov, "online_level", "_egov.", values.online_level, default_online
            )
        data.online_full_eligible = self.value(
            egov,
            "online_full_eligible",
            "_egov.",
            lambda v: values.boolean(v, data.online_level == OnlineLevel.FULL),
            False,
        )
        data.boundary_free = self.value(egov, "boundary_free", "_egov.", values.boolean, False)


def _unique(names: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for name in names:
        seen.setdefault(name, None)
    return list(seen)


# --- Writing ---------------------------------------------------------------------------------


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _factor(cases: list[CaseData], attr: str) -> list[tuple[str, list[Any]]]:
    """Steps or documents: once with an empty TRUONGHOP when every case has the same."""
    lists = [getattr(case, attr) for case in cases]
    if all(lst == lists[0] for lst in lists):
        return [("", lists[0])] if lists[0] else []
    return [(case.name, lst) for case, lst in zip(cases, lists, strict=True) if lst]


def _documents_json(cases: list[CaseData]) -> list[dict[str, Any]]:
    """THANHPHANHOSO: per case, or (documents shared by every case) per document group."""
    result: list[dict[str, Any]] = []
    for case, documents in _factor(cases, "documents"):
        runs: list[tuple[str, list[DocumentData]]] = []
        for d in documents:
            label = case or d.group
            if runs and runs[-1][0] == label:
                runs[-1][1].append(d)
            else:
                runs.append((label, [d]))
        for label, docs in runs:
            result.append(
                {
                    "TRUONGHOP": label,
                    "GIAYTO": [
                        {
                            "TENGIAYTO": d.name,
                            "TENMAUDON": d.form_name,
                            "URL": d.form_url,
                            "SOBANCHINH": d.originals,
                            "SOBANSAO": d.copies,
                        }
                        for d in docs
                    ],
                }
            )
    return result


def procedure_to_json(data: ProcedureData) -> dict[str, Any]:
    """One procedure in the national format (the raw package's other keys are kept)."""
    payload = data.payload if isinstance(data.payload, dict) else {}
    result: dict[str, Any] = {
        key: copy.deepcopy(value)
        for key, value in payload.items()
        if key not in MANAGED_KEYS and key != "_egov" and key not in _CODE_KEYS + _NAME_KEYS
    }
    raw_egov = payload.get("_egov")
    old_egov: dict[str, Any] = raw_egov if isinstance(raw_egov, dict) else {}
    raw_levels = payload.get("CAPTHUCHIEN")
    old_levels: list[Any] = raw_levels if isinstance(raw_levels, list) else []
    raw_targets = payload.get("DOITUONGTHUCHIEN")
    old_targets: list[Any] = raw_targets if isinstance(raw_targets, list) else []
    target_codes = {
        str(t.get("TENDOITUONG", "")).strip(): t.get("MADOITUONG", "")
        for t in old_targets
        if isinstance(t, dict)
    }

    levels = [{"TENCAP": values.NATIONAL_LEVEL_NAMES[level]} for level in data.levels]
    if any(
        isinstance(e, dict) and str(e.get("TENCAP", "")).strip() == values.OTHER_AGENCY_LEVEL
        for e in old_levels
    ):
        levels.append({"TENCAP": values.OTHER_AGENCY_LEVEL})

    head: dict[str, Any] = {"MaTTHC": data.code}
    if data.national_id:
        head["IDQG"] = data.national_id
    head.update(
        {
            "TENTTHC": data.name,
            "LOAITTHC": data.procedure_type,
            "CAPTHUCHIEN": levels,
            "LINHVUCTHUCHIEN": [
                {"MALINHVUC": data.sector_code, "TENLINHVUC": data.sector_name}
                if data.sector_code
                else {"TENLINHVUC": data.sector_name}
            ],
            "TRINHTUTHUCHIEN": [
                {"TRUONGHOP": case, "TRINHTU": [{"TENTRINHTU": s.description} for s in steps]}
                for case, steps in _factor(data.cases, "steps")
            ],
            "CACHTHUCTHUCHIEN": _channels_json(data),
            "THANHPHANHOSO": _documents_json(data.cases),
            "DOITUONGTHUCHIEN": [
                {"MADOITUONG": target_codes.get(name, ""), "TENDOITUONG": name}
                for name in data.target_description.splitlines()
                if name.strip()
            ],
            "COQUANTHUCHIEN": _agencies_json(data.implementing_agency_name),
            "COQUANCOTHAMQUYEN": _agencies_json(data.competent_agency_name),
            "COQUANDUOCUYQUYEN": _agencies_json(data.authorised_agency_name),
            "COQUANPHOIHOP": [{"TENDONVI": name} for name in data.coordinating_agency_names],
            "DIACHITIEPNHAN": data.intake_address,
            "KETQUATHUCHIEN": [
                {"TENKETQUA": r.name, "MAKETQUA": r.document_code}
                if r.document_code
                else {"TENKETQUA": r.name}
                for r in data.results
            ],
            "CANCUPHAPLY": [
                {
                    "SOVANBAN": b.number,
                    "TENVANBAN": b.name,
                    "NGAYBANHANH": values.format_date(b.issued_date),
                    "COQUANBANHANH": b.issuer,
                }
                for b in data.legal_bases
            ],
            "YEUCAU": data.requirements,
            "TUKHOA": data.keywords,
            "MOTA": data.description,
            "SOQUYETDINH": data.decision_number,
            "NGAYQUYETDINH": data.decision_date.isoformat() if data.decision_date else "",
            "TRICHYEU": data.decision_summary,
        }
    )
    egov: dict[str, Any] = {
        key: copy.deepcopy(value) for key, value in old_egov.items() if key not in MANAGED_EGOV_KEYS
    }
    egov.update(
        {
            "cutoff": data.cutoff_rule if data.cutoff_rule != CutoffRule.NONE else None,
            "cutoff_time": data.cutoff_time.strftime("%H:%M"),
            "start_after_payment": data.start_after_payment,
            "online_level": data.online_level,
            "online_full_eligible": data.online_full_eligible,
            "boundary_free": data.boundary_free,
            "target_group": data.target_group,
        }
    )
    if data.effective_date and data.effective_date != data.decision_date:
        egov["effective_date"] = data.effective_date.isoformat()
    if data.case_names != [DEFAULT_CASE_NAME]:
        egov["cases"] = data.case_names
    old_level_key = old_egov.get("level_key")
    if old_level_key in data.levels:
        egov["level_key"] = old_level_key
    shared = [p for p in data.processes if p.case is None]
    egov["internal_process"] = _process_json(shared[0]) if shared else []
    if shared and shared[0].name:
        egov["process_name"] = shared[0].name
    if shared and shared[0].decision_reference:
        egov["process_decision"] = shared[0].decision_reference
    per_case = [p for p in data.processes if p.case is not None]
    if per_case:
        egov["case_processes"] = [
            {
                "TRUONGHOP": p.case,
                "name": p.name,
                "decision_reference": p.decision_reference,
                "internal_process": _process_json(p),
            }
            for p in per_case
        ]
    head.update(result)
    head["_egov"] = egov
    return head


def _agencies_json(names: str) -> list[dict[str, str]]:
    return [{"TENDONVI": n.strip()} for n in names.split(AGENCY_SEPARATOR.strip()) if n.strip()]


def _channels_json(data: ProcedureData) -> list[dict[str, Any]]:
    """Consecutive options of one (case, channel) share one ``KENH`` entry."""
    entries: list[dict[str, Any]] = []
    last: tuple[str | None, str] | None = None
    for option in data.channels:
        limit = {
            "THOIGIANGIAIQUYET": option.value,
            "DONVITINH": values.NATIONAL_UNIT_NAMES.get(option.unit, option.unit),
            "MOTA": option.description,
            "PHILEPHI": [
                {"MOTA": f.description, "SOTIEN": f.amount, "DONVI": f.unit} for f in option.fees
            ],
        }
        key = (option.case, option.channel)
        if key == last:
            entries[-1]["THOIGIAN"].append(limit)
            continue
        entry: dict[str, Any] = {"KENH": values.KENH_BY_CHANNEL[option.channel]}
        if option.case is not None:
            entry["TRUONGHOP"] = option.case
        entry["THOIGIAN"] = [limit]
        entries.append(entry)
        last = key
    return entries


def _process_json(process: ProcessData) -> list[dict[str, Any]]:
    steps = []
    for step in process.steps:
        row: dict[str, Any] = {
            "name": step.name,
            "role": step.role,
            "hours": _number(step.hours),
            "parallel_group": step.parallel_group,
        }
        if step.agency_name:
            row["agency"] = step.agency_name
        steps.append(row)
    return steps


def dump(procedures: Iterable[ProcedureData], *, source: dict[str, Any] | None = None) -> bytes:
    """A package ``{"_source": ..., "THUTUC": [...]}`` as UTF-8 JSON (readable, indented)."""
    items = [procedure_to_json(data) for data in procedures]
    package: dict[str, Any] = {}
    if source:
        package["_source"] = source
    package["THUTUC"] = items
    return json.dumps(package, ensure_ascii=False, indent=1).encode("utf-8")
