"""What each form prints: the template context, built from a dossier (no writes).

Everything is turned into display strings here (dates ``dd/mm/yyyy``, times ``HH:MM``,
Asia/Ho_Chi_Minh, money ``150.000 đồng``), so the templates stay plain.  An empty
optional field prints as a dotted line the officer may fill in by hand, never as an error.
Field content follows onestop.md §2.5 "Field content".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from egov.core.phone import format_phone_national
from egov.dossiers.constants import (
    Action,
    ApplicantKind,
    PauseKind,
    ReturnMethod,
    Status,
    Timing,
)

#: Printed where a value is missing, to be filled in by hand.
DOTS = "…………………"

#: Prefixes dropped from a unit's name in "<place>, ngày … tháng … năm …".
_PLACE_PREFIXES = (
    "Thành phố ",
    "Thị trấn ",
    "Thị xã ",
    "Đặc khu ",
    "Phường ",
    "Huyện ",
    "Quận ",
    "Tỉnh ",
    "Xã ",
)

#: Events that hand the dossier over (one row each on the control slip).
HANDOVER_ACTIONS = (
    Action.RECEIVE,
    Action.ACCEPT,
    Action.FORWARD,
    Action.SEND_BACK,
    Action.REASSIGN,
    Action.TRANSFER,
    Action.RESOLVE,
    Action.RETURN_RESULT,
)


# --- formatting ------------------------------------------------------------------------------


def local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def fmt_date(value: dt.datetime | dt.date | None) -> str:
    """``27/11/2026`` (local date), or ``""``."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = local(value).date()
    return f"{value:%d/%m/%Y}"


def fmt_moment(value: dt.datetime | None) -> str:
    """``14:30 ngày 27/11/2026`` (local time), or ``""``."""
    if value is None:
        return ""
    moment = local(value)
    return f"{moment:%H:%M} ngày {moment:%d/%m/%Y}"


def fmt_long_date(value: dt.datetime | dt.date) -> str:
    """``ngày 05 tháng 01 năm 2026`` (the place-and-date line)."""
    if isinstance(value, dt.datetime):
        value = local(value).date()
    return f"ngày {value:%d} tháng {value:%m} năm {value:%Y}"


def fmt_money(amount: int | None) -> str:
    """``150.000 đồng``."""
    return f"{amount or 0:,} đồng".replace(",", ".")


def or_dots(value: Any) -> str:
    text = str(value).strip() if value is not None else ""
    return text or DOTS


def lines(text: str) -> list[str]:
    """The non-empty lines of a free-text list, without their bullet marks."""
    result = []
    for line in (text or "").splitlines():
        cleaned = line.strip().lstrip("-•*+").strip()
        if cleaned:
            result.append(cleaned)
    return result


def phone(value: str) -> str:
    """``+84905123456`` → ``0905 123 456``."""
    return format_phone_national(value) if value else ""


def person_name(user: Any) -> str:
    if user is None:
        return ""
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return str(full or getattr(user, "username", "") or "")


def place_name(agency: Any) -> str:
    """``An Phú`` for an agency of "Xã An Phú" (the place in the date line)."""
    unit = getattr(agency, "unit", None)
    name = str(getattr(unit, "name", "") or "").strip()
    for prefix in _PLACE_PREFIXES:
        if name.startswith(prefix) and len(name) > len(prefix):
            return name[len(prefix) :]
    return name


def issuer(agency: Any) -> dict[str, str]:
    """The issuing agency at the top left: its parent (if any) above its own name."""
    parent = getattr(agency, "parent", None)
    return {
        "parent": str(parent.name).upper() if parent is not None else "",
        "name": str(agency.name).upper(),
        "place": place_name(agency),
    }


def lookup_url(code: str) -> str:
    """The public lookup address of the dossier (the receipt's QR code)."""
    base = settings.EGOV_DOSSIER_LOOKUP_URL or f"{settings.EGOV_BASE_URL}/tra-cuu-ho-so/"
    separator = "&" if "?" in base else "?"
    return f"{base}{separator}{urlencode({'ma': code})}"


