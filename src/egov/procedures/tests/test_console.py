"""The catalogue console: every staff member browses, responsible admins edit; 403, 404 and
400 (with nothing typed lost) per the project rules."""

import datetime as dt
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from egov.procedures import services
from egov.procedures.constants import VersionStatus
from egov.procedures.models import Procedure, ProcedureVersion, ProcessStep
from egov.procedures.tests.factories import full_version

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def url(name, *args):
    return reverse(f"egov_procedures:{name}", args=args)


def today():
    return timezone.localdate()


@pytest.fixture
def published(units):
    version = full_version(
        actor=units.admin_a, responsible_agency=units.agency_a, sector=units.sector
    )
    return services.procedure_version_publish(
        actor=units.admin_a,
        version=version,
        decision_number="123/QĐ-UBND",
        decision_date=today(),
        effective_date=today(),
    )


@pytest.fixture
def draft_a(units):
    return full_version(
        code="2.000001",
        name="Chứng thực chữ ký",
        actor=units.admin_a,
        responsible_agency=units.agency_a,
        sector=units.sector,
    )


def text(response):
    return response.content.decode()


# --- Browse ------------------------------------------------------------------------------------


def _menu_items(client, user):
    """``{name: label}`` of the sidebar's main-menu items (rendered as JSON props)."""
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    match = re.search(
        r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>',
        text(response),
        re.S,
    )
    items = {}

    def walk(node):
        if isinstance(node, dict):
            args = node.get("_args")
            if node.get("_type", "").startswith("wagtail.sidebar.") and args:
                first = args[0]
                if isinstance(first, dict) and "label" in first:
                    name = first["name"]
                    items[name["_val"] if isinstance(name, dict) else name] = first
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(match.group(1)))
    return items


@pytest.mark.parametrize("who", ["clerk_a", "admin_a", "sysadmin"])
def test_menu_is_shown_to_every_staff_member(client, units, who):
    item = _menu_items(client, getattr(units, who))["procedures"]
    assert item["label"] == "Thủ tục hành chính"
    assert item["url"] == url("procedure_list")


def test_clerk_browses_the_list_and_the_detail(client, units, published, draft_a):
    client.force_login(units.clerk_a)
    response = client.get(url("procedure_list"))
    assert response.status_code == 200
    body = text(response)
    assert "Đăng ký khai sinh" in body and "1.001193" in body
    assert "Chứng thực chữ ký" not in body  # another manager's draft
    assert "Thêm thủ tục" not in body
    response = client.get(url("procedure_list"), {"q": "dang ky khai sinh"})
    assert "Đăng ký khai sinh" in text(response)
    response = client.get(url("procedure_list"), {"q": "ket hon"})
    assert "Không có thủ tục nào phù hợp." in text(response)

    response = client.get(url("procedure_detail", "1.001193"))
    assert response.status_code == 200
    body = text(response)
    for expected in (
        "Tờ khai đăng ký khai sinh",  # dossier component
        "Nộp hồ sơ tại Bộ phận Một cửa",  # step
        "3 ngày làm việc",  # time limit
        "Mức thu theo Nghị quyết của HĐND tỉnh",  # fee (no amount stated: its description)
        "Bước 12 giờ",  # internal process step
        "60/2014/QH13",  # legal basis
        "Giấy khai sinh",  # result
        "123/QĐ-UBND",  # decision
        "Lịch sử phiên bản",
        "đang có hiệu lực",
    ):
        assert expected in body, expected
    assert "Sửa thông tin chung" not in body
    assert "Tạo phiên bản mới" not in body


def test_list_filters_do_not_break_on_bad_values(client, units, published):
    client.force_login(units.clerk_a)
    response = client.get(
        url("procedure_list"),
        {"level": "x", "online_level": "7", "status": "?", "sector": "zz", "p": "abc"},
    )
    assert response.status_code == 200
    response = client.get(
        url("procedure_list"), {"sector": "HT", "level": "commune", "status": "in_force"}
    )
    assert "Đăng ký khai sinh" in text(response)


