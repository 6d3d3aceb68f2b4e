"""``seed_demo`` and ``demo_accounts``: the Thăng Bình demo, built once, rebuilt to no effect."""

from __future__ import annotations

import json
import re
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from egov.core.audit.models import AuditEvent
from egov.organizations.constants import AgencyKind, Role, UnitKind, UnitLevel, UnitScheme
from egov.organizations.demo import data
from egov.organizations.demo.builder import SITE_NAME
from egov.organizations.models import AdministrativeUnit, Agency, Position
from egov.organizations.roles import group_name
from egov.organizations.scope import (
    can_act_in_unit,
    is_system_admin,
    units_actionable_by,
    units_visible_to,
)
from egov.organizations.services import position_end

pytestmark = pytest.mark.django_db

PASSWORD = "Demo@2026"

EXPECTED_COMMUNES = {
    "20791": ("Thị trấn Hà Lam", UnitKind.TOWNSHIP),
    "20794": ("Xã Bình Dương", UnitKind.COMMUNE),
    "20797": ("Xã Bình Giang", UnitKind.COMMUNE),
    "20800": ("Xã Bình Nguyên", UnitKind.COMMUNE),
    "20803": ("Xã Bình Phục", UnitKind.COMMUNE),
    "20806": ("Xã Bình Triều", UnitKind.COMMUNE),
    "20809": ("Xã Bình Đào", UnitKind.COMMUNE),
    "20812": ("Xã Bình Minh", UnitKind.COMMUNE),
    "20815": ("Xã Bình Lãnh", UnitKind.COMMUNE),
    "20818": ("Xã Bình Trị", UnitKind.COMMUNE),
    "20821": ("Xã Bình Định Bắc", UnitKind.COMMUNE),
    "20822": ("Xã Bình Định Nam", UnitKind.COMMUNE),
    "20824": ("Xã Bình Quý", UnitKind.COMMUNE),
    "20827": ("Xã Bình Phú", UnitKind.COMMUNE),
    "20830": ("Xã Bình Chánh", UnitKind.COMMUNE),
    "20833": ("Xã Bình Tú", UnitKind.COMMUNE),
    "20836": ("Xã Bình Sa", UnitKind.COMMUNE),
    "20839": ("Xã Bình Hải", UnitKind.COMMUNE),
    "20842": ("Xã Bình Quế", UnitKind.COMMUNE),
    "20845": ("Xã Bình An", UnitKind.COMMUNE),
    "20848": ("Xã Bình Trung", UnitKind.COMMUNE),
    "20851": ("Xã Bình Nam", UnitKind.COMMUNE),
}

# username → {(role, agency code, department code or None, title)}
EXPECTED_POSITIONS = {
    "demo.clerk": {(Role.DESK_CLERK, "001.01.13.H49", None, "Công chức Bộ phận Một cửa")},
    "demo.specialist": {(Role.SPECIALIST, "000.07.13.H49", "quan-ly-xay-dung", "Chuyên viên")},
    "demo.head": {(Role.DEPARTMENT_HEAD, "000.07.13.H49", None, "Trưởng phòng Kinh tế - Hạ tầng")},
    "demo.leader": {(Role.LEADER, "000.00.13.H49", None, "Phó Chủ tịch UBND huyện")},
    "demo.doc_clerk": {(Role.CLERK_OFFICE, "000.01.13.H49", "van-thu-luu-tru", "Văn thư")},
    "demo.justice": {
        (Role.JUSTICE_OFFICER, "000.03.13.H49", "ho-tich-chung-thuc", "Công chức Tư pháp - Hộ tịch")
    },
    "demo.editor": {(Role.EDITOR, "000.00.13.H49", None, "Biên tập viên Cổng thông tin điện tử")},
    "demo.moderator": {
        (Role.PORTAL_MODERATOR, "000.01.13.H49", None, "Phó Chánh Văn phòng HĐND và UBND huyện")
    },
    "demo.admin": {
        (Role.UNIT_ADMIN, "000.00.13.H49", None, "Quản trị đơn vị"),
        (Role.SYSTEM_ADMIN, "000.00.13.H49", None, "Quản trị hệ thống"),
    },
    "demo.clerk.binhan": {(Role.DESK_CLERK, "001.50.13.H49", None, "Công chức Bộ phận Một cửa")},
    "demo.editor.binhan": {(Role.EDITOR, "000.50.13.H49", None, "Công chức Văn phòng - Thống kê")},
    "demo.citizen": set(),
}


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def demo_accounts() -> str:
    out = StringIO()
    call_command("demo_accounts", stdout=out)
    return out.getvalue()


def user(username: str):  # type: ignore[no-untyped-def]
    return get_user_model().objects.get(username=username)


