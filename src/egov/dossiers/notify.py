"""Dossier events → notifications: the citizen's SMS and e-mail, the staff's bell.

``services._record`` calls ``announce(event)`` inside the transaction of the action.  The
action is mapped to the events declared in ``messages`` (``CITIZEN_EVENTS``,
``STAFF_EVENTS``) and each is handed to ``notifications.facade.notify`` right there: the
message rows commit with the dossier (a rolled-back action sends nothing) and delivery
runs after commit.  The dedupe key names the timeline line (``dossier-event:<id>``, with
the event key after it when one action announces two events), so announcing the same
line twice sends once.

* Citizens get only what concerns a dossier they handed in: never about a liên thông
  sub-dossier (they follow the master's code) nor about internal steps.  They get it on
  the channels they chose (``Dossier.notify_sms``, ``notify_email``) where the dossier has
  the address; the link is the public lookup page.
* Staff get the bell (in-app) when a dossier comes to them (forward, reassign, liên thông,
  back to the desk with its result), when it is sent back to them, and when their agency
  is asked for an opinion (its leaders and heads of department).  Nobody is told about
  their own action; the link is the dossier's page in the console.

A notification can never undo or break an action: everything here runs in a savepoint and
any error is logged and swallowed (the action is committed without its message).  An
event key that is not declared would be such an error; ``tests/test_notifications.py``
checks that every mapped action points to a declared event.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Mapping
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from egov.dossiers import messages
from egov.dossiers.constants import Action, ReturnMethod, TaskState
from egov.dossiers.models import Dossier, DossierEvent, DossierOpinion, DossierTask
from egov.notifications.facade import Channel, Recipient, Related, notify
from egov.organizations.facade import Position, Role

logger = logging.getLogger("egov.dossiers.notify")

#: What the citizen is told, by action (only for dossiers without a parent).
CITIZEN_EVENTS: dict[str, str] = {
    Action.RECEIVE: messages.RECEIVED,
    Action.ACCEPT: messages.RECEIVED,
    Action.REQUEST_SUPPLEMENT: messages.SUPPLEMENT_REQUESTED,
    Action.REFUSE: messages.REFUSED,
    Action.REQUEST_PAYMENT: messages.PAYMENT_REQUESTED,
    Action.RESCHEDULE: messages.RESCHEDULED,
    Action.RESOLVE: messages.RESULT_READY,
    Action.STOP: messages.STOPPED,
    Action.RETURN_RESULT: messages.RETURNED,
}
#: What staff are told, by action (in-app only).
STAFF_EVENTS: dict[str, str] = {
    Action.FORWARD: messages.ASSIGNED,
    Action.REASSIGN: messages.ASSIGNED,
    Action.TRANSFER: messages.ASSIGNED,
    Action.RESOLVE: messages.ASSIGNED,
    Action.SEND_BACK: messages.SENT_BACK,
    Action.REQUEST_OPINIONS: messages.OPINION_REQUESTED,
}
#: The citizen's SMS carries at most this much of a reason (the e-mail carries all of it).
REASON_SHORT = 80
#: Who of an asked agency hears of a request for its opinion (all its staff if none).
OPINION_ROLES = (Role.LEADER, Role.DEPARTMENT_HEAD)
#: At most this many people of one agency are told of a request for its opinion.
OPINION_RECIPIENTS_MAX = 20


def event_keys(action: str) -> list[str]:
    """The notification events an action announces (citizen first), possibly none."""
    return [key for key in (CITIZEN_EVENTS.get(action), STAFF_EVENTS.get(action)) if key]


def announce(event: DossierEvent) -> None:
    """Queue what ``event`` announces, in the caller's transaction; never raises."""
    dossier = event.dossier
    transaction.on_commit(
        partial(
            logger.info,
            "dossier %s: %s → %s (event %s)",
            dossier.code,
            event.action,
            event.to_status or dossier.status,
            event.pk,
        )
    )
    keys = event_keys(event.action)
    for key in keys:
        dedupe_key = f"dossier-event:{event.pk}" + (f":{key}" if len(keys) > 1 else "")
        try:
            with transaction.atomic():
                _announce_one(key, event, dedupe_key)
        except Exception:  # a notification must never undo or break the action
            logger.exception(
                "dossier %s: could not queue %s for event %s", dossier.code, key, event.pk
            )


def _announce_one(key: str, event: DossierEvent, dedupe_key: str) -> None:
    if key in CITIZEN_EVENTS.values():
        _to_citizen(key, event, dedupe_key)
    elif key == messages.OPINION_REQUESTED:
        _to_opinion_agencies(event, dedupe_key)
    else:
        _to_staff(key, event, dedupe_key)


# --- citizens ---------------------------------------------------------------------------------


def citizen_recipient(dossier: Dossier) -> Recipient | None:
    """The applicant on the channels they chose, or ``None`` when nothing can reach them."""
    chosen = frozenset(
        channel
        for channel, wanted, address in (
            (Channel.SMS, dossier.notify_sms, dossier.applicant_phone),
            (Channel.EMAIL, dossier.notify_email, dossier.applicant_email),
        )
        if wanted and address
    )
    if not chosen:
        return None
    return Recipient(
        name=dossier.applicant_name,
        phone=dossier.applicant_phone,
        email=dossier.applicant_email,
        channels=chosen,
    )


def lookup_link(code: str) -> str:
    """The public lookup page of the dossier (the same address as the receipt's QR code)."""
    from egov.dossiers.printing.context import lookup_url

    return lookup_url(code)


def console_link(code: str) -> str:
    """The dossier's page in the staff console (absolute)."""
    path = reverse("egov_dossiers:detail", kwargs={"code": code})
    return f"{settings.EGOV_BASE_URL.rstrip('/')}{path}"


