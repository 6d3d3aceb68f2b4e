"""Bulk benchmark data: realistic dossiers over the demo (``manage.py generate_dossiers``).

``generate_dossiers(count=N, years=2)`` adds ``N`` dossiers received over the last ``years``
years at every one-stop desk it finds (the demo's district desk and its 22 commune desks),
for every published procedure at the desk's level, and plays each one's life forward from
its intake until now:

* **intake**: in person or by post during working hours, online at any hour (also on days
  off) and accepted by the desk within the acceptance limit (a few late); some refused at
  intake, some asked to complete first (Mẫu 02) and accepted afterwards, or refused;
* **processing**: the case's internal process step by step (handlers drawn from the
  staff holding each step's role, parallel steps at the same time), at a speed drawn per
  dossier: most early or on time, some late, a few stuck for weeks;
* **pauses**: a request to supplement (the clock stops, ``DossierPause``) or to pay a
  financial obligation; the one allowed re-appointment for some late ones; withdrawal
  requests followed by a stop; results granted or refused with reasons; the return at
  the desk a little later.

Whatever has happened by now is written; the rest is not: recent dossiers are open at
every step, paused, awaiting acceptance, or resolved and waiting to be collected, and
old ones are mostly returned.  Rows are what the services would have written (same
fields, due dates from the real due-date engine, timeline events, tasks for every
step), inserted in bulk: ``COPY`` on PostgreSQL, ``bulk_create`` elsewhere.  The audit
log is not written (these are not actions of anyone).

Codes are ``<agency code>-<YYMMDD>-<NNNN>``: the daily numbers are taken from
``DossierSequence`` in the same transaction as the dossiers (one ``INSERT … ON CONFLICT
… RETURNING`` per batch), so a later intake, or a second run, continues after them.

The staff that the processes need and the demo does not have (commune justice officers,
leaders, office clerks, more desk clerks…) are created once, through ``organizations``
services, with unusable passwords: ``bench.<unit code>.<role><n>`` (for a district office,
``bench.<unit code>.<agency id>.<role><n>``).

Large runs on PostgreSQL use one worker process per CPU (``workers``); every batch has its
own random stream, so a seed gives the same dossiers whatever the number of workers.
"""

# The pseudo-random numbers below make up data, not secrets.
# ruff: noqa: S311

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import json
import multiprocessing
import os
import random
import time
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

from django.contrib.auth import get_user_model
from django.db import connection, connections, models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from psycopg.types.json import Jsonb

from egov.core.calendar.engine import VN_TZ, WorkingCalendar
from egov.core.calendar.selectors import calendar_for_unit
from egov.core.text import fold_vietnamese
from egov.dossiers.codes import format_code
from egov.dossiers.constants import (
    Action,
    ApplicantKind,
    Channel,
    PauseKind,
    ResultKind,
    ReturnMethod,
    Status,
    TaskState,
)
from egov.dossiers.models import (
    Dossier,
    DossierEvent,
    DossierFee,
    DossierPause,
    DossierResult,
    DossierSequence,
    DossierTask,
)
from egov.dossiers.permissions import agency_subtree_ids, peoples_committee_of
from egov.dossiers.services import rules_json, search_text_for
from egov.organizations.facade import (
    AdministrativeUnit,
    Agency,
    AgencyKind,
    Department,
    Position,
    Role,
    UnitLevel,
    staff_user_create,
)
from egov.procedures.facade import (
    DeadlineRules,
    ProcedureCase,
    ProcedureError,
    ProcedureVersion,
    classify_completion,
    compute_due,
    limit_in_working_hours,
    online_acceptance_due,
    pause_extend,
    version_rules,
)

__all__ = ["GenerateError", "GenerateResult", "generate_dossiers"]

#: Staff accounts made by the generator start with this (``bench.<unit code>.<role><n>``).
STAFF_PREFIX = "bench"
STAFF_EMAIL_DOMAIN = "bench.egov.local"


class GenerateError(Exception):
    """The data cannot be generated here (the message is in Vietnamese)."""


@dataclass
class GenerateResult:
    created: int = 0
    by_status: Counter[str] = field(default_factory=Counter)
    by_channel: Counter[str] = field(default_factory=Counter)
    tasks: int = 0
    events: int = 0
    pauses: int = 0
    results: int = 0
    fees: int = 0
    staff_created: int = 0
    desks: int = 0
    procedures: int = 0
    seconds: float = 0.0
    first_code: str = ""
    last_code: str = ""
    #: CPU seconds spent by the generator's processes and by their database backends (when
    #: the database runs on this machine): what the run would take on idle cores.
    python_cpu: float = 0.0
    database_cpu: float | None = None
    workers: int = 1


Progress = Callable[[int, int, float], None]

# --- names and words -------------------------------------------------------------------------

_FAMILY = (
    ("Nguyễn", 30),
    ("Trần", 10),
    ("Lê", 9),
    ("Phạm", 6),
    ("Huỳnh", 6),
    ("Võ", 5),
    ("Phan", 4),
    ("Trương", 3),
    ("Hoàng", 2),
    ("Đặng", 2),
    ("Bùi", 2),
    ("Đỗ", 2),
    ("Hồ", 2),
    ("Ngô", 2),
    ("Dương", 1),
    ("Đoàn", 1),
    ("Đinh", 1),
    ("Lương", 1),
    ("Mai", 1),
    ("Thái", 1),
    ("Lý", 1),
    ("Châu", 1),
    ("Vũ", 1),
    ("Tô", 1),
)
_MIDDLE_MALE = (
    "Văn",
    "Văn",
    "Văn",
    "Đức",
    "Minh",
    "Quang",
    "Hữu",
    "Công",
    "Thanh",
    "Ngọc",
    "Xuân",
    "Tấn",
    "Bá",
    "Phú",
    "Anh",
    "Quốc",
)
_MIDDLE_FEMALE = (
    "Thị",
    "Thị",
    "Thị",
    "Thị Thu",
    "Thị Kim",
    "Thị Mỹ",
    "Ngọc",
    "Thanh",
    "Thu",
    "Thị Thanh",
    "Thị Hồng",
    "Thị Ngọc",
    "Thị Minh",
    "Bích",
)
_GIVEN_MALE = (
    "An",
    "Bảo",
    "Bình",
    "Cường",
    "Dũng",
    "Đạt",
    "Hải",
    "Hiếu",
    "Hùng",
    "Huy",
    "Khánh",
    "Khoa",
    "Long",
    "Lợi",
    "Minh",
    "Nam",
    "Nghĩa",
    "Phong",
    "Phúc",
    "Quân",
    "Quang",
    "Sơn",
    "Tài",
    "Tâm",
    "Thắng",
    "Thành",
    "Tiến",
    "Toàn",
    "Trung",
    "Tuấn",
    "Việt",
    "Vinh",
    "Vũ",
    "Hòa",
    "Lộc",
    "Thịnh",
    "Trí",
    "Đông",
)
_GIVEN_FEMALE = (
    "Anh",
    "Châu",
    "Chi",
    "Diễm",
    "Dung",
    "Giang",
    "Hà",
    "Hạnh",
    "Hằng",
    "Hiền",
    "Hoa",
    "Hồng",
    "Hương",
    "Lan",
    "Liên",
    "Linh",
    "Loan",
    "Mai",
    "My",
    "Nga",
    "Ngân",
    "Nhung",
    "Oanh",
    "Phương",
    "Quyên",
    "Sương",
    "Thảo",
    "Thủy",
    "Trang",
    "Trinh",
    "Tuyết",
    "Uyên",
    "Vân",
    "Vy",
    "Yến",
    "Xuân",
    "Thư",
    "Nhi",
)
_FIRM_KIND = ("Công ty TNHH", "Công ty TNHH", "Công ty Cổ phần", "Doanh nghiệp tư nhân")
_FIRM_TRADE = (
    "Xây dựng",
    "Thương mại",
    "Thương mại và Dịch vụ",
    "Vận tải",
    "Nông sản",
    "Thực phẩm",
    "Du lịch",
    "Cơ khí",
    "Chế biến gỗ",
    "Thủy sản",
    "Vật liệu xây dựng",
    "Tư vấn thiết kế",
)
_FIRM_NAME = (
    "Phát Đạt",
    "Minh Long",
    "Hoàng Gia",
    "An Phú",
    "Thành Công",
    "Việt Hưng",
    "Tân Tiến",
    "Hòa Bình",
    "Phú Thịnh",
    "Trường An",
    "Bình Minh",
    "Đại Lộc",
    "Quang Vinh",
    "Hưng Thịnh",
    "Kim Ngân",
    "Thái Sơn",
)
_MOBILE = (
    "90",
    "91",
    "93",
    "94",
    "96",
    "97",
    "98",
    "32",
    "33",
    "34",
    "35",
    "36",
    "37",
    "38",
    "39",
    "70",
    "76",
    "77",
    "78",
    "79",
    "81",
    "82",
    "83",
    "84",
    "85",
    "86",
    "88",
    "89",
    "56",
    "58",
)
#: Hours of the day online submissions arrive (weights per hour, 0–23).
_ONLINE_HOURS = (1, 1, 0, 0, 0, 1, 3, 6, 9, 10, 10, 9, 6, 6, 8, 9, 9, 8, 7, 7, 7, 6, 4, 2)

_SUPPLEMENT_REASONS = (
    gettext_lazy("Thiếu bản sao giấy tờ chứng minh quyền sử dụng đất, đề nghị bổ sung."),
    gettext_lazy("Tờ khai chưa ghi đủ thông tin của người đề nghị, đề nghị hoàn thiện."),
    gettext_lazy("Bản vẽ chưa đúng quy cách theo quy định, đề nghị nộp lại."),
    gettext_lazy("Thiếu giấy tờ chứng minh nơi cư trú, đề nghị bổ sung."),
    gettext_lazy("Thông tin trong đơn không khớp với giấy tờ kèm theo, đề nghị điều chỉnh."),
)
_SUPPLEMENT_ITEMS = (
    gettext_lazy("Bản sao có chứng thực giấy tờ còn thiếu"),
    gettext_lazy("Tờ khai đã điền đầy đủ, có chữ ký của người đề nghị"),
    gettext_lazy("Bản vẽ đúng quy cách (02 bản)"),
)
_INTAKE_INCOMPLETE_REASONS = (
    gettext_lazy("Hồ sơ chưa đủ thành phần theo quy định của thủ tục."),
    gettext_lazy("Tờ khai chưa điền đầy đủ thông tin bắt buộc."),
    gettext_lazy("Giấy tờ nộp kèm là bản chụp không rõ nét, đề nghị nộp lại."),
)
_INTAKE_REFUSAL_REASONS = (
    gettext_lazy("Thủ tục không thuộc thẩm quyền giải quyết của cơ quan tiếp nhận."),
    gettext_lazy("Người nộp không thuộc đối tượng được giải quyết theo quy định."),
    gettext_lazy("Hồ sơ trùng với hồ sơ đang được giải quyết."),
)
_NOT_COMPLETED_REASON = gettext_lazy(
    "Người nộp không bổ sung, hoàn thiện hồ sơ trong thời hạn đã hướng dẫn."
)
_RESULT_REFUSED_NOTES = (
    gettext_lazy("Không đủ điều kiện giải quyết theo quy định; trả lời bằng văn bản nêu rõ lý do."),
    gettext_lazy("Kết quả xác minh không phù hợp với nội dung đề nghị."),
)
_WITHDRAWAL_REASONS = (
    gettext_lazy("Người nộp đề nghị rút hồ sơ để điều chỉnh nội dung."),
    gettext_lazy("Người nộp không còn nhu cầu giải quyết."),
)
_STOP_NOTE = gettext_lazy("Dừng giải quyết theo đề nghị rút hồ sơ của người nộp.")
_RESCHEDULE_REASONS = (
    gettext_lazy("Cần xác minh thêm thông tin tại địa phương."),
    gettext_lazy("Chờ ý kiến của cơ quan phối hợp."),
    gettext_lazy("Số lượng hồ sơ tăng đột biến trong kỳ."),
)
_PAYMENT_REASONS = (
    gettext_lazy("Đề nghị nộp lệ phí trước bạ, thuế theo thông báo của cơ quan thuế."),
    gettext_lazy("Đề nghị nộp tiền sử dụng đất theo thông báo."),
)
_PAYMENT_ITEMS = gettext_lazy("Nghĩa vụ tài chính theo thông báo")
_FORWARD_NOTES = ("", "", "", gettext_lazy("Đề nghị xem xét."), gettext_lazy("Hồ sơ đủ điều kiện."))
_FEE_NAME = gettext_lazy("Phí, lệ phí")

