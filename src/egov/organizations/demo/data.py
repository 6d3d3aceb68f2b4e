"""What the demo is made of: units (from ``thang_binh.json``), agencies, accounts.

Agency codes follow the electronic identifier of QCVN 102:2016 / Quyết định
20/2020/QĐ-TTg: 13 characters ``A1A2A3.B1B2.C1C2.D1D2D3``, read from the right:

* ``D1D2D3``: level 1, the province's People's Committee: ``H`` + the GSO province code
  (``H49`` = UBND tỉnh Quảng Nam);
* ``C1C2``: level 2, a body under the province (a department of the province, or a
  district People's Committee): ``13`` for UBND huyện Thăng Bình;
* ``B1B2``: level 3, a body under that (the district's office and specialised agencies
  ``01``-``07``, the commune People's Committees ``31``-``52``);
* ``A1A2A3``: level 4, a body under a level-3 body (the one-stop desks, ``001``).

Unused levels are zeros: ``000.00.13.H49`` is the district People's Committee,
``000.03.13.H49`` its Phòng Tư pháp, ``001.01.13.H49`` the desk of its office.
The structure is the regulation's; the numbers ``13``, ``01``-``07`` and ``31``-``52`` are
chosen for the demo (the identifiers actually issued by Quảng Nam are not used).
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from egov.organizations.constants import AgencyKind, Role, UnitKind, UnitLevel, UnitScheme

DEMO_PASSWORD = "Demo@2026"  # noqa: S105 - the published password of the demo accounts
EMAIL_DOMAIN = "demo.egov.local"
UNITS_FILE = Path(__file__).with_name("thang_binh.json")

PROVINCE_CODE = "49"
DISTRICT_CODE = "513"

# ``accounts.constants.UserKind`` values: organizations may not import accounts (DESIGN §5);
# a test checks that both agree.
STAFF_KIND = "staff"
CITIZEN_KIND = "citizen"

# --- Units --------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitSpec:
    code: str
    name: str
    level: str
    kind: str
    parent_code: str | None


_LEVEL_ORDER = {UnitLevel.PROVINCE: 0, UnitLevel.DISTRICT: 1, UnitLevel.COMMUNE: 2}


@cache
def demo_units() -> tuple[UnitSpec, ...]:
    """The 24 units of ``thang_binh.json``, parents before children."""
    with UNITS_FILE.open(encoding="utf-8") as fh:
        document = json.load(fh)
    if document.get("scheme") != UnitScheme.LEGACY:
        raise ValueError(f"{UNITS_FILE.name}: scheme must be {UnitScheme.LEGACY!r}")
    units = [
        UnitSpec(
            code=str(row["code"]),
            name=str(row["name"]),
            level=UnitLevel(row["level"]),
            kind=UnitKind(row["kind"]),
            parent_code=row["parent"],
        )
        for row in document["units"]
    ]
    known: set[str] = set()
    for unit in sorted(units, key=lambda u: _LEVEL_ORDER[UnitLevel(u.level)]):
        if unit.parent_code is not None and unit.parent_code not in known:
            raise ValueError(f"{UNITS_FILE.name}: unit {unit.code} has an unknown parent")
        known.add(unit.code)
    return tuple(sorted(units, key=lambda u: (_LEVEL_ORDER[UnitLevel(u.level)], u.code)))


def demo_communes() -> tuple[UnitSpec, ...]:
    return tuple(u for u in demo_units() if u.level == UnitLevel.COMMUNE)


def _ascii_slug(text: str) -> str:
    """ "Xã Bình An" → "binhan" (for demo e-mail addresses)."""
    folded = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in folded if c.isascii() and c.isalnum()).lower()


def _local_name(unit: UnitSpec) -> str:
    """ "Xã Bình An" → "xã Bình An" (as it reads inside an agency name)."""
    return unit.name[:1].lower() + unit.name[1:]


# --- Agencies and departments ----------------------------------------------------------------


@dataclass(frozen=True)
class DepartmentSpec:
    code: str
    name: str


@dataclass(frozen=True)
class AgencySpec:
    code: str
    name: str
    short_name: str
    kind: str
    unit_code: str
    parent_code: str | None
    address: str
    phone: str
    email: str
    departments: tuple[DepartmentSpec, ...] = ()


def _agency_code(level3: int = 0, level4: int = 0) -> str:
    return f"{level4:03d}.{level3:02d}.13.H{PROVINCE_CODE}"


DISTRICT_PC = _agency_code()
DISTRICT_OFFICE = _agency_code(1)
DISTRICT_DESK = _agency_code(1, 1)
CULTURE_INFORMATION = _agency_code(2)
JUSTICE = _agency_code(3)
LABOUR_SOCIAL = _agency_code(4)
FINANCE_PLANNING = _agency_code(5)
NATURAL_RESOURCES = _agency_code(6)
ECONOMY_INFRASTRUCTURE = _agency_code(7)
FIRST_COMMUNE_LEVEL3 = 31

JUSTICE_CIVIL_STATUS_DEPT = "tu-phap-ho-tich"
BUSINESS_REGISTRATION_DEPT = "dang-ky-kinh-doanh"

_DISTRICT_ADDRESS = "(địa chỉ mẫu), thị trấn Hà Lam, huyện Thăng Bình, tỉnh Quảng Nam"


def _district_office(
    level3: int, name: str, short_name: str, slug: str, departments: tuple[DepartmentSpec, ...]
) -> AgencySpec:
    return AgencySpec(
        code=_agency_code(level3),
        name=f"{name} huyện Thăng Bình",
        short_name=short_name,
        kind=AgencyKind.SPECIALISED,
        unit_code=DISTRICT_CODE,
        parent_code=DISTRICT_PC,
        address=f"Khu hành chính huyện {_DISTRICT_ADDRESS}",
        phone=f"0235 3000 {100 + level3}",
        email=f"{slug}.thangbinh@{EMAIL_DOMAIN}",
        departments=departments,
    )


DISTRICT_AGENCIES: tuple[AgencySpec, ...] = (
    AgencySpec(
        code=DISTRICT_PC,
        name="Ủy ban nhân dân huyện Thăng Bình",
        short_name="UBND huyện Thăng Bình",
        kind=AgencyKind.PEOPLES_COMMITTEE,
        unit_code=DISTRICT_CODE,
        parent_code=None,
        address=f"Trụ sở UBND huyện {_DISTRICT_ADDRESS}",
        phone="0235 3000 100",
        email=f"ubnd.thangbinh@{EMAIL_DOMAIN}",
    ),
    AgencySpec(
        code=DISTRICT_OFFICE,
        name="Văn phòng Hội đồng nhân dân và Ủy ban nhân dân huyện Thăng Bình",
        short_name="Văn phòng HĐND&UBND huyện",
        kind=AgencyKind.OFFICE,
        unit_code=DISTRICT_CODE,
        parent_code=DISTRICT_PC,
        address=f"Trụ sở UBND huyện {_DISTRICT_ADDRESS}",
        phone="0235 3000 101",
        email=f"vanphong.thangbinh@{EMAIL_DOMAIN}",
        departments=(
            DepartmentSpec("tong-hop", "Bộ phận Tổng hợp"),
            DepartmentSpec("van-thu-luu-tru", "Tổ Văn thư - Lưu trữ"),
        ),
    ),
    AgencySpec(
        code=DISTRICT_DESK,
        name="Bộ phận Tiếp nhận và Trả kết quả huyện Thăng Bình",
        short_name="Bộ phận Một cửa huyện",
        kind=AgencyKind.SERVICE_DESK,
        unit_code=DISTRICT_CODE,
        parent_code=DISTRICT_OFFICE,
        address=f"Tầng 1, Trụ sở UBND huyện {_DISTRICT_ADDRESS}",
        phone="0235 3000 199",
        email=f"motcua.thangbinh@{EMAIL_DOMAIN}",
    ),
    _district_office(2, "Phòng Văn hóa và Thông tin", "Phòng VH&TT", "phongvhtt", ()),
    _district_office(
        3,
        "Phòng Tư pháp",
        "Phòng Tư pháp",
        "phongtuphap",
        (DepartmentSpec("ho-tich-chung-thuc", "Bộ phận Hộ tịch - Chứng thực"),),
    ),
    _district_office(
        4, "Phòng Lao động - Thương binh và Xã hội", "Phòng LĐ-TB&XH", "phongldtbxh", ()
    ),
    _district_office(
        5,
        "Phòng Tài chính - Kế hoạch",
        "Phòng TC-KH",
        "phongtckh",
        (DepartmentSpec(BUSINESS_REGISTRATION_DEPT, "Bộ phận Đăng ký kinh doanh"),),
    ),
    _district_office(
        6,
        "Phòng Tài nguyên và Môi trường",
        "Phòng TN&MT",
        "phongtnmt",
        (DepartmentSpec("dat-dai", "Bộ phận Đất đai"),),
    ),
    _district_office(
        7,
        "Phòng Kinh tế - Hạ tầng",
        "Phòng KT-HT",
        "phongktht",
        (
            DepartmentSpec("quan-ly-xay-dung", "Bộ phận Quản lý xây dựng"),
            DepartmentSpec("giao-thong-cong-thuong", "Bộ phận Giao thông - Công thương"),
        ),
    ),
)


def commune_pc_code(unit_code: str) -> str:
    """The demo identifier of a commune's People's Committee (level 3 under the district)."""
    codes = [u.code for u in demo_communes()]
    return _agency_code(FIRST_COMMUNE_LEVEL3 + codes.index(unit_code))


def commune_desk_code(unit_code: str) -> str:
    codes = [u.code for u in demo_communes()]
    return _agency_code(FIRST_COMMUNE_LEVEL3 + codes.index(unit_code), 1)


def commune_agencies() -> tuple[AgencySpec, ...]:
    """A People's Committee (with "Tư pháp - Hộ tịch") and a one-stop desk per commune."""
    result: list[AgencySpec] = []
    for index, unit in enumerate(demo_communes()):
        level3 = FIRST_COMMUNE_LEVEL3 + index
        local = _local_name(unit)
        slug = _ascii_slug(unit.name.split(" ", 2 if unit.kind == UnitKind.TOWNSHIP else 1)[-1])
        address = f"Trụ sở UBND {local} (địa chỉ mẫu), huyện Thăng Bình, tỉnh Quảng Nam"
        pc = AgencySpec(
            code=_agency_code(level3),
            name=f"Ủy ban nhân dân {local}",
            short_name=f"UBND {local}",
            kind=AgencyKind.PEOPLES_COMMITTEE,
            unit_code=unit.code,
            parent_code=DISTRICT_PC,
            address=address,
            phone=f"0235 3000 {200 + level3}",
            email=f"ubnd.{slug}@{EMAIL_DOMAIN}",
            departments=(DepartmentSpec(JUSTICE_CIVIL_STATUS_DEPT, "Tư pháp - Hộ tịch"),),
        )
        desk = AgencySpec(
            code=_agency_code(level3, 1),
            name=f"Bộ phận Tiếp nhận và Trả kết quả {local}",
            short_name=f"Bộ phận Một cửa {local}",
            kind=AgencyKind.SERVICE_DESK,
            unit_code=unit.code,
            parent_code=pc.code,
            address=address,
            phone=f"0235 3000 {300 + level3}",
            email=f"motcua.{slug}@{EMAIL_DOMAIN}",
        )
        result += [pc, desk]
    return tuple(result)


