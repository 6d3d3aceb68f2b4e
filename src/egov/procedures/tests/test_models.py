"""Database constraints hold the catalogue's invariants even when code bypasses services."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from egov.procedures.constants import Channel, ProcedureLevel, TimeUnit, VersionStatus
from egov.procedures.contracts import TimeLimit
from egov.procedures.models import (
    ChannelOption,
    Procedure,
    ProcedureCase,
    ProcedureVersion,
    ProcessStep,
    RequiredDocument,
)
from egov.procedures.tests.factories import (
    ChannelOptionFactory,
    FeeFactory,
    ProcedureCaseFactory,
    ProcedureFactory,
    ProcedureVersionFactory,
    ProcessStepFactory,
    ProcessTemplateFactory,
    RequiredDocumentFactory,
)

pytestmark = pytest.mark.django_db


def _violates(fn):
    with pytest.raises(IntegrityError), transaction.atomic():
        fn()


def test_procedure_code_is_unique():
    ProcedureFactory(code="1.001193")
    _violates(lambda: Procedure.objects.create(code="1.001193"))


def test_one_published_version_per_procedure():
    version = ProcedureVersionFactory(published=True)
    _violates(
        lambda: ProcedureVersionFactory(
            procedure=version.procedure, number=2, published=True, with_default_case=False
        )
    )


def test_one_draft_per_procedure():
    version = ProcedureVersionFactory()
    _violates(
        lambda: ProcedureVersionFactory(
            procedure=version.procedure, number=2, with_default_case=False
        )
    )


def test_version_number_unique_per_procedure():
    version = ProcedureVersionFactory(published=True)
    _violates(
        lambda: ProcedureVersionFactory(
            procedure=version.procedure, number=1, with_default_case=False
        )
    )


def test_a_decided_version_needs_its_decision():
    version = ProcedureVersionFactory()
    version.status = VersionStatus.PUBLISHED
    version.effective_date = dt.date(2025, 1, 1)
    _violates(lambda: version.save())  # no decision number
    version.decision_number = "1/QĐ"
    version.effective_date = None
    _violates(lambda: version.save())  # no effective date


def test_a_decided_version_needs_a_level():
    version = ProcedureVersionFactory(published=True)
    version.level_commune = False
    _violates(lambda: version.save())


def test_effective_interval_cannot_end_before_it_starts():
    version = ProcedureVersionFactory(published=True)
    version.effective_to = version.effective_date - dt.timedelta(days=1)
    _violates(lambda: version.save())


def test_time_limit_must_be_positive():
    _violates(lambda: ChannelOptionFactory(time_limit_value=0))


def test_channel_and_unit_must_be_known():
    _violates(lambda: ChannelOptionFactory(channel="fax"))
    _violates(lambda: ChannelOptionFactory(time_limit_unit="khac"))


def test_one_shared_channel_option_per_channel_and_order():
    option = ChannelOptionFactory()
    _violates(lambda: ChannelOptionFactory(version=option.version))
    # The same channel for one case is allowed (it overrides the shared one).
    case = option.version.cases.get()
    ChannelOptionFactory(version=option.version, case=case)


def test_document_counts_are_not_negative():
    _violates(lambda: RequiredDocumentFactory(copies=-1))
    _violates(lambda: RequiredDocumentFactory(originals=-1))


def test_order_is_unique_per_parent():
    document = RequiredDocumentFactory(order=1)
    _violates(lambda: RequiredDocumentFactory(case=document.case, order=1))
    case = ProcedureCaseFactory(order=5)
    _violates(lambda: ProcedureCase.objects.create(version=case.version, order=5, name="Khác"))
    step = ProcessStepFactory(order=1)
    _violates(lambda: ProcessStepFactory(template=step.template, order=1))


def test_process_step_hours_positive_and_group_positive():
    _violates(lambda: ProcessStepFactory(hours=Decimal(0)))
    _violates(lambda: ProcessStepFactory(parallel_group=0))


def test_one_process_per_version_and_per_case():
    template = ProcessTemplateFactory()
    _violates(lambda: ProcessTemplateFactory(version=template.version))
    case = template.version.cases.get()
    ProcessTemplateFactory(version=template.version, case=case)
    _violates(lambda: ProcessTemplateFactory(version=template.version, case=case))


def test_fee_amount_not_negative_and_how_it_reads():
    _violates(lambda: FeeFactory(amount=-1))
    fee = FeeFactory(amount=None)
    assert fee.amount_display == "Chưa xác định mức thu"  # null: no amount stated
    fee = FeeFactory(amount=None, description="Mức thu do HĐND tỉnh quy định")
    assert fee.amount_display == "Mức thu do HĐND tỉnh quy định"
    assert FeeFactory(amount=0).amount_display == "Miễn phí"
    fee = FeeFactory(amount=1_500_000, unit="đồng/hồ sơ")
    assert fee.amount_display == "1.500.000 đồng/hồ sơ"


def test_levels_property_round_trip():
    version = ProcedureVersionFactory(level_commune=False)
    version.levels = [ProcedureLevel.PROVINCE, ProcedureLevel.COMMUNE]
    version.save()
    version.refresh_from_db()
    assert version.levels == ["province", "commune"]
    assert version.get_levels_display() == "Cấp tỉnh, Cấp xã"
    assert list(ProcedureVersion.objects.at_level("province")) == [version]
    assert not ProcedureVersion.objects.at_level("unknown").exists()


def test_channel_option_gives_the_contract_time_limit():
    option = ChannelOptionFactory(time_limit_value=5, time_limit_unit=TimeUnit.CALENDAR_DAYS)
    assert option.time_limit == TimeLimit(5, TimeUnit.CALENDAR_DAYS)
    assert option.time_limit_display == "5 ngày"


def test_case_channel_option_overrides_the_shared_one():
    shared = ChannelOptionFactory(channel=Channel.DIRECT, time_limit_value=5)
    version = shared.version
    case = version.cases.get()
    other = ProcedureCaseFactory(version=version)
    own = ChannelOptionFactory(
        version=version, case=case, channel=Channel.DIRECT, time_limit_value=1
    )
    assert case.channel_option(Channel.DIRECT) == own
    assert other.channel_option(Channel.DIRECT) == shared
    assert case.channel_option(Channel.POSTAL) is None


def test_in_force_depends_on_dates_not_only_status():
    version = ProcedureVersionFactory(published=True)
    version.effective_to = dt.date(2026, 3, 1)
    version.status = VersionStatus.SUPERSEDED
    version.save()
    assert version.is_in_force(dt.date(2026, 2, 28))
    assert not version.is_in_force(dt.date(2026, 3, 1))
    assert not version.is_in_force(dt.date(2024, 12, 31))
    assert list(ProcedureVersion.objects.in_force(dt.date(2026, 2, 28))) == [version]
    assert not ProcedureVersion.objects.in_force(dt.date(2026, 3, 1)).exists()


def test_deleting_a_version_removes_its_parts():
    step = ProcessStepFactory()
    version = step.template.version
    ChannelOptionFactory(version=version, case=version.cases.get())
    RequiredDocumentFactory(case=version.cases.get())
    version.delete()
    assert not ProcessStep.objects.exists()
    assert not ChannelOption.objects.exists()
    assert not RequiredDocument.objects.exists()