def qr_svg(url: str) -> SafeString:
    """An inline SVG QR code of ``url`` (no file, no network)."""
    code = segno.make(url, error="m", micro=False)
    # segno writes the SVG itself from the URL bytes: nothing user-written is interpreted.
    return mark_safe(code.svg_inline(scale=2, border=2))  # noqa: S308  # nosec B308, B703  # SVG written by segno


# --- the parts every form shares -------------------------------------------------------------


def applicant(dossier: Any) -> dict[str, str]:
    organisation = dossier.applicant_kind != ApplicantKind.CITIZEN
    return {
        "name": dossier.applicant_name,
        "kind": str(dossier.get_applicant_kind_display()),
        "id_label": "Mã số thuế/mã số doanh nghiệp" if organisation else "Số định danh cá nhân",
        "id_number": or_dots(dossier.applicant_id_number),
        "birth_date": fmt_date(dossier.applicant_birth_date),
        "address": or_dots(dossier.applicant_address),
        "phone": or_dots(phone(dossier.applicant_phone)),
        "email": or_dots(dossier.applicant_email),
        "submitter": dossier.submitter_name,
        "submitter_id": dossier.submitter_id_number,
        "submitter_phone": phone(dossier.submitter_phone),
        "salutation": "Tổ chức" if organisation else "Ông/Bà",
    }


def subject(dossier: Any) -> str:
    return str(dossier.subject or dossier.procedure_name)


def time_limit(dossier: Any) -> str:
    """The legal time limit, e.g. ``5 ngày làm việc`` (from the rules stored at intake)."""
    stored = _stored_limit(dossier.deadline_rules)
    if stored:
        return stored
    option = dossier.case.channel_option(dossier.channel)
    return str(option.time_limit_display) if option is not None else DOTS


_UNIT_LABELS = {
    "working_days": "ngày làm việc",
    "calendar_days": "ngày",
    "hours": "giờ làm việc",
    "months": "tháng",
}


def _stored_limit(rules: Any) -> str:
    if not isinstance(rules, dict):
        return ""
    limit = rules.get("limit")
    if isinstance(limit, dict):
        value, unit = limit.get("value"), limit.get("unit")
    else:
        value, unit = rules.get("limit_value"), rules.get("limit_unit")
    if value in (None, "") or unit not in _UNIT_LABELS:
        return ""
    return f"{value} {_UNIT_LABELS[str(unit)]}"


def components(dossier: Any, *, at_intake: bool = False) -> list[dict[str, Any]]:
    """The papers received (``at_intake``: without those handed in later as a supplement)."""
    rows = []
    for component in dossier.components.all():
        if not component.received or (at_intake and component.from_supplement):
            continue
        rows.append(
            {
                "name": component.name,
                "originals": component.originals,
                "copies": component.copies,
                "supplement": component.from_supplement,
            }
        )
    return rows


def fees(dossier: Any) -> dict[str, Any]:
    rows = [
        {
            "name": fee.name,
            "amount": fmt_money(fee.amount),
            "paid": fee.paid,
            "receipt_number": fee.receipt_number,
        }
        for fee in dossier.fees.all()
    ]
    total = dossier.fee_total or sum(fee.amount for fee in dossier.fees.all())
    paid_amount = sum(fee.amount for fee in dossier.fees.all() if fee.paid)
    if not rows and dossier.fee_paid:
        paid_amount = total
    if total == 0:
        status = "Không thu phí, lệ phí."
    elif dossier.fee_paid or (rows and all(row["paid"] for row in rows)):
        status = f"Đã nộp {fmt_money(total)}."
    else:
        status = f"Chưa nộp ({fmt_money(total)})."
    return {
        "rows": rows,
        "total": fmt_money(total),
        "charged": total > 0,
        "paid_amount": paid_amount,
        "paid_text": fmt_money(paid_amount),
        "status": status,
    }


def return_place(dossier: Any) -> str:
    if dossier.return_method == ReturnMethod.POSTAL:
        address = or_dots(dossier.return_address or dossier.applicant_address)
        return f"qua dịch vụ bưu chính công ích, địa chỉ: {address}"
    if dossier.return_method == ReturnMethod.DESK:
        return f"trực tiếp tại {dossier.receiving_agency.name}"
    return str(ReturnMethod(dossier.return_method).label)