#: Relative frequency of a procedure, by words of its sector (folded, without diacritics).
_SECTOR_WEIGHTS = (
    ("chung thuc", 14.0),
    ("ho tich", 9.0),
    ("dat dai", 5.0),
    ("bao tro", 3.0),
    ("ho kinh doanh", 3.0),
    ("thanh lap", 2.5),
    ("nguoi co cong", 2.0),
    ("xay dung", 2.0),
    ("bao hiem", 1.5),
)
#: Which district office settles a sector (words of the sector → words of the office name).
_SECTOR_OFFICES = (
    (("ho tich", "chung thuc", "giam dinh", "tu phap"), "tu phap"),
    (("bao tro", "bhxh", "bhyt", "bao hiem", "nguoi co cong", "lao dong"), "lao dong"),
    (("thanh lap", "doanh nghiep", "hop tac xa", "kinh doanh"), "tai chinh"),
    (("dat dai", "moi truong"), "tai nguyen"),
    (("xay dung", "cong trinh", "thuong mai", "thuc pham", "vat lieu no", "da cap"), "kinh te"),
    (("xuat ban", "phat thanh", "van hoa", "thong tin"), "van hoa"),
)
_ENTERPRISE_SECTORS = (
    "thanh lap",
    "doanh nghiep",
    "hop tac xa",
    "thuong mai",
    "thuc pham",
    "vat lieu no",
    "da cap",
)

#: What each role is called in generated accounts, and the title of the position.
_ROLE_SLUGS = {
    Role.DESK_CLERK: ("motcua", gettext_lazy("Công chức Bộ phận Một cửa")),
    Role.SPECIALIST: ("chuyenvien", gettext_lazy("Chuyên viên")),
    Role.DEPARTMENT_HEAD: ("truongphong", gettext_lazy("Trưởng phòng")),
    Role.LEADER: ("lanhdao", gettext_lazy("Phó Chủ tịch UBND")),
    Role.CLERK_OFFICE: ("vanthu", gettext_lazy("Văn thư")),
    Role.JUSTICE_OFFICER: ("tuphap", gettext_lazy("Công chức Tư pháp - Hộ tịch")),
}
#: How many holders of a role a unit should have (district, commune) for the queues to
#: look like a real office; existing staff count.
_STAFF_TARGET = {
    Role.DESK_CLERK: (4, 2),
    Role.SPECIALIST: (2, 2),
    Role.DEPARTMENT_HEAD: (1, 1),
    Role.LEADER: (2, 2),
    Role.CLERK_OFFICE: (2, 1),
    Role.JUSTICE_OFFICER: (2, 2),
}


def _fold(text: str) -> str:
    return fold_vietnamese(text)


def _weighted(rng: random.Random, items: Sequence[Any], cum: Sequence[float]) -> Any:
    return items[bisect.bisect(cum, rng.random() * cum[-1])]


def _cum(weights: Iterable[float]) -> list[float]:
    return list(itertools.accumulate(weights))


def _vn_number(n: int) -> str:
    return f"{n:,}".replace(",", ".")


# --- what the generator works with --------------------------------------------------------------


@dataclass(frozen=True)
class _Person:
    """A staff member as the timeline shows them."""

    pk: int
    name: str
    title: str
    agency: str


@dataclass
class _Step:
    order: int
    name: str
    role: str
    agency_id: int | None
    department_id: int | None
    hours: Decimal
    parallel_group: int | None


@dataclass
class _Route:
    """A (version, case) a desk receives, with everything precomputed per channel."""

    version: ProcedureVersion
    case: ProcedureCase
    rules: dict[str, DeadlineRules]
    rules_json: dict[str, dict[str, Any]]
    fees: dict[str, list[tuple[int, str, int]]]
    groups: list[list[_Step]]
    has_return: bool
    weight: float
    result_name: str
    result_code: str
    kind_weights: tuple[float, float, float]  # citizen, enterprise, organisation
    office_words: str
    long_procedure: bool

    @property
    def work_groups(self) -> list[list[_Step]]:
        return self.groups[:-1] if self.has_return else self.groups

    @property
    def channels(self) -> list[str]:
        return list(self.rules)


@dataclass
class _Desk:
    agency: Agency
    unit: AdministrativeUnit
    competent: Agency
    weight: float
    address_tail: str
    home_units: list[tuple[int, str]]  # (unit id, "xã Bình An, huyện …") applicants live in
    routes: list[_Route] = field(default_factory=list)
    route_cum: list[float] = field(default_factory=list)
    online_routes: list[_Route] = field(default_factory=list)
    online_cum: list[float] = field(default_factory=list)
    clerks: list[_Person] = field(default_factory=list)


@dataclass
class _Flags:
    """A dossier's fate (drawn at random, or forced to show a status)."""

    channel: str | None = None
    path: str = "accept"  # accept | refuse | incomplete
    completes: bool = True
    speed: float = 1.0
    pause: str = ""  # "" | supplement | payment
    pause_days: float = 3.0
    reschedule: bool = False
    withdraw: bool = False
    refused_result: bool = False


@dataclass
class _TaskPlan:
    step: _Step
    handler: _Person | None
    start: dt.datetime | None
    end: dt.datetime | None
    due: dt.datetime | None
    due_after_pause: dt.datetime | None = None
    resume_at: dt.datetime | None = None
    end_state: str = TaskState.DONE


@dataclass
class _Sim:
    """One dossier as it stands now (rows without ids and code)."""

    desk: _Desk
    t0: dt.datetime
    dossier: dict[str, Any]
    tasks: list[dict[str, Any]]
    events: list[dict[str, Any]]
    pauses: list[dict[str, Any]]
    results: list[dict[str, Any]]
    fees: list[dict[str, Any]]

    @property
    def status(self) -> str:
        return str(self.dossier["status"])


# --- the generator ---------------------------------------------------------------------------


