"""The JSON the portal receives, built at send time from the dossier as it is then.

Field names are those of onestop.md §2.4 (one vendor's implementation of the sync; the
official contract, TT 04/2025/TT-VPCP, is not public).  Date-times are ``yyyyMMddHHmmss``
in Asia/Ho_Chi_Minh; an unknown date is "".  Codes: ``KenhThucHien`` 1/2/3,
``LoaiDoiTuong`` 1–4, ``TrangThaiHoSo`` 1–10 (``Dossier.national_status``).  File links
are absolute, signed and expire (``files.signed_url``): the portal downloads them without
an account.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Prefetch

from egov.accounts.selectors import is_vneid_verified
from egov.dossiers.facade import (
    NATIONAL_STATUS,
    Action,
    ApplicantKind,
    Channel,
    Dossier,
    DossierEvent,
    DossierPause,
    PauseKind,
    ReturnMethod,
)
from egov.dvcqg.constants import DATE_FORMAT
from egov.dvcqg.files import signed_url

VN = ZoneInfo("Asia/Ho_Chi_Minh")

CHANNEL_CODE = {Channel.DIRECT: 1, Channel.ONLINE: 2, Channel.POSTAL: 3}
APPLICANT_CODE = {
    ApplicantKind.CITIZEN: 1,
    ApplicantKind.ENTERPRISE: 2,
    ApplicantKind.AGENCY: 3,
    ApplicantKind.ORGANISATION: 4,
}
#: ``HinhThuc`` (how the result is returned): 1 at the desk, 2 by post, 3 electronically.
RETURN_CODE = {ReturnMethod.DESK: 1, ReturnMethod.POSTAL: 2, ReturnMethod.ONLINE: 3}
#: ``TrangThaiBoSung``: 1 waiting for the applicant, 2 supplement received.
SUPPLEMENT_WAITING, SUPPLEMENT_RECEIVED = 1, 2
#: ``HinhThucThu``: 1 paid at the desk, 2 paid online; ``LoaiPhiLePhi``: 1 phí, 2 lệ phí.
PAID_AT_DESK, PAID_ONLINE = 1, 2
#: ``DuocThanhToanTrucTuyen`` 2: paid on the provincial payment gateway (§2.3).
PAID_ON_LOCAL_GATEWAY = 2


def moment(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    return value.astimezone(VN).strftime(DATE_FORMAT)


def phone_national(value: str) -> str:
    """``+84905123456`` → ``0905123456`` (how the portal's forms write numbers)."""
    value = (value or "").strip()
    return "0" + value[3:] if value.startswith("+84") else value


def national_status(status: str) -> int:
    return int(NATIONAL_STATUS[status])


def dossier_for_payload(dossier_id: int) -> Dossier:
    return (
        Dossier.objects.select_related("sector", "competent_agency", "receiving_agency")
        .prefetch_related(
            "components__attachments",
            "fees",
            Prefetch(
                "pauses",
                queryset=DossierPause.objects.filter(kind=PauseKind.SUPPLEMENT).select_related(
                    "requested_by"
                ),
                to_attr="supplement_pauses",
            ),
            "results__attachments",
        )
        .get(pk=dossier_id)
    )


def _people(user: Any) -> str:
    if user is None:
        return ""
    full = f"{user.last_name} {user.first_name}".strip()
    return full or str(user.get_username())


def _components(dossier: Dossier) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for component in dossier.components.all():
        common = {
            "MaThanhPhanHoSo": str(component.document_id or ""),
            "TenThanhPhanHoSo": component.name,
            "DuocSoHoa": 1 if component.digitised else 0,
            "DuocTaiSuDung": 1 if component.reused else 0,
            "DuocLayTuKhoDMQG": 0,
            "MaKetQuaThayThe": "",
        }
        files = list(component.attachments.all())
        if not files:
            rows.append(
                {
                    "TepDinhKemId": "",
                    "TenTepDinhKem": component.name,
                    "IsDeleted": False,
                    "DuongDanTaiTepTin": "",
                    **common,
                }
            )
        for attachment in files:
            rows.append(
                {
                    "TepDinhKemId": str(attachment.uuid),
                    "TenTepDinhKem": attachment.original_name,
                    "IsDeleted": bool(attachment.is_deleted),
                    "DuongDanTaiTepTin": "" if attachment.is_deleted else signed_url(attachment),
                    **common,
                }
            )
    return rows


def _fees(dossier: Dossier, paid_online: bool) -> list[dict[str, Any]]:
    return [
        {
            "TenPhiLePhi": fee.name,
            "MaPhiLePhi": str(fee.fee_id or fee.pk),
            "HinhThucThu": PAID_ONLINE if paid_online and fee.paid else PAID_AT_DESK,
            "Gia": int(fee.amount),
            "LoaiPhiLePhi": 2 if "lệ phí" in fee.name.lower() else 1,
        }
        for fee in dossier.fees.all()
    ]


def _supplements(dossier: Dossier, events: list[DossierEvent]) -> list[dict[str, Any]]:
    received = [e for e in events if e.action == Action.SUPPLEMENT]
    rows = []
    for pause in getattr(dossier, "supplement_pauses", []):
        answer = next(
            (e for e in received if pause.ended_at is not None and e.at >= pause.started_at),
            None,
        )
        content = pause.reason if not pause.items else f"{pause.reason}\n{pause.items}"
        rows.append(
            {
                "NguoiYeuCauBoSung": _people(pause.requested_by),
                "NoiDungBoSung": content,
                "NgayBoSung": moment(pause.started_at),
                "NguoiTiepNhanBoSung": answer.actor_name if answer else "",
                "ThongTinTiepNhan": answer.note if answer else "",
                "NgayTiepNhanBoSung": moment(pause.ended_at),
                "TrangThaiBoSung": SUPPLEMENT_RECEIVED if pause.ended_at else SUPPLEMENT_WAITING,
            }
        )
    return rows


def _results(dossier: Dossier) -> list[dict[str, Any]]:
    rows = []
    for result in dossier.results.all():
        code = result.document_code or result.document_number
        files = [a for a in result.attachments.all() if not a.is_deleted]
        if not files:
            rows.append(
                {"TenGiayTo": result.name, "MaGiayToKetQua": code, "DuongDanTepTinKetQua": ""}
            )
        for attachment in files:
            rows.append(
                {
                    "TenGiayTo": result.name,
                    "MaGiayToKetQua": code,
                    "DuongDanTepTinKetQua": signed_url(attachment),
                }
            )
    return rows


def dossier_payload(
    dossier: Dossier, *, national_code: str = "", inbound: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The dossier as the portal receives it (``MaHoSo``: the national code of a dossier
    submitted there, our code otherwise)."""
    inbound = inbound or {}
    events = list(
        DossierEvent.objects.filter(
            dossier=dossier, action__in=[Action.SUPPLEMENT, Action.CONFIRM_PAYMENT]
        ).order_by("at", "id")
    )
    paid_online = any(
        e.action == Action.CONFIRM_PAYMENT and (e.data or {}).get("online") for e in events
    )
    if inbound.get("DuocThanhToanTrucTuyen"):
        paid_flag = int(inbound["DuocThanhToanTrucTuyen"])
    else:
        paid_flag = PAID_ON_LOCAL_GATEWAY if paid_online else 0
    components = _components(dossier)
    status = dossier.national_status
    refused = status == national_status("refused")
    return {
        "MaHoSo": national_code or dossier.code,
        "MaHoSoDiaPhuong": dossier.code,
        "MaTTHC": dossier.procedure_code,
        "TenTTHC": dossier.procedure_name,
        "MaLinhVuc": dossier.sector.code if dossier.sector else "",
        "TenLinhVuc": dossier.sector.name if dossier.sector else "",
        "KenhThucHien": CHANNEL_CODE.get(Channel(dossier.channel), 1),
        "ChuHoSo": dossier.applicant_name,
        "LoaiDoiTuong": APPLICANT_CODE.get(ApplicantKind(dossier.applicant_kind), 1),
        "SoGiayToChuHoSo": dossier.applicant_id_number,
        "Email": dossier.applicant_email,
        "SoDienThoai": phone_national(dossier.applicant_phone),
        "TrichYeuHoSo": dossier.subject,
        "NgayNopHoSo": moment(dossier.submitted_at),
        "NgayTiepNhan": moment(dossier.received_at),
        "NgayHenTra": moment(dossier.current_due_at),
        "TrangThaiHoSo": status,
        "NgayTuChoi": moment(dossier.closed_at) if refused else "",
        "NgayKetThucXuLy": moment(dossier.resolved_at or (None if refused else dossier.closed_at)),
        "NgayTra": moment(dossier.returned_at),
        "HinhThuc": RETURN_CODE.get(ReturnMethod(dossier.return_method), 1),
        "DonViXuLy": dossier.competent_agency.name,
        "MaDonViXuLy": dossier.competent_agency.code,
        "NoiNopHoSo": dossier.receiving_agency.name,
        "MaCoQuanTiepNhan": dossier.receiving_agency.code,
        "GhiChu": dossier.note,
        "HoSoCoThanhPhanSoHoa": 1 if any(c["DuocSoHoa"] for c in components) else 0,
        "TaiKhoanDuocXacThucVoiVNeID": 1
        if inbound.get("TaiKhoanDuocXacThucVoiVNeID") or is_vneid_verified(dossier.applicant_user)
        else 0,
        "DuocThanhToanTrucTuyen": paid_flag,
        "TaiLieuNop": components,
        "DanhSachLePhi": _fees(dossier, paid_online),
        "DanhSachHoSoBoSung": _supplements(dossier, events),
        "DanhSachGiayToKetQua": _results(dossier),
    }


def timeline_payload(events: Iterable[DossierEvent], code: str) -> list[dict[str, Any]]:
    """One line per timeline event (``MaHoSo``: the same code as the dossier's push)."""
    lines = []
    for event in events:
        label = str(Action(event.action).label) if event.action in Action.values else event.action
        content = f"{label}: {event.note}" if event.note else label
        status = event.to_status or event.from_status
        lines.append(
            {
                "MaHoSo": code,
                "NguoiXuLy": event.actor_name,
                "ChucDanh": event.actor_title,
                "ThoiDiemXuLy": moment(event.at),
                "PhongBanXuLy": event.actor_agency,
                "NoiDungXuLy": content,
                "TrangThai": national_status(status) if status else 1,
                "NgayBatDau": moment(event.at),
                "NgayKetThucTheoQuyDinh": moment(event.step_due_at),
            }
        )
    return lines