def _to_citizen(key: str, event: DossierEvent, dedupe_key: str) -> None:
    dossier = event.dossier
    if dossier.parent_id is not None:
        return  # a liên thông share: the citizen follows the master dossier
    recipient = citizen_recipient(dossier)
    if recipient is None:
        return
    notify(
        key,
        [recipient],
        citizen_context(key, event),
        dedupe_key=dedupe_key,
        related=Related("dossier", dossier.code),
        link=lookup_link(dossier.code),
    )


def _shorten(text: str, limit: int = REASON_SHORT) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip(" ,;.:") + "…"


def _amount(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return f"{value:,}".replace(",", ".") + " " + _("đồng")
    return _("thuế, phí, lệ phí theo thông báo")


def _agency_name(agency: Any) -> str:
    return str(getattr(agency, "short_name", "") or agency.name)


def citizen_context(key: str, event: DossierEvent) -> dict[str, Any]:
    """The placeholders of a citizen event, from the dossier and its timeline line."""
    dossier = event.dossier
    data: Mapping[str, Any] = event.data or {}
    reason = event.note or ""
    items = data.get("items")
    if isinstance(items, str) and items.strip():
        reason = f"{reason}: {items.strip()}" if reason else items.strip()
    context: dict[str, Any] = {
        "code": dossier.code,
        "procedure": dossier.procedure_name,
        "applicant": dossier.applicant_name,
        "agency": _agency_name(dossier.receiving_agency),
        "due_date": dossier.current_due_at or "",
        "reason": reason,
        "reason_short": _shorten(reason),
        "return_method": str(ReturnMethod(dossier.return_method).label)
        if dossier.return_method in ReturnMethod.values
        else dossier.return_method,
    }
    if key == messages.RESCHEDULED:
        context["due_date"] = dossier.due_before_reappointment or ""
        context["new_due_date"] = dossier.current_due_at or ""
    if key == messages.PAYMENT_REQUESTED:
        context["amount"] = _amount(data.get("amount"))
    return context


# --- staff ------------------------------------------------------------------------------------


def _staff_context(event: DossierEvent) -> dict[str, Any]:
    dossier = event.dossier
    return {
        "code": dossier.code,
        "procedure": dossier.procedure_name,
        "applicant": dossier.applicant_name,
        "agency": _agency_name(dossier.competent_agency),
        "sender": event.actor_name,
        "note": event.note or "",
    }


def _person(user: Any) -> Recipient:
    name = (user.get_full_name() or user.get_username()).strip()
    return Recipient(name=name, user_id=user.pk)


def _target_ids(event: DossierEvent) -> list[int]:
    """Who a staff event is for: the new holders of the dossier's steps."""
    ids: list[int] = []
    if event.action == Action.TRANSFER and event.dossier.parent_id is None:
        return ids  # the master's line; the sub-dossier's own line tells its handler
    if event.action == Action.FORWARD:
        raw = (event.data or {}).get("to_handlers") or []
        ids = [int(pk) for pk in raw if isinstance(pk, int) and not isinstance(pk, bool)]
    if event.to_user_id is not None and event.to_user_id not in ids:
        ids.append(event.to_user_id)
    return [pk for pk in ids if pk != event.actor_id]


def _to_staff(key: str, event: DossierEvent, dedupe_key: str) -> None:
    ids = _target_ids(event)
    if not ids:
        return
    dossier = event.dossier
    steps: dict[int, tuple[str, dt.datetime | None]] = {}
    for task in DossierTask.objects.filter(
        dossier=dossier, state=TaskState.ACTIVE, handler_id__in=ids
    ).order_by("order"):
        assert task.handler_id is not None
        steps.setdefault(task.handler_id, (task.name, task.due_at))
    users = get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("pk")
    base = _staff_context(event)
    link = console_link(dossier.code)
    for user in users:
        step, due = steps.get(user.pk, (dossier.current_step_name, dossier.step_due_at))
        notify(
            key,
            [_person(user)],
            {**base, "step": step, "step_due": due or ""},
            dedupe_key=dedupe_key,
            related=Related("dossier", dossier.code),
            link=link,
        )


def _to_opinion_agencies(event: DossierEvent, dedupe_key: str) -> None:
    """Tell the leaders (or, without any, the staff) of each asked agency."""
    dossier = event.dossier
    opinions = list(
        DossierOpinion.objects.filter(dossier=dossier, requested_at=event.at)
        .select_related("agency")
        .order_by("id")
    )
    if not opinions:
        return
    positions = Position.objects.filter(
        agency_id__in=[o.agency_id for o in opinions], is_active=True, user__is_active=True
    )
    if event.actor_id is not None:
        positions = positions.exclude(user_id=event.actor_id)
    positions = positions.select_related("user").order_by("agency_id", "user_id")
    by_agency: dict[int, list[Position]] = {}
    for position in positions:
        by_agency.setdefault(position.agency_id, []).append(position)
    base = _staff_context(event)
    link = console_link(dossier.code)
    for opinion in opinions:
        staff = by_agency.get(opinion.agency_id, [])
        chosen = [p for p in staff if p.role in OPINION_ROLES] or staff
        users = _unique_users(p.user for p in chosen)[:OPINION_RECIPIENTS_MAX]
        if not users:
            continue
        notify(
            messages.OPINION_REQUESTED,
            [_person(u) for u in users],
            {
                **base,
                "asked_agency": opinion.agency.name,
                "question": opinion.question,
                "reply_due": opinion.due_at,
            },
            dedupe_key=dedupe_key,
            related=Related("dossier", dossier.code),
            link=link,
        )


def _unique_users(users: Iterable[Any]) -> list[Any]:
    seen: dict[int, Any] = {}
    for user in users:
        seen.setdefault(user.pk, user)
    return list(seen.values())