class _Generator:
    def __init__(self, *, years: int, seed: int | None, now: dt.datetime) -> None:
        self.rng = random.Random(seed)
        self.seed = seed if seed is not None else self.rng.randrange(1 << 30)
        self.now = now.astimezone(VN_TZ)
        self.today = self.now.date()
        self.start_day = _years_before(self.today, years)
        self.years = years
        self.calendars: dict[int, WorkingCalendar] = {}
        self.desks: list[_Desk] = []
        self.people: dict[int, _Person] = {}
        self.pools: dict[tuple[Any, ...], list[_Person]] = {}
        self.subtrees: dict[int, set[int]] = {}
        self.citizens: list[dict[str, Any]] = []
        self.staff_created = 0
        self.texts = _Texts()
        self.units: dict[int, AdministrativeUnit] = {}

    # -- setting up ------------------------------------------------------------------------

    def calendar(self, unit_id: int) -> WorkingCalendar:
        found = self.calendars.get(unit_id)
        if found is None:
            found = self.calendars[unit_id] = _FastCalendar(calendar_for_unit(unit_id, on=self.now))
        return found

    def load(self) -> None:
        desks = list(
            Agency.objects.filter(kind=AgencyKind.SERVICE_DESK, is_active=True)
            .select_related("unit", "parent", "parent__parent")
            .order_by("unit__path", "code")
        )
        if not desks:
            raise GenerateError(
                _(
                    "Chưa có Bộ phận Một cửa nào để tiếp nhận hồ sơ. Hãy nạp dữ liệu mẫu trước: "
                    "python manage.py import_units, seed_demo, seed_procedures (hoặc make demo)."
                )
            )
        versions = list(
            ProcedureVersion.objects.in_force(self.now)
            .select_related("procedure", "sector", "competent_agency")
            .prefetch_related(
                "cases__channel_options__fees",
                "channel_options__fees",
                "process_templates__steps",
                "results",
            )
            .order_by("procedure__code")
        )
        if not versions:
            raise GenerateError(
                _(
                    "Chưa có thủ tục nào đang có hiệu lực. Hãy nạp danh mục thủ tục mẫu: "
                    "python manage.py seed_procedures."
                )
            )
        self.units = {
            u.pk: u
            for u in AdministrativeUnit.objects.all().only(
                "pk", "name", "kind", "level", "parent_id"
            )
        }
        self._load_desks(desks)
        self._ensure_staff(versions)
        self._load_people()
        self._load_routes(versions)
        self.desks = [d for d in self.desks if d.routes]
        if not self.desks:
            raise GenerateError(
                _("Không có thủ tục nào được tiếp nhận tại các Bộ phận Một cửa hiện có.")
            )
        self._load_citizens()

    def _unit_label(self, unit_id: int | None) -> str:
        """ "xã Bình An, huyện Thăng Bình, tỉnh Quảng Nam" (names as they read in an address)."""
        parts = []
        seen = 0
        while unit_id is not None and seen < 6:
            unit = self.units.get(unit_id)
            if unit is None:
                break
            parts.append(unit.name[:1].lower() + unit.name[1:])
            unit_id = unit.parent_id
            seen += 1
        return ", ".join(parts)

    def _load_desks(self, desks: list[Agency]) -> None:
        children: dict[int | None, list[AdministrativeUnit]] = defaultdict(list)
        for unit in self.units.values():
            children[unit.parent_id].append(unit)
        for agency in desks:
            unit = agency.unit
            competent = peoples_committee_of(agency)
            if unit.level == UnitLevel.COMMUNE or not children.get(unit.pk):
                homes = [unit]
            else:
                homes = sorted(children[unit.pk], key=lambda u: u.pk)
            weight = 3.0 if unit.level != UnitLevel.COMMUNE else 0.6 + 0.9 * _unit_noise(unit.code)
            self.desks.append(
                _Desk(
                    agency=agency,
                    unit=unit,
                    competent=competent,
                    weight=weight,
                    address_tail=self._unit_label(unit.pk),
                    home_units=[(u.pk, self._unit_label(u.pk)) for u in homes],
                )
            )

    # -- staff -----------------------------------------------------------------------------

    def _roles_needed(self, versions: list[ProcedureVersion]) -> dict[int, set[str]]:
        """Competent agency id → the roles its procedures' processes need."""
        needed: dict[int, set[str]] = defaultdict(set)
        for desk in self.desks:
            needed[desk.competent.pk].add(Role.DESK_CLERK)
            for version in versions:
                if not self._desk_receives(desk, version, self.desks):
                    continue
                for case in version.cases.all():
                    case.version = version
                    for step in _steps_of(case, None):
                        if step.role and step.agency_id is None:
                            needed[desk.competent.pk].add(step.role)
        return needed

    def _ensure_staff(self, versions: list[ProcedureVersion]) -> None:
        needed = self._roles_needed(versions)
        user_model = get_user_model()
        for desk in self.desks:
            district = desk.unit.level != UnitLevel.COMMUNE
            agencies = list(
                Agency.objects.filter(unit_id=desk.unit.pk, is_active=True).prefetch_related(
                    "departments"
                )
            )
            offices = [a for a in agencies if a.kind == AgencyKind.SPECIALISED]
            for role in sorted(needed.get(desk.competent.pk, set())):
                target = _STAFF_TARGET.get(Role(role), (1, 1))[0 if district else 1]
                places = self._staff_places(role, desk, agencies, offices, district)
                for place, department in places:
                    have = Position.objects.filter(
                        role=role, agency=place, is_active=True, user__is_active=True
                    ).count()
                    if role == Role.DESK_CLERK:
                        have = Position.objects.filter(
                            role=role,
                            agency__unit_id=desk.unit.pk,
                            is_active=True,
                            user__is_active=True,
                        ).count()
                    for n in range(have + 1, target + 1):
                        slug, title = _ROLE_SLUGS.get(Role(role), (role.replace("_", ""), ""))
                        place_tag = (
                            desk.unit.code
                            if place.kind != AgencyKind.SPECIALISED
                            else (f"{desk.unit.code}.{place.pk}")
                        )
                        username = f"{STAFF_PREFIX}.{place_tag}.{slug}{n}"
                        if user_model._default_manager.filter(username=username).exists():
                            continue
                        last, first = _staff_name(username)
                        staff_user_create(
                            actor=None,
                            username=username,
                            email=f"{username}@{STAFF_EMAIL_DOMAIN}",
                            last_name=last,
                            first_name=first,
                            role=role,
                            agency=place,
                            department=department,
                            title=str(title),
                        )
                        self.staff_created += 1

    def _staff_places(
        self,
        role: str,
        desk: _Desk,
        agencies: list[Agency],
        offices: list[Agency],
        district: bool,
    ) -> list[tuple[Agency, Department | None]]:
        pc = desk.competent
        if role == Role.DESK_CLERK:
            return [(desk.agency, None)]
        if role in (Role.SPECIALIST, Role.DEPARTMENT_HEAD) and district and offices:
            return [(office, None) for office in offices]
        if role == Role.CLERK_OFFICE:
            office = next((a for a in agencies if a.kind == AgencyKind.OFFICE), None)
            if office is not None:
                dept = next((d for d in office.departments.all() if "van-thu" in d.code), None)
                return [(office, dept)]
        if role == Role.JUSTICE_OFFICER:
            dept = next((d for d in pc.departments.all() if "tu-phap" in d.code), None)
            return [(pc, dept)]
        return [(pc, None)]

    def _load_people(self) -> None:
        positions = (
            Position.objects.filter(is_active=True, user__is_active=True, agency__is_active=True)
            .select_related("user", "agency")
            .order_by("pk")
        )
        self.positions = list(positions)
        for position in self.positions:
            user = position.user
            if user.pk not in self.people:
                name = (user.get_full_name() or user.get_username()).strip()
                self.people[user.pk] = _Person(
                    user.pk,
                    name[:255],
                    (position.title or str(position.get_role_display()))[:255],
                    position.agency.name[:255],
                )
        for desk in self.desks:
            desk.clerks = self._pool_desk(desk)

    def _person_in(self, position: Position) -> _Person:
        base = self.people[position.user_id]
        title = (position.title or str(position.get_role_display()))[:255]
        return _Person(base.pk, base.name, title, position.agency.name[:255])

    def _pool_desk(self, desk: _Desk) -> list[_Person]:
        key = ("desk", desk.unit.pk)
        found = self.pools.get(key)
        if found is None:
            found = self.pools[key] = [
                self._person_in(p)
                for p in self.positions
                if p.role == Role.DESK_CLERK and p.agency.unit_id == desk.unit.pk
            ]
        return found

    def pool(self, desk: _Desk, route: _Route, step: _Step) -> list[_Person]:
        if step.role == Role.DESK_CLERK and step.agency_id is None:
            return desk.clerks
        key = (desk.competent.pk, step.role, step.agency_id, step.department_id, route.office_words)
        found = self.pools.get(key)
        if found is not None:
            return found
        candidates = [p for p in self.positions if not step.role or p.role == step.role]
        if step.agency_id is not None:
            candidates = [p for p in candidates if p.agency_id == step.agency_id]
            if step.department_id is not None:
                candidates = [
                    p for p in candidates if p.department_id in (None, step.department_id)
                ]
        else:
            # The competent agency and the agencies under it in the same unit (a commune
            # committee is under the district's, but settles only its own dossiers).
            subtree = self.subtrees.get(desk.competent.pk)
            if subtree is None:
                subtree = self.subtrees[desk.competent.pk] = set(agency_subtree_ids(desk.competent))
            candidates = [
                p
                for p in candidates
                if p.agency_id in subtree and p.agency.unit_id == desk.competent.unit_id
            ]
            if route.office_words and step.role in (Role.SPECIALIST, Role.DEPARTMENT_HEAD):
                office = [p for p in candidates if route.office_words in _fold(p.agency.name)]
                candidates = office or candidates
        found = self.pools[key] = [self._person_in(p) for p in candidates]
        return found

    def _load_citizens(self) -> None:
        user_model = get_user_model()
        try:
            user_model._meta.get_field("kind")
        except Exception:
            return
        for user in user_model._default_manager.filter(kind="citizen", is_active=True).order_by(
            "pk"
        )[:50]:
            self.citizens.append(
                {
                    "pk": user.pk,
                    "name": (user.get_full_name() or user.get_username()).strip()[:255],
                    "id_number": getattr(user, "personal_id", "") or "",
                    "phone": getattr(user, "phone", "") or "",
                    "email": user.email or "",
                    "birth": getattr(user, "date_of_birth", None),
                }
            )

    # -- procedures ------------------------------------------------------------------------

    @staticmethod
    def _desk_receives(desk: _Desk, version: ProcedureVersion, desks: list[_Desk]) -> bool:
        levels = {
            UnitLevel.DISTRICT: version.level_district,
            UnitLevel.COMMUNE: version.level_commune,
            UnitLevel.PROVINCE: version.level_province,
        }
        if any(levels.values()) and any(
            flag for level, flag in levels.items() if any(d.unit.level == level for d in desks)
        ):
            return bool(levels.get(UnitLevel(desk.unit.level), False))
        # Central or provincial procedures with no desk at their level: received at the
        # top-most desks there are (boundary-free intake, settled by the desk's committee).
        order = [UnitLevel.PROVINCE, UnitLevel.DISTRICT, UnitLevel.COMMUNE]
        top = min(order.index(UnitLevel(d.unit.level)) for d in desks)
        return order.index(UnitLevel(desk.unit.level)) == top

    def _load_routes(self, versions: list[ProcedureVersion]) -> None:
        for version in versions:
            sector = _fold(version.sector.name) if version.sector_id else ""
            weight = next((w for words, w in _SECTOR_WEIGHTS if words in sector), 1.0)
            office_words = next(
                (office for words, office in _SECTOR_OFFICES if any(w in sector for w in words)),
                "",
            )
            enterprise = any(w in sector for w in _ENTERPRISE_SECTORS)
            kinds = (0.25, 0.65, 0.10) if enterprise else (0.95, 0.03, 0.02)
            results = sorted(version.results.all(), key=lambda r: r.pk)
            cases = version.ordered_cases()
            for case in cases:
                case.version = version
                rules: dict[str, DeadlineRules] = {}
                fees: dict[str, list[tuple[int, str, int]]] = {}
                for channel in (Channel.DIRECT, Channel.ONLINE, Channel.POSTAL):
                    found = _rules_for(version, case, channel)
                    if found is None:
                        continue
                    rules[channel] = found
                    option = case.channel_option(channel) or case.channel_option(Channel.DIRECT)
                    fees[channel] = (
                        [
                            (f.pk, (f.description or str(_FEE_NAME))[:1000], int(f.amount))
                            for f in option.ordered_fees()
                            if f.amount
                        ]
                        if option is not None
                        else []
                    )
                if not rules:
                    continue
                steps = _steps_of(case, next(iter(rules.values())))
                groups: list[list[_Step]] = []
                for step in steps:
                    if (
                        groups
                        and step.parallel_group is not None
                        and groups[-1][0].parallel_group == step.parallel_group
                    ):
                        groups[-1].append(step)
                    else:
                        groups.append([step])
                has_return = (
                    len(groups) >= 2
                    and len(groups[-1]) == 1
                    and groups[-1][0].role == Role.DESK_CLERK
                )
                limit = next(iter(rules.values())).limit
                hours = limit_in_working_hours(limit)
                route = _Route(
                    version=version,
                    case=case,
                    rules=rules,
                    rules_json={c: rules_json(r) for c, r in rules.items()},
                    fees=fees,
                    groups=groups,
                    has_return=has_return,
                    weight=weight / max(len(cases), 1),
                    result_name=(results[0].name if results else version.name)[:1000],
                    result_code=(results[0].document_code if results else "")[:100],
                    kind_weights=kinds,
                    office_words=office_words,
                    long_procedure=hours is None or hours > 40,
                )
                for desk in self.desks:
                    if self._desk_receives(desk, version, self.desks) and self._staffed(
                        desk, route
                    ):
                        desk.routes.append(route)
                        if Channel.ONLINE in rules:
                            desk.online_routes.append(route)
        for desk in self.desks:
            desk.route_cum = _cum(r.weight for r in desk.routes)
            desk.online_cum = _cum(r.weight for r in desk.online_routes)

    def _staffed(self, desk: _Desk, route: _Route) -> bool:
        return all(self.pool(desk, route, step) for group in route.groups for step in group)

    # -- applicants ------------------------------------------------------------------------

    def applicant(
        self, rng: random.Random, desk: _Desk, route: _Route, online: bool
    ) -> dict[str, Any]:
        if online and self.citizens and rng.random() < 0.002:
            citizen = rng.choice(self.citizens)
            home_id, home = desk.home_units[citizen["pk"] % len(desk.home_units)]
            return {
                "applicant_kind": ApplicantKind.CITIZEN,
                "applicant_name": citizen["name"],
                "applicant_id_number": citizen["id_number"],
                "applicant_birth_date": citizen["birth"],
                "applicant_phone": citizen["phone"],
                "applicant_email": citizen["email"],
                "applicant_address": f"{self.texts.hamlet} {1 + citizen['pk'] % 9}, {home}",
                "applicant_unit_id": home_id,
                "applicant_user_id": citizen["pk"],
            }
        kinds = route.kind_weights
        draw = rng.random()
        # A pool of people per home unit: the same person comes back for other procedures.
        home_index = rng.randrange(len(desk.home_units))
        home_id, home = desk.home_units[home_index]
        person = rng.randrange(4000 if len(desk.home_units) == 1 else 2500)
        seed = (home_id * 1_000_003 + person) * 7 + self.seed % 7
        who = random.Random(seed)
        if draw < kinds[0]:
            return self._citizen(who, home_id, home, seed)
        kind = (
            ApplicantKind.ENTERPRISE if draw < kinds[0] + kinds[1] else ApplicantKind.ORGANISATION
        )
        return self._organisation(who, kind, home_id, home, seed)

    def _citizen(self, who: random.Random, home_id: int, home: str, seed: int) -> dict[str, Any]:
        female = who.random() < 0.5
        family = _weighted(who, _FAMILY_NAMES, _FAMILY_CUM)
        middle = who.choice(_MIDDLE_FEMALE if female else _MIDDLE_MALE)
        given = who.choice(_GIVEN_FEMALE if female else _GIVEN_MALE)
        year = who.randint(1945, 2006)
        birth = dt.date(year, who.randint(1, 12), who.randint(1, 28))
        century = (0 if year < 2000 else 2) + (1 if female else 0)
        serial = (seed * 2_654_435_761) % 1_000_000
        name = f"{family} {middle} {given}"
        email = ""
        if who.random() < 0.3:
            email = f"{_ascii(given)}{_ascii(family)}{serial % 1000}@example.com"
        return {
            "applicant_kind": ApplicantKind.CITIZEN,
            "applicant_name": name,
            "applicant_id_number": f"049{century}{year % 100:02d}{serial:06d}",
            "applicant_birth_date": birth,
            "applicant_phone": f"+84{who.choice(_MOBILE)}{who.randrange(10_000_000):07d}",
            "applicant_email": email,
            "applicant_address": f"{self.texts.hamlet} {who.randint(1, 12)}, {home}",
            "applicant_unit_id": home_id,
            "applicant_user_id": None,
        }

    def _organisation(
        self, who: random.Random, kind: str, home_id: int, home: str, seed: int
    ) -> dict[str, Any]:
        if kind == ApplicantKind.ENTERPRISE:
            name = f"{who.choice(_FIRM_KIND)} {who.choice(_FIRM_TRADE)} {who.choice(_FIRM_NAME)}"
        else:
            place = home.split(",")[0]
            place = place.split(" ", 1)[-1] if " " in place else place
            name = f"{self.texts.cooperative} {place}"
        serial = (seed * 2_246_822_519) % 100_000_000
        return {
            "applicant_kind": kind,
            "applicant_name": name[:255],
            "applicant_id_number": f"40{serial:08d}",
            "applicant_birth_date": None,
            "applicant_phone": f"+84{who.choice(_MOBILE)}{who.randrange(10_000_000):07d}",
            "applicant_email": f"lienhe{serial % 10000}@example.com",
            "applicant_address": f"{self.texts.hamlet} {who.randint(1, 12)}, {home}",
            "applicant_unit_id": home_id,
            "applicant_user_id": None,
        }

    # -- planning --------------------------------------------------------------------------

    def plan(self, count: int) -> dict[dt.date, Counter[int]]:
        """How many dossiers each desk receives each day (exactly ``count`` in all)."""
        cal = self.calendar(self.desks[0].unit.pk)
        days = []
        day = self.start_day
        total_days = max((self.today - self.start_day).days, 1)
        while day <= self.today:
            days.append(day)
            day += dt.timedelta(days=1)
        pairs: list[tuple[int, int]] = []
        weights: list[float] = []
        for index, day in enumerate(days):
            trend = 0.85 + 0.3 * (day - self.start_day).days / total_days
            working = cal.is_working_day(day)
            factor = trend if working else trend * 0.06
            if day == self.today:
                factor *= self._elapsed_fraction(cal, working)
            if factor <= 0:
                continue
            for desk_index, desk in enumerate(self.desks):
                if not working and not desk.online_routes:
                    continue
                pairs.append((index, desk_index))
                weights.append(factor * desk.weight)
        if not pairs:
            raise GenerateError(_("Không có ngày nào để tiếp nhận hồ sơ trong khoảng đã chọn."))
        picks = self.rng.choices(range(len(pairs)), cum_weights=_cum(weights), k=count)
        plan: dict[dt.date, Counter[int]] = defaultdict(Counter)
        for pick in picks:
            day_index, desk_index = pairs[pick]
            plan[days[day_index]][desk_index] += 1
        return plan

    def _elapsed_fraction(self, cal: WorkingCalendar, working: bool) -> float:
        midnight = dt.datetime.combine(self.today, dt.time(0), tzinfo=VN_TZ)
        if not working:
            return (self.now - midnight).total_seconds() / 86400
        opening = cal.opening_time(self.today)
        if self.now <= opening:
            return 0.0
        done = cal.working_minutes_between(opening, self.now)
        return min(done / max(cal.day_minutes, 1), 1.0)

    # -- one dossier -----------------------------------------------------------------------

    def draw_flags(self, rng: random.Random, route: _Route, channel: str) -> _Flags:
        flags = _Flags(channel=channel)
        r = rng.random()
        if channel == Channel.ONLINE:
            if r < 0.025:
                flags.path = "refuse"
            elif r < 0.075:
                flags.path = "incomplete"
                flags.completes = rng.random() < 0.8
        elif r < 0.008:
            flags.path = "refuse"
        elif r < 0.02:
            flags.path = "incomplete"
            flags.completes = rng.random() < 0.85
        s = rng.random()
        if s < 0.55:
            flags.speed = rng.uniform(0.2, 0.8)
        elif s < 0.9:
            flags.speed = rng.uniform(0.8, 1.0)
        elif s < 0.975:
            flags.speed = rng.uniform(1.0, 1.8)
        else:
            flags.speed = rng.uniform(1.8, 6.0) * (3.0 if rng.random() < 0.2 else 1.0)
        p = rng.random()
        supplement_rate = 0.14 if route.long_procedure else 0.05
        if p < supplement_rate:
            flags.pause = PauseKind.SUPPLEMENT
            flags.pause_days = rng.choice((1, 2, 3, 3, 5, 7, 10, 15, 20)) * rng.uniform(0.6, 1.2)
        elif p < supplement_rate + (0.04 if route.long_procedure else 0.005):
            flags.pause = PauseKind.PAYMENT
            flags.pause_days = rng.uniform(1, 10)
        flags.reschedule = rng.random() < 0.4
        flags.withdraw = rng.random() < 0.006
        flags.refused_result = rng.random() < 0.03
        return flags

    def pick_channel(self, rng: random.Random, route: _Route, day: dt.date, working: bool) -> str:
        channels = route.rules
        if not working:
            return Channel.ONLINE
        progress = (day - self.start_day).days / max((self.today - self.start_day).days, 1)
        online = 0.25 + 0.2 * progress
        r = rng.random()
        if r < online and Channel.ONLINE in channels:
            return Channel.ONLINE
        if r > 0.92 and Channel.POSTAL in channels:
            return Channel.POSTAL
        return Channel.DIRECT if Channel.DIRECT in channels else next(iter(channels))

    def moment(
        self, rng: random.Random, cal: WorkingCalendar, day: dt.date, online: bool
    ) -> dt.datetime | None:
        """A plausible moment of ``day`` (working hours in person; any hour online), before now."""
        seconds = rng.randrange(60)
        if online:
            hour = _weighted(rng, range(24), _ONLINE_CUM)
            moment = dt.datetime.combine(
                day, dt.time(hour, rng.randrange(60), seconds), tzinfo=VN_TZ
            )
            if moment >= self.now:
                midnight = dt.datetime.combine(day, dt.time(0), tzinfo=VN_TZ)
                span = (self.now - midnight).total_seconds()
                if span <= 60:
                    return None
                moment = midnight + dt.timedelta(seconds=rng.uniform(0, span - 30))
            return moment
        if not cal.is_working_day(day):
            return None
        opening = cal.opening_time(day)
        minutes = cal.day_minutes
        if day == self.today:
            if self.now <= opening:
                return None
            minutes = min(minutes, cal.working_minutes_between(opening, self.now))
            if minutes <= 1:
                return None
        moment = cal.add_working_minutes(opening, rng.uniform(0, minutes - 1))
        return moment.replace(second=seconds, microsecond=0)

    def simulate(
        self, rng: random.Random, desk: _Desk, day: dt.date, flags: _Flags | None = None
    ) -> _Sim | None:
        cal = self.calendar(desk.unit.pk)
        working = cal.is_working_day(day)
        if working:
            routes, cum = desk.routes, desk.route_cum
        else:
            routes, cum = desk.online_routes, desk.online_cum
        if not routes:
            return None
        route: _Route = _weighted(rng, routes, cum)
        if flags is not None and flags.channel and flags.channel not in route.rules:
            return None
        channel = (flags.channel if flags else None) or self.pick_channel(rng, route, day, working)
        if flags is None:
            flags = self.draw_flags(rng, route, channel)
        flags.channel = channel
        online = channel == Channel.ONLINE
        t0 = self.moment(rng, cal, day, online)
        if t0 is None:
            return None
        return _Life(self, rng, desk, route, channel, flags, cal, t0).run()

    def simulate_one(self, rng: random.Random, desk: _Desk, day: dt.date) -> _Sim:
        """A dossier of ``desk`` on ``day`` (another recent day in the rare case none fits)."""
        for _attempt in range(20):
            sim = self.simulate(rng, desk, day)
            if sim is not None:
                return sim
        for _attempt in range(500):
            other = rng.choice(self.desks)
            back = self.today - dt.timedelta(days=rng.randrange(1, 60))
            sim = self.simulate(rng, other, back)
            if sim is not None:
                return sim
        raise GenerateError(_("Không tạo được hồ sơ nào phù hợp với lịch làm việc hiện có."))

    def showcase(self, rng: random.Random, n: int) -> list[_Sim]:
        """Recent dossiers in each status of ``_SHOWCASE`` (fates tried until one fits)."""
        found: list[_Sim] = []
        for target, overrides, window in _SHOWCASE[:n]:
            for _attempt in range(800):
                desk = rng.choice(self.desks)
                day = self.today - dt.timedelta(days=rng.randrange(0, window + 1))
                if day < self.start_day:
                    continue
                flags = None
                if overrides:
                    route = rng.choice(desk.routes)
                    channel = overrides.get("channel") or rng.choice(route.channels)
                    flags = self.draw_flags(rng, route, channel)
                    flags.path, flags.completes = "accept", True
                    flags.withdraw = flags.reschedule = False
                    flags.pause = ""
                    for key, value in overrides.items():
                        setattr(flags, key, value)
                sim = self.simulate(rng, desk, day, flags)
                if sim is not None and _showcase_matches(target, sim, self.now):
                    found.append(sim)
                    break
        while len(found) < n:  # nothing fitted (a tiny catalogue): ordinary dossiers instead
            desk = rng.choice(self.desks)
            back = self.today - dt.timedelta(days=rng.randrange(30))
            found.append(self.simulate_one(rng, desk, back))
        return found

    def batches(self, plan: dict[dt.date, Counter[int]], size: int, showcase: int) -> list[_Batch]:
        """The plan cut into batches of whole days (about ``size`` dossiers each)."""
        result = [_Batch(0, [], showcase=showcase)] if showcase else []
        items: list[tuple[dt.date, int, int]] = []
        total = 0
        for day in sorted(plan):
            for desk_index, n in sorted(plan[day].items()):
                items.append((day, desk_index, n))
                total += n
            if total >= size:
                result.append(_Batch(len(result), items))
                items, total = [], 0
        if items:
            result.append(_Batch(len(result), items))
        return result

    def run_batch(self, batch: _Batch) -> _Done:
        """Simulate and write one batch (its own random stream: any worker gives the same)."""
        rng = random.Random(f"{self.seed}:{batch.index}")
        sims = self.showcase(rng, batch.showcase) if batch.showcase else []
        for day, desk_index, n in batch.items:
            desk = self.desks[desk_index]
            for _i in range(n):
                sims.append(self.simulate_one(rng, desk, day))
        done = _flush(_Writer(), sims)
        done.cpu[f"python:{os.getpid()}"] = time.process_time()
        backend = _backend_cpu()
        if backend is not None:
            done.cpu[f"database:{backend[0]}"] = backend[1]
        return done