def test_unknown_code_and_version_are_404(client, units, published):
    client.force_login(units.clerk_a)
    assert client.get(url("procedure_detail", "9.999999")).status_code == 404
    assert client.get(url("version_detail", "1.001193", 7)).status_code == 404


# --- Permissions -------------------------------------------------------------------------------


def test_clerk_gets_403_on_every_management_screen(client, units, published):
    client.force_login(units.clerk_a)
    for target in (
        url("procedure_create"),
        url("version_create_draft", "1.001193"),
        url("version_edit", "1.001193", 1),
        url("version_abolish", "1.001193", 1),
        url("part_create", "1.001193", 1, "case"),
    ):
        for method in (client.get, client.post):
            response = method(target)
            assert response.status_code == 403, target
            assert "quản trị" in text(response)
    assert ProcedureVersion.objects.count() == 1


def test_another_units_draft_is_404(client, units, draft_a):
    client.force_login(units.admin_b)
    assert client.get(url("procedure_detail", "2.000001")).status_code == 404
    assert client.get(url("version_detail", "2.000001", 1)).status_code == 404
    for target in (
        url("version_edit", "2.000001", 1),
        url("version_publish", "2.000001", 1),
        url("part_create", "2.000001", 1, "document"),
        url("part_edit", "2.000001", 1, "case", draft_a.cases.get().pk),
    ):
        assert client.get(target).status_code == 404, target
        assert client.post(target).status_code == 404, target
    draft_a.refresh_from_db()
    assert draft_a.status == VersionStatus.DRAFT


def test_another_units_admin_gets_403_on_published_procedure(client, units, published):
    client.force_login(units.admin_b)
    assert client.get(url("procedure_detail", "1.001193")).status_code == 200
    response = client.post(url("version_create_draft", "1.001193"))
    assert response.status_code == 403
    assert published.procedure.versions.count() == 1


# --- Create and edit ---------------------------------------------------------------------------


