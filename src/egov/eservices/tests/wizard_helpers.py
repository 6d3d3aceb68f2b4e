"""Shared set-up of the wizard tests: an office with two commune desks, an online procedure
with an electronic form and a fee, a citizen with a complete profile, small valid files."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from egov.dossiers.tests.factories import Office
from egov.eservices.models import DossierDraft
from egov.eservices.wizard import services
from egov.organizations.constants import Role
from egov.procedures import services as catalogue
from egov.procedures.constants import Channel
from egov.procedures.models import ProcedureVersion
from egov.procedures.tests.factories import SectorFactory

FORM_SCHEMA: dict[str, Any] = {
    "title": "Tờ khai đăng ký hộ kinh doanh",
    "fields": [
        {
            "name": "ten_ho",
            "type": "text",
            "label": "Tên hộ kinh doanh",
            "required": True,
            "min_length": 5,
            "max_length": 100,
            "pattern": r"^Hộ kinh doanh .+$",
            "pattern_message": "Tên phải bắt đầu bằng “Hộ kinh doanh”.",
        },
        {"name": "dia_chi", "type": "textarea", "label": "Địa chỉ", "required": True},
        {
            "name": "von",
            "type": "number",
            "label": "Vốn kinh doanh",
            "required": True,
            "integer": True,
            "min": 1000000,
            "max": 1000000000,
            "unit": "đồng",
        },
        {"name": "ngay_bat_dau", "type": "date", "label": "Ngày bắt đầu", "min": "2020-01-01"},
        {
            "name": "nganh",
            "type": "select",
            "label": "Ngành nghề",
            "required": True,
            "choices": [
                {"value": "an_uong", "label": "Dịch vụ ăn uống"},
                {"value": "ban_le", "label": "Bán lẻ"},
            ],
        },
        {"name": "email_ho", "type": "email", "label": "Thư điện tử của hộ"},
        {"name": "dien_thoai_ho", "type": "phone", "label": "Điện thoại của hộ"},
        {"name": "cam_ket", "type": "checkbox", "label": "Tôi cam kết", "required": True},
    ],
}

VALID_FORM = {
    "ten_ho": "Hộ kinh doanh Minh An",
    "dia_chi": "Thôn 1, xã An Phú",
    "von": "150000000",
    "ngay_bat_dau": "2026-12-01",
    "nganh": "an_uong",
    "email_ho": "",
    "dien_thoai_ho": "0905123456",
    "cam_ket": "on",
}

VALID_APPLICANT = {
    "full_name": "Nguyễn Văn An",
    "id_number": "049090001234",
    "birth_date": "1990-05-03",
    "phone": "0905123456",
    "email": "an@example.vn",
    "address": "Thôn 1, xã An Phú",
    "return_method": "desk",
    "notify_sms": "on",
    "notify_email": "on",
}


def online_procedure(*, code: str = "1.001612", fee: int = 150000) -> ProcedureVersion:
    """A commune procedure offered fully online, with a form, two documents (one required,
    one conditional) and a fee in the online channel."""
    version = catalogue.procedure_create(
        actor=None,
        code=code,
        name="Đăng ký thành lập hộ kinh doanh",
        sector=SectorFactory(
            code=f"KD{code[-3:]}", name="Thành lập và hoạt động của hộ kinh doanh"
        ),
        levels=["commune"],
        online_level="full",
        form_schema=FORM_SCHEMA,
    )
    case = version.cases.get()
    catalogue.document_create(
        actor=None, case=case, name="Giấy đề nghị đăng ký hộ kinh doanh", originals=1, copies=0
    )
    catalogue.document_create(
        actor=None, case=case, name="Bản sao hợp đồng thuê nhà", originals=0, copies=1
    )
    catalogue.document_create(
        actor=None,
        case=case,
        name="Văn bản ủy quyền (trường hợp ủy quyền)",
        originals=1,
        copies=0,
    )
    catalogue.channel_option_create(
        actor=None, version=version, channel=Channel.DIRECT, time_limit_value=3
    )
    online = catalogue.channel_option_create(
        actor=None, version=version, channel=Channel.ONLINE, time_limit_value=3
    )
    if fee:
        catalogue.fee_create(
            actor=None, channel_option=online, amount=fee, description="Lệ phí đăng ký"
        )
    template = catalogue.process_template_create(actor=None, version=version, name="Quy trình")
    for name, role, hours in (
        ("Tiếp nhận", Role.DESK_CLERK, 2),
        ("Thẩm định", Role.SPECIALIST, 12),
        ("Ký duyệt", Role.LEADER, 8),
        ("Trả kết quả", Role.DESK_CLERK, 2),
    ):
        catalogue.process_step_create(
            actor=None, template=template, name=name, role=role, hours=Decimal(hours)
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


def citizen_profile(office: Office) -> Any:
    user = office.citizen
    user.phone = "0905123456"
    user.personal_id = "049090001234"
    user.date_of_birth = dt.date(1990, 5, 3)
    user.save()
    return user


def pdf_file(name: str = "don-de-nghi.pdf") -> SimpleUploadedFile:
    body = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def png_file(name: str = "hop-dong.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def exe_file(name: str = "virus.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"MZ\x90\x00" + b"\x00" * 200, content_type="application/pdf")


def ready_draft(office: Office, version: ProcedureVersion, user: Any = None) -> DossierDraft:
    """A draft with every step filled in and both required documents uploaded."""
    user = user or office.citizen
    draft = services.draft_create(
        actor=user,
        procedure_code=version.procedure.code,
        receiving_agency_id=office.desk_a.pk,
    )
    draft = services.draft_save_applicant(
        actor=user, draft_uuid=draft.uuid, lock_version=draft.lock_version, data=VALID_APPLICANT
    )
    draft = services.draft_save_form(
        actor=user, draft_uuid=draft.uuid, lock_version=draft.lock_version, data=VALID_FORM
    )
    first, second = list(version.cases.get().documents.order_by("order", "pk"))[:2]
    draft, refusals = services.draft_upload(
        actor=user,
        draft_uuid=draft.uuid,
        uploads=[(str(first.pk), pdf_file()), (str(second.pk), png_file())],
    )
    assert refusals == []
    return draft