class _Texts:
    """Vietnamese words used in generated rows, translated once."""

    def __init__(self) -> None:
        self.hamlet = _("Thôn")
        self.cooperative = _("Hợp tác xã Nông nghiệp")
        self.system = _("hệ thống")
        self.applicant_title = _("Người nộp hồ sơ")
        self.portal = _("Cổng dịch vụ công")
        self.supplement_reasons = [str(s) for s in _SUPPLEMENT_REASONS]
        self.supplement_items = [str(s) for s in _SUPPLEMENT_ITEMS]
        self.intake_incomplete = [str(s) for s in _INTAKE_INCOMPLETE_REASONS]
        self.intake_refusals = [str(s) for s in _INTAKE_REFUSAL_REASONS]
        self.not_completed = str(_NOT_COMPLETED_REASON)
        self.result_refused = [str(s) for s in _RESULT_REFUSED_NOTES]
        self.withdrawals = [str(s) for s in _WITHDRAWAL_REASONS]
        self.stop = str(_STOP_NOTE)
        self.reschedules = [str(s) for s in _RESCHEDULE_REASONS]
        self.payments = [str(s) for s in _PAYMENT_REASONS]
        self.payment_items = str(_PAYMENT_ITEMS)
        self.forward_notes = [str(s) for s in _FORWARD_NOTES]
        self.answer = _("Văn bản trả lời")