def legacy(code: str, level: str = UnitLevel.COMMUNE) -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(scheme=UnitScheme.LEGACY, level=level, code=code)


def row_counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


@pytest.fixture
def seeded() -> str:
    return seed()


def test_data_file_has_the_22_units_of_the_district_and_its_source() -> None:
    document = json.loads(data.UNITS_FILE.read_text(encoding="utf-8"))
    assert "vietnam-provinces==0.2" in document["source"]["package"]
    assert "gso.gov.vn" in document["source"]["upstream"]
    assert len(document["units"]) == 24
    communes = data.demo_communes()
    assert len(communes) == 22
    assert [u.kind for u in communes].count(UnitKind.TOWNSHIP) == 1
    assert [u.kind for u in communes].count(UnitKind.COMMUNE) == 21
    assert all(u.name.startswith("Xã Bình ") for u in communes if u.kind == UnitKind.COMMUNE)
    assert {u.code: (u.name, u.kind) for u in communes} == EXPECTED_COMMUNES


def test_seed_builds_the_legacy_district_with_official_codes(seeded: str) -> None:
    province = legacy("49", UnitLevel.PROVINCE)
    district = legacy("513", UnitLevel.DISTRICT)
    assert (province.name, province.kind, province.parent, province.path) == (
        "Tỉnh Quảng Nam",
        UnitKind.PROVINCE,
        None,
        "legacy/49",
    )
    assert (district.name, district.kind, district.parent, district.path) == (
        "Huyện Thăng Bình",
        UnitKind.RURAL_DISTRICT,
        province,
        "legacy/49/513",
    )
    communes = district.children.all()
    assert {u.code: (u.name, u.kind) for u in communes} == EXPECTED_COMMUNES
    assert all(u.path == f"legacy/49/513/{u.code}" and u.is_active for u in communes)
    assert AdministrativeUnit.objects.filter(scheme=UnitScheme.LEGACY).count() == 24
    assert not AdministrativeUnit.objects.filter(scheme=UnitScheme.CURRENT).exists()
    assert "24 đơn vị hành chính mới" in seeded


def test_seed_builds_district_agencies_and_departments(seeded: str) -> None:
    district = legacy("513", UnitLevel.DISTRICT)
    pc = Agency.objects.get(code="000.00.13.H49")
    assert (pc.name, pc.kind, pc.unit, pc.parent) == (
        "Ủy ban nhân dân huyện Thăng Bình",
        AgencyKind.PEOPLES_COMMITTEE,
        district,
        None,
    )
    office = Agency.objects.get(parent=pc, kind=AgencyKind.OFFICE)
    assert office.name == "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân huyện Thăng Bình"
    desk = Agency.objects.get(parent=office, kind=AgencyKind.SERVICE_DESK)
    assert desk.name == "Bộ phận Tiếp nhận và Trả kết quả huyện Thăng Bình"
    assert desk.unit == district
    specialised = Agency.objects.filter(parent=pc, kind=AgencyKind.SPECIALISED)
    assert {a.short_name or a.name for a in specialised} >= {"Phòng Tư pháp"}
    assert {a.name.removesuffix(" huyện Thăng Bình") for a in specialised} == {
        "Phòng Văn hóa và Thông tin",
        "Phòng Tư pháp",
        "Phòng Lao động - Thương binh và Xã hội",
        "Phòng Tài chính - Kế hoạch",
        "Phòng Tài nguyên và Môi trường",
        "Phòng Kinh tế - Hạ tầng",
    }
    assert all(a.unit == district for a in specialised)
    finance = specialised.get(name__startswith="Phòng Tài chính - Kế hoạch")
    assert finance.departments.get(code="dang-ky-kinh-doanh").name == "Bộ phận Đăng ký kinh doanh"
    for agency in Agency.objects.all():
        # QCVN 102 / QĐ 20/2020: A1A2A3.B1B2.C1C2.D1D2D3
        assert re.fullmatch(r"\d{3}\.\d{2}\.13\.H49", agency.code), agency.code
        assert "0235 3000" in agency.phone
        assert agency.email.endswith("@demo.egov.local")
        assert "(địa chỉ mẫu)" in agency.address


