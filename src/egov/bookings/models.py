"""Desk appointments: the weekly schedule of a desk, slot counters, bookings.

* ``DeskSchedule``: one session of a weekday at a one-stop desk (Bộ phận Một cửa), cut
  into slots of ``slot_minutes`` each taking ``capacity`` people.  Set by the unit admin.
* ``SlotCounter``: how many places of one slot are taken.  Created on the first booking;
  a booking takes a place with a conditional ``UPDATE … SET booked = booked + 1 WHERE
  booked < capacity`` and the check constraint ``booked <= capacity`` backs it up, so the
  capacity holds across processes and web nodes.
* ``PhoneDayCounter``: active appointments of one phone on one day (the per-phone limit,
  taken the same way).
* ``BookingSequence``: the daily number in the code ``LH-<yymmdd>-<nnnn>``.
* ``Booking``: who comes when, for which procedure; status booked → attended / no_show,
  or cancelled (which frees the place).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from egov.bookings.constants import BookingStatus, Weekday


class DeskSchedule(models.Model):
    agency = models.ForeignKey(
        "organizations.Agency",
        verbose_name=_("nơi tiếp nhận"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    weekday = models.PositiveSmallIntegerField(_("thứ"), choices=Weekday.choices)
    start_time = models.TimeField(_("từ giờ"))
    end_time = models.TimeField(_("đến giờ"))
    slot_minutes = models.PositiveSmallIntegerField(_("thời lượng mỗi lượt (phút)"))
    capacity = models.PositiveSmallIntegerField(_("số người mỗi lượt"))
    is_active = models.BooleanField(_("đang áp dụng"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("khung giờ tiếp nhận")
        verbose_name_plural = _("khung giờ tiếp nhận")
        ordering = ["agency", "weekday", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")), name="bookings_schedule_end_after_start"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="bookings_schedule_capacity"),
            models.CheckConstraint(
                condition=Q(slot_minutes__gte=5), name="bookings_schedule_slot_minutes"
            ),
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6), name="bookings_schedule_weekday"
            ),
        ]
        indexes = [models.Index(fields=["agency", "weekday"], name="bookings_schedule_agency")]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start_time:%H:%M}-{self.end_time:%H:%M}"


class SlotCounter(models.Model):
    agency = models.ForeignKey("organizations.Agency", on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField()
    capacity = models.PositiveSmallIntegerField()
    booked = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "starts_at"], name="bookings_slot_unique"),
            models.CheckConstraint(
                condition=Q(booked__lte=F("capacity")), name="bookings_slot_within_capacity"
            ),
            models.CheckConstraint(condition=Q(booked__gte=0), name="bookings_slot_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}@{self.starts_at:%Y-%m-%d %H:%M}: {self.booked}/{self.capacity}"


class PhoneDayCounter(models.Model):
    phone = models.CharField(max_length=20)
    day = models.DateField()
    active = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["phone", "day"], name="bookings_phone_day_unique"),
            models.CheckConstraint(
                condition=Q(active__gte=0), name="bookings_phone_day_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.phone} {self.day}: {self.active}"


class BookingSequence(models.Model):
    day = models.DateField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.day}: {self.last}"


class Booking(models.Model):
    code = models.CharField(_("mã lịch hẹn"), max_length=20, unique=True)
    agency = models.ForeignKey(
        "organizations.Agency",
        verbose_name=_("nơi tiếp nhận"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    starts_at = models.DateTimeField(_("giờ hẹn"))
    ends_at = models.DateTimeField(_("hết giờ hẹn"))
    procedure_code = models.CharField(_("mã thủ tục"), max_length=64, blank=True, default="")
    procedure_name = models.CharField(_("tên thủ tục"), max_length=500, blank=True, default="")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    name = models.CharField(_("họ và tên"), max_length=150)
    phone = models.CharField(_("số điện thoại"), max_length=20)
    email = models.EmailField(_("thư điện tử"), blank=True, default="")
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=BookingStatus.choices, default=BookingStatus.BOOKED
    )
    #: SHA-256 (hex) of the secret in the anonymous view/cancel link; the secret is never kept.
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("đặt lúc"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("hủy lúc"), null=True, blank=True)
    marked_at = models.DateTimeField(_("ghi nhận lúc"), null=True, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ ghi nhận"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("lịch hẹn")
        verbose_name_plural = _("lịch hẹn")
        ordering = ["starts_at", "code"]
        constraints = [
            # One active booking of a phone per slot: a double click books once.
            models.UniqueConstraint(
                fields=["agency", "starts_at", "phone"],
                condition=Q(status="booked"),
                name="bookings_one_active_per_phone_slot",
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "starts_at"], name="bookings_agency_starts"),
            models.Index(fields=["user", "starts_at"], name="bookings_user_starts"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_active(self) -> bool:
        return self.status == BookingStatus.BOOKED
