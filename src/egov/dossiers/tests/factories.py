"""A small one-stop office for the dossier tests.

``build_office()`` makes a province with two communes.  Commune A has a People's
Committee with a desk (Bộ phận Một cửa) and one staff member for every role of the
demo process; commune B has its own desk clerk and specialist (outsiders for commune A).
``building_permit(office)`` publishes a procedure whose internal process walks
desk → specialist → department head → leader → document clerk → desk (5 working days),
with a document checklist and a fee.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from egov.dossiers import services
from egov.organizations.constants import AgencyKind, Role
from egov.organizations.facade import position_assign
from egov.organizations.tests.factories import (
    AgencyFactory,
    DepartmentFactory,
    UnitFactory,
    UserFactory,
)
from egov.procedures import services as catalogue
from egov.procedures.constants import Channel
from egov.procedures.models import ProcedureVersion
from egov.procedures.tests.factories import SectorFactory


def make_staff(role: str, agency: Any, department: Any = None, **user_kwargs: Any) -> Any:
    user = UserFactory(staff=True, **user_kwargs)
    position_assign(actor=None, user=user, role=role, agency=agency, department=department)
    return user


@dataclass
class Office:
    province: Any
    commune_a: Any
    commune_b: Any
    pc_a: Any
    desk_a: Any
    office_a: Any
    pc_b: Any
    desk_b: Any
    clerk: Any
    specialist: Any
    head: Any
    leader: Any
    doc_clerk: Any
    clerk_b: Any
    specialist_b: Any
    sysadmin: Any
    citizen: Any


def build_office() -> Office:
    province = UnitFactory(province=True, name="Tỉnh Thử")
    commune_a = UnitFactory(parent=province, name="Xã An Phú")
    commune_b = UnitFactory(parent=province, name="Xã Bình Minh")
    pc_a = AgencyFactory(unit=commune_a, name="Ủy ban nhân dân xã An Phú", code="000.21.01.T99")
    office_a = AgencyFactory(
        unit=commune_a,
        parent=pc_a,
        kind=AgencyKind.OFFICE,
        name="Văn phòng UBND xã An Phú",
        code="000.21.02.T99",
    )
    desk_a = AgencyFactory(
        unit=commune_a,
        parent=pc_a,
        kind=AgencyKind.SERVICE_DESK,
        name="Bộ phận Một cửa xã An Phú",
        code="000.21.03.T99",
    )
    pc_b = AgencyFactory(unit=commune_b, name="Ủy ban nhân dân xã Bình Minh", code="000.22.01.T99")
    desk_b = AgencyFactory(
        unit=commune_b,
        parent=pc_b,
        kind=AgencyKind.SERVICE_DESK,
        name="Bộ phận Một cửa xã Bình Minh",
        code="000.22.03.T99",
    )
    construction = DepartmentFactory(agency=pc_a, name="Địa chính - Xây dựng")
    return Office(
        province=province,
        commune_a=commune_a,
        commune_b=commune_b,
        pc_a=pc_a,
        desk_a=desk_a,
        office_a=office_a,
        pc_b=pc_b,
        desk_b=desk_b,
        clerk=make_staff(
            Role.DESK_CLERK, desk_a, username="motcua", first_name="Hà", last_name="Nguyễn Thị"
        ),
        specialist=make_staff(
            Role.SPECIALIST,
            pc_a,
            construction,
            username="chuyenvien",
            first_name="Minh",
            last_name="Trần Văn",
        ),
        head=make_staff(
            Role.DEPARTMENT_HEAD,
            pc_a,
            username="truongphong",
            first_name="Hùng",
            last_name="Lê Quang",
        ),
        leader=make_staff(
            Role.LEADER, pc_a, username="lanhdao", first_name="Dũng", last_name="Phạm Ngọc"
        ),
        doc_clerk=make_staff(
            Role.CLERK_OFFICE, office_a, username="vanthu", first_name="Lan", last_name="Võ Thị"
        ),
        clerk_b=make_staff(Role.DESK_CLERK, desk_b, username="motcua_b"),
        specialist_b=make_staff(Role.SPECIALIST, pc_b, username="chuyenvien_b"),
        sysadmin=make_staff(Role.SYSTEM_ADMIN, AgencyFactory(unit=province), username="qtht"),
        citizen=UserFactory(username="congdan", first_name="An", last_name="Nguyễn Văn"),
    )


PROCESS = (
    ("Tiếp nhận, kiểm tra, số hóa hồ sơ", Role.DESK_CLERK, 2),
    ("Thẩm định hồ sơ, dự thảo kết quả", Role.SPECIALIST, 16),
    ("Trưởng phòng xem xét, trình ký", Role.DEPARTMENT_HEAD, 8),
    ("Lãnh đạo UBND ký kết quả", Role.LEADER, 8),
    ("Đóng dấu, vào sổ, phát hành", Role.CLERK_OFFICE, 4),
    ("Trả kết quả", Role.DESK_CLERK, 2),
)


def building_permit(
    *,
    code: str = "1.009994",
    limit_days: int = 5,
    fee: int | None = 150000,
    boundary_free: bool = False,
    process: tuple[tuple[str, str, int], ...] = PROCESS,
    online: bool = True,
) -> ProcedureVersion:
    """A published procedure with the demo's role chain (see the module docstring)."""
    version = catalogue.procedure_create(
        actor=None,
        code=code,
        name="Cấp giấy phép xây dựng nhà ở riêng lẻ",
        sector=SectorFactory(code=f"XD{code[-3:]}", name="Hoạt động xây dựng"),
        levels=["commune"],
        boundary_free=boundary_free,
    )
    case = version.cases.get()
    catalogue.document_create(
        actor=None, case=case, name="Đơn đề nghị cấp giấy phép xây dựng", originals=1, copies=0
    )
    catalogue.document_create(
        actor=None, case=case, name="Bản vẽ thiết kế xây dựng", originals=0, copies=2
    )
    catalogue.step_create(actor=None, case=case, description="Nộp hồ sơ tại Bộ phận Một cửa")
    direct = catalogue.channel_option_create(
        actor=None, version=version, channel=Channel.DIRECT, time_limit_value=limit_days
    )
    if fee is not None:
        catalogue.fee_create(
            actor=None,
            channel_option=direct,
            amount=fee,
            description="Lệ phí cấp giấy phép xây dựng",
        )
    if online:
        catalogue.channel_option_create(
            actor=None, version=version, channel=Channel.ONLINE, time_limit_value=limit_days
        )
    template = catalogue.process_template_create(actor=None, version=version, name="Quy trình")
    for name, role, hours in process:
        catalogue.process_step_create(
            actor=None, template=template, name=name, role=role, hours=Decimal(hours)
        )
    catalogue.result_create(
        actor=None, version=version, name="Giấy phép xây dựng", document_code="KQ-GPXD"
    )
    catalogue.procedure_version_publish(
        actor=None,
        version=version,
        decision_number="01/QĐ-UBND",
        decision_date=dt.date(2025, 1, 1),
        effective_date=dt.date(2025, 1, 1),
        allow_backdate=True,
    )
    version.refresh_from_db()
    return version


def applicant(**overrides: Any) -> services.ApplicantData:
    data = {
        "full_name": "Nguyễn Văn An",
        "id_number": "049090001234",
        "phone": "0905123456",
        "email": "an@example.vn",
        "address": "Thôn 1, xã An Phú",
    }
    data.update(overrides)
    return services.ApplicantData(**data)


def intake(version: ProcedureVersion, **overrides: Any) -> services.IntakeData:
    data: dict[str, Any] = {
        "procedure_code": version.procedure.code,
        "applicant": applicant(),
        "channel": "direct",
        "fee_paid": True,
    }
    data.update(overrides)
    return services.IntakeData(**data)


def receive(
    office: Office, version: ProcedureVersion, *, at: dt.datetime | None = None, **overrides: Any
) -> Any:
    """A dossier accepted at commune A's desk by its clerk."""
    return services.dossier_receive(actor=office.clerk, data=intake(version, **overrides), at=at)
