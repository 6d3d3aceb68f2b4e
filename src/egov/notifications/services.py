"""Writes of the notifications module: queue, deliver, retry, resend, reports, choices.

``notify`` is the outbox: it writes one ``Message`` per recipient and channel in the
caller's transaction and queues delivery after commit.  ``message_deliver`` claims one
queued message with a conditional ``UPDATE`` (so two workers never send it twice), takes a
rate-limit ticket, hands it to the channel and records the outcome.  Transient failures go
back to the queue with a doubling wait until ``EGOV_NOTIFY_MAX_ATTEMPTS``; the dispatcher
(``dispatch_due``, a beat job and a command) picks up retries that are due and tasks that
were lost.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Q, TextField, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.core.audit.services import audit_record
from egov.core.tasks import enqueue_on_commit
from egov.core.tasks import retry_delay as core_retry_delay
from egov.notifications.channels import channel_get
from egov.notifications.constants import (
    FINAL_STATUSES,
    AttemptOutcome,
    Channel,
    MessageStatus,
    OptOutSource,
)
from egov.notifications.contracts import NotifyResult, Recipient, Related
from egov.notifications.errors import ErrorCode, NotFound, NotificationError, SendError
from egov.notifications.models import DeliveryAttempt, Message, OptOut, TemplateOverride
from egov.notifications.ratelimit import rate_acquire, rate_windows_prune
from egov.notifications.registry import event_get
from egov.notifications.rendering import ResolvedTemplate, render, template_errors, template_resolve

logger = logging.getLogger(__name__)

#: How long a worker owns a message it is sending before the dispatcher may take it back.
CLAIM_LEASE = dt.timedelta(minutes=5)
#: How late a queued message may be before the dispatcher queues it again (its task lost).
DISPATCH_GRACE = dt.timedelta(seconds=60)
HIDDEN_BODY = "[Nội dung có mã bảo mật, đã ẩn sau khi gửi]"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%H:%M %d/%m/%Y")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _deliver_later(message_id: int) -> None:
    from egov.notifications.tasks import deliver_task

    enqueue_on_commit(deliver_task, message_id)


# --- Queue --------------------------------------------------------------------------------
def notify(
    event: str,
    recipients: Iterable[Recipient],
    context: Mapping[str, Any],
    *,
    dedupe_key: str,
    related: Related | None = None,
    link: str = "",
) -> NotifyResult:
    """Queue ``event`` for each recipient on each of its channels; deliver after commit.

    Call it inside the transaction of the change being announced (the rows commit with
    it) or outside one.  ``dedupe_key`` names the occurrence ("dossier-event:123"): a
    second call with the same key adds nothing, so the same event never sends twice.
    """
    spec = event_get(event)
    if spec is None:
        raise NotificationError(
            ErrorCode.UNKNOWN_EVENT,
            _("Sự kiện thông báo “%(e)s” chưa được khai báo.") % {"e": event},
        )
    values = {key: _text(value) for key, value in context.items()}
    values.setdefault("link", link)
    values.setdefault("agency", "")
    result = NotifyResult()
    templates: dict[tuple[str, str], ResolvedTemplate | None] = {}
    # Every (recipient, channel) with an address, in order; then the dedupe check and the
    # opt-out check of all of them in one query each.
    planned: list[tuple[Recipient, str, str]] = []
    for recipient in recipients:
        wanted = (
            spec.channels
            if recipient.channels is None
            else [c for c in spec.channels if c in recipient.channels]
        )
        for key in wanted:
            address = channel_get(key).address_for(recipient)
            if address:
                planned.append((recipient, key, address))
    if not planned:
        return result
    pairs = {(key, address) for _recipient, key, address in planned}
    with transaction.atomic():
        checks = _Checks(
            existing=_existing_messages(dedupe_key, pairs),
            opted_out=set() if spec.mandatory else _opted_out(pairs),
        )
        for recipient, key, address in planned:
            _queue_one(
                spec,
                key,
                recipient,
                address,
                values,
                dedupe_key,
                related,
                link,
                templates,
                result,
                checks,
            )
    return result


@dataclass
class _Checks:
    """What ``notify`` read once for all its messages: the messages already queued under
    the dedupe key (``(channel, address)`` → id) and the opted-out addresses."""

    existing: dict[tuple[str, str], int]
    opted_out: set[tuple[str, str]]


#: Addresses per query of the checks (a broadcast to thousands is read in slices).
CHECK_BATCH = 500


def _pairs_q(pairs: set[tuple[str, str]]) -> Iterable[Q]:
    """``channel = … AND address IN (…)`` for each channel, OR-ed, in slices of
    ``CHECK_BATCH`` addresses (one condition for the usual few recipients)."""
    rows = sorted(pairs)
    for start in range(0, len(rows), CHECK_BATCH):
        by_channel: dict[str, list[str]] = {}
        for key, address in rows[start : start + CHECK_BATCH]:
            by_channel.setdefault(key, []).append(address)
        condition = Q()
        for key, addresses in by_channel.items():
            condition |= Q(channel=key, address__in=addresses)
        yield condition


def _existing_messages(dedupe_key: str, pairs: set[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """The first message of each ``(channel, address)`` already under ``dedupe_key``."""
    found: dict[tuple[str, str], int] = {}
    for condition in _pairs_q(pairs):
        rows = (
            Message.objects.filter(condition, dedupe_key=dedupe_key)
            .order_by("pk")
            .values_list("channel", "address", "pk")
        )
        for key, address, pk in rows:
            found.setdefault((key, address), pk)
    return found


def _opted_out(pairs: set[tuple[str, str]]) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for condition in _pairs_q(pairs):
        found.update(OptOut.objects.filter(condition).values_list("channel", "address"))
    return found & pairs


def _queue_one(
    spec: Any,
    key: str,
    recipient: Recipient,
    address: str,
    values: Mapping[str, str],
    dedupe_key: str,
    related: Related | None,
    link: str,
    templates: dict[tuple[str, str], ResolvedTemplate | None],
    result: NotifyResult,
    checks: _Checks,
) -> None:
    channel = channel_get(key)
    existing = checks.existing.get((key, address))
    if existing is not None:
        result.existing.append(existing)
        return
    if (key, recipient.language) not in templates:
        templates[key, recipient.language] = template_resolve(spec, key, recipient.language)
    template = templates[key, recipient.language]
    if template is None:
        return
    prepared = channel.prepare(
        render(template.text.subject, values), render(template.text.body, values)
    )
    reason = ""
    if not template.enabled:
        reason = _("Kênh này đang tắt cho sự kiện “%(e)s”.") % {"e": spec.label}
    elif not spec.mandatory and (key, address) in checks.opted_out:
        reason = _("Người nhận đã từ chối nhận thông báo qua kênh này.")
    now = timezone.now()
    if reason:
        status = MessageStatus.SKIPPED
    elif channel.immediate:
        status = MessageStatus.SENT
    else:
        status = MessageStatus.QUEUED
    try:
        with transaction.atomic():
            message = Message.objects.create(
                event=spec.key,
                dedupe_key=dedupe_key[:160],
                channel=key,
                recipient_user_id=recipient.user_id,
                recipient_name=recipient.name[:255],
                address=address,
                language=recipient.language,
                template_key=template.key[:120],
                subject=prepared.subject[:255],
                body=prepared.body,
                link=(values.get("link") or link)[:500],
                related_kind=related.kind if related else "",
                related_ref=related.ref[:64] if related else "",
                sensitive=spec.sensitive,
                encoding=prepared.encoding,
                segments=prepared.segments,
                status=status,
                error=reason,
                provider=key if channel.immediate else "",
                sent_at=now if status == MessageStatus.SENT else None,
            )
    except IntegrityError:
        # Another process queued the same event for this address a moment ago.
        again = (
            Message.objects.filter(dedupe_key=dedupe_key, channel=key, address=address)
            .values_list("pk", flat=True)
            .first()
        )
        if again is not None:
            result.existing.append(again)
            checks.existing[key, address] = again
        return
    # A second recipient at the same address in this call finds it, as the database would.
    checks.existing[key, address] = message.pk
    if status == MessageStatus.QUEUED:
        result.queued.append(message.pk)
        _deliver_later(message.pk)
    elif status == MessageStatus.SKIPPED:
        result.skipped.append(message.pk)
    else:
        result.queued.append(message.pk)


# --- Deliver ------------------------------------------------------------------------------
@dataclass(frozen=True)
class DeliverOutcome:
    """What the task should do next: nothing, or try again in ``retry_in`` seconds."""

    status: str
    retry_in: float | None = None


def retry_delay(attempts: int) -> float:
    """Seconds before attempt ``attempts + 1`` (``core.tasks.retry_delay``)."""
    return core_retry_delay(attempts, settings.EGOV_NOTIFY_RETRY_SECONDS)


def message_deliver(*, message_id: int) -> DeliverOutcome:
    """Send one queued message if it is due; record the attempt and the new state."""
    now = timezone.now()
    row = (
        Message.objects.filter(pk=message_id).values("status", "next_attempt_at", "channel").first()
    )
    if row is None:
        return DeliverOutcome("missing")
    if row["status"] != MessageStatus.QUEUED:
        return DeliverOutcome(row["status"])
    if row["next_attempt_at"] is not None and row["next_attempt_at"] > now:
        return DeliverOutcome(row["status"], (row["next_attempt_at"] - now).total_seconds())
    wait = rate_acquire(row["channel"])
    if wait:
        return DeliverOutcome(row["status"], wait)
    claimed = (
        Message.objects.filter(pk=message_id, status=MessageStatus.QUEUED)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .update(
            status=MessageStatus.SENDING,
            claimed_until=now + CLAIM_LEASE,
            attempts=F("attempts") + 1,
        )
    )
    if not claimed:
        return DeliverOutcome("claimed")
    message = Message.objects.get(pk=message_id)
    attempts: list[DeliveryAttempt] = []

    def record(
        *,
        provider: str,
        started_at: dt.datetime,
        outcome: str,
        error: str = "",
        detail: str = "",
        duration: float = 0.0,
    ) -> None:
        attempts.append(
            DeliveryAttempt(
                message=message,
                number=message.attempts,
                provider=provider[:32],
                started_at=started_at,
                duration_ms=int(duration * 1000),
                outcome=outcome,
                error=error,
                detail=detail[:2000],
            )
        )

    try:
        sent = channel_get(message.channel).send(message, record)
    except SendError as exc:
        return _after_failure(message, exc, attempts)
    except Exception as exc:  # a provider bug must not leave the message stuck in "sending"
        logger.exception("notification %s: unexpected error from the channel", message.uuid)
        error = SendError(
            _("Lỗi không mong đợi khi gửi: %(e)s") % {"e": type(exc).__name__}, transient=True
        )
        record(
            provider=message.channel,
            started_at=now,
            outcome=AttemptOutcome.TRANSIENT,
            error=error.message,
            detail=str(exc),
        )
        return _after_failure(message, error, attempts)
    with transaction.atomic():
        DeliveryAttempt.objects.bulk_create(attempts)
        fields: dict[str, Any] = {
            "provider": sent.provider[:32],
            "provider_message_id": sent.provider_message_id[:128],
            "sent_at": timezone.now(),
            "claimed_until": None,
            "error": "",
        }
        if message.sensitive:
            fields["body"] = HIDDEN_BODY
        Message.objects.filter(pk=message.pk, status=MessageStatus.SENDING).update(
            status=MessageStatus.SENT, **fields
        )
        # A delivery receipt can beat us here: keep "delivered", still store the ids.
        Message.objects.filter(pk=message.pk, status=MessageStatus.DELIVERED).update(**fields)
    return DeliverOutcome(MessageStatus.SENT)


def _after_failure(
    message: Message, exc: SendError, attempts: list[DeliveryAttempt]
) -> DeliverOutcome:
    final = not exc.transient or message.attempts >= settings.EGOV_NOTIFY_MAX_ATTEMPTS
    now = timezone.now()
    delay = None if final else retry_delay(message.attempts)
    fields: dict[str, Any] = {
        "status": MessageStatus.FAILED if final else MessageStatus.QUEUED,
        "error": exc.message,
        "provider": (exc.provider or message.provider)[:32],
        "claimed_until": None,
        "next_attempt_at": None if delay is None else now + dt.timedelta(seconds=delay),
        "failed_at": now if final else None,
    }
    if final and message.sensitive:
        fields["body"] = HIDDEN_BODY
    with transaction.atomic():
        DeliveryAttempt.objects.bulk_create(attempts)
        Message.objects.filter(pk=message.pk, status=MessageStatus.SENDING).update(**fields)
    if final:
        logger.warning(
            "notification %s to %s failed after %s attempt(s): %s",
            message.uuid,
            message.channel,
            message.attempts,
            exc.message,
        )
    return DeliverOutcome(fields["status"], delay)


def interrupted_fail(*, now: dt.datetime | None = None) -> int:
    """Fail the messages left ``sending`` past their lease: their worker died while handing
    them over, so the gateway may or may not have taken them.  They are not resent on their
    own (a citizen would get the SMS twice); they show as failed, "uncertain" in the error
    and in the delivery log, and an admin resends them after checking.  Returns how many."""
    now = now or timezone.now()
    error = _(
        "Không rõ đã gửi được hay chưa: tiến trình gửi dừng giữa chừng. Kiểm tra với nhà "
        "cung cấp (theo mã tham chiếu) trước khi bấm Gửi lại."
    )
    with transaction.atomic():
        stale = list(
            Message.objects.select_for_update(skip_locked=True)
            .filter(status=MessageStatus.SENDING, claimed_until__lt=now)
            .only("pk", "channel", "provider", "attempts", "claimed_until")
        )
        if not stale:
            return 0
        Message.objects.filter(pk__in=[m.pk for m in stale]).update(
            status=MessageStatus.FAILED,
            claimed_until=None,
            failed_at=now,
            error=error,
            body=Case(
                When(sensitive=True, then=Value(HIDDEN_BODY)),
                default=F("body"),
                output_field=TextField(),
            ),
        )
        DeliveryAttempt.objects.bulk_create(
            DeliveryAttempt(
                message=m,
                number=m.attempts,
                provider=(m.provider or m.channel)[:32],
                started_at=(m.claimed_until or now) - CLAIM_LEASE,
                outcome=AttemptOutcome.PERMANENT,
                error=error,
            )
            for m in stale
        )
    logger.warning(
        "%s notification(s) interrupted while sending (worker lost): failed as uncertain, "
        "not resent: %s",
        len(stale),
        [m.pk for m in stale[:20]],
    )
    return len(stale)


def dispatch_due(*, now: dt.datetime | None = None, limit: int = 500) -> int:
    """Queue again what is due: retries whose time has come and tasks that were lost; sends
    interrupted by a dead worker are failed (``interrupted_fail``).  Runs every minute on
    beat (``notifications_dispatch``)."""
    from egov.notifications.tasks import deliver_task

    now = now or timezone.now()
    interrupted_fail(now=now)
    grace = dt.timedelta(0) if settings.CELERY_TASK_ALWAYS_EAGER else DISPATCH_GRACE
    due = list(
        Message.objects.filter(status=MessageStatus.QUEUED)
        .filter(
            Q(next_attempt_at__lte=now - grace)
            | Q(next_attempt_at__isnull=True, created_at__lte=now - grace)
        )
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in due:
        deliver_task.delay(pk)
    rate_windows_prune()
    return len(due)


# --- Admin actions ------------------------------------------------------------------------
def message_resend(*, message_id: int, actor: Any) -> Message:
    """Queue a copy of a failed message (the failed line stays in the log as it was)."""
    original = Message.objects.filter(pk=message_id).first()
    if original is None:
        raise NotFound()
    if (
        original.status != MessageStatus.FAILED
        or original.sensitive
        or original.channel == Channel.INAPP
    ):
        raise NotificationError(
            ErrorCode.NOT_RESENDABLE,
            _("Chỉ gửi lại được thông báo gửi không thành công và không chứa mã bảo mật."),
        )
    if OptOut.objects.filter(channel=original.channel, address=original.address).exists():
        raise NotificationError(
            ErrorCode.NOT_RESENDABLE, _("Người nhận đã từ chối nhận thông báo qua kênh này.")
        )
    with transaction.atomic():
        count = Message.objects.filter(resent_from=original).count()
        copy = Message.objects.create(
            event=original.event,
            dedupe_key=f"{original.dedupe_key}#resend{count + 1}"[:160],
            channel=original.channel,
            recipient_user_id=original.recipient_user_id,
            recipient_name=original.recipient_name,
            address=original.address,
            language=original.language,
            template_key=original.template_key,
            subject=original.subject,
            body=original.body,
            link=original.link,
            related_kind=original.related_kind,
            related_ref=original.related_ref,
            encoding=original.encoding,
            segments=original.segments,
            resent_from=original,
        )
        audit_record(
            actor=actor,
            action="notifications.message.resend",
            obj=copy,
            before={"resent_from": str(original.uuid)},
            after={"status": copy.status},
        )
        _deliver_later(copy.pk)
    return copy


@dataclass(frozen=True)
class DeliveryReport:
    """A receipt from a gateway: our reference or its message id, and the final state."""

    state: str  # "delivered" or "failed"
    provider_message_id: str = ""
    ref: str = ""
    error: str = ""


def delivery_report_apply(report: DeliveryReport) -> Message:
    """Record a gateway's receipt: sent → delivered, or sent → failed (idempotent)."""
    query = Message.objects.filter(channel=Channel.SMS)
    if report.ref:
        try:
            query = query.filter(uuid=uuid.UUID(report.ref))
        except ValueError as exc:
            raise NotFound() from exc
    elif report.provider_message_id:
        query = query.filter(provider_message_id=report.provider_message_id)
    else:
        raise NotFound()
    with transaction.atomic():
        message = query.select_for_update().first()
        if message is None:
            raise NotFound()
        now = timezone.now()
        if report.state == "delivered" and message.status in (
            MessageStatus.SENDING,
            MessageStatus.SENT,
            MessageStatus.FAILED,
        ):
            message.status = MessageStatus.DELIVERED
            message.delivered_at = now
            message.error = ""
            message.save(update_fields=["status", "delivered_at", "error"])
        elif report.state == "failed" and message.status in (
            MessageStatus.SENDING,
            MessageStatus.SENT,
        ):
            message.status = MessageStatus.FAILED
            message.failed_at = now
            message.error = (report.error or _("Nhà mạng báo không chuyển được tin nhắn."))[:1000]
            message.save(update_fields=["status", "failed_at", "error"])
    return message