_FAMILY_NAMES = [name for name, _w in _FAMILY]
_FAMILY_CUM = _cum(w for _n, w in _FAMILY)
_ONLINE_CUM = _cum(_ONLINE_HOURS)


# --- one dossier's life --------------------------------------------------------------------------


class _Life:
    """Plays one dossier from its intake to its end, then keeps what has happened by now.

    Every change to the dossier row is a *fact* with the moment it happens; every action a
    timeline event.  ``finish`` applies the facts and keeps the events up to now.
    """

    def __init__(
        self,
        gen: _Generator,
        rng: random.Random,
        desk: _Desk,
        route: _Route,
        channel: str,
        flags: _Flags,
        cal: WorkingCalendar,
        t0: dt.datetime,
    ) -> None:
        self.gen = gen
        self.rng = rng
        self.desk = desk
        self.route = route
        self.channel = channel
        self.flags = flags
        self.cal = cal
        self.t0 = t0
        self.now = gen.now
        self.texts = gen.texts
        self.status = ""
        self.base: dict[str, Any] = {}
        self.facts: list[tuple[dt.datetime, dict[str, Any]]] = []
        self.events: list[dict[str, Any]] = []
        self.tasks: list[_TaskPlan] = []
        self.pause: dict[str, Any] | None = None
        self.fees: list[dict[str, Any]] = []
        self.results: list[dict[str, Any]] = []
        self.received_at: dt.datetime | None = None

    # -- the timeline ----------------------------------------------------------------------

    def fact(self, at: dt.datetime, **fields: Any) -> None:
        self.facts.append((at, fields))

    def event(
        self,
        action: str,
        at: dt.datetime,
        actor: _Person | None,
        to_status: str | None = None,
        *,
        step: _TaskPlan | None = None,
        to: _Person | None = None,
        note: str = "",
        data: dict[str, Any] | None = None,
        actor_name: str = "",
        timing: str = "",
        step_due: dt.datetime | None = None,
    ) -> None:
        before = self.status
        if to_status is not None:
            self.status = to_status
        self.events.append(
            {
                "action": action,
                "at": at,
                "actor_id": actor.pk if actor else None,
                "actor_name": actor.name if actor else (actor_name or self.texts.system),
                "actor_title": actor.title if actor else "",
                "actor_agency": actor.agency if actor else "",
                "from_status": before,
                "to_status": self.status,
                "step_name": step.step.name[:1000] if step else "",
                "to_user_id": to.pk if to else None,
                "to_name": to.name if to else "",
                "step_due_at": step_due,
                "timing": timing,
                "note": note,
                "data": data or {},
            }
        )

    def wm(self, start: dt.datetime, minutes: float) -> dt.datetime:
        return self.cal.add_working_minutes(start, max(minutes, 0.0))

    # -- intake ----------------------------------------------------------------------------

    def run(self) -> _Sim | None:
        rng, cal, route, flags = self.rng, self.cal, self.route, self.flags
        online = self.channel == Channel.ONLINE
        applicant = self.gen.applicant(rng, self.desk, route, online)
        clerk = rng.choice(self.desk.clerks)
        version = route.version
        fees = route.fees.get(self.channel, [])
        self.base = {
            "procedure_version_id": version.pk,
            "case_id": route.case.pk,
            "procedure_code": version.procedure.code,
            "procedure_name": version.name[:1000],
            "sector_id": version.sector_id,
            "subject": version.name[:1000],
            "channel": self.channel,
            **applicant,
            "receiving_agency_id": self.desk.agency.pk,
            "competent_agency_id": self.desk.competent.pk,
            "unit_id": self.desk.unit.pk,
            "competent_unit_id": self.desk.competent.unit_id,
            "submitted_at": self.t0,
            "fee_total": sum(f[2] for f in fees),
            "fee_paid": True,
            "return_method": self._return_method(online),
            "created_at": self.t0,
        }
        if self.base["return_method"] == ReturnMethod.POSTAL:
            self.base["return_address"] = applicant["applicant_address"]
        if rng.random() < 0.08 and applicant["applicant_kind"] == ApplicantKind.CITIZEN:
            helper = self.gen._citizen(random.Random(rng.random()), 0, "", rng.randrange(1 << 30))
            self.base["submitter_name"] = helper["applicant_name"]
            self.base["submitter_id_number"] = helper["applicant_id_number"]
            self.base["submitter_phone"] = helper["applicant_phone"]
        self.fees = [
            {"fee_id": pk, "name": name, "amount": amount, "paid": True, "paid_at": self.t0}
            for pk, name, amount in fees
        ]
        submitter = self.base.get("submitter_name") or applicant["applicant_name"]
        citizen = None
        if applicant.get("applicant_user_id"):
            citizen = _Person(applicant["applicant_user_id"], applicant["applicant_name"], "", "")

        accept_at = self.t0
        if online:
            self.event(
                Action.SUBMIT,
                self.t0,
                citizen,
                Status.SUBMITTED,
                actor_name=submitter,
                data={"code": None},
            )
            self.fact(self.t0, acceptance_due_at=online_acceptance_due(self.t0, cal))
            delay = rng.uniform(5, 420) if rng.random() < 0.93 else rng.uniform(480, 1500)
            accept_at = self.wm(cal.next_working_start(self.t0), delay)
        if flags.path == "refuse":
            reason = rng.choice(self.texts.intake_refusals)
            self.event(
                Action.REFUSE,
                accept_at,
                clerk,
                Status.REFUSED,
                note=reason,
                data=None if online else {"code": None},
            )
            self.fact(accept_at, refusal_reason=reason, closed_at=accept_at)
            return self.finish()
        if flags.path == "incomplete":
            reason = rng.choice(self.texts.intake_incomplete)
            items = rng.choice(self.texts.supplement_items)
            self.event(
                Action.REQUEST_SUPPLEMENT,
                accept_at,
                clerk,
                Status.INTAKE_INCOMPLETE,
                note=reason,
                data={"items": items, **({} if online else {"code": None})},
            )
            self.fact(accept_at, refusal_reason=reason, result_note=items)
            if not flags.completes:
                refused_at = self.wm(accept_at, rng.uniform(10, 20) * cal.day_minutes)
                note = self.texts.not_completed
                self.event(Action.REFUSE, refused_at, clerk, Status.REFUSED, note=note)
                self.fact(refused_at, refusal_reason=note, result_note="", closed_at=refused_at)
                return self.finish()
            back_at = self.wm(accept_at, rng.uniform(0.3, 6) * cal.day_minutes)
            self.event(
                Action.SUPPLEMENT,
                back_at,
                citizen,
                Status.SUBMITTED,
                actor_name=submitter,
                data={"components": rng.randint(1, 3)},
            )
            self.fact(
                back_at,
                submitted_at=back_at,
                refusal_reason="",
                result_note="",
                acceptance_due_at=online_acceptance_due(back_at, cal),
            )
            accept_at = self.wm(back_at, rng.uniform(5, 300))
            online = True  # accepted like an online submission from here on
        due = compute_due(
            received_at=accept_at,
            rules=route.rules[self.channel],
            calendar=cal,
            paid_at=accept_at,
        )
        self.received_at = accept_at
        self.fact(
            accept_at,
            received_at=accept_at,
            received_by_id=clerk.pk,
            deadline_rules=route.rules_json[self.channel],
            due_explanation=due.explanation,
            due_at=due.due_at,
            current_due_at=due.due_at,
        )
        return self.process(clerk, accept_at, due.starts_at, due.due_at, online)

    def _return_method(self, online: bool) -> str:
        r = self.rng.random()
        if online and r < 0.3:
            return ReturnMethod.ONLINE
        if r > 0.88:
            return ReturnMethod.POSTAL
        return ReturnMethod.DESK

    # -- processing ------------------------------------------------------------------------

    def process(
        self,
        clerk: _Person,
        received_at: dt.datetime,
        starts_at: dt.datetime,
        due: dt.datetime,
        accepted_online: bool,
    ) -> _Sim | None:
        rng, cal, route, flags, gen = self.rng, self.cal, self.route, self.flags, self.gen
        limit_minutes = max(60, cal.working_minutes_between(starts_at, due))
        work = max(20.0, flags.speed * limit_minutes)
        groups = route.work_groups
        shares = [float(max(s.hours for s in g)) * rng.uniform(0.6, 1.4) for g in groups]
        total = sum(shares) or 1.0
        durations = [work * s / total for s in shares]
        action = Action.ACCEPT if accepted_online else Action.RECEIVE
        data: dict[str, Any] = {"code": None}
        if action == Action.ACCEPT:
            dues = [f["acceptance_due_at"] for _at, f in self.facts if f.get("acceptance_due_at")]
            acceptance_due = dues[-1] if dues else None
            data = {"late_acceptance": bool(acceptance_due and received_at > acceptance_due)}
        first = _TaskPlan(groups[0][0], clerk, received_at, None, None)
        self.event(action, received_at, clerk, Status.RECEIVED, step=first, data=data)

        pause_group = -1
        if flags.pause:
            singles = [i for i, g in enumerate(groups) if len(g) == 1 and i > 0]
            if singles:
                pause_group = singles[0] if flags.pause == PauseKind.SUPPLEMENT else singles[-1]
        current_due = due
        t = received_at
        previous: list[_TaskPlan] = []
        for index, group in enumerate(groups):
            g_start = t
            length = durations[index]
            pause_at = pause_end = None
            if index == pause_group:
                pause_at = self.wm(g_start, length * rng.uniform(0.15, 0.7))
                pause_end = self.wm(pause_at, flags.pause_days * cal.day_minutes)
                done_before = cal.working_minutes_between(g_start, pause_at)
                g_end = self.wm(pause_end, length - done_before)
            else:
                g_end = self.wm(g_start, length)
            longest = max(float(s.hours) for s in group)
            plans = []
            for step in group:
                if index == 0 and step.role == Role.DESK_CLERK:
                    handler = clerk
                else:
                    handler = rng.choice(gen.pool(self.desk, route, step))
                end = g_end
                if len(group) > 1 and float(step.hours) < longest:
                    end = self.wm(g_start, length * float(step.hours) / longest)
                step_due = cal.add_working_hours(g_start, float(step.hours))
                plans.append(_TaskPlan(step, handler, g_start, end, step_due))
            if previous:
                sender = max(previous, key=lambda p: p.end or g_start)
                for other in sorted(previous, key=lambda p: p.end or g_start):
                    last = other is sender
                    self.event(
                        Action.FORWARD,
                        other.end or g_start,
                        other.handler,
                        Status.IN_PROGRESS,
                        step=other,
                        to=plans[0].handler if last and len(plans) == 1 else None,
                        note=rng.choice(self.texts.forward_notes),
                        timing=_timing(other.end, other.due),
                        step_due=other.due,
                        data={"to_step": plans[0].step.name[:200]}
                        if last
                        else {"parallel_remaining": 1},
                    )
            if pause_at is not None and pause_end is not None:
                current_due = self.add_pause(plans[0], pause_at, pause_end, current_due)
            self.tasks.extend(plans)
            previous = plans
            t = g_end
        resolved_at = t
        resolver = max(previous, key=lambda p: p.end or resolved_at)

        # One re-appointment for some late ones, a little before the due date passes.
        reference = current_due
        if flags.reschedule and resolved_at > current_due:
            r_at = cal.add_working_hours(current_due, -rng.uniform(1, 8))
            r_at = max(r_at, received_at + dt.timedelta(minutes=1))
            if self.pause is not None:
                r_at = max(r_at, self.pause["ended_at"] + dt.timedelta(minutes=1))
            new_due = cal.closing_time(cal.add_working_hours(resolved_at, rng.uniform(0, 12)))
            if new_due <= current_due:
                new_due = cal.add_working_hours(current_due, 8)
            if r_at < resolved_at and new_due > r_at:
                reason = rng.choice(self.texts.reschedules)
                self.event(
                    Action.RESCHEDULE,
                    r_at,
                    rng.choice(self._managers()),
                    None,
                    note=reason,
                    data={"from": current_due.isoformat(), "to": new_due.isoformat()},
                )
                self.fact(
                    r_at,
                    reappointed_at=r_at,
                    reappointment_reason=reason,
                    due_before_reappointment=current_due,
                    current_due_at=new_due,
                )

        if flags.withdraw:
            w_at = self.wm(received_at, work * rng.uniform(0.05, 0.8))
            if w_at < resolved_at:
                return self.withdraw(w_at)

        kind = ResultKind.REFUSED if flags.refused_result else ResultKind.GRANTED
        note = rng.choice(self.texts.result_refused) if kind == ResultKind.REFUSED else ""
        supplements = 1 if self.pause and self.pause["kind"] == PauseKind.SUPPLEMENT else 0
        verdict = classify_completion(resolved_at, reference, supplement_requests=supplements)
        return_plan = None
        if route.has_return:
            step = route.groups[-1][0]
            handler = clerk if rng.random() < 0.6 else rng.choice(self.desk.clerks)
            step_due = cal.add_working_hours(resolved_at, float(step.hours))
            return_plan = _TaskPlan(step, handler, resolved_at, None, step_due)
        self.event(
            Action.RESOLVE,
            resolved_at,
            resolver.handler,
            Status.RESOLVED,
            step=resolver,
            to=return_plan.handler if return_plan else None,
            note=note,
            timing=_timing(resolver.end, resolver.due),
            step_due=resolver.due,
            data={"kind": kind, "results": 1, "timing": verdict["by_datetime"]},
        )
        self.fact(
            resolved_at,
            resolved_at=resolved_at,
            closed_at=resolved_at,
            result_kind=kind,
            result_note=note,
            timing=verdict["by_datetime"],
            timing_by_date=verdict["by_date"],
        )
        leaders = self._pool_role(Role.LEADER)
        signer = rng.choice(leaders) if leaders else resolver.handler
        number = rng.randrange(1, 9999)
        granted = kind == ResultKind.GRANTED
        self.results.append(
            {
                "kind": kind,
                "name": route.result_name if granted else self.texts.answer,
                "document_number": f"{number}/{'GP' if granted else 'TB'}-UBND",
                "document_code": route.result_code if granted else "",
                "signer": signer.name if signer else "",
                "issued_at": resolved_at,
                "issued_by_id": resolver.handler.pk if resolver.handler else clerk.pk,
            }
        )
        r = rng.random()
        if r < 0.7:
            wait = rng.uniform(5, cal.day_minutes)
        elif r < 0.95:
            wait = rng.uniform(1, 5) * cal.day_minutes
        else:
            wait = rng.uniform(5, 25) * cal.day_minutes
        returned_at = self.wm(resolved_at, wait)
        if return_plan is not None:
            return_plan.end = returned_at
            self.tasks.append(return_plan)
        returner = return_plan.handler if return_plan else clerk
        self.event(Action.RETURN_RESULT, returned_at, returner, Status.RETURNED)
        self.fact(returned_at, returned_at=returned_at)
        return self.finish()

    def _pool_role(self, role: str) -> list[_Person]:
        return [
            p
            for group in self.route.groups
            for step in group
            if step.role == role
            for p in self.gen.pool(self.desk, self.route, step)
        ]

    def _managers(self) -> list[_Person]:
        managers = self._pool_role(Role.DEPARTMENT_HEAD) + self._pool_role(Role.LEADER)
        return managers or self.desk.clerks

    def add_pause(
        self,
        plan: _TaskPlan,
        pause_at: dt.datetime,
        pause_end: dt.datetime,
        current_due: dt.datetime,
    ) -> dt.datetime:
        rng, cal = self.rng, self.cal
        kind = self.flags.pause
        supplement = kind == PauseKind.SUPPLEMENT
        reason = rng.choice(self.texts.supplement_reasons if supplement else self.texts.payments)
        items = rng.choice(self.texts.supplement_items) if supplement else self.texts.payment_items
        due_after = pause_extend(current_due, pause_at, pause_end, cal)
        minutes = cal.working_minutes_between(pause_at, pause_end)
        self.pause = {
            "kind": kind,
            "reason": reason,
            "items": items,
            "started_at": pause_at,
            "ended_at": pause_end,
            "working_minutes": minutes,
            "due_before": current_due,
            "due_after": due_after,
            "requested_by_id": plan.handler.pk if plan.handler else None,
        }
        if plan.due is not None:
            plan.due_after_pause = pause_extend(plan.due, pause_at, pause_end, cal)
            plan.resume_at = pause_end
        if supplement:
            self.event(
                Action.REQUEST_SUPPLEMENT,
                pause_at,
                plan.handler,
                Status.AWAITING_SUPPLEMENT,
                step=plan,
                note=reason,
                data={"items": items, "request_number": 1},
            )
            self.fact(pause_at, paused_at=pause_at, supplement_requests=1)
            self.event(
                Action.SUPPLEMENT,
                pause_end,
                plan.handler,
                Status.IN_PROGRESS,
                data={
                    "components": rng.randint(1, 2),
                    "paused_working_minutes": minutes,
                    "current_due_at": due_after.isoformat(),
                },
            )
            self.fact(pause_end, paused_at=None, current_due_at=due_after)
        else:
            amount = rng.choice((100_000, 250_000, 500_000, 1_200_000, 3_500_000))
            self.event(
                Action.REQUEST_PAYMENT,
                pause_at,
                plan.handler,
                Status.AWAITING_PAYMENT,
                step=plan,
                note=reason,
                data={"items": items, "amount": amount},
            )
            total = self.base["fee_total"] + amount
            self.fact(pause_at, paused_at=pause_at, fee_total=total, fee_paid=False)
            self.event(
                Action.CONFIRM_PAYMENT,
                pause_end,
                rng.choice(self.desk.clerks),
                Status.IN_PROGRESS,
                data={
                    "receipt_number": f"BL{rng.randrange(10**6):06d}",
                    "paused_working_minutes": minutes,
                },
            )
            self.fact(pause_end, paused_at=None, current_due_at=due_after, fee_paid=True)
            self.fees.append(
                {
                    "fee_id": None,
                    "name": items,
                    "amount": amount,
                    "paid": True,
                    "paid_at": pause_end,
                    "requested_at": pause_at,
                }
            )
        return due_after

    def withdraw(self, w_at: dt.datetime) -> _Sim | None:
        """The applicant asks to withdraw at ``w_at``; the desk or a manager stops it."""
        rng, cal = self.rng, self.cal
        self.events = [e for e in _by_time(self.events) if e["at"] <= w_at]
        self.facts = [f for f in self.facts if f[0] <= w_at]
        self.status = self.events[-1]["to_status"]
        stop_at = self.wm(w_at, rng.uniform(0.1, 4) * cal.day_minutes)
        if self.pause is not None:
            if self.pause["started_at"] > w_at:
                self.pause = None
                self.fees = [f for f in self.fees if f.get("requested_at", w_at) <= w_at]
            elif self.pause["ended_at"] > w_at:
                # Stopped while paused: the stop ends the pause (``services._stop`` resumes).
                ended = max(stop_at, self.pause["started_at"])
                after = pause_extend(self.pause["due_before"], self.pause["started_at"], ended, cal)
                self.pause.update(
                    ended_at=ended,
                    working_minutes=cal.working_minutes_between(self.pause["started_at"], ended),
                    due_after=after,
                )
                self.fact(stop_at, paused_at=None, current_due_at=after)
                for fee in self.fees:
                    if fee.get("requested_at") is not None:
                        fee.update(paid=False, paid_at=None)
        before = self.status
        reason = rng.choice(self.texts.withdrawals)
        self.event(
            Action.REQUEST_WITHDRAWAL,
            w_at,
            rng.choice(self.desk.clerks),
            Status.WITHDRAWAL_REQUESTED,
            note=reason,
        )
        self.fact(w_at, status_before_withdrawal=before)
        self.event(
            Action.STOP, stop_at, rng.choice(self._managers()), Status.STOPPED, note=self.texts.stop
        )
        self.fact(stop_at, closed_at=stop_at, result_note=self.texts.stop)
        for plan in self.tasks:
            if plan.start is not None and plan.start > w_at:
                plan.start = None
                plan.end, plan.end_state = stop_at, TaskState.SKIPPED
            elif plan.end is None or plan.end > w_at:
                plan.end, plan.end_state = stop_at, TaskState.SKIPPED
        planned = {p.step.order for p in self.tasks}
        for group in self.route.groups:
            for step in group:
                if step.order not in planned:
                    self.tasks.append(
                        _TaskPlan(step, None, None, stop_at, None, end_state=TaskState.SKIPPED)
                    )
        return self.finish()

    # -- what is true now --------------------------------------------------------------------

    def finish(self) -> _Sim | None:
        now = self.now
        kept = [e for e in _by_time(self.events) if e["at"] <= now]
        if not kept:
            return None
        d = dict(self.base)
        for at, fields in sorted(self.facts, key=lambda f: f[0]):
            if at <= now:
                d.update(fields)
        status = kept[-1]["to_status"]
        d["status"] = status
        d["lock_version"] = len(kept)
        d["updated_at"] = kept[-1]["at"]

        pauses = []
        if self.pause is not None and self.pause["started_at"] <= now:
            pause = dict(self.pause)
            if pause["ended_at"] > now:
                pause.update(ended_at=None, working_minutes=0, due_after=None)
            pauses.append(pause)

        fees = []
        for fee in self.fees:
            requested = fee.get("requested_at")
            if requested is not None and requested > now:
                continue
            row = {k: v for k, v in fee.items() if k != "requested_at"}
            if row["paid_at"] is not None and row["paid_at"] > now:
                row.update(paid=False, paid_at=None)
            fees.append(row)

        received = self.received_at is not None and self.received_at <= now
        tasks = self._tasks_now() if received else []
        active = [t for t in tasks if t["state"] == TaskState.ACTIVE]
        if active:
            first = min(active, key=lambda t: (t["due_at"] or now, t["order"]))
            d.update(
                current_step_order=active[0]["order"],
                current_step_name=active[0]["name"],
                handler_id=first["handler_id"],
                handler_role=first["role"],
                step_due_at=first["due_at"],
            )
        results = self.results if d.get("resolved_at") is not None else []
        return _Sim(
            desk=self.desk,
            t0=self.t0,
            dossier=d,
            tasks=tasks,
            events=kept,
            pauses=pauses,
            results=results,
            fees=fees,
        )

    def _tasks_now(self) -> list[dict[str, Any]]:
        now = self.now
        planned = {p.step.order: p for p in self.tasks}
        rows = []
        for group in self.route.groups:
            for step in group:
                row: dict[str, Any] = {
                    "order": step.order,
                    "name": step.name[:1000],
                    "role": step.role,
                    "agency_id": step.agency_id,
                    "department_id": step.department_id,
                    "hours": step.hours,
                    "parallel_group": step.parallel_group,
                    "state": TaskState.PENDING,
                }
                plan = planned.get(step.order)
                if plan is not None:
                    due = plan.due
                    if plan.resume_at is not None and plan.resume_at <= now:
                        due = plan.due_after_pause
                    if plan.start is not None and plan.start <= now:
                        row.update(
                            handler_id=plan.handler.pk if plan.handler else None,
                            started_at=plan.start,
                            due_at=due,
                        )
                        if plan.end is not None and plan.end <= now:
                            row.update(
                                state=plan.end_state,
                                completed_at=plan.end,
                                timing=_timing(plan.end, due),
                            )
                        else:
                            row["state"] = TaskState.ACTIVE
                    elif (
                        plan.end_state == TaskState.SKIPPED
                        and plan.end is not None
                        and (plan.end <= now)
                    ):
                        row.update(state=TaskState.SKIPPED, completed_at=plan.end)
                rows.append(row)
        return rows