def events(dossier: Any) -> list[Any]:
    return list(dossier.events.all())


def last_event(history: Iterable[Any], *actions: str, to_status: str = "") -> Any:
    found = None
    for event in history:
        if event.action in actions and (not to_status or event.to_status == to_status):
            found = event
    return found


def signer(event: Any, fallback_user: Any) -> dict[str, str]:
    if event is not None and event.actor_name:
        return {"name": event.actor_name, "title": event.actor_title}
    return {"name": person_name(fallback_user), "title": ""}


def issue_line(agency: Any, when: dt.datetime | dt.date | None) -> str:
    """``An Phú, ngày 27 tháng 11 năm 2026`` (today when ``when`` is unknown)."""
    place = place_name(agency) or "……"
    return f"{place}, {fmt_long_date(when or timezone.now())}"


# --- one builder per form ----------------------------------------------------------------------


def receipt(dossier: Any, actor: Any) -> dict[str, Any]:
    url = lookup_url(dossier.code)
    return {
        "issuer": issuer(dossier.receiving_agency),
        "issue_line": issue_line(dossier.receiving_agency, dossier.received_at),
        "receiving_agency": dossier.receiving_agency.name,
        "competent_agency": dossier.competent_agency.name,
        "components": components(dossier, at_intake=True),
        "sets": dossier.sets,
        "time_limit": time_limit(dossier),
        "received": fmt_moment(dossier.received_at),
        "appointment": or_dots(fmt_moment(dossier.current_due_at)),
        "return_place": return_place(dossier),
        "fees": fees(dossier),
        "register_volume": or_dots(dossier.register_volume),
        "register_number": DOTS,
        "officer": person_name(dossier.received_by) or person_name(actor),
        "lookup_url": url,
        "qr": qr_svg(url),
        "channel": str(dossier.get_channel_display()),
    }


def supplement(dossier: Any, actor: Any) -> dict[str, Any]:
    """The latest request to complete: a pause while processing, or one at intake.

    At intake (no pause) the services write the reason and the items on the event (also
    in ``refusal_reason`` and ``result_note`` while the dossier is ``intake_incomplete``).
    """
    event = last_event(events(dossier), Action.REQUEST_SUPPLEMENT)
    pauses = [p for p in dossier.pauses.all() if p.kind == PauseKind.SUPPLEMENT]
    pause = max(pauses, key=lambda p: (p.started_at, p.pk)) if pauses else None
    if pause is not None and event is not None and pause.started_at < event.at:
        pause = None  # asked again at intake after an earlier pause: unlikely, but newer
    if pause is not None:
        reason, items, when = pause.reason, pause.items, pause.started_at
        officer = person_name(pause.requested_by)
    else:
        data = event.data if event is not None and isinstance(event.data, dict) else {}
        reason = (event.note if event is not None else "") or dossier.refusal_reason
        items = str(data.get("items") or dossier.result_note or "")
        when = event.at if event is not None else dossier.submitted_at
        officer = ""
    return {
        "issuer": issuer(dossier.receiving_agency),
        "issue_line": issue_line(dossier.receiving_agency, when),
        "receiving_agency": dossier.receiving_agency.name,
        "items": lines(items),
        "reason": or_dots(reason),
        "requested": fmt_moment(when),
        "during_processing": pause is not None,
        "received": fmt_moment(dossier.received_at),
        "contact": _contact(dossier.receiving_agency),
        "officer": officer or signer(event, actor)["name"],
    }


def refusal(dossier: Any, actor: Any) -> dict[str, Any]:
    history = events(dossier)
    event = last_event(history, Action.REFUSE, Action.RECEIVE, to_status=Status.REFUSED)
    when = dossier.closed_at or (event.at if event is not None else None)
    return {
        "issuer": issuer(dossier.receiving_agency),
        "issue_line": issue_line(dossier.receiving_agency, when),
        "receiving_agency": dossier.receiving_agency.name,
        "submitted": fmt_moment(dossier.submitted_at or when),
        "reason": or_dots(dossier.refusal_reason or (event.note if event is not None else "")),
        "contact": _contact(dossier.receiving_agency),
        "officer": signer(event, actor)["name"],
    }


