"""Writes: days off and make-up working days; the working hours of a unit.

Each service runs in one transaction, writes an audit event in it, and turns every
foreseeable problem into a ``CalendarError`` with a Vietnamese message (never an
``IntegrityError``).  ``egov.core`` knows no roles: the caller checks that the actor may
act in ``unit_id`` (``None`` = nationwide) before calling.  ``update`` and ``delete`` also
take ``scope_unit_ids`` so that an entry id guessed from another unit is "not found".
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Collection
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.core.audit.services import audit_record, model_snapshot
from egov.core.calendar.constants import WEEKDAY_NAMES, CalendarEntryKind, DayKind
from egov.core.calendar.engine import WorkingSession, parse_working_hours
from egov.core.calendar.errors import (
    CalendarEntryConflict,
    CalendarEntryInvalid,
    CalendarEntryNotFound,
    CalendarEntryRedundant,
    WorkingScheduleConflict,
    WorkingScheduleInForce,
    WorkingScheduleInvalid,
    WorkingScheduleNotFound,
)
from egov.core.calendar.models import CalendarEntry, WorkingSchedule
from egov.core.calendar.selectors import calendar_for, package_calendar, unit_lineage

MIN_YEAR = 2000
MAX_YEAR = 2099
NAME_MAX_LENGTH = 200
_AUDIT_FIELDS = ["unit", "date", "kind", "name"]
_SCHEDULE_AUDIT_FIELDS = ["unit", "sessions", "effective_from"]
SESSIONS_MAX_LENGTH = 100
SESSIONS_EXAMPLE = "07:30-11:30,13:30-17:30"


def _day_label(day: dt.date) -> str:
    return f"{WEEKDAY_NAMES[day.weekday()]} {day:%d/%m/%Y}"


def _clean_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise CalendarEntryInvalid(_("Ngày không hợp lệ."))
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise CalendarEntryInvalid(
            _("Chỉ nhập được ngày trong các năm từ %(min)d đến %(max)d.")
            % {"min": MIN_YEAR, "max": MAX_YEAR}
        )
    return value


def _clean_kind(value: Any) -> CalendarEntryKind:
    if value not in CalendarEntryKind.values:
        raise CalendarEntryInvalid(
            _("Loại ngày không hợp lệ: chọn “Ngày nghỉ” hoặc “Ngày làm việc bù”.")
        )
    return CalendarEntryKind(value)


def _clean_name(value: Any) -> str:
    name = " ".join(str(value or "").split())
    if not name:
        raise CalendarEntryInvalid(
            _("Hãy nhập lý do (ví dụ: Nghỉ bù Quốc khánh, Làm bù cho ngày 31/08).")
        )
    if len(name) > NAME_MAX_LENGTH:
        raise CalendarEntryInvalid(_("Lý do dài quá %(max)d ký tự.") % {"max": NAME_MAX_LENGTH})
    return name


def _conflict(unit_id: int | None, day: dt.date, exclude_id: int | None = None) -> None:
    """Raise ``CalendarEntryConflict`` when (unit, day) already has an entry."""
    others = CalendarEntry.objects.filter(date=day)
    others = others.filter(unit__isnull=True) if unit_id is None else others.filter(unit_id=unit_id)
    if exclude_id is not None:
        others = others.exclude(pk=exclude_id)
    existing = others.first()
    if existing is not None:
        raise _conflict_error(unit_id, day, existing)


def _conflict_error(
    unit_id: int | None, day: dt.date, existing: CalendarEntry | None
) -> CalendarEntryConflict:
    where = _("toàn quốc") if unit_id is None else _("của đơn vị này")
    if existing is None:
        message = _(
            "%(day)s vừa được người khác thêm vào lịch %(where)s. Hãy tải lại trang để xem."
        ) % {"day": _day_label(day), "where": where}
        return CalendarEntryConflict(message)
    message = _(
        "%(day)s đã có trong lịch %(where)s: “%(kind)s – %(name)s”. "
        "Hãy sửa hoặc xoá mục đó thay vì thêm mục mới."
    ) % {
        "day": _day_label(day),
        "where": where,
        "kind": existing.get_kind_display(),
        "name": existing.name,
    }
    return CalendarEntryConflict(message, existing_id=existing.pk)


def _ensure_changes_something(unit_id: int | None, day: dt.date, kind: CalendarEntryKind) -> None:
    """Refuse a make-up day on a working day, or a day off on a day that is already off.

    The reference is what applies without this entry: the package holidays, plus the
    nationwide entries and the ancestors' entries for a unit's entry.
    """
    if unit_id is None:
        base = package_calendar()
    else:
        base = calendar_for(unit_ids=unit_lineage(unit_id)[1:])
    info = base.day_info(day)
    if kind == CalendarEntryKind.WORKING_DAY and info.is_working:
        raise CalendarEntryRedundant(
            _("%(day)s đã là ngày làm việc, không cần thêm ngày làm việc bù.")
            % {"day": _day_label(day)}
        )
    if kind == CalendarEntryKind.DAY_OFF and not info.is_working:
        reason = info.name if info.kind != DayKind.WEEKEND else _("nghỉ cuối tuần")
        raise CalendarEntryRedundant(
            _("%(day)s đã là ngày nghỉ (%(reason)s), không cần thêm ngày nghỉ.")
            % {"day": _day_label(day), "reason": reason or info.kind.label}
        )


def _actor_user(actor: Any) -> Any | None:
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def calendar_entry_create(
    *,
    actor: Any,
    unit_id: int | None,
    date: dt.date,
    kind: str,
    name: str,
    ip_address: str | None = None,
) -> CalendarEntry:
    """Add a day off or a make-up working day for ``unit_id`` (``None``: nationwide)."""
    day = _clean_date(date)
    entry_kind = _clean_kind(kind)
    reason = _clean_name(name)
    with transaction.atomic():
        if unit_id is not None:
            unit_lineage(unit_id)  # CalendarUnitNotFound for an unknown unit
        _conflict(unit_id, day)
        _ensure_changes_something(unit_id, day, entry_kind)
        try:
            with transaction.atomic():
                entry = CalendarEntry.objects.create(
                    unit_id=unit_id,
                    date=day,
                    kind=entry_kind,
                    name=reason,
                    created_by=_actor_user(actor),
                )
        except IntegrityError as exc:
            # Someone added the same date between the check and the insert.
            existing = CalendarEntry.objects.filter(date=day, unit_id=unit_id).first()
            raise _conflict_error(unit_id, day, existing) from exc
        audit_record(
            actor=actor,
            action="workcalendar.entry.create",
            obj=entry,
            after=model_snapshot(entry, _AUDIT_FIELDS),
            ip_address=ip_address,
        )
    return entry


def _locked_entry(entry_id: int, scope_unit_ids: Collection[int | None] | None) -> CalendarEntry:
    entry = CalendarEntry.objects.select_for_update().filter(pk=entry_id).first()
    if entry is None or (scope_unit_ids is not None and entry.unit_id not in scope_unit_ids):
        raise CalendarEntryNotFound()
    return entry


def calendar_entry_update(
    *,
    actor: Any,
    entry_id: int,
    date: dt.date | None = None,
    kind: str | None = None,
    name: str | None = None,
    ip_address: str | None = None,
    scope_unit_ids: Collection[int | None] | None = None,
) -> CalendarEntry:
    """Change the date, kind or reason of an entry (``None`` keeps a field; the unit stays).

    ``scope_unit_ids``: when given, only entries of those units (``None`` inside =
    nationwide entries) can be changed; others are reported as not found.
    """
    new_day = _clean_date(date) if date is not None else None
    new_kind = _clean_kind(kind) if kind is not None else None
    new_name = _clean_name(name) if name is not None else None
    with transaction.atomic():
        entry = _locked_entry(entry_id, scope_unit_ids)
        changes: dict[str, Any] = {}
        if new_day is not None and new_day != entry.date:
            changes["date"] = new_day
        if new_kind is not None and new_kind != entry.kind:
            changes["kind"] = new_kind
        if new_name is not None and new_name != entry.name:
            changes["name"] = new_name
        if not changes:
            return entry
        before = model_snapshot(entry, list(changes))
        day = changes.get("date", entry.date)
        if "date" in changes:
            _conflict(entry.unit_id, day, exclude_id=entry.pk)
        if "date" in changes or "kind" in changes:
            _ensure_changes_something(
                entry.unit_id, day, CalendarEntryKind(changes.get("kind", entry.kind))
            )
        for field, value in changes.items():
            setattr(entry, field, value)
        try:
            with transaction.atomic():
                entry.save(update_fields=list(changes))
        except IntegrityError as exc:
            existing = (
                CalendarEntry.objects.filter(date=day, unit_id=entry.unit_id)
                .exclude(pk=entry.pk)
                .first()
            )
            raise _conflict_error(entry.unit_id, day, existing) from exc
        audit_record(
            actor=actor,
            action="workcalendar.entry.update",
            obj=entry,
            before=before,
            after=model_snapshot(entry, list(changes)),
            ip_address=ip_address,
        )
    return entry


def calendar_entry_delete(
    *,
    actor: Any,
    entry_id: int,
    ip_address: str | None = None,
    scope_unit_ids: Collection[int | None] | None = None,
) -> None:
    """Remove an entry; the audit event keeps what it said."""
    with transaction.atomic():
        entry = _locked_entry(entry_id, scope_unit_ids)
        audit_record(
            actor=actor,
            action="workcalendar.entry.delete",
            obj=entry,
            before=model_snapshot(entry, _AUDIT_FIELDS),
            ip_address=ip_address,
        )
        entry.delete()


# --- Working hours ---------------------------------------------------------------------------


def clean_working_hours(value: Any) -> str:
    """``" 7:30 - 11:30, 13:30-17:30"`` → ``"07:30-11:30,13:30-17:30"``, or a Vietnamese error."""
    text = str(value or "").strip()
    if not text:
        raise WorkingScheduleInvalid(
            _("Hãy nhập giờ làm việc, ví dụ %(example)s.") % {"example": SESSIONS_EXAMPLE},
            field="sessions",
        )
    if len(text) > SESSIONS_MAX_LENGTH:
        raise WorkingScheduleInvalid(
            _("Giờ làm việc dài quá %(max)d ký tự.") % {"max": SESSIONS_MAX_LENGTH},
            field="sessions",
        )
    sessions: list[WorkingSession] = []
    for part in text.split(","):
        try:
            (session,) = parse_working_hours(part)
        except ValueError as exc:
            raise WorkingScheduleInvalid(
                _(
                    "“%(part)s” không phải một buổi làm việc hợp lệ: hãy nhập giờ bắt đầu và giờ "
                    "kết thúc dạng GG:PP-GG:PP (giờ kết thúc sau giờ bắt đầu), các buổi cách nhau "
                    "bởi dấu phẩy, ví dụ %(example)s."
                )
                % {"part": part.strip(), "example": SESSIONS_EXAMPLE},
                field="sessions",
            ) from exc
        sessions.append(session)
    for previous, following in itertools.pairwise(sessions):
        if following.start < previous.end:
            raise WorkingScheduleInvalid(
                _(
                    "Các buổi làm việc phải theo thứ tự trong ngày và không chồng lên nhau: "
                    "%(first)s rồi %(second)s."
                )
                % {"first": previous, "second": following},
                field="sessions",
            )
    return ",".join(f"{s.start:%H:%M}-{s.end:%H:%M}" for s in sessions)


def _clean_effective_from(value: Any, today: dt.date) -> dt.date:
    if value is None:
        return today
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise WorkingScheduleInvalid(_("Ngày áp dụng không hợp lệ."), field="effective_from")
    if value.year > MAX_YEAR:
        raise WorkingScheduleInvalid(
            _("Chỉ nhập được ngày áp dụng đến năm %(max)d.") % {"max": MAX_YEAR},
            field="effective_from",
        )
    if value < today:
        raise WorkingScheduleInvalid(
            _(
                "Ngày áp dụng không được trước hôm nay (%(today)s): giờ làm việc mới chỉ dùng để "
                "tính hạn cho hồ sơ tiếp nhận từ ngày áp dụng, không áp dụng lùi."
            )
            % {"today": f"{today:%d/%m/%Y}"},
            field="effective_from",
        )
    return value


def working_schedule_set(
    *,
    actor: Any,
    unit_id: int | None,
    sessions: str,
    effective_from: dt.date | None = None,
    ip_address: str | None = None,
) -> WorkingSchedule:
    """Set the working hours of ``unit_id`` (``None``: the default of every unit) from a date.

    ``effective_from`` defaults to today and may not be in the past: due dates already
    computed never move, and the hours that applied on a past date stay as they were.
    Setting hours again for the same unit and date replaces that row's hours (audited with
    before and after); the same hours again change nothing.
    """
    text = clean_working_hours(sessions)
    day = _clean_effective_from(effective_from, timezone.localdate())
    with transaction.atomic():
        if unit_id is not None:
            unit_lineage(unit_id)  # CalendarUnitNotFound for an unknown unit
        same_key = WorkingSchedule.objects.filter(effective_from=day)
        same_key = (
            same_key.filter(unit__isnull=True)
            if unit_id is None
            else same_key.filter(unit_id=unit_id)
        )
        existing = same_key.select_for_update().first()
        if existing is not None:
            if existing.sessions == text:
                return existing
            before = model_snapshot(existing, ["sessions"])
            existing.sessions = text
            existing.created_by = _actor_user(actor)
            existing.save(update_fields=["sessions", "created_by"])
            audit_record(
                actor=actor,
                action="workcalendar.schedule.update",
                obj=existing,
                before=before,
                after=model_snapshot(existing, ["sessions"]),
                ip_address=ip_address,
            )
            return existing
        try:
            with transaction.atomic():
                schedule = WorkingSchedule.objects.create(
                    unit_id=unit_id,
                    sessions=text,
                    effective_from=day,
                    created_by=_actor_user(actor),
                )
        except IntegrityError as exc:
            raise WorkingScheduleConflict() from exc
        audit_record(
            actor=actor,
            action="workcalendar.schedule.create",
            obj=schedule,
            after=model_snapshot(schedule, _SCHEDULE_AUDIT_FIELDS),
            ip_address=ip_address,
        )
    return schedule


def working_schedule_delete(
    *,
    actor: Any,
    schedule_id: int,
    ip_address: str | None = None,
    scope_unit_ids: Collection[int | None] | None = None,
) -> None:
    """Withdraw hours that are not in force yet (``effective_from`` after today).

    Hours already in force are history (they explain due dates computed with them): they
    are replaced by setting new hours, never deleted (``WorkingScheduleInForce``).
    """
    with transaction.atomic():
        schedule = WorkingSchedule.objects.select_for_update().filter(pk=schedule_id).first()
        if schedule is None or (
            scope_unit_ids is not None and schedule.unit_id not in scope_unit_ids
        ):
            raise WorkingScheduleNotFound()
        if schedule.effective_from <= timezone.localdate():
            raise WorkingScheduleInForce()
        audit_record(
            actor=actor,
            action="workcalendar.schedule.delete",
            obj=schedule,
            before=model_snapshot(schedule, _SCHEDULE_AUDIT_FIELDS),
            ip_address=ip_address,
        )
        schedule.delete()