def _by_time(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(events, key=lambda e: e["at"])


def _timing(done: dt.datetime | None, due: dt.datetime | None) -> str:
    if done is None or due is None:
        return ""
    return str(classify_completion(done, due)["by_datetime"])


# --- procedures: rules and steps, as the services read them -------------------------------------


def _rules_for(
    version: ProcedureVersion, case: ProcedureCase, channel: str
) -> DeadlineRules | None:
    """The rules ``services`` would use (a postal dossier falls back on the in-person limit)."""
    try:
        return version_rules(version, case, channel)
    except ProcedureError:
        if channel == Channel.POSTAL:
            try:
                return version_rules(version, case, Channel.DIRECT)
            except ProcedureError:
                return None
        return None


def _steps_of(case: ProcedureCase, rules: DeadlineRules | None) -> list[_Step]:
    """The case's internal process as tasks (the services' default one when none is approved)."""
    template = case.process_template_applying()
    steps = template.ordered_steps() if template is not None else []
    result: list[_Step] = []
    groups: dict[Any, int] = {}
    for order, step in enumerate(steps, start=1):
        group = None
        if step.parallel_group is not None:
            group = groups.setdefault(step.parallel_group, len(groups) + 1)
        result.append(
            _Step(
                order, step.name, step.role, step.agency_id, step.department_id, step.hours, group
            )
        )
    if result:
        return result
    total = (limit_in_working_hours(rules.limit) if rules is not None else None) or 40
    middle = max(Decimal(total) - Decimal(4), Decimal(1))
    default = (
        (_("Tiếp nhận, kiểm tra hồ sơ"), Role.DESK_CLERK, Decimal(1)),
        (_("Thẩm định, xử lý hồ sơ"), Role.SPECIALIST, middle * Decimal("0.75")),
        (_("Lãnh đạo xem xét, ký duyệt"), Role.LEADER, middle * Decimal("0.25")),
        (_("Trả kết quả"), Role.DESK_CLERK, Decimal(1)),
    )
    return [
        _Step(order, str(name), role, None, None, hours.quantize(Decimal("0.01")), None)
        for order, (name, role, hours) in enumerate(default, start=1)
    ]


# --- small helpers ------------------------------------------------------------------------------


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _unit_noise(code: str) -> float:
    return (zlib.crc32(code.encode()) % 1000) / 1000


def _ascii(text: str) -> str:
    return "".join(c for c in _fold(text) if c.isascii() and c.isalnum())


def _staff_name(username: str) -> tuple[str, str]:
    who = random.Random(zlib.crc32(username.encode()))
    female = who.random() < 0.5
    family = _weighted(who, _FAMILY_NAMES, _FAMILY_CUM)
    middle = who.choice(_MIDDLE_FEMALE if female else _MIDDLE_MALE)
    given = who.choice(_GIVEN_FEMALE if female else _GIVEN_MALE)
    return f"{family} {middle}", given


class _FastCalendar(WorkingCalendar):
    """A unit's working calendar that remembers its answers per date.

    The engine asks "is this a working day?" dozens of times per dossier (holiday tables,
    make-up days, days off); over a million dossiers that is most of the work.  The answers
    depend only on the date, so they are kept.  Everything else is the engine's own code.
    """

    def __init__(self, calendar: WorkingCalendar) -> None:
        self.__dict__.update(calendar.__dict__)
        self._working_memo: dict[dt.date, bool] = {}
        self._info_memo: dict[dt.date, Any] = {}
        self._next_memo: dict[dt.date, dt.date] = {}
        self._previous_memo: dict[dt.date, dt.date] = {}

    def _day(self, d: dt.date) -> dt.date:
        return self._local(d).date() if isinstance(d, dt.datetime) else d

    def is_working_day(self, d: dt.date) -> bool:
        d = self._day(d)
        found = self._working_memo.get(d)
        if found is None:
            found = self._working_memo[d] = super().is_working_day(d)
        return found

    def day_info(self, d: dt.date) -> Any:
        d = self._day(d)
        found = self._info_memo.get(d)
        if found is None:
            found = self._info_memo[d] = super().day_info(d)
        return found

    def next_working_day(self, d: dt.date) -> dt.date:
        d = self._day(d)
        found = self._next_memo.get(d)
        if found is None:
            found = self._next_memo[d] = super().next_working_day(d)
        return found

    def previous_working_day(self, d: dt.date) -> dt.date:
        d = self._day(d)
        found = self._previous_memo.get(d)
        if found is None:
            found = self._previous_memo[d] = super().previous_working_day(d)
        return found


class _SearchParts:
    """What ``services.search_text_for`` reads, without building a model instance."""

    __slots__ = (
        "applicant_email",
        "applicant_id_number",
        "applicant_name",
        "applicant_phone",
        "code",
        "submitter_name",
    )

    def __init__(self, code: str, row: dict[str, Any]) -> None:
        self.code = code
        self.applicant_name = row.get("applicant_name", "")
        self.applicant_id_number = row.get("applicant_id_number", "")
        self.applicant_phone = row.get("applicant_phone", "")
        self.applicant_email = row.get("applicant_email", "")
        self.submitter_name = row.get("submitter_name", "")


# --- writing ------------------------------------------------------------------------------------

_JSON = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode


def _pg_type(field: models.Field[Any, Any]) -> str:
    """The type ``COPY … (FORMAT BINARY)`` needs for a column (``varchar(64)`` → ``varchar``)."""
    name = str(field.db_type(connection)).lower().split("(")[0].strip()
    return {"timestamp with time zone": "timestamptz", "double precision": "float8"}.get(name, name)


class _Table:
    """A model's columns, their defaults, and how one generated row becomes values."""

    def __init__(self, model: type[models.Model], *, with_id: bool) -> None:
        self.model = model
        self.fields = [f for f in model._meta.concrete_fields if with_id or not f.primary_key]
        self.columns = [str(f.column) for f in self.fields]
        self.attnames = [f.attname for f in self.fields]
        pairs = []
        for f in self.fields:
            if f.has_default():
                default = f.get_default()
            elif f.null or f.primary_key or isinstance(f, models.DateTimeField):
                default = None  # auto_now fields are always given by the generator
            else:
                default = f.get_default()
            pairs.append((f.attname, default))
        self.pairs = pairs
        self.defaults = dict(pairs)
        self.json = [i for i, f in enumerate(self.fields) if isinstance(f, models.JSONField)]
        self.types = [_pg_type(f) for f in self.fields] if connection.vendor == "postgresql" else []

    def values(self, row: dict[str, Any]) -> list[Any]:
        """The row for a binary ``COPY`` (JSON columns wrapped as ``jsonb`` objects)."""
        out = [row.get(name, default) for name, default in self.pairs]
        for index in self.json:
            out[index] = Jsonb(out[index] or {}, dumps=_JSON)
        return out


class _Writer:
    """Rows into the tables: binary ``COPY`` on PostgreSQL, ``bulk_create`` elsewhere."""

    def __init__(self) -> None:
        self.postgres = connection.vendor == "postgresql"
        self.tables = {
            Dossier: _Table(Dossier, with_id=True),
            DossierTask: _Table(DossierTask, with_id=False),
            DossierEvent: _Table(DossierEvent, with_id=False),
            DossierPause: _Table(DossierPause, with_id=False),
            DossierResult: _Table(DossierResult, with_id=False),
            DossierFee: _Table(DossierFee, with_id=False),
        }

    def start(self) -> None:
        if self.postgres:
            with connection.cursor() as cursor:
                # A bulk load: a crash may lose the last batches, never their consistency.
                cursor.execute("SET synchronous_commit TO off")

    def reserve_ids(self, n: int) -> list[int]:
        with connection.cursor() as cursor:
            if self.postgres:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [Dossier._meta.db_table, n],
                )
                return [int(r[0]) for r in cursor.fetchall()]
            table = connection.ops.quote_name(Dossier._meta.db_table)
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608  # nosec B608  # table name from Model._meta
            row = cursor.fetchone()
            first = int(row[0] if row else 0) + 1
        return list(range(first, first + n))

    def reserve_codes(
        self, counts: dict[tuple[int, dt.date], int]
    ) -> dict[tuple[int, dt.date], int]:
        """Take ``n`` numbers of each (agency, day) sequence: the first one of each.

        One ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` per 500 pairs, in a fixed order
        (no deadlock between workers); the rows stay locked until the batch commits, like
        ``codes.next_sequence`` does for one intake.
        """
        table = connection.ops.quote_name(DossierSequence._meta.db_table)
        result: dict[tuple[int, dt.date], int] = {}
        items = sorted(counts.items())
        with connection.cursor() as cursor:
            for start in range(0, len(items), 500):
                chunk = items[start : start + 500]
                values = ", ".join(["(%s, %s, %s)"] * len(chunk))
                params: list[Any] = []
                for (agency_id, day), n in chunk:
                    params += [agency_id, day, n]
                cursor.execute(
                    f"INSERT INTO {table} (agency_id, day, last_value) VALUES {values} "  # noqa: S608  # nosec B608  # table name from Model._meta, values bound
                    "ON CONFLICT (agency_id, day) DO UPDATE SET "
                    f"last_value = {table}.last_value + excluded.last_value "
                    "RETURNING agency_id, day, last_value",
                    params,
                )
                for agency_id, day, last in cursor.fetchall():
                    if not isinstance(day, dt.date):
                        day = dt.date.fromisoformat(str(day)[:10])
                    key = (int(agency_id), day)
                    result[key] = int(last) - counts[key] + 1
        return result

    def write(self, model: type[models.Model], rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        table = self.tables[model]
        if self.postgres:
            name = connection.ops.quote_name(model._meta.db_table)
            columns = ", ".join(connection.ops.quote_name(c) for c in table.columns)
            with connection.cursor() as cursor:
                raw = cursor.cursor
                with raw.copy(f"COPY {name} ({columns}) FROM STDIN (FORMAT BINARY)") as copy:
                    copy.set_types(table.types)
                    values = table.values
                    write_row = copy.write_row
                    for row in rows:
                        write_row(values(row))
            return
        objects = [
            model(**{name: row.get(name, default) for name, default in table.pairs}) for row in rows
        ]
        model._default_manager.bulk_create(objects, batch_size=500)
        if model is Dossier:
            # ``bulk_create`` stamps the auto_now fields with now: put the simulated times back.
            for row in rows:
                Dossier.objects.filter(pk=row["id"]).update(
                    created_at=row["created_at"], updated_at=row["updated_at"]
                )

    def analyze(self) -> None:
        if not self.postgres:
            return
        with connection.cursor() as cursor:
            for model in (*self.tables, DossierSequence):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


# --- the whole run ------------------------------------------------------------------------------

#: Statuses (and situations) every run shows at least once, most telling first: the target,
#: what to force, and how many days back the intake may be.
_SHOWCASE: tuple[tuple[str, dict[str, Any], int], ...] = (
    (Status.IN_PROGRESS, {}, 20),
    (Status.RETURNED, {}, 60),
    (Status.SUBMITTED, {"channel": Channel.ONLINE}, 2),
    (Status.AWAITING_SUPPLEMENT, {"pause": PauseKind.SUPPLEMENT, "pause_days": 25.0}, 25),
    (Status.RESOLVED, {}, 10),
    (Status.RECEIVED, {"channel": Channel.DIRECT}, 3),
    (Status.REFUSED, {"path": "refuse"}, 20),
    (Status.AWAITING_PAYMENT, {"pause": PauseKind.PAYMENT, "pause_days": 20.0}, 25),
    (Status.WITHDRAWAL_REQUESTED, {"withdraw": True}, 10),
    (Status.STOPPED, {"withdraw": True}, 40),
    (Status.INTAKE_INCOMPLETE, {"path": "incomplete", "completes": False}, 10),
    ("overdue", {"speed": 8.0}, 30),
    ("reappointed", {"speed": 1.6, "reschedule": True}, 40),
)


def _showcase_matches(target: str, sim: _Sim, now: dt.datetime) -> bool:
    d = sim.dossier
    if target == "overdue":
        return bool(
            d["status"] == Status.IN_PROGRESS
            and d.get("current_due_at")
            and d["current_due_at"] < now
            and not d.get("reappointed_at")
        )
    if target == "reappointed":
        return bool(d.get("reappointed_at"))
    return sim.status == target


@dataclass
class _Batch:
    """Whole days of the plan (``(day, desk index, how many)``), or the showcase."""

    index: int
    items: list[tuple[dt.date, int, int]]
    showcase: int = 0

    @property
    def size(self) -> int:
        return self.showcase + sum(n for _d, _desk, n in self.items)


@dataclass
class _Done:
    """What one batch wrote (sent back by the workers)."""

    created: int = 0
    tasks: int = 0
    events: int = 0
    pauses: int = 0
    results: int = 0
    fees: int = 0
    by_status: Counter[str] = field(default_factory=Counter)
    by_channel: Counter[str] = field(default_factory=Counter)
    first_code: str = ""
    last_code: str = ""
    #: Cumulative CPU seconds of this worker process and of its database backend.
    cpu: dict[str, float] = field(default_factory=dict)


def _backend_cpu() -> tuple[int, float] | None:
    """(pid, CPU seconds so far) of this connection's PostgreSQL backend, if it is local."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        row = cursor.fetchone()
    try:
        fields = Path(f"/proc/{row[0]}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError, TypeError):
        return None  # another machine (or no /proc): not measured
    ticks = os.sysconf("SC_CLK_TCK")
    return int(row[0]), (int(fields[11]) + int(fields[12])) / ticks


def generate_dossiers(
    *,
    count: int,
    years: int = 2,
    seed: int | None = None,
    batch: int = 5000,
    workers: int | None = None,
    now: dt.datetime | None = None,
    progress: Progress | None = None,
) -> GenerateResult:
    """Add ``count`` dossiers received over the last ``years`` years (see the module docstring).

    ``workers``: processes that simulate and write batches side by side (PostgreSQL only;
    default: one per CPU for large runs).  The same ``seed`` gives the same dossiers
    whatever the number of workers.
    """
    if count < 1:
        raise GenerateError(_("Số hồ sơ phải lớn hơn 0."))
    if not 1 <= years <= 20:
        raise GenerateError(_("Số năm phải từ 1 đến 20."))
    batch = max(100, min(int(batch), 100_000))
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        workers = 1  # workers need their own connections (and cannot join a transaction)
    elif workers is None:
        workers = (os.cpu_count() or 1) if count >= 20_000 else 1
    workers = max(1, min(int(workers), 16))
    # The rows are written in the source language (Vietnamese) whatever the active locale;
    # without a catalogue to search, the due-date explanations also cost half as much.
    with translation.override(None):
        return _generate(
            count=count,
            years=years,
            seed=seed,
            batch=batch,
            workers=workers,
            now=now,
            progress=progress,
        )


def _generate(
    *,
    count: int,
    years: int,
    seed: int | None,
    batch: int,
    workers: int,
    now: dt.datetime | None,
    progress: Progress | None,
) -> GenerateResult:
    began = time.monotonic()
    gen = _Generator(years=years, seed=seed, now=now or timezone.now())
    with transaction.atomic():
        gen.load()
    result = GenerateResult(
        staff_created=gen.staff_created,
        desks=len(gen.desks),
        procedures=len({r.version.pk for d in gen.desks for r in d.routes}),
    )
    showcase = min(count, len(_SHOWCASE))
    batches = gen.batches(gen.plan(count - showcase), batch, showcase)
    cpu: dict[str, float] = {}

    def merge(done: _Done) -> None:
        result.created += done.created
        result.tasks += done.tasks
        result.events += done.events
        result.pauses += done.pauses
        result.results += done.results
        result.fees += done.fees
        result.by_status.update(done.by_status)
        result.by_channel.update(done.by_channel)
        codes = [c for c in (result.first_code, done.first_code) if c]
        result.first_code = min(codes, key=_code_order) if codes else ""
        codes = [c for c in (result.last_code, done.last_code) if c]
        result.last_code = max(codes, key=_code_order) if codes else ""
        cpu.update({k: max(v, cpu.get(k, 0.0)) for k, v in done.cpu.items()})
        if progress is not None:
            progress(result.created, count, time.monotonic() - began)

    if workers == 1:
        for one in batches:
            merge(gen.run_batch(one))
    else:
        global _WORKER_GENERATOR
        _WORKER_GENERATOR = gen
        connections.close_all()  # each worker opens its own connection
        context = multiprocessing.get_context("fork")
        try:
            with context.Pool(workers, initializer=_worker_start) as pool:
                for done in pool.imap_unordered(_worker_run, batches):
                    merge(done)
        finally:
            _WORKER_GENERATOR = None
    _Writer().analyze()
    result.seconds = time.monotonic() - began
    result.workers = workers
    if workers > 1:
        cpu[f"python:{os.getpid()}"] = time.process_time()
    result.python_cpu = sum(v for k, v in cpu.items() if k.startswith("python:"))
    database = [v for k, v in cpu.items() if k.startswith("database:")]
    result.database_cpu = sum(database) if database else None
    return result


def _code_order(code: str) -> tuple[str, str]:
    agency, _sep, rest = code.partition("-")
    return rest, agency


_WORKER_GENERATOR: _Generator | None = None


def _worker_start() -> None:
    translation.deactivate_all()


def _worker_run(batch: _Batch) -> _Done:
    assert _WORKER_GENERATOR is not None
    return _WORKER_GENERATOR.run_batch(batch)


def _flush(writer: _Writer, sims: list[_Sim]) -> _Done:
    done = _Done()
    if not sims:
        return done
    # Numbers follow the intake order within each (agency, day).
    sims.sort(key=lambda s: s.t0)
    counts: Counter[tuple[int, dt.date]] = Counter()
    for sim in sims:
        counts[(sim.desk.agency.pk, sim.t0.astimezone(VN_TZ).date())] += 1
    with transaction.atomic():
        writer.start()
        firsts = writer.reserve_codes(dict(counts))
        ids = writer.reserve_ids(len(sims))
        dossiers: list[dict[str, Any]] = []
        tasks: list[dict[str, Any]] = []
        events: list[dict[str, Any]] = []
        pauses: list[dict[str, Any]] = []
        results: list[dict[str, Any]] = []
        fees: list[dict[str, Any]] = []
        for pk, sim in zip(ids, sims, strict=True):
            day = sim.t0.astimezone(VN_TZ).date()
            key = (sim.desk.agency.pk, day)
            number = firsts[key]
            firsts[key] = number + 1
            code = format_code(sim.desk.agency.code, day, number)
            row = sim.dossier
            row["id"] = pk
            row["code"] = code
            row["search_text"] = search_text_for(cast(Dossier, _SearchParts(code, row)))
            dossiers.append(row)
            for children, rows in (
                (sim.tasks, tasks),
                (sim.pauses, pauses),
                (sim.results, results),
                (sim.fees, fees),
            ):
                for child in children:
                    child["dossier_id"] = pk
                    rows.append(child)
            for event in sim.events:
                event["dossier_id"] = pk
                if "code" in event["data"]:
                    event["data"] = {**event["data"], "code": code}
                events.append(event)
            done.by_status[sim.status] += 1
            done.by_channel[row["channel"]] += 1
            if not done.first_code or _code_order(code) < _code_order(done.first_code):
                done.first_code = code
            if not done.last_code or _code_order(code) > _code_order(done.last_code):
                done.last_code = code
        writer.write(Dossier, dossiers)
        writer.write(DossierTask, tasks)
        writer.write(DossierEvent, events)
        writer.write(DossierPause, pauses)
        writer.write(DossierResult, results)
        writer.write(DossierFee, fees)
    done.created = len(sims)
    done.tasks = len(tasks)
    done.events = len(events)
    done.pauses = len(pauses)
    done.results = len(results)
    done.fees = len(fees)
    return done


def generated_staff() -> Any:
    """The accounts the generator made (``bench.*``)."""
    return get_user_model()._default_manager.filter(username__startswith=f"{STAFF_PREFIX}.")
