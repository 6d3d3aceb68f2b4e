"""Query helpers of the catalogue: versions in force at a moment, diacritic-insensitive search.

The querysets themselves (``ProcedureQuerySet``, ``ProcedureVersionQuerySet``) live in
``models/catalogue.py`` (next to the models they type) and build on these helpers.

A version is *in force* on day ``d`` when it was published by a decision
(status published, superseded or abolished) and ``effective_date <= d < effective_to``
(``effective_to`` empty = open-ended).  The status alone does not say it: a version
superseded by a decision that takes effect next month stays in force until then.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db.models import Q
from django.utils import timezone

from egov.core.text import fold_vietnamese
from egov.procedures.constants import DECIDED_STATUSES, ProcedureLevel


def as_local_date(at: datetime | date | None) -> date:
    """The day (Asia/Ho_Chi_Minh) of ``at``; today when ``at`` is None."""
    if at is None:
        return timezone.localdate()
    if isinstance(at, datetime):
        return timezone.localdate(at) if timezone.is_aware(at) else at.date()
    return at


def in_force_q(at: datetime | date | None = None, prefix: str = "") -> Q:
    """``Q`` selecting versions in force on the day of ``at`` (``prefix`` e.g. ``"versions__"``)."""
    day = as_local_date(at)
    return Q(
        **{
            f"{prefix}status__in": list(DECIDED_STATUSES),
            f"{prefix}effective_date__lte": day,
        }
    ) & (Q(**{f"{prefix}effective_to__isnull": True}) | Q(**{f"{prefix}effective_to__gt": day}))


def search_terms(q: str) -> list[str]:
    """The folded words of a search box (``"Đăng ký  khai"`` → ``["dang", "ky", "khai"]``)."""
    return [term for term in fold_vietnamese(q).split(" ") if term]


LEVEL_FIELDS: dict[str, str] = {
    ProcedureLevel.CENTRAL: "level_central",
    ProcedureLevel.PROVINCE: "level_province",
    ProcedureLevel.DISTRICT: "level_district",
    ProcedureLevel.COMMUNE: "level_commune",
}

DETAIL_PREFETCH: tuple[Any, ...] = (
    "coordinating_agencies",
    "territorial_scope",
    "legal_bases",
    "results",
    "cases__documents__form_template",
    "cases__steps",
    "channel_options__fees",
    "process_templates__steps__agency",
    "process_templates__steps__department__agency",
)
