"""Reads of the public catalogue pages, all through ``egov.procedures.facade``.

The procedures module decides what is in force and how a due date is computed; this
module only groups and orders what a citizen browses: sectors and agencies with their
number of procedures, the most used procedures, one page of search results, and the
expected return date of a dossier handed in now, per case and channel.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, IntegerField, Value, When
from django.db.models.functions import StrIndex, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.core.calendar.facade import VN_TZ, calendar_for_unit
from egov.core.text import fold_vietnamese
from egov.dossiers import facade as dossiers
from egov.procedures import facade as procedures

#: Procedures per page of the list.
PAGE_SIZE = 20
#: How many "most used" procedures the home page shows, and for how long they are cached.
MOST_USED_COUNT = 6
MOST_USED_CACHE_SECONDS = 3600
MOST_USED_CACHE_KEY = "eservices:catalogue:most_used:v1"
#: The window in which dossiers are counted for "most used".
MOST_USED_WINDOW = timedelta(days=365)


@dataclass(frozen=True)
class SectorItem:
    code: str
    name: str
    count: int


@dataclass(frozen=True)
class AgencyItem:
    #: What ``procedure_search(agency=)`` takes: the agency's code, else its id.
    key: str
    name: str
    count: int


@dataclass(frozen=True)
class ExpectedReturn:
    """The due date of a dossier of ``case`` handed in now through ``channel``."""

    case_id: int
    channel: str
    due_at: datetime | None
    explanation: str

    @property
    def due_display(self) -> str:
        """``16:30 thứ Sáu 27/11/2026``."""
        return procedures.format_moment(self.due_at) if self.due_at else ""


def _sort_name() -> Substr:
    """The folded name: ``search_text`` is "<code> <folded name> <sector> <keywords>"."""
    return Substr("procedure__search_text", StrIndex("procedure__search_text", Value(" ")) + 1)


def sector_counts() -> list[SectorItem]:
    """Sectors with at least one procedure in force, by name without diacritics."""
    rows = (
        procedures.procedure_search()
        .order_by()
        .values("sector__code", "sector__name")
        .annotate(n=Count("procedure", distinct=True))
    )
    items = [SectorItem(r["sector__code"], r["sector__name"], r["n"]) for r in rows]
    return sorted(items, key=lambda s: (fold_vietnamese(s.name), s.code))


def agency_counts() -> list[AgencyItem]:
    """Implementing agencies (where dossiers are handed in) of the procedures in force."""
    rows = (
        procedures.procedure_search()
        .filter(implementing_agency__isnull=False)
        .order_by()
        .values("implementing_agency_id", "implementing_agency__code", "implementing_agency__name")
        .annotate(n=Count("procedure", distinct=True))
    )
    items = [
        AgencyItem(
            key=str(r["implementing_agency__code"] or r["implementing_agency_id"]),
            name=r["implementing_agency__name"],
            count=r["n"],
        )
        for r in rows
    ]
    return sorted(items, key=lambda a: (fold_vietnamese(a.name), a.key))


def _most_used_codes() -> list[str]:
    codes = cache.get(MOST_USED_CACHE_KEY)
    if codes is None:
        since = timezone.now() - MOST_USED_WINDOW
        rows = (
            dossiers.Dossier.objects.filter(parent__isnull=True, received_at__gte=since)
            .order_by()
            .values("procedure_code")
            .annotate(n=Count("id"))
            .order_by("-n", "procedure_code")[: MOST_USED_COUNT * 2]
        )
        codes = [str(r["procedure_code"]) for r in rows]
        cache.set(MOST_USED_CACHE_KEY, codes, MOST_USED_CACHE_SECONDS)
    return list(codes)


def most_used(limit: int = MOST_USED_COUNT) -> list[procedures.ProcedureVersion]:
    """The procedures most dossiers were received for in the last year (in force now),
    topped up with those offered fully online, then the others by name."""
    codes = _most_used_codes()
    found = {
        v.procedure.code: v for v in procedures.procedure_search().filter(procedure__code__in=codes)
    }
    chosen = [found[c] for c in codes if c in found][:limit]
    if len(chosen) < limit:
        rest = (
            procedures.procedure_search()
            .exclude(procedure__code__in=[v.procedure.code for v in chosen])
            .annotate(
                online_rank=Case(
                    When(online_level=procedures.OnlineLevel.FULL, then=Value(0)),
                    When(online_level=procedures.OnlineLevel.PARTIAL, then=Value(1)),
                    default=Value(2),
                    output_field=IntegerField(),
                ),
                sort_name=_sort_name(),
            )
            .order_by("online_rank", "sort_name", "procedure__code")
        )
        chosen += list(rest[: limit - len(chosen)])
    return chosen


def procedure_page(
    *,
    q: str = "",
    sector: str = "",
    agency: str = "",
    online_level: str = "",
    page: int | str | None = 1,
) -> Page[procedures.ProcedureVersion]:
    """One page of the procedures in force: exact code, code prefix, name prefix, then the
    rest, by name without diacritics inside each."""
    # Annotated below (``sort_name``, ``rank``): django-stubs cannot follow those names.
    versions: Any = procedures.procedure_search(
        q=q, sector=sector or None, agency=agency or None, online_level=online_level or None
    ).annotate(sort_name=_sort_name())
    q = q.strip()
    if q:
        rank = Case(
            When(procedure__code=q, then=Value(0)),
            When(procedure__code__startswith=q, then=Value(1)),
            When(sort_name__startswith=fold_vietnamese(q), then=Value(2)),
            default=Value(3),
            output_field=IntegerField(),
        )
        versions = versions.annotate(rank=rank).order_by("rank", "sort_name", "procedure__code")
    else:
        versions = versions.order_by("sort_name", "procedure__code")
    return Paginator(versions, PAGE_SIZE).get_page(page)


def expected_returns(
    version: procedures.ProcedureVersion, *, at: datetime | None = None
) -> list[ExpectedReturn]:
    """The due date of a dossier handed in at ``at`` (now) for every case and channel of
    ``version``, on the working calendar of the implementing agency's unit (the nationwide
    one when the agency is not in the system), with the rules the desk would freeze
    (``version_rules``) and the engine it uses (``compute_due``)."""
    received = (at or timezone.now()).astimezone(VN_TZ)
    agency = version.implementing_agency
    calendar = calendar_for_unit(agency.unit_id if agency is not None else None, on=received)
    results = []
    for case in version.ordered_cases():
        for option in case.channel_options_applying():
            try:
                rules = procedures.version_rules(version, case, option.channel)
                # With the clock starting at payment, payment is assumed at ``received``.
                due = procedures.compute_due(
                    received_at=received,
                    rules=dataclasses.replace(rules, start_after_payment=False),
                    calendar=calendar,
                )
            except (procedures.ProcedureError, procedures.DeadlineError, ValueError):
                results.append(
                    ExpectedReturn(
                        case.pk,
                        option.channel,
                        None,
                        _("Không tính được ngày hẹn trả với lịch làm việc hiện có."),
                    )
                )
                continue
            steps = list(due.steps) or [due.explanation]
            if rules.start_after_payment:
                steps.append(_("thời hạn tính từ khi nộp xong phí, lệ phí (giả định nộp ngay)"))
            results.append(ExpectedReturn(case.pk, option.channel, due.due_at, "; ".join(steps)))
    return results
