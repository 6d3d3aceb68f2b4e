"""Internal-process budgets against the legal limits (feature A6, rule T3: 1 day = 8 hours)."""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from egov.procedures import services
from egov.procedures.constants import Channel, TimeUnit
from egov.procedures.contracts import TimeLimit
from egov.procedures.errors import ErrorCode, ProcedureError
from egov.procedures.process import budget_hours, format_hours, limit_hours, version_budget_errors
from egov.procedures.tests.factories import full_version


@dataclass
class Step:
    hours: Decimal
    parallel_group: int | None = None


def test_sequential_steps_add_up():
    assert budget_hours([Step(Decimal(4)), Step(Decimal(12)), Step(Decimal("2.5"))]) == Decimal(
        "18.5"
    )


def test_a_parallel_group_counts_once_for_its_longest_step():
    steps = [
        Step(Decimal(4)),
        Step(Decimal(8), parallel_group=1),  # opinions asked of three agencies at once
        Step(Decimal(16), parallel_group=1),
        Step(Decimal(12), parallel_group=1),
        Step(Decimal(4)),
        Step(Decimal(2), parallel_group=2),
        Step(Decimal(3), parallel_group=2),
    ]
    assert budget_hours(steps) == Decimal(4 + 16 + 4 + 3)


def test_empty_process_has_no_budget():
    assert budget_hours([]) == 0


@pytest.mark.parametrize(
    ("limit", "hours", "exact"),
    [
        (TimeLimit(3, TimeUnit.WORKING_DAYS), Decimal(24), True),
        (TimeLimit(30, TimeUnit.WORKING_DAYS), Decimal(240), True),  # S-HN1594: 30 days = 240 h
        (TimeLimit(6, TimeUnit.HOURS), Decimal(6), True),
        (TimeLimit(7, TimeUnit.CALENDAR_DAYS), Decimal(56), False),
        (TimeLimit(1, TimeUnit.MONTHS), Decimal(248), False),
    ],
)
def test_limits_in_working_hours(limit, hours, exact):
    assert limit_hours(limit) == (hours, exact)


def test_hours_are_written_the_vietnamese_way():
    assert format_hours(Decimal("28.00")) == "28"
    assert format_hours(Decimal("2.50")) == "2,5"


@pytest.mark.django_db
def test_budget_over_the_limit_is_refused_with_the_numbers():
    version = full_version(limit_days=3, process_hours=(4, 12, 4))  # 20 h of 24 h
    template = version.process_templates.get()
    with pytest.raises(ProcedureError) as info:
        services.process_step_create(actor=None, template=template, name="Ký duyệt", hours=8)
    assert info.value.error_code == ErrorCode.PROCESS_OVER_BUDGET
    # One message per channel the process applies to (direct and online here).
    assert info.value.messages == [
        "Tổng thời gian các bước là 28 giờ, vượt thời hạn 3 ngày làm việc (24 giờ) – "
        "cách thức “Trực tiếp”, trường hợp “Trường hợp chung”.",
        "Tổng thời gian các bước là 28 giờ, vượt thời hạn 3 ngày làm việc (24 giờ) – "
        "cách thức “Trực tuyến”, trường hợp “Trường hợp chung”.",
    ]
    assert template.steps.count() == 3  # nothing saved


@pytest.mark.django_db
def test_parallel_steps_fit_where_sequential_ones_would_not():
    version = full_version(limit_days=3, process_hours=(4, 12, 4))
    template = version.process_templates.get()
    for hours in (3, 4):
        services.process_step_create(
            actor=None, template=template, name="Lấy ý kiến", hours=hours, parallel_group=1
        )
    assert version_budget_errors(version) == []  # 20 + max(3, 4) = 24 h
    with pytest.raises(ProcedureError):
        services.process_step_create(
            actor=None, template=template, name="Lấy ý kiến", hours=5, parallel_group=1
        )


@pytest.mark.django_db
def test_shortening_a_channel_below_the_process_is_refused():
    version = full_version(limit_days=3, process_hours=(8, 8, 8))
    option = version.channel_options.get(channel=Channel.DIRECT)
    with pytest.raises(ProcedureError) as info:
        services.channel_option_update(actor=None, channel_option=option, time_limit_value=2)
    assert "vượt thời hạn 2 ngày làm việc (16 giờ)" in info.value.text
    option.refresh_from_db()
    assert option.time_limit_value == 3
    # Hours are a legal unit too: 30 working hours fit 24 hours of steps.
    services.channel_option_update(
        actor=None, channel_option=option, time_limit_value=30, time_limit_unit=TimeUnit.HOURS
    )


@pytest.mark.django_db
def test_calendar_day_limits_refuse_only_what_surely_exceeds():
    version = full_version(limit_days=3, process_hours=(8, 8, 8))
    option = version.channel_options.get(channel=Channel.DIRECT)
    # 3 calendar days hold at most 3 working days (24 h): 24 h of steps is not surely over.
    services.channel_option_update(
        actor=None, channel_option=option, time_limit_unit=TimeUnit.CALENDAR_DAYS
    )
    template = version.process_templates.get()
    with pytest.raises(ProcedureError) as info:
        services.process_step_create(actor=None, template=template, name="Thêm", hours=1)
    assert info.value.error_code == ErrorCode.PROCESS_OVER_CALENDAR_BUDGET
    assert "vượt thời hạn 3 ngày (tối đa 24 giờ làm việc)" in info.value.text


@pytest.mark.django_db
def test_a_case_process_is_checked_against_that_case_channels():
    version = full_version(limit_days=10, process_hours=(8,))
    case = services.case_create(actor=None, version=version, name="Trường hợp khẩn")

    def urgent_channel():
        return services.channel_option_create(
            actor=None,
            version=version,
            case=case,
            channel=Channel.DIRECT,
            time_limit_value=4,
            time_limit_unit=TimeUnit.HOURS,
        )

    # The shared process (8 h) would apply to the urgent case too: 8 h > 4 h.
    with pytest.raises(ProcedureError) as info:
        urgent_channel()
    assert "vượt thời hạn 4 giờ làm việc (4 giờ)" in info.value.text
    assert "“Trường hợp khẩn”" in info.value.text
    # With its own, shorter process the urgent case fits.
    own = services.process_template_create(actor=None, version=version, case=case, name="Khẩn")
    services.process_step_create(actor=None, template=own, name="Giải quyết ngay", hours=4)
    urgent_channel()
    assert version_budget_errors(version) == []
    with pytest.raises(ProcedureError):
        services.process_step_create(actor=None, template=own, name="Thêm", hours="0.5")
    # Removing the case's own process falls back to the shared one: refused too.
    with pytest.raises(ProcedureError):
        services.process_template_delete(actor=None, template=own)


@pytest.mark.django_db
def test_invalid_hours_are_refused_in_vietnamese():
    version = full_version()
    template = version.process_templates.get()
    with pytest.raises(ProcedureError) as info:
        services.process_step_create(actor=None, template=template, name="Sai", hours="abc")
    assert info.value.error_code == ErrorCode.HOURS_INVALID
    with pytest.raises(ProcedureError):
        services.process_step_create(actor=None, template=template, name="Sai", hours=0)
