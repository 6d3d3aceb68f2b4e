"""The one-stop shop's part of the leaders' daily digest (``notifications.digest``).

Three numbers for a leader or head of department, each with the console queue it counts:
dossiers due today and overdue in their scope, and dossiers waiting for their approval.
They are the console's own queues (``selectors.QUEUES``) over what the person may see,
counted up to ``DIGEST_COUNT_CAP`` so the cost stays small on a province's million
dossiers: a fixed handful of queries per person whatever their scope holds.

Registered in ``DossiersConfig.ready`` with ``facade.digest_section_register``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.dossiers.permissions import visible_dossiers
from egov.dossiers.selectors import QUEUES
from egov.notifications.facade import DigestLine

SECTION_KEY = "dossiers"
#: Counting stops here; the line then says "at least" this many.
DIGEST_COUNT_CAP = 1000


def _labels() -> dict[str, str]:
    return {
        "due_today": _("Hồ sơ đến hạn hôm nay"),
        "overdue": _("Hồ sơ quá hạn"),
        "awaiting_my_approval": _("Hồ sơ chờ ông/bà phê duyệt"),
    }


def queue_url(slug: str) -> str:
    """The console queue ``slug`` (absolute, for SMS and e-mail)."""
    path = reverse("egov_dossiers:queue", args=[slug])
    return f"{settings.EGOV_BASE_URL.rstrip('/')}{path}"


def digest_section(user: Any, *, now: dt.datetime | None = None) -> list[DigestLine]:
    """The digest lines of ``user`` (zero counts included; the digest drops them)."""
    if user is None or not getattr(user, "is_active", False):
        return []
    now = now or timezone.now()
    visible = visible_dossiers(user)
    lines: list[DigestLine] = []
    for slug, label in _labels().items():
        rows = QUEUES[slug].rows(visible, user, now)
        count = rows[:DIGEST_COUNT_CAP].count()
        if count >= DIGEST_COUNT_CAP:
            label = _("%(label)s (từ %(cap)s trở lên)") % {
                "label": label,
                "cap": f"{DIGEST_COUNT_CAP:,}".replace(",", "."),
            }
        lines.append(DigestLine(label=label, count=count, url=queue_url(slug)))
    return lines
