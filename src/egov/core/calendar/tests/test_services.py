"""Adding, changing and removing entries: validation, conflicts, races, audit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.db import transaction

from egov.core.audit.models import AuditEvent
from egov.core.calendar import services
from egov.core.calendar.constants import CalendarEntryKind
from egov.core.calendar.errors import (
    CalendarEntryConflict,
    CalendarEntryInvalid,
    CalendarEntryNotFound,
    CalendarEntryRedundant,
    CalendarError,
    CalendarUnitNotFound,
)
from egov.core.calendar.models import CalendarEntry
from egov.core.calendar.selectors import calendar_for
from egov.core.calendar.services import (
    calendar_entry_create,
    calendar_entry_delete,
    calendar_entry_update,
)

pytestmark = pytest.mark.django_db

OFF = CalendarEntryKind.DAY_OFF
WORK = CalendarEntryKind.WORKING_DAY


def test_create_a_unit_day_off_with_an_audit_event(
    make_unit: Callable[..., Any], admin_user: Any
) -> None:
    unit = make_unit()
    created = calendar_entry_create(
        actor=admin_user,
        unit_id=unit.pk,
        date=date(2026, 3, 11),
        kind=OFF,
        name="  Nghỉ   bầu cử bổ sung ",
        ip_address="10.0.0.5",
    )
    assert created.name == "Nghỉ bầu cử bổ sung"
    assert created.created_by == admin_user
    assert not calendar_for(unit_ids=[unit.pk]).is_working_day(date(2026, 3, 11))
    event = AuditEvent.objects.get(action="workcalendar.entry.create")
    assert event.object_type == "workcalendar.calendarentry"
    assert event.object_id == str(created.pk)
    assert event.actor == admin_user
    assert event.ip_address == "10.0.0.5"
    assert event.after == {
        "unit": unit.pk,
        "date": "2026-03-11",
        "kind": "day_off",
        "name": "Nghỉ bầu cử bổ sung",
    }


def test_create_a_nationwide_make_up_saturday(admin_user: Any) -> None:
    created = calendar_entry_create(
        actor=admin_user,
        unit_id=None,
        date=date(2027, 2, 20),
        kind=WORK,
        name="Làm bù cho ngày nghỉ Tết",
    )
    assert created.unit_id is None
    assert calendar_for().is_working_day(date(2027, 2, 20))


def test_a_make_up_entry_overrides_a_package_holiday(
    make_unit: Callable[..., Any], admin_user: Any
) -> None:
    unit = make_unit()
    calendar_entry_create(
        actor=admin_user,
        unit_id=unit.pk,
        date=date(2026, 11, 24),
        kind=WORK,
        name="Ngày Văn hóa Việt Nam: đơn vị vẫn làm việc",
    )
    assert calendar_for(unit_ids=[unit.pk]).is_working_day(date(2026, 11, 24))


def test_the_same_date_twice_is_a_clear_conflict(
    make_unit: Callable[..., Any], admin_user: Any
) -> None:
    unit = make_unit()
    first = calendar_entry_create(
        actor=admin_user, unit_id=unit.pk, date=date(2026, 3, 11), kind=OFF, name="Nghỉ lần 1"
    )
    with pytest.raises(CalendarEntryConflict) as caught:
        calendar_entry_create(
            actor=admin_user, unit_id=unit.pk, date=date(2026, 3, 11), kind=OFF, name="Nghỉ lần 2"
        )
    error = caught.value
    assert error.code == "calendar.entry_conflict"
    assert error.existing_id == first.pk
    assert "Thứ Tư 11/03/2026 đã có trong lịch của đơn vị này" in error.message
    assert "Ngày nghỉ – Nghỉ lần 1" in error.message
    assert CalendarEntry.objects.filter(unit=unit).count() == 1
    assert AuditEvent.objects.filter(action="workcalendar.entry.create").count() == 1


def test_the_same_date_in_another_unit_or_nationwide_is_fine(
    make_unit: Callable[..., Any], admin_user: Any
) -> None:
    a, b = make_unit(), make_unit()
    for unit_id in (a.pk, b.pk, None):
        calendar_entry_create(
            actor=admin_user, unit_id=unit_id, date=date(2026, 3, 11), kind=OFF, name="Nghỉ"
        )
    with pytest.raises(CalendarEntryConflict, match="lịch toàn quốc"):
        calendar_entry_create(
            actor=admin_user, unit_id=None, date=date(2026, 3, 11), kind=OFF, name="Nghỉ"
        )
    assert CalendarEntry.objects.filter(date=date(2026, 3, 11)).count() == 3


@pytest.mark.parametrize("unit_level", [True, False])
def test_a_race_on_the_constraint_is_still_a_conflict(
    make_unit: Callable[..., Any],
    admin_user: Any,
    monkeypatch: pytest.MonkeyPatch,
    unit_level: bool,
) -> None:
    """Two admins submit the same date at once: the loser gets a message, not a 500."""
    unit_id = make_unit().pk if unit_level else None
    CalendarEntry.objects.create(unit_id=unit_id, date=date(2026, 3, 11), kind=OFF, name="Trước")
    # Pretend the other insert happened after our check.
    monkeypatch.setattr(services, "_conflict", lambda *args, **kwargs: None)
    with transaction.atomic():  # as in a request: the outer transaction must stay usable
        with pytest.raises(CalendarEntryConflict) as caught:
            calendar_entry_create(
                actor=admin_user, unit_id=unit_id, date=date(2026, 3, 11), kind=OFF, name="Sau"
            )
        assert CalendarEntry.objects.filter(date=date(2026, 3, 11)).count() == 1
    assert "Trước" in caught.value.message


@pytest.mark.parametrize(
    ("day", "kind", "unit_level", "message"),
    [
        (date(2026, 3, 11), WORK, True, "Thứ Tư 11/03/2026 đã là ngày làm việc"),
        (date(2026, 3, 14), OFF, True, "Thứ Bảy 14/03/2026 đã là ngày nghỉ (nghỉ cuối tuần)"),
        (date(2026, 9, 2), OFF, True, "đã là ngày nghỉ (Quốc khánh)"),
        (date(2026, 8, 31), OFF, False, "(Ngày nghỉ (thay cho ngày 22/08/2026))"),
        # The package's make-up Saturday is already a working day, nationwide and per unit.
        (date(2026, 8, 22), WORK, True, "Thứ Bảy 22/08/2026 đã là ngày làm việc"),
        (date(2026, 8, 22), WORK, False, "Thứ Bảy 22/08/2026 đã là ngày làm việc"),
    ],
)
def test_an_entry_that_changes_nothing_is_refused(
    make_unit: Callable[..., Any],
    admin_user: Any,
    day: date,
    kind: str,
    unit_level: bool,
    message: str,
) -> None:
    unit_id = make_unit().pk if unit_level else None
    with pytest.raises(CalendarEntryRedundant) as caught:
        calendar_entry_create(actor=admin_user, unit_id=unit_id, date=day, kind=kind, name="Thử")
    assert caught.value.code == "calendar.entry_redundant"
    assert message in caught.value.message
    assert not CalendarEntry.objects.filter(date=day, unit_id=unit_id).exists()


def test_a_unit_may_undo_an_inherited_day(make_unit: Callable[..., Any], admin_user: Any) -> None:
    province = make_unit(level="province")
    commune, sibling = make_unit(parent=province), make_unit(parent=province)
    calendar_entry_create(
        actor=admin_user, unit_id=province.pk, date=date(2026, 3, 11), kind=OFF, name="Tỉnh nghỉ"
    )
    # Off through the province, so a commune make-up entry changes something: accepted.
    calendar_entry_create(
        actor=admin_user, unit_id=commune.pk, date=date(2026, 3, 11), kind=WORK, name="Xã làm"
    )
    assert calendar_for(unit_ids=[commune.pk, province.pk]).is_working_day(date(2026, 3, 11))
    # ... but a day off for another commune of that province would change nothing.
    with pytest.raises(CalendarEntryRedundant, match="Tỉnh nghỉ"):
        calendar_entry_create(
            actor=admin_user,
            unit_id=sibling.pk,
            date=date(2026, 3, 11),
            kind=OFF,
            name="Xã nghỉ",
        )


@pytest.mark.parametrize(
    ("fields", "error", "message"),
    [
        ({"name": "   "}, CalendarEntryInvalid, "Hãy nhập lý do"),
        ({"name": "x" * 201}, CalendarEntryInvalid, "dài quá 200 ký tự"),
        ({"kind": "holiday"}, CalendarEntryInvalid, "Loại ngày không hợp lệ"),
        ({"date": date(1999, 12, 31)}, CalendarEntryInvalid, "từ 2000 đến 2099"),
        ({"date": "2026-03-11"}, CalendarEntryInvalid, "Ngày không hợp lệ"),
        ({"unit_id": 987654}, CalendarUnitNotFound, "Không tìm thấy đơn vị"),
    ],
)
def test_bad_input_gets_a_vietnamese_message(
    admin_user: Any, fields: dict[str, Any], error: type[CalendarError], message: str
) -> None:
    values: dict[str, Any] = {
        "unit_id": None,
        "date": date(2026, 3, 11),
        "kind": OFF,
        "name": "Nghỉ",
    }
    values.update(fields)
    with pytest.raises(error) as caught:
        calendar_entry_create(actor=admin_user, **values)
    assert message in caught.value.message
    assert isinstance(caught.value, CalendarError)
    assert not CalendarEntry.objects.filter(date=date(2026, 3, 11)).exists()


def test_update_changes_fields_and_records_before_and_after(
    make_unit: Callable[..., Any], admin_user: Any
) -> None:
    unit = make_unit()
    created = calendar_entry_create(
        actor=admin_user, unit_id=unit.pk, date=date(2026, 3, 11), kind=OFF, name="Nghỉ"
    )
    updated = calendar_entry_update(
        actor=admin_user,
        entry_id=created.pk,
        date=date(2026, 3, 14),
        kind=WORK,
        name="Làm bù",
        scope_unit_ids={unit.pk},
    )
    assert (updated.date, updated.kind, updated.name) == (date(2026, 3, 14), WORK, "Làm bù")
    cal = calendar_for(unit_ids=[unit.pk])
    assert cal.is_working_day(date(2026, 3, 11))
    assert cal.is_working_day(date(2026, 3, 14))
    event = AuditEvent.objects.get(action="workcalendar.entry.update")
    assert event.before == {"date": "2026-03-11", "kind": "day_off", "name": "Nghỉ"}
    assert event.after == {"date": "2026-03-14", "kind": "working_day", "name": "Làm bù"}


def test_update_without_changes_writes_nothing(
    make_unit: Callable[..., Any], admin_user: Any
) -> None:
    unit = make_unit()
    created = calendar_entry_create(
        actor=admin_user, unit_id=unit.pk, date=date(2026, 3, 11), kind=OFF, name="Nghỉ"
    )
    calendar_entry_update(actor=admin_user, entry_id=created.pk, name="Nghỉ", kind=OFF)
    assert not AuditEvent.objects.filter(action="workcalendar.entry.update").exists()


def test_update_only_the_reason_skips_the_day_check(admin_user: Any) -> None:
    # Written around the service: a nationwide make-up entry the package now makes redundant.
    kept = CalendarEntry.objects.create(unit=None, date=date(2026, 8, 22), kind=WORK, name="Làm bù")
    updated = calendar_entry_update(
        actor=admin_user, entry_id=kept.pk, name="Làm bù cho Thứ Hai 31/08/2026"
    )
    assert updated.name == "Làm bù cho Thứ Hai 31/08/2026"


def test_update_onto_a_taken_date_is_a_conflict(
    make_unit: Callable[..., Any], admin_user: Any
) -> None:
    unit = make_unit()
    calendar_entry_create(
        actor=admin_user, unit_id=unit.pk, date=date(2026, 3, 11), kind=OFF, name="Một"
    )
    second = calendar_entry_create(
        actor=admin_user, unit_id=unit.pk, date=date(2026, 3, 12), kind=OFF, name="Hai"
    )
    with pytest.raises(CalendarEntryConflict, match="Một"):
        calendar_entry_update(actor=admin_user, entry_id=second.pk, date=date(2026, 3, 11))
    second.refresh_from_db()
    assert second.date == date(2026, 3, 12)


def test_update_into_a_redundant_entry_is_refused(
    make_unit: Callable[..., Any], admin_user: Any
) -> None:
    unit = make_unit()
    created = calendar_entry_create(
        actor=admin_user, unit_id=unit.pk, date=date(2026, 3, 11), kind=OFF, name="Nghỉ"
    )
    with pytest.raises(CalendarEntryRedundant, match="đã là ngày làm việc"):
        calendar_entry_update(actor=admin_user, entry_id=created.pk, kind=WORK)


def test_update_and_delete_outside_the_scope_are_not_found(
    make_unit: Callable[..., Any], admin_user: Any
) -> None:
    a, b = make_unit(), make_unit()
    created = calendar_entry_create(
        actor=admin_user, unit_id=a.pk, date=date(2026, 3, 11), kind=OFF, name="Nghỉ"
    )
    with pytest.raises(CalendarEntryNotFound) as caught:
        calendar_entry_update(
            actor=admin_user, entry_id=created.pk, name="Đổi", scope_unit_ids={b.pk}
        )
    assert caught.value.code == "calendar.entry_not_found"
    with pytest.raises(CalendarEntryNotFound):
        calendar_entry_delete(actor=admin_user, entry_id=created.pk, scope_unit_ids={b.pk, None})
    national = CalendarEntry.objects.create(
        unit=None, date=date(2026, 9, 4), kind=OFF, name="Nghỉ chung"
    )
    with pytest.raises(CalendarEntryNotFound):
        calendar_entry_delete(actor=admin_user, entry_id=national.pk, scope_unit_ids={a.pk})
    assert CalendarEntry.objects.filter(pk__in=[created.pk, national.pk]).count() == 2


def test_delete_removes_the_entry_and_keeps_it_in_the_audit_log(
    make_unit: Callable[..., Any], admin_user: Any
) -> None:
    unit = make_unit()
    created = calendar_entry_create(
        actor=admin_user, unit_id=unit.pk, date=date(2026, 3, 11), kind=OFF, name="Nghỉ"
    )
    calendar_entry_delete(actor=admin_user, entry_id=created.pk, scope_unit_ids={unit.pk})
    assert not CalendarEntry.objects.filter(pk=created.pk).exists()
    assert calendar_for(unit_ids=[unit.pk]).is_working_day(date(2026, 3, 11))
    event = AuditEvent.objects.get(action="workcalendar.entry.delete")
    assert event.object_id == str(created.pk)
    assert event.before == {
        "unit": unit.pk,
        "date": "2026-03-11",
        "kind": "day_off",
        "name": "Nghỉ",
    }
    with pytest.raises(CalendarEntryNotFound):
        calendar_entry_delete(actor=admin_user, entry_id=created.pk)


def test_a_system_actor_is_recorded_as_such() -> None:
    created = calendar_entry_create(
        actor=None, unit_id=None, date=date(2027, 2, 20), kind=WORK, name="Làm bù"
    )
    assert created.created_by is None
    assert AuditEvent.objects.get(object_id=str(created.pk)).actor_repr == "hệ thống"