def test_unit_admin_creates_a_procedure(client, units):
    client.force_login(units.admin_a)
    response = client.get(url("procedure_create"))
    assert response.status_code == 200
    assert units.agency_b.name not in text(response)  # only the admin's own agencies
    response = client.post(
        url("procedure_create"),
        {
            "code": "1.001193",
            "name": "Đăng ký khai sinh",
            "sector": units.sector.pk,
            "responsible_agency": units.agency_a.pk,
            "levels": ["commune"],
            "procedure_type": "1",
            "target_group": "citizen",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == url("version_detail", "1.001193", 1)
    version = ProcedureVersion.objects.get()
    assert (version.name, version.levels, version.procedure.responsible_agency) == (
        "Đăng ký khai sinh",
        ["commune"],
        units.agency_a,
    )


def test_duplicate_code_is_a_400_and_keeps_the_input(client, units, published):
    client.force_login(units.admin_a)
    response = client.post(
        url("procedure_create"),
        {
            "code": "1.001193",
            "name": "Tên đã gõ không mất",
            "sector": units.sector.pk,
            "responsible_agency": units.agency_a.pk,
            "levels": ["commune"],
            "procedure_type": "1",
            "target_group": "citizen",
        },
    )
    assert response.status_code == 400
    body = text(response)
    assert "Mã thủ tục 1.001193 đã tồn tại." in body
    assert "Tên đã gõ không mất" in body
    assert Procedure.objects.count() == 1


def test_admin_cannot_name_another_units_agency_as_responsible(client, units):
    client.force_login(units.admin_a)
    response = client.post(
        url("procedure_create"),
        {
            "code": "1.000002",
            "name": "Thủ tục",
            "sector": units.sector.pk,
            "responsible_agency": units.agency_b.pk,
            "procedure_type": "1",
            "target_group": "citizen",
        },
    )
    assert response.status_code == 400
    assert not Procedure.objects.exists()


def test_edit_draft_main_fields(client, units, draft_a):
    client.force_login(units.admin_a)
    response = client.get(url("version_edit", "2.000001", 1))
    assert response.status_code == 200
    assert "Chứng thực chữ ký" in text(response)
    data = {
        "name": "Chứng thực chữ ký trong các giấy tờ, văn bản",
        "sector": units.sector.pk,
        "levels": ["commune", "district"],
        "procedure_type": "1",
        "target_group": "both",
        "online_level": "partial",
        "cutoff_rule": "same_day_15h",
        "cutoff_time": "15:00",
        "implementing_agency": units.agency_a.pk,
        "coordinating_agencies": [units.agency_b.pk],
    }
    response = client.post(url("version_edit", "2.000001", 1), data)
    assert response.status_code == 302
    draft_a.refresh_from_db()
    assert draft_a.name == "Chứng thực chữ ký trong các giấy tờ, văn bản"
    assert draft_a.levels == ["district", "commune"]
    assert draft_a.cutoff_rule == "same_day_15h"
    assert list(draft_a.coordinating_agencies.all()) == [units.agency_b]


def test_invalid_edit_is_400_and_keeps_the_input(client, units, draft_a):
    client.force_login(units.admin_a)
    response = client.post(
        url("version_edit", "2.000001", 1),
        {"name": "Tên mới đang gõ", "sector": "", "procedure_type": "9", "cutoff_time": "25:99"},
    )
    assert response.status_code == 400
    body = text(response)
    assert "Tên mới đang gõ" in body
    assert "Thông tin chưa hợp lệ" in body
    draft_a.refresh_from_db()
    assert draft_a.name == "Chứng thực chữ ký"


def test_process_step_over_budget_is_a_400_with_the_numbers(client, units, draft_a):
    client.force_login(units.admin_a)
    template = draft_a.process_templates.get()
    response = client.post(
        url("part_create", "2.000001", 1, "process-step"),
        {"template": template.pk, "name": "Ký duyệt", "hours": "8", "role": "leader"},
    )
    assert response.status_code == 400
    body = text(response)
    assert "Tổng thời gian các bước là 28 giờ, vượt thời hạn 3 ngày làm việc (24 giờ)" in body
    assert "Ký duyệt" in body  # kept
    assert ProcessStep.objects.filter(template=template).count() == 3
    response = client.post(
        url("part_create", "2.000001", 1, "process-step"),
        {"template": template.pk, "name": "Ký duyệt", "hours": "2,5", "role": "leader"},
    )
    assert response.status_code == 302
    assert template.steps.get(name="Ký duyệt").hours == 2.5


def test_parts_are_added_edited_and_deleted(client, units, draft_a):
    client.force_login(units.admin_a)
    case = draft_a.cases.get()
    upload = SimpleUploadedFile("mau.pdf", PDF, content_type="application/pdf")
    response = client.post(
        url("part_create", "2.000001", 1, "document") + f"?case={case.pk}",
        {
            "case": case.pk,
            "name": "Bản chính giấy tờ",
            "originals": "1",
            "copies": "0",
            "form_file": upload,
        },
    )
    assert response.status_code == 302, text(response)
    document = case.documents.get(name="Bản chính giấy tờ")
    assert document.form_template.original_name == "mau.pdf"
    response = client.post(
        url("part_edit", "2.000001", 1, "document", document.pk),
        {
            "name": "Bản chính giấy tờ cần chứng thực",
            "originals": "1",
            "copies": "2",
            "order": document.order,
        },
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.name, document.copies, document.case) == (
        "Bản chính giấy tờ cần chứng thực",
        2,
        case,
    )
    response = client.post(url("part_delete", "2.000001", 1, "document", document.pk))
    assert response.status_code == 302
    assert not case.documents.filter(pk=document.pk).exists()
    # A row of another version is not found through this version's URL.
    other = full_version(code="1.000003", actor=units.admin_a, responsible_agency=units.agency_a)
    foreign_case = other.cases.get()
    assert client.get(url("part_edit", "2.000001", 1, "case", foreign_case.pk)).status_code == 404
    assert client.get(url("part_create", "2.000001", 1, "nothing")).status_code == 404


def test_deleting_the_last_case_is_a_400(client, units, draft_a):
    client.force_login(units.admin_a)
    case = draft_a.cases.get()
    response = client.post(url("part_delete", "2.000001", 1, "case", case.pk))
    assert response.status_code == 400
    assert "Không xóa được trường hợp cuối cùng" in text(response)


def test_unknown_time_unit_is_a_400(client, units, draft_a):
    client.force_login(units.admin_a)
    response = client.post(
        url("part_create", "2.000001", 1, "channel"),
        {"channel": "postal", "order": "1", "time_limit_value": "5", "time_limit_unit": "khac"},
    )
    assert response.status_code == 400
    assert "Đơn vị thời hạn “khac” không được hỗ trợ" in text(response)


# --- Publish, new version, abolish -------------------------------------------------------------


def test_publish_with_a_past_date_is_refused_then_accepted(client, units, draft_a):
    client.force_login(units.admin_a)
    yesterday = today() - dt.timedelta(days=1)
    data = {
        "decision_number": "55/QĐ-UBND",
        "decision_date": yesterday.strftime("%d/%m/%Y"),
        "effective_date": yesterday.strftime("%d/%m/%Y"),
    }
    response = client.post(url("version_publish", "2.000001", 1), data)
    assert response.status_code == 400
    assert "đã qua" in text(response)
    assert "55/QĐ-UBND" in text(response)
    assert "allow_backdate" not in text(response)  # a unit admin cannot backdate
    data["effective_date"] = today().strftime("%d/%m/%Y")
    response = client.post(url("version_publish", "2.000001", 1), data)
    assert response.status_code == 302
    draft_a.refresh_from_db()
    assert draft_a.status == VersionStatus.PUBLISHED
    assert draft_a.effective_date == today()


def test_a_published_version_cannot_be_edited_in_the_console(client, units, published):
    client.force_login(units.admin_a)
    for target in (url("version_edit", "1.001193", 1), url("part_create", "1.001193", 1, "case")):
        response = client.post(target, {"name": "Sửa lén"})
        assert response.status_code == 400
        assert "đã được công bố nên không sửa được" in text(response)
    published.refresh_from_db()
    assert published.name == "Đăng ký khai sinh"
    assert published.cases.count() == 1


def test_new_version_then_abolish(client, units, published):
    client.force_login(units.admin_a)
    response = client.get(url("procedure_detail", "1.001193"))
    assert "Tạo phiên bản mới" in text(response)
    response = client.post(url("version_create_draft", "1.001193"))
    assert response.status_code == 302
    assert response["Location"] == url("version_detail", "1.001193", 2)
    response = client.get(url("version_detail", "1.001193", 2))
    assert "Đây là bản nháp" in text(response)
    # A second draft is refused with a message, nothing created.
    response = client.post(url("version_create_draft", "1.001193"))
    assert response.status_code == 400
    assert "đang có bản nháp (phiên bản 2)" in text(response)
    response = client.post(
        url("version_abolish", "1.001193", 1),
        {
            "decision_number": "77/QĐ-UBND",
            "decision_date": today().strftime("%d/%m/%Y"),
            "effective_date": (today() + dt.timedelta(days=10)).strftime("%d/%m/%Y"),
        },
    )
    assert response.status_code == 302
    published.refresh_from_db()
    assert published.status == VersionStatus.ABOLISHED
    assert published.abolition_decision_number == "77/QĐ-UBND"


def test_system_admin_may_backdate_in_the_console(client, units, draft_a):
    client.force_login(units.sysadmin)
    last_year = today() - dt.timedelta(days=365)
    response = client.post(
        url("version_publish", "2.000001", 1),
        {
            "decision_number": "1/QĐ-UBND",
            "decision_date": last_year.strftime("%d/%m/%Y"),
            "effective_date": last_year.strftime("%d/%m/%Y"),
            "allow_backdate": "on",
        },
    )
    assert response.status_code == 302
    draft_a.refresh_from_db()
    assert draft_a.effective_date == last_year
