"""Helpers of the intake console and public lookup tests: files, the form's POST data."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
#: A Windows program: refused by content whatever its name says.
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 240


def pdf(name: str = "don.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def exe(name: str = "ban-ve.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, EXE, content_type="application/pdf")


def url(name: str, *args: Any, **kwargs: Any) -> str:
    return reverse(f"egov_dossiers:{name}", args=args or None, kwargs=kwargs or None)


def form_url(version: Any, case: Any = None) -> str:
    case = case or version.cases.get()
    return f"{url('intake_form', procedure_code=version.procedure.code)}?case={case.pk}"


def documents(version: Any) -> list[Any]:
    return list(version.cases.get().documents.order_by("order", "pk"))


def intake_post(version: Any, outcome: str = "accept", **overrides: Any) -> dict[str, Any]:
    """A complete desk intake: every document received, fee taken, result at the desk."""
    case = version.cases.get()
    data: dict[str, Any] = {
        "case": str(case.pk),
        "channel": "direct",
        "applicant_kind": "citizen",
        "applicant_name": "Nguyễn Văn An",
        "applicant_id_number": "049090001234",
        "applicant_birth_date": "05/09/1990",
        "applicant_phone": "0905 123 456",
        "applicant_email": "an@example.vn",
        "applicant_address": "Thôn 1, xã An Phú",
        "applicant_unit": "",
        "submitter_name": "",
        "submitter_id_number": "",
        "submitter_phone": "",
        "subject": "Xin cấp giấy phép xây dựng nhà ở",
        "sets": "1",
        "fee_paid": "on",
        "return_method": "desk",
        "return_address": "",
        "note": "",
        "reason": "",
        "items": "",
        "outcome": outcome,
    }
    for document in documents(version):
        prefix = f"doc{document.pk}"
        data[f"{prefix}-received"] = "on"
        data[f"{prefix}-originals"] = str(document.originals)
        data[f"{prefix}-copies"] = str(document.copies)
    data["other-name"] = ""
    data["other-originals"] = ""
    data["other-copies"] = ""
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
