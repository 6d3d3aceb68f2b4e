"""Services: codes, permissions (responsible admins only), audit rows, parts of a draft."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from egov.core.attachments.models import Attachment
from egov.core.audit.models import AuditEvent
from egov.procedures import services
from egov.procedures.constants import Channel, TimeUnit
from egov.procedures.errors import ErrorCode, ProcedureError, ProcedurePermissionDenied
from egov.procedures.models import Procedure, ProcedureCase
from egov.procedures.tests.factories import SectorFactory, full_version

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def create(actor, agency, code="1.001193", **kwargs):
    return services.procedure_create(
        actor=actor,
        code=code,
        name=kwargs.pop("name", "Đăng ký khai sinh"),
        sector=kwargs.pop("sector", None) or SectorFactory(code="HT", name="Hộ tịch"),
        responsible_agency=agency,
        levels=["commune"],
        **kwargs,
    )


def test_create_makes_a_draft_with_a_default_case_and_search_text(units):
    version = create(units.admin_a, units.agency_a, keywords="giấy khai sinh")
    assert version.number == 1 and version.is_draft
    assert [c.name for c in version.cases.all()] == ["Trường hợp chung"]
    assert version.procedure.search_text == "1.001193 dang ky khai sinh ho tich giay khai sinh"
    actions = AuditEvent.objects.filter(action__startswith="procedures.")
    assert sorted(actions.values_list("action", flat=True)) == [
        "procedures.procedure.create",
        "procedures.version.create",
    ]


def test_duplicate_code_is_refused_in_vietnamese(units):
    create(units.admin_a, units.agency_a)
    with pytest.raises(ProcedureError) as info:
        create(units.admin_a, units.agency_a, name="Khác")
    assert info.value.error_code == ErrorCode.CODE_TAKEN
    assert info.value.text == "Mã thủ tục 1.001193 đã tồn tại."
    assert info.value.field == "code"
    assert Procedure.objects.count() == 1


@pytest.mark.parametrize("code", ["1001193", "1.00119", "A.001193", "1.0011933", "", "12.001193"])
def test_malformed_codes_are_refused(units, code):
    with pytest.raises(ProcedureError) as info:
        create(units.admin_a, units.agency_a, code=code)
    assert info.value.error_code == ErrorCode.CODE_INVALID
    assert "d.dddddd" in info.value.text


def test_only_admins_of_the_responsible_agency_create_and_edit(units):
    with pytest.raises(ProcedurePermissionDenied):
        create(units.clerk_a, units.agency_a)
    with pytest.raises(ProcedurePermissionDenied):
        create(units.admin_b, units.agency_a)
    version = create(units.admin_a, units.agency_a)
    with pytest.raises(ProcedurePermissionDenied) as info:
        services.procedure_version_update(actor=units.admin_b, version=version, name="X")
    assert "Chỉ quản trị đơn vị của cơ quan chịu trách nhiệm" in str(info.value)
    with pytest.raises(ProcedurePermissionDenied):
        services.case_create(actor=units.clerk_a, version=version, name="X")
    # A system admin acts everywhere.
    services.procedure_version_update(actor=units.sysadmin, version=version, name="Tên mới")
    version.refresh_from_db()
    assert version.name == "Tên mới"


def test_without_a_responsible_agency_only_system_admins_manage(units):
    with pytest.raises(ProcedurePermissionDenied):
        create(units.admin_a, None)
    version = create(units.sysadmin, None)
    with pytest.raises(ProcedurePermissionDenied):
        services.procedure_version_update(actor=units.admin_a, version=version, name="X")


def test_handing_over_is_for_system_admins(units):
    version = create(units.admin_a, units.agency_a)
    procedure = version.procedure
    with pytest.raises(ProcedurePermissionDenied):
        services.procedure_set_responsible_agency(
            actor=units.admin_a, procedure=procedure, agency=units.agency_b
        )
    services.procedure_set_responsible_agency(
        actor=units.sysadmin, procedure=procedure, agency=units.agency_b
    )
    with pytest.raises(ProcedurePermissionDenied):
        services.procedure_version_update(actor=units.admin_a, version=version, name="X")
    services.procedure_version_update(actor=units.admin_b, version=version, name="Của xã B")
    services.procedure_update(actor=units.admin_b, procedure=procedure, national_id="IDQG-42")
    procedure.refresh_from_db()
    assert procedure.national_id == "IDQG-42"


def test_update_refuses_unknown_fields_and_bad_values(units):
    version = create(units.admin_a, units.agency_a)
    with pytest.raises(ProcedureError) as info:
        services.procedure_version_update(actor=units.admin_a, version=version, status="published")
    assert info.value.error_code == ErrorCode.UNKNOWN_FIELD
    with pytest.raises(ProcedureError) as info:
        services.procedure_version_update(actor=units.admin_a, version=version, name="  ")
    assert info.value.error_code == ErrorCode.NAME_REQUIRED
    with pytest.raises(Exception) as info:
        services.procedure_version_update(actor=units.admin_a, version=version, online_level="4")
    assert "online_level" in info.value.message_dict


def test_update_sets_levels_agencies_and_scope(units):
    version = create(units.admin_a, units.agency_a)
    services.procedure_version_update(
        actor=units.admin_a,
        version=version,
        levels=["commune", "province"],
        implementing_agency=units.agency_a,
        coordinating_agencies=[units.agency_b],
        territorial_scope=[units.commune_a],
        keywords="sinh con",
    )
    version.refresh_from_db()
    assert version.levels == ["province", "commune"]
    assert list(version.coordinating_agencies.all()) == [units.agency_b]
    assert list(version.territorial_scope.all()) == [units.commune_a]
    assert "sinh con" in version.procedure.search_text
    event = AuditEvent.objects.filter(action="procedures.version.update").get()
    assert event.after["levels"] == ["province", "commune"]
    assert event.after["coordinating_agencies"] == [units.agency_b.pk]


def test_parts_crud_with_order_checks(units):
    version = create(units.admin_a, units.agency_a)
    case = version.cases.get()
    second = services.case_create(
        actor=units.admin_a, version=version, name="Khai sinh có yếu tố nước ngoài"
    )
    assert second.order == 2
    with pytest.raises(ProcedureError) as info:
        services.case_update(actor=units.admin_a, case=second, order=1)
    assert info.value.error_code == ErrorCode.ORDER_TAKEN
    doc = services.document_create(actor=units.admin_a, case=case, name="Tờ khai", copies=1)
    services.document_update(actor=units.admin_a, document=doc, originals=2)
    doc.refresh_from_db()
    assert (doc.order, doc.originals, doc.copies) == (1, 2, 1)
    step = services.step_create(actor=units.admin_a, case=case, description="Nộp hồ sơ")
    services.step_update(actor=units.admin_a, step=step, description="Nộp hồ sơ trực tiếp")
    services.step_delete(actor=units.admin_a, step=step)
    services.case_delete(actor=units.admin_a, case=second)
    with pytest.raises(ProcedureError) as info:
        services.case_delete(actor=units.admin_a, case=case)
    assert info.value.error_code == ErrorCode.LAST_CASE
    assert ProcedureCase.objects.filter(version=version).count() == 1


def test_channels_and_fees(units):
    version = create(units.admin_a, units.agency_a)
    option = services.channel_option_create(
        actor=units.admin_a, version=version, channel=Channel.ONLINE, time_limit_value=2
    )
    with pytest.raises(ProcedureError) as info:
        services.channel_option_create(
            actor=units.admin_a, version=version, channel=Channel.ONLINE, time_limit_value=3
        )
    assert info.value.error_code == ErrorCode.CHANNEL_TAKEN
    with pytest.raises(ProcedureError) as info:
        services.channel_option_create(
            actor=units.admin_a, version=version, channel="fax", time_limit_value=3
        )
    assert info.value.error_code == ErrorCode.UNKNOWN_CHANNEL
    with pytest.raises(ProcedureError) as info:
        services.channel_option_create(
            actor=units.admin_a,
            version=version,
            channel=Channel.DIRECT,
            time_limit_value=3,
            time_limit_unit="Khác",
        )
    assert info.value.error_code == ErrorCode.UNKNOWN_TIME_UNIT
    assert "Đơn vị thời hạn “Khác” không được hỗ trợ" in info.value.text
    with pytest.raises(ProcedureError) as info:
        services.channel_option_create(
            actor=units.admin_a, version=version, channel=Channel.DIRECT, time_limit_value=0
        )
    assert info.value.error_code == ErrorCode.TIME_LIMIT_INVALID
    assert info.value.field == "time_limit_value"
    fee = services.fee_create(
        actor=units.admin_a, channel_option=option, amount=8000, unit="đồng/bản"
    )
    services.fee_update(actor=units.admin_a, fee=fee, amount=None, description="Miễn")
    fee.refresh_from_db()
    assert fee.amount is None
    services.channel_option_update(
        actor=units.admin_a,
        channel_option=option,
        time_limit_unit=TimeUnit.HOURS,
        time_limit_value=8,
    )
    services.channel_option_delete(actor=units.admin_a, channel_option=option)
    assert not version.channel_options.exists()


def test_a_case_from_another_version_is_refused(units):
    version = create(units.admin_a, units.agency_a)
    other = create(units.admin_a, units.agency_a, code="1.000002")
    with pytest.raises(ProcedureError) as info:
        services.channel_option_create(
            actor=units.admin_a,
            version=version,
            case=other.cases.get(),
            channel=Channel.DIRECT,
            time_limit_value=1,
        )
    assert info.value.error_code == ErrorCode.CASE_NOT_IN_VERSION


def test_process_step_department_must_belong_to_the_agency(units):
    version = full_version(actor=units.admin_a, responsible_agency=units.agency_a)
    template = version.process_templates.get()
    with pytest.raises(ProcedureError) as info:
        services.process_step_create(
            actor=units.admin_a,
            template=template,
            name="Thẩm định",
            hours=1,
            agency=units.agency_b,
            department=units.department_a,
        )
    assert info.value.error_code == ErrorCode.DEPARTMENT_NOT_IN_AGENCY
    with pytest.raises(ProcedureError) as info:
        services.process_template_create(actor=units.admin_a, version=version)
    assert info.value.error_code == ErrorCode.PROCESS_EXISTS
    with pytest.raises(ProcedureError) as info:
        services.process_step_create(
            actor=units.admin_a, template=template, name="Song song", hours=1, parallel_group=0
        )
    assert info.value.error_code == ErrorCode.PARALLEL_GROUP_INVALID


def test_process_step_update_with_only_a_department_takes_its_agency(units):
    version = full_version(actor=units.admin_a, responsible_agency=units.agency_a)
    step = version.process_templates.get().steps.first()
    services.process_step_update(actor=units.admin_a, step=step, agency=None, department=None)
    updated = services.process_step_update(
        actor=units.admin_a, step=step, department=units.department_a
    )
    assert updated.department == units.department_a
    assert updated.agency == units.department_a.agency


def test_blank_form_upload_goes_through_attachments(units):
    version = create(units.admin_a, units.agency_a)
    case = version.cases.get()
    upload = SimpleUploadedFile("to-khai.pdf", PDF, content_type="application/pdf")
    doc = services.document_create(
        actor=units.admin_a, case=case, name="Tờ khai", form_name="Mẫu tờ khai", form_file=upload
    )
    attachment = doc.form_template
    assert attachment.owner_type == "procedures.requireddocument"
    assert attachment.owner_id == str(doc.pk)
    assert attachment.original_name == "to-khai.pdf"
    services.document_delete(actor=units.admin_a, document=doc)
    assert Attachment.objects.get(pk=attachment.pk).is_deleted


def test_sectors_are_for_system_admins(units):
    with pytest.raises(ProcedurePermissionDenied):
        services.sector_create(actor=units.admin_a, code="DD", name="Đất đai")
    sector = services.sector_create(actor=units.sysadmin, code="DD", name="Đất đai")
    with pytest.raises(ProcedureError) as info:
        services.sector_create(actor=None, code="DD", name="Trùng")
    assert info.value.error_code == ErrorCode.SECTOR_CODE_TAKEN
    services.sector_update(actor=units.sysadmin, sector=sector, is_active=False)
    sector.refresh_from_db()
    assert not sector.is_active


def test_blank_forms_of_published_versions_are_readable_by_staff(units):
    from egov.core.attachments.permissions import can_read_attachment

    version = create(units.admin_a, units.agency_a)
    upload = SimpleUploadedFile("to-khai.pdf", PDF, content_type="application/pdf")
    doc = services.document_create(
        actor=units.admin_a, case=version.cases.get(), name="Tờ khai", form_file=upload
    )
    attachment = doc.form_template
    assert can_read_attachment(units.admin_a, attachment)
    assert not can_read_attachment(units.admin_b, attachment)  # a draft of another unit
    services.channel_option_create(
        actor=units.admin_a, version=version, channel=Channel.DIRECT, time_limit_value=1
    )
    from django.utils import timezone

    services.procedure_version_publish(
        actor=units.admin_a,
        version=version,
        decision_number="1/QĐ",
        decision_date=timezone.localdate(),
        effective_date=timezone.localdate(),
    )
    assert can_read_attachment(units.admin_b, attachment)