def test_seed_builds_every_commune_committee_with_desk_and_justice_department(
    seeded: str,
) -> None:
    pc = Agency.objects.get(code="000.00.13.H49")
    for code in ("20791", "20845", "20794", "20797", "20806"):
        unit = legacy(code)
        committee = Agency.objects.get(unit=unit, kind=AgencyKind.PEOPLES_COMMITTEE)
        assert committee.parent == pc
        assert committee.name == "Ủy ban nhân dân " + unit.name[0].lower() + unit.name[1:]
        desk = Agency.objects.get(unit=unit, kind=AgencyKind.SERVICE_DESK)
        assert desk.parent == committee
        assert desk.name.startswith("Bộ phận Tiếp nhận và Trả kết quả ")
        assert committee.departments.get(code="tu-phap-ho-tich").name == "Tư pháp - Hộ tịch"
    assert Agency.objects.filter(unit__level=UnitLevel.COMMUNE).count() == 44
    assert Agency.objects.get(code="000.50.13.H49").name == "Ủy ban nhân dân xã Bình An"
    assert Agency.objects.get(code="000.31.13.H49").name == "Ủy ban nhân dân thị trấn Hà Lam"


def test_seed_creates_the_demo_accounts_with_their_positions(seeded: str) -> None:
    users = get_user_model().objects.filter(username__startswith="demo.")
    assert set(users.values_list("username", flat=True)) == set(EXPECTED_POSITIONS)
    kinds = dict(get_user_model()._meta.get_field("kind").choices)
    assert {data.STAFF_KIND, data.CITIZEN_KIND} <= set(kinds)
    for account in users:
        assert account.check_password(PASSWORD)
        assert account.email == f"{account.username}@demo.egov.local"
        assert account.get_full_name() and account.is_active
        positions = {
            (p.role, p.agency.code, p.department.code if p.department else None, p.title)
            for p in Position.objects.filter(user=account, is_active=True).select_related(
                "agency", "department"
            )
        }
        assert positions == EXPECTED_POSITIONS[account.username], account.username
        expected_kind = data.CITIZEN_KIND if account.username == "demo.citizen" else data.STAFF_KIND
        assert account.kind == expected_kind
        for role, *_rest in positions:
            assert account.groups.filter(name=group_name(role)).exists()
    assert user("demo.leader").get_full_name() == "Phạm Ngọc Dũng"
    citizen = user("demo.citizen")
    assert re.fullmatch(r"\d{12}", citizen.personal_id)
    assert citizen.phone == "+84905000001"
    assert not citizen.groups.exists()
    assert "12 tài khoản" in seeded


def test_scope_of_the_demo_accounts(seeded: str) -> None:
    district = legacy("513", UnitLevel.DISTRICT)
    binh_an, binh_duong = legacy("20845"), legacy("20794")
    communes = set(district.children.all())

    clerk_binhan = user("demo.clerk.binhan")
    assert can_act_in_unit(clerk_binhan, binh_an)
    assert can_act_in_unit(clerk_binhan, binh_an, [Role.DESK_CLERK])
    assert not can_act_in_unit(clerk_binhan, district)
    assert not can_act_in_unit(clerk_binhan, binh_duong)
    assert set(units_visible_to(clerk_binhan)) == {binh_an}

    leader = user("demo.leader")
    visible = set(units_visible_to(leader))
    assert visible == {district} | communes
    assert len(visible) == 23
    assert set(units_actionable_by(leader)) == {district}
    assert not can_act_in_unit(leader, binh_an)

    specialist = user("demo.specialist")
    assert can_act_in_unit(specialist, district, [Role.SPECIALIST])
    assert not can_act_in_unit(specialist, district, [Role.LEADER])

    assert is_system_admin(user("demo.admin"))
    assert not is_system_admin(user("demo.leader"))
    assert not units_visible_to(user("demo.citizen")).exists()


def test_second_run_changes_nothing(seeded: str) -> None:
    assert AuditEvent.objects.filter(action="organizations.agency.create").count() == 53
    assert AuditEvent.objects.filter(action="organizations.position.assign").count() == 12
    before = row_counts()
    audit_ids = set(AuditEvent.objects.values_list("pk", flat=True))
    units = list(AdministrativeUnit.objects.order_by("pk").values())
    agencies = list(Agency.objects.order_by("pk").values())
    passwords = dict(get_user_model().objects.values_list("username", "password"))

    output = seed()

    assert "không có gì thay đổi" in output
    assert row_counts() == before
    assert set(AuditEvent.objects.values_list("pk", flat=True)) == audit_ids
    assert list(AdministrativeUnit.objects.order_by("pk").values()) == units
    assert list(Agency.objects.order_by("pk").values()) == agencies
    assert dict(get_user_model().objects.values_list("username", "password")) == passwords


def test_second_run_keeps_a_changed_password_and_an_ended_position(seeded: str) -> None:
    clerk = user("demo.clerk")
    clerk.set_password("Mat-khau-moi-2026")
    clerk.save()
    editor_position = Position.objects.get(user__username="demo.editor")
    position_end(actor=None, position_id=editor_position.pk)
    before = row_counts()

    seed()

    clerk.refresh_from_db()
    assert clerk.check_password("Mat-khau-moi-2026")
    assert not clerk.check_password(PASSWORD)
    assert row_counts() == before
    assert not Position.objects.filter(user__username="demo.editor", is_active=True).exists()