def inapp_mark_read(*, user: Any, message_ids: Iterable[int] | None = None) -> int:
    """Mark the user's bell notifications read (all of them when ``message_ids`` is None)."""
    query = Message.objects.filter(recipient_user=user, channel=Channel.INAPP, read_at__isnull=True)
    if message_ids is not None:
        query = query.filter(pk__in=list(message_ids))
    return query.update(read_at=timezone.now())


# --- Choices ------------------------------------------------------------------------------
def normalise_address(channel: str, address: str) -> str:
    recipient = Recipient(phone=address) if channel == Channel.SMS else Recipient(email=address)
    normalised = channel_get(channel).address_for(recipient)
    if not normalised:
        raise NotificationError(
            ErrorCode.ADDRESS_INVALID,
            _("Không phải số điện thoại di động hợp lệ (ví dụ 0912 345 678).")
            if channel == Channel.SMS
            else _("Địa chỉ thư điện tử không hợp lệ."),
            field="address",
        )
    return normalised


def optout_add(
    *,
    channel: str,
    address: str,
    source: str = OptOutSource.STAFF,
    actor: Any = None,
    note: str = "",
) -> OptOut:
    """Stop non-mandatory messages to ``address`` on ``channel`` (idempotent)."""
    normalised = normalise_address(channel, address)
    with transaction.atomic():
        optout, created = OptOut.objects.get_or_create(
            channel=channel,
            address=normalised,
            defaults={
                "source": source,
                "note": note[:255],
                "created_by": actor if getattr(actor, "is_authenticated", False) else None,
            },
        )
        if created:
            # Queued messages to this address are not sent any more.
            Message.objects.filter(
                channel=channel, address=normalised, status=MessageStatus.QUEUED
            ).exclude(event__in=_mandatory_events()).update(
                status=MessageStatus.SKIPPED,
                error=_("Người nhận đã từ chối nhận thông báo qua kênh này."),
            )
            audit_record(
                actor=actor, action="notifications.optout.add", obj=optout, after={"source": source}
            )
    return optout


