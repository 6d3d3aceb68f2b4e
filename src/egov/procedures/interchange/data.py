"""One procedure as a file describes it, independent of the format (JSON or Excel).

The parsers (``national_json.parse``, ``excel.parse``) build these; ``snapshot`` builds
them from a version in the database; the writers (``national_json.dump``, ``excel.dump``)
turn them back into a file; ``importer`` checks and writes them.  Two ``ProcedureData``
are equal when the catalogue content is equal (``where`` and the raw ``payload`` are not
compared), which is how a round trip and "nothing changed" are decided.

Cases: every case carries its own steps and documents in full.  A file may list steps or
documents "for every case" (an empty ``TRUONGHOP``, an empty "Trường hợp" cell): the
parser copies them into each case.  Channels and internal processes keep the catalogue's
distinction: ``case=None`` applies to every case without its own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from egov.procedures.constants import (
    DEFAULT_CUTOFF_HOUR,
    Channel,
    CutoffRule,
    OnlineLevel,
    ProcedureType,
    TargetGroup,
)
from egov.procedures.interchange.errors import ImportIssue
from egov.procedures.services import DEFAULT_CASE_NAME

__all__ = [
    "DEFAULT_CASE_NAME",
    "CaseData",
    "ChannelData",
    "DocumentData",
    "FeeData",
    "LegalBasisData",
    "ParseResult",
    "ProcedureData",
    "ProcessData",
    "ProcessStepData",
    "ResultData",
    "StepData",
]
_CHANNEL_ORDER = {value: index for index, value in enumerate(Channel.values)}


@dataclass
class FeeData:
    amount: int | None
    description: str = ""
    unit: str = ""
    where: str = field(default="", compare=False)


@dataclass
class ChannelData:
    channel: str
    value: int
    unit: str
    description: str = ""
    case: str | None = None
    fees: list[FeeData] = field(default_factory=list)
    where: str = field(default="", compare=False)


@dataclass
class DocumentData:
    name: str
    originals: int = 1
    copies: int = 0
    form_name: str = ""
    form_url: str = ""
    # "Giấy tờ phải nộp" / "Giấy tờ phải xuất trình": a heading inside the list, not a case.
    group: str = ""
    where: str = field(default="", compare=False)


@dataclass
class StepData:
    description: str
    where: str = field(default="", compare=False)


@dataclass
class CaseData:
    name: str
    steps: list[StepData] = field(default_factory=list)
    documents: list[DocumentData] = field(default_factory=list)


@dataclass
class ProcessStepData:
    name: str
    hours: Decimal
    role: str = ""
    parallel_group: int | None = None
    agency_name: str = ""
    where: str = field(default="", compare=False)


@dataclass
class ProcessData:
    steps: list[ProcessStepData]
    case: str | None = None
    name: str = ""
    decision_reference: str = ""
    where: str = field(default="", compare=False)


@dataclass
class LegalBasisData:
    name: str
    number: str = ""
    issued_date: dt.date | None = None
    issuer: str = ""
    where: str = field(default="", compare=False)


@dataclass
class ResultData:
    name: str
    document_code: str = ""
    where: str = field(default="", compare=False)


@dataclass
class ProcedureData:
    """A procedure's content (one version), with where each part came from in the file."""

    code: str
    name: str
    sector_name: str
    sector_code: str = ""
    national_id: str = ""
    levels: list[str] = field(default_factory=list)
    procedure_type: int = int(ProcedureType.NOT_DELEGATED)
    target_group: str = str(TargetGroup.BOTH)
    target_description: str = ""
    description: str = ""
    keywords: str = ""
    implementing_agency_name: str = ""
    competent_agency_name: str = ""
    authorised_agency_name: str = ""
    coordinating_agency_names: list[str] = field(default_factory=list)
    intake_address: str = ""
    requirements: str = ""
    online_level: str = str(OnlineLevel.NONE)
    online_full_eligible: bool = False
    boundary_free: bool = False
    cutoff_rule: str = str(CutoffRule.NONE)
    cutoff_time: dt.time = dt.time(DEFAULT_CUTOFF_HOUR, 0)
    start_after_payment: bool = False
    decision_number: str = ""
    decision_date: dt.date | None = None
    effective_date: dt.date | None = None
    decision_summary: str = ""
    results: list[ResultData] = field(default_factory=list)
    legal_bases: list[LegalBasisData] = field(default_factory=list)
    cases: list[CaseData] = field(default_factory=list)
    channels: list[ChannelData] = field(default_factory=list)
    processes: list[ProcessData] = field(default_factory=list)
    #: The raw national JSON of this procedure (A1); ``{}`` for an Excel row.
    payload: dict[str, Any] = field(default_factory=dict, compare=False)
    #: Where the procedure is in the file: "Thủ tục thứ 3 (1.001193)", "Dòng 5, sheet Thủ tục".
    where: str = field(default="", compare=False)
    #: Where some fields are ("decision_number" → "…, SOQUYETDINH"); default ``where``.
    field_where: dict[str, str] = field(default_factory=dict, compare=False)
    #: The parser found problems in it: it is not checked further (nothing is written).
    broken: bool = field(default=False, compare=False)

    # --- Canonical order (the database's) -----------------------------------------------------

    def normalise(self) -> ProcedureData:
        """Sort channels and processes the way the catalogue lists them (in place)."""
        positions = {case.name: index for index, case in enumerate(self.cases)}

        def case_key(name: str | None) -> int:
            return -1 if name is None else positions.get(name, len(positions))

        self.channels.sort(key=lambda c: (case_key(c.case), _CHANNEL_ORDER.get(c.channel, 9)))
        self.processes.sort(key=lambda p: case_key(p.case))
        return self

    @property
    def case_names(self) -> list[str]:
        return [case.name for case in self.cases]

    def at(self, name: str) -> str:
        """Where field ``name`` is in the file (for messages)."""
        return self.field_where.get(name) or self.where

    def case_where(self, name: str) -> str:
        return f"{self.where}, trường hợp “{name}”"


@dataclass
class ParseResult:
    """What a parser read: the procedures it could build and every problem it found."""

    procedures: list[ProcedureData] = field(default_factory=list)
    issues: list[ImportIssue] = field(default_factory=list)
    #: "json" or "xlsx".
    format: str = ""
