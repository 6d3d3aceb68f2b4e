"""``DossierFact``: one narrow row per master dossier with just what the reports classify by;
``DailyCount``: the facts counted per local day and per every dimension the reports group
or classify by.

Both are written by ``facts`` inside the transaction of every dossier action (and by the
hooks of the modules that own a flag: the satisfaction rating, the national portal sync),
and recomputed set-based by ``manage.py statistics_rebuild``.  Nothing else writes them.
A liên thông sub-dossier has no fact: statistics count master dossiers only.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class EndKind(models.TextChoices):
    """How processing ended (``ended_at`` is set with it)."""

    RESOLVED = "resolved", _("Đã có kết quả")
    REFUSED = "refused", _("Từ chối tiếp nhận")
    STOPPED = "stopped", _("Dừng xử lý")
    WITHDRAWN = "withdrawn", _("Rút hồ sơ")


class DossierFact(models.Model):
    dossier = models.OneToOneField(
        "dossiers.Dossier",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="statistics_fact",
        db_constraint=False,
    )
    #: The competent unit (đơn vị giải quyết): the report of a unit counts what it resolves.
    unit = models.ForeignKey(
        "organizations.AdministrativeUnit",
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    #: The level of ``unit`` ("province" | "district" | "commune"): the report's headings.
    level = models.CharField(max_length=10)
    receiving_agency = models.ForeignKey(
        "organizations.Agency",
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    competent_agency = models.ForeignKey(
        "organizations.Agency",
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    sector = models.ForeignKey(
        "procedures.Sector",
        on_delete=models.DO_NOTHING,
        null=True,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    procedure_code = models.CharField(max_length=16)
    channel = models.CharField(max_length=8)
    received_at = models.DateTimeField(null=True)
    #: When processing ended (result, stop, withdrawal, refusal): ``Dossier.closed_at``.
    ended_at = models.DateTimeField(null=True)
    ended_kind = models.CharField(max_length=10, choices=EndKind.choices, blank=True, default="")
    #: The due date an ended dossier is judged by: before any re-appointment, pauses added.
    due_ref_at = models.DateTimeField(null=True)
    #: Early / on time / late of an ended dossier by date-time (QĐ 766) and by date (vendor).
    timing = models.CharField(max_length=8, blank=True, default="")
    timing_by_date = models.CharField(max_length=8, blank=True, default="")
    #: The appointment now (after pauses and the re-appointment), and its local date.
    current_due_at = models.DateTimeField(null=True)
    current_due_on = models.DateField(null=True)
    supplement_requests = models.PositiveSmallIntegerField(default=0)
    #: Since when the dossier waits for the applicant's supplement (null when it does not).
    supplement_paused_at = models.DateTimeField(null=True)
    #: The one re-appointment (thư xin lỗi và hẹn lại): when, null when none.
    reappointed_at = models.DateTimeField(null=True)
    #: Calendar minutes from receipt to the end, for indicator 2.2 (average time).
    elapsed_minutes = models.BigIntegerField(null=True)
    fee_bearing = models.BooleanField(default=False)
    paid_online = models.BooleanField(default=False)
    e_result = models.BooleanField(default=False)
    digitised = models.BooleanField(default=False)
    reused = models.BooleanField(default=False)
    synced = models.BooleanField(default=False)
    #: The applicant's overall rating ("very_satisfied" | "satisfied" | "not_satisfied"), "".
    satisfaction = models.CharField(max_length=16, blank=True, default="")

    class Meta:
        verbose_name = _("số liệu thống kê của hồ sơ")
        verbose_name_plural = _("số liệu thống kê của hồ sơ")
        indexes = [
            # The report and the trends: the rows a period touches, per unit.
            models.Index(fields=["unit", "received_at"], name="stats_fact_unit_recv_idx"),
            models.Index(fields=["unit", "ended_at"], name="stats_fact_unit_end_idx"),
            # Open dossiers (carried over / open at the end of a period).
            models.Index(
                fields=["unit", "received_at"],
                condition=Q(ended_at__isnull=True),
                name="stats_fact_open_idx",
            ),
            # The annex of late dossiers, in due-date order, one index per comparison rule
            # (resolved late in the period: the first 500 are read in index order; on
            # PostgreSQL the period, unit and kind are checked in the index, no table read).
            models.Index(
                fields=["due_ref_at", "dossier"],
                condition=Q(timing="late"),
                include=["ended_at", "received_at", "unit", "ended_kind"],
                name="stats_fact_late_idx",
            ),
            models.Index(
                fields=["due_ref_at", "dossier"],
                condition=Q(timing_by_date="late"),
                include=["ended_at", "received_at", "unit", "ended_kind"],
                name="stats_fact_late_date_idx",
            ),
            # PostgreSQL also has ``stats_fact_open_range_idx``, a GiST index on the
            # interval during which the dossier is open (migration 0002, ``rules.OpenAt``).
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}"


class DailyKind(models.TextChoices):
    """What a ``DailyCount`` row counts on its ``day``."""

    RECEIVED = "received", _("Tiếp nhận")
    ENDED = "ended", _("Kết thúc xử lý")
    APOLOGY = "apology", _("Xin lỗi, hẹn lại")


#: The dimensions of a ``DailyCount`` row (its unique key), in the order of the key.
DAILY_DIMENSIONS = (
    "unit_id",
    "day",
    "kind",
    "level",
    "sector_id",
    "competent_agency_id",
    "channel",
    "ended_kind",
    "timing",
    "timing_by_date",
    "satisfaction",
)


class DailyCount(models.Model):
    """How many facts fall on one local day (Asia/Ho_Chi_Minh) in one bucket.

    * ``received``: accepted on ``day`` (``received_at``), per channel;
    * ``ended``: processing of an accepted dossier ended on ``day`` (``ended_at``), per end
      kind, timing by date-time and by date, and satisfaction (the rules of ``rules.py``
      classify these buckets exactly as they classify the facts);
    * ``apology``: re-appointed (thư xin lỗi và hẹn lại) on ``day``.

    Dimensions a kind does not have are "".  Kept equal to the facts by ``facts``: each
    change of a fact subtracts its old buckets and adds its new ones in the same
    transaction; ``statistics_rebuild`` recomputes it.  A row may stay with ``n`` = 0.
    """

    id = models.BigAutoField(primary_key=True)
    unit_id = models.BigIntegerField()
    day = models.DateField()
    kind = models.CharField(max_length=8, choices=DailyKind.choices)
    level = models.CharField(max_length=10)
    #: The sector's id, 0 for a dossier without a sector (a key column cannot be null).
    sector_id = models.BigIntegerField(default=0)
    competent_agency_id = models.BigIntegerField()
    channel = models.CharField(max_length=8, blank=True, default="")
    ended_kind = models.CharField(max_length=10, blank=True, default="")
    timing = models.CharField(max_length=8, blank=True, default="")
    timing_by_date = models.CharField(max_length=8, blank=True, default="")
    satisfaction = models.CharField(max_length=16, blank=True, default="")
    n = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("số hồ sơ theo ngày")
        verbose_name_plural = _("số hồ sơ theo ngày")
        constraints = [
            # The key of the upserts; its prefix (unit, day) serves a unit's period.
            models.UniqueConstraint(fields=list(DAILY_DIMENSIONS), name="stats_daily_key"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.kind} {self.unit_id}: {self.n}"