def test_official_unit_data_is_restored_and_audited(seeded: str) -> None:
    binh_an = legacy("20845")
    AdministrativeUnit.objects.filter(pk=binh_an.pk).update(name="Xã Bình An Sai Tên")

    output = seed()

    binh_an.refresh_from_db()
    assert binh_an.name == "Xã Bình An"
    assert "1 cập nhật" in output
    event = AuditEvent.objects.get(action="organizations.unit.update")
    assert event.before == {"name": "Xã Bình An Sai Tên"}
    assert event.after == {"name": "Xã Bình An"}


def test_seed_coexists_with_the_current_list() -> None:
    call_command("import_units", stdout=StringIO())
    seed()
    # 20791 is Thị trấn Hà Lam in the old list and Xã Thăng Bình (Đà Nẵng) in today's.
    assert legacy("20791").name == "Thị trấn Hà Lam"
    current = AdministrativeUnit.objects.get(scheme=UnitScheme.CURRENT, code="20791")
    assert current.name == "Xã Thăng Bình"
    # Each command leaves the other's list alone.
    out = StringIO()
    call_command("import_units", stdout=out)
    assert "Thêm mới 0, cập nhật 0, ngừng hoạt động 0" in out.getvalue()
    assert legacy("20791").is_active
    assert "không có gì thay đổi" in seed()


def test_seed_refuses_without_egov_demo(settings: pytest.FixtureRequest) -> None:
    settings.EGOV_DEMO = False  # type: ignore[attr-defined]
    with pytest.raises(CommandError, match="EGOV_DEMO"):
        seed()
    assert not get_user_model().objects.exists()
    assert not Agency.objects.exists()
    assert not AuditEvent.objects.exists()

    output = seed("--force")
    assert "12 tài khoản" in output
    assert get_user_model().objects.filter(username="demo.admin").exists()


def test_demo_accounts_before_and_after_seed() -> None:
    output = demo_accounts()
    assert "Chưa có tài khoản mẫu" in output
    assert PASSWORD not in output

    seed()
    output = demo_accounts()
    for username in EXPECTED_POSITIONS:
        assert username in output
    lines = output.splitlines()
    leader = next(line for line in lines if line.startswith("demo.leader "))
    assert "Phạm Ngọc Dũng" in leader
    assert "Lãnh đạo UBND" in leader
    assert "UBND huyện Thăng Bình" in leader
    assert "Huyện Thăng Bình" in leader
    clerk = next(line for line in lines if line.startswith("demo.clerk.binhan "))
    assert "Bộ phận Một cửa xã Bình An" in clerk
    assert clerk.rstrip().endswith("Xã Bình An")
    admin_index = next(i for i, line in enumerate(lines) if line.startswith("demo.admin "))
    assert "Quản trị đơn vị" in lines[admin_index]
    assert "Quản trị hệ thống" in lines[admin_index + 1]
    assert "Công dân, tổ chức" in next(line for line in lines if line.startswith("demo.citizen"))
    assert f"Mật khẩu của mọi tài khoản mẫu: {PASSWORD}" in output


def test_wagtail_default_site_stays_usable(seeded: str) -> None:
    from wagtail.models import Page, Site

    site = Site.objects.get(is_default_site=True)
    assert site.site_name == SITE_NAME
    assert site.root_page.live
    assert Page.objects.filter(depth=1).count() == 1
    response = Client().get("/")
    assert response.status_code == 200
    html = response.content.decode()
    # Wagtail's English welcome title is replaced, and the home page shows the ways in.
    assert site.root_page.title == "Trang chủ"
    assert "<h1>Trang chủ</h1>" in html
    assert 'href="/accounts/login/"' in html and 'href="/admin/"' in html


def test_seed_stops_cleanly_when_a_demo_identity_is_taken() -> None:
    get_user_model().objects.create_user(
        username="nguoi.that", password="Mat-khau-2026!", phone="+84905000001"
    )
    with pytest.raises(CommandError, match=r"demo\.citizen.*\+84905000001.*đã có người dùng"):
        seed()
    assert get_user_model().objects.count() == 1
    assert not Agency.objects.exists()
    assert not AuditEvent.objects.exists()


def test_seed_stops_cleanly_when_a_staff_email_is_taken() -> None:
    get_user_model().objects.create_user(
        username="nguoi.that", password="Mat-khau-2026!", email="demo.head@demo.egov.local"
    )
    with pytest.raises(CommandError, match=re.escape("demo.head@demo.egov.local")):
        seed()
    assert get_user_model().objects.count() == 1
    assert not AdministrativeUnit.objects.exists()