def apology(dossier: Any, actor: Any) -> dict[str, Any]:
    event = last_event(events(dossier), Action.RESCHEDULE)
    return {
        "issuer": issuer(dossier.competent_agency),
        "issue_line": issue_line(dossier.competent_agency, dossier.reappointed_at),
        "receiving_agency": dossier.receiving_agency.name,
        "competent_agency": dossier.competent_agency.name,
        "received": fmt_moment(dossier.received_at),
        "original_due": or_dots(fmt_moment(dossier.due_before_reappointment or dossier.due_at)),
        "reason": or_dots(dossier.reappointment_reason),
        "new_due": or_dots(fmt_moment(dossier.current_due_at)),
        "signer": signer(event, actor),
    }


def stop(dossier: Any, actor: Any) -> dict[str, Any]:
    history = events(dossier)
    request = last_event(history, Action.REQUEST_WITHDRAWAL)
    event = last_event(history, Action.STOP)
    when = event.at if event is not None else dossier.closed_at
    return {
        "issuer": issuer(dossier.receiving_agency),
        "issue_line": issue_line(dossier.receiving_agency, when),
        "receiving_agency": dossier.receiving_agency.name,
        "competent_agency": dossier.competent_agency.name,
        "received": fmt_moment(dossier.received_at),
        "requested": or_dots(fmt_date(request.at) if request is not None else ""),
        "request_reason": request.note if request is not None else "",
        "stopped": or_dots(fmt_date(when)),
        "reason": event.note if event is not None else "",
        "fees": fees(dossier),
        "signer": signer(event, actor),
    }


def control(dossier: Any, actor: Any) -> dict[str, Any]:
    """The header, then one row per handover: who gave, who took, when, on time or not.

    Intake (receive/accept) is the applicant handing the dossier to the desk clerk; the
    return is the clerk handing the result to the applicant, with the dossier's own
    on-time result.  Every other row is a step's holder passing it on, with that step's
    result.
    """
    rows = []
    for event in events(dossier):
        if event.action not in HANDOVER_ACTIONS:
            continue
        step = f" ({event.step_name})" if event.step_name else ""
        timing = event.timing
        if event.action in (Action.RECEIVE, Action.ACCEPT):
            sender, sender_agency = dossier.applicant_name, str(dossier.get_channel_display())
            receiver = f"{event.actor_name}{step}"
        elif event.action == Action.RETURN_RESULT:
            sender, sender_agency = f"{event.actor_name}{step}", event.actor_agency
            receiver = dossier.applicant_name
            timing = timing or dossier.timing
        else:
            sender, sender_agency = f"{event.actor_name}{step}", event.actor_agency
            receiver = event.to_name
        rows.append(
            {
                "action": str(Action(event.action).label),
                "sender": sender,
                "sender_agency": sender_agency,
                "receiver": receiver,
                "at": fmt_moment(event.at),
                "timing": str(Timing(timing).label) if timing in Timing.values else "",
                "note": event.note,
            }
        )
    return {
        "issuer": issuer(dossier.receiving_agency),
        "issue_line": issue_line(dossier.receiving_agency, dossier.received_at),
        "receiving_agency": dossier.receiving_agency.name,
        "competent_agency": dossier.competent_agency.name,
        "received": fmt_moment(dossier.received_at),
        "time_limit": time_limit(dossier),
        "appointment": or_dots(fmt_moment(dossier.due_at)),
        "current_due": fmt_moment(dossier.current_due_at),
        "reappointed": dossier.reappointed_at is not None,
        "components": components(dossier),
        "rows": rows,
        "officer": person_name(dossier.received_by) or person_name(actor),
    }


def _contact(agency: Any) -> str:
    parts = [str(agency.name)]
    if agency.address:
        parts.append(f"địa chỉ {agency.address}")
    if agency.phone:
        parts.append(f"điện thoại {agency.phone}")
    if agency.email:
        parts.append(f"thư điện tử {agency.email}")
    return ", ".join(parts)
