"""The leaders' daily digest: the numbers that need their attention, by SMS, e-mail, bell.

Modules contribute *sections* (``facade.digest_section_register``): the one-stop shop
gives "due today", "overdue" and "awaiting your approval"; the document module will add
urgent incoming documents.  A leader or head of department with nothing to look at gets
no message.  One digest per person per day (the dedupe key holds the date).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone, translation

from egov.notifications.contracts import DigestLine, NotifyResult, Recipient, Related
from egov.notifications.registry import digest_sections
from egov.notifications.services import notify
from egov.organizations.facade import Position, Role

logger = logging.getLogger(__name__)

DIGEST_EVENT = "notifications.leader_digest"
DIGEST_ROLES = (Role.LEADER, Role.DEPARTMENT_HEAD)


def digest_recipients() -> list[Any]:
    """Active users holding an active leader or head-of-department position."""
    user_ids = (
        Position.objects.filter(is_active=True, agency__is_active=True, role__in=DIGEST_ROLES)
        .values_list("user_id", flat=True)
        .distinct()
    )
    return list(get_user_model().objects.filter(pk__in=user_ids, is_active=True).order_by("pk"))


def digest_agency(user: Any) -> str:
    """The agency the digest speaks for: that of the user's first leader/head position."""
    position = (
        Position.objects.filter(
            user=user, is_active=True, agency__is_active=True, role__in=DIGEST_ROLES
        )
        .select_related("agency")
        .order_by("pk")
        .first()
    )
    if position is None:
        return ""
    return str(position.agency.short_name or position.agency.name)


def digest_lines(user: Any) -> list[DigestLine]:
    lines: list[DigestLine] = []
    for key, section in digest_sections():
        try:
            lines.extend(line for line in section(user) if line.count)
        except Exception:  # one broken section must not stop the others' digests
            logger.exception("digest section %s failed for user %s", key, user.pk)
    return lines


def leader_digest_send(*, day: dt.date | None = None, channels: list[str] | None = None) -> int:
    """Queue today's digest for every leader who has something to look at; return how many."""
    day = day or timezone.localdate()
    wanted = frozenset(channels if channels is not None else settings.EGOV_DIGEST_CHANNELS)
    sent = 0
    for user in digest_recipients():
        with translation.override("vi"):
            lines = digest_lines(user)
        if not lines:
            continue
        summary = "; ".join(f"{line.label}: {line.count}" for line in lines)
        detail = "\n".join(
            f"- {line.label}: {line.count}" + (f" ({line.url})" if line.url else "")
            for line in lines
        )
        result: NotifyResult = notify(
            DIGEST_EVENT,
            [
                Recipient(
                    name=user.get_full_name() or user.get_username(),
                    phone=user.phone,
                    email=user.email,
                    user_id=user.pk,
                    channels=wanted,
                )
            ],
            {
                "name": user.get_full_name() or user.get_username(),
                "date": day,
                "summary": summary,
                "detail": detail,
                "total": sum(line.count for line in lines),
                "agency": digest_agency(user),
            },
            dedupe_key=f"digest:{day.isoformat()}:{user.pk}",
            related=Related("digest", day.isoformat()),
            link=settings.EGOV_BASE_URL.rstrip("/") + "/admin/",
        )
        sent += 1 if result.queued or result.existing else 0
    return sent