def demo_agencies() -> tuple[AgencySpec, ...]:
    """Every demo agency, parents before children."""
    return DISTRICT_AGENCIES + commune_agencies()


# --- Accounts --------------------------------------------------------------------------------

BINH_AN = "20845"


@dataclass(frozen=True)
class PositionSpec:
    role: str
    agency_code: str
    department_code: str | None = None
    title: str = ""


@dataclass(frozen=True)
class AccountSpec:
    username: str
    last_name: str
    first_name: str
    kind: str
    positions: tuple[PositionSpec, ...] = ()
    phone: str = ""
    personal_id: str | None = None
    date_of_birth: date | None = None

    @property
    def email(self) -> str:
        return f"{self.username}@{EMAIL_DOMAIN}"


def _staff(username: str, last: str, first: str, *positions: PositionSpec) -> AccountSpec:
    return AccountSpec(username, last, first, STAFF_KIND, positions)


DEMO_ACCOUNTS: tuple[AccountSpec, ...] = (
    _staff(
        "demo.clerk",
        "Nguyễn Thị Thu",
        "Hà",
        PositionSpec(Role.DESK_CLERK, DISTRICT_DESK, title="Công chức Bộ phận Một cửa"),
    ),
    _staff(
        "demo.specialist",
        "Trần Văn",
        "Minh",
        PositionSpec(
            Role.SPECIALIST, ECONOMY_INFRASTRUCTURE, "quan-ly-xay-dung", title="Chuyên viên"
        ),
    ),
    _staff(
        "demo.head",
        "Lê Quang",
        "Hùng",
        PositionSpec(
            Role.DEPARTMENT_HEAD, ECONOMY_INFRASTRUCTURE, title="Trưởng phòng Kinh tế - Hạ tầng"
        ),
    ),
    _staff(
        "demo.leader",
        "Phạm Ngọc",
        "Dũng",
        PositionSpec(Role.LEADER, DISTRICT_PC, title="Phó Chủ tịch UBND huyện"),
    ),
    _staff(
        "demo.doc_clerk",
        "Võ Thị",
        "Lan",
        PositionSpec(Role.CLERK_OFFICE, DISTRICT_OFFICE, "van-thu-luu-tru", title="Văn thư"),
    ),
    # Civil status (khai sinh, khai tử, chứng thực): the demo procedures' internal process
    # needs a "Công chức Tư pháp - Hộ tịch" step; the district's Justice office holds it.
    _staff(
        "demo.justice",
        "Đoàn Thị",
        "Thảo",
        PositionSpec(
            Role.JUSTICE_OFFICER, JUSTICE, "ho-tich-chung-thuc", title="Công chức Tư pháp - Hộ tịch"
        ),
    ),
    _staff(
        "demo.editor",
        "Huỳnh Thị Thanh",
        "Mai",
        PositionSpec(Role.EDITOR, DISTRICT_PC, title="Biên tập viên Cổng thông tin điện tử"),
    ),
    # Approves what the editors submit (the portal's workflow, egov.portal.editorial).
    _staff(
        "demo.moderator",
        "Trương Công",
        "Định",
        PositionSpec(
            Role.PORTAL_MODERATOR, DISTRICT_OFFICE, title="Phó Chánh Văn phòng HĐND và UBND huyện"
        ),
    ),
    # The issue asks for "demo.admin at the district": unit admin of the district, and also
    # system admin so that someone trying the demo can open every screen and every unit.
    _staff(
        "demo.admin",
        "Đặng Quốc",
        "Bảo",
        PositionSpec(Role.UNIT_ADMIN, DISTRICT_PC, title="Quản trị đơn vị"),
        PositionSpec(Role.SYSTEM_ADMIN, DISTRICT_PC, title="Quản trị hệ thống"),
    ),
    _staff(
        "demo.clerk.binhan",
        "Ngô Thị",
        "Hồng",
        PositionSpec(
            Role.DESK_CLERK, commune_desk_code(BINH_AN), title="Công chức Bộ phận Một cửa"
        ),
    ),
    _staff(
        "demo.editor.binhan",
        "Bùi Văn",
        "Tâm",
        PositionSpec(Role.EDITOR, commune_pc_code(BINH_AN), title="Công chức Văn phòng - Thống kê"),
    ),
    AccountSpec(
        "demo.citizen",
        "Nguyễn Văn",
        "An",
        CITIZEN_KIND,
        phone="+84905000001",  # stored in E.164, as sign-up stores it
        # 049 = Quảng Nam (place of birth registration), 0 = male born 1900-1999, 90 = 1990.
        personal_id="049090012345",
        date_of_birth=date(1990, 5, 12),
    ),
)

DEMO_USERNAMES: tuple[str, ...] = tuple(a.username for a in DEMO_ACCOUNTS)