def optout_remove(*, channel: str, address: str, actor: Any = None) -> bool:
    normalised = normalise_address(channel, address)
    with transaction.atomic():
        optout = OptOut.objects.filter(channel=channel, address=normalised).first()
        if optout is None:
            return False
        audit_record(
            actor=actor,
            action="notifications.optout.remove",
            obj=optout,
            before={"source": optout.source},
        )
        optout.delete()
    return True


def _mandatory_events() -> list[str]:
    from egov.notifications.registry import events

    return [e.key for e in events() if e.mandatory]


def template_save(
    *,
    actor: Any,
    event: str,
    channel: str,
    language: str,
    subject: str,
    body: str,
    enabled: bool,
    lock_version: int | None,
) -> TemplateOverride:
    """Save an admin's text for one event, channel and language (validated, versioned)."""
    spec = event_get(event)
    if spec is None or channel not in spec.channels:
        raise NotFound()
    errors = template_errors(spec, channel, subject, body)
    if errors:
        field, message = next(iter(errors.items()))
        raise NotificationError(ErrorCode.TEMPLATE_INVALID, message, field=field)
    with transaction.atomic():
        override = (
            TemplateOverride.objects.select_for_update()
            .filter(event=event, channel=channel, language=language)
            .first()
        )
        before = None
        if override is None:
            override = TemplateOverride(event=event, channel=channel, language=language)
        else:
            if lock_version is not None and override.lock_version != lock_version:
                raise NotificationError(
                    ErrorCode.TEMPLATE_INVALID,
                    _("Mẫu này vừa được người khác sửa. Hãy tải lại trang và sửa lại."),
                    field="conflict",
                )
            before = {
                "subject": override.subject,
                "body": override.body,
                "enabled": override.enabled,
            }
            override.lock_version += 1
        override.subject = subject.strip()
        override.body = body.strip()
        override.enabled = enabled
        override.updated_by = actor if getattr(actor, "is_authenticated", False) else None
        override.save()
        # Switching a channel on or off applies to the event in every language.
        TemplateOverride.objects.filter(event=event, channel=channel).exclude(
            pk=override.pk
        ).update(enabled=enabled)
        audit_record(
            actor=actor,
            action="notifications.template.save",
            obj=override,
            before=before,
            after={"subject": override.subject, "body": override.body, "enabled": enabled},
        )
    return override


def template_reset(*, actor: Any, event: str, channel: str, language: str) -> bool:
    """Go back to the built-in text (the override row is deleted, the audit keeps it)."""
    with transaction.atomic():
        override = TemplateOverride.objects.filter(
            event=event, channel=channel, language=language
        ).first()
        if override is None:
            return False
        audit_record(
            actor=actor,
            action="notifications.template.reset",
            obj=override,
            before={
                "subject": override.subject,
                "body": override.body,
                "enabled": override.enabled,
            },
        )
        override.delete()
    return True


__all__ = [
    "FINAL_STATUSES",
    "DeliverOutcome",
    "DeliveryReport",
    "delivery_report_apply",
    "dispatch_due",
    "inapp_mark_read",
    "interrupted_fail",
    "message_deliver",
    "message_resend",
    "notify",
    "optout_add",
    "optout_remove",
    "retry_delay",
    "template_reset",
    "template_save",
]
