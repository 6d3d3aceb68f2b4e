"""Versioning (feature A3): drafts are copied, edited, published by decision; the old
version keeps its rules; a published version is never edited."""

import datetime as dt

import pytest
from django.utils import timezone

from egov.core.audit.models import AuditEvent
from egov.procedures import selectors, services
from egov.procedures.constants import Channel, CutoffRule, TimeUnit, VersionStatus
from egov.procedures.contracts import DeadlineRules, TimeLimit
from egov.procedures.errors import (
    ErrorCode,
    ProcedureError,
    ProcedureErrors,
    ProcedurePermissionDenied,
)
from egov.procedures.models import Procedure, ProcedureVersion
from egov.procedures.tests.factories import full_version

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def publish(version, actor=None, effective=None, **kwargs):
    effective = effective or today()
    return services.procedure_version_publish(
        actor=actor,
        version=version,
        decision_number=kwargs.pop("decision_number", "123/QĐ-UBND"),
        decision_date=kwargs.pop("decision_date", min(effective, today())),
        effective_date=effective,
        **kwargs,
    )


@pytest.fixture
def published(units):
    version = full_version(
        actor=units.admin_a, responsible_agency=units.agency_a, sector=units.sector
    )
    return publish(version, actor=units.admin_a)


def test_publish_makes_the_version_in_force_and_audits(published, units):
    assert published.status == VersionStatus.PUBLISHED
    assert published.published_by == units.admin_a
    assert selectors.procedure_get_current("1.001193") == published
    event = AuditEvent.objects.get(action="procedures.version.publish")
    assert event.after["decision_number"] == "123/QĐ-UBND"
    assert event.actor == units.admin_a


def test_new_draft_is_a_deep_copy(published, units):
    draft = services.procedure_version_create_draft(
        actor=units.admin_a, procedure=published.procedure
    )
    assert (draft.number, draft.status, draft.based_on) == (2, VersionStatus.DRAFT, published)
    assert draft.decision_number == "" and draft.effective_date is None
    old_case, new_case = published.cases.get(), draft.cases.get()
    assert new_case.pk != old_case.pk and new_case.name == old_case.name
    assert [d.name for d in new_case.documents.all()] == [d.name for d in old_case.documents.all()]
    assert new_case.steps.count() == old_case.steps.count() == 1
    assert draft.channel_options.count() == 2
    assert draft.channel_options.get(channel=Channel.DIRECT).fees.count() == 1
    assert draft.process_templates.get().steps.count() == 3
    assert draft.legal_bases.get().number == "60/2014/QH13"
    assert draft.results.get().document_code == "KQ01"
    # Editing the copy leaves the published version as it was.
    services.procedure_version_update(actor=units.admin_a, version=draft, name="Tên mới")
    services.document_update(
        actor=units.admin_a, document=new_case.documents.get(), name="Giấy tờ mới"
    )
    published.refresh_from_db()
    assert published.name == "Đăng ký khai sinh"
    assert old_case.documents.get().name == "Tờ khai đăng ký khai sinh"


def test_only_one_draft_at_a_time(published, units):
    services.procedure_version_create_draft(actor=units.admin_a, procedure=published.procedure)
    with pytest.raises(ProcedureError) as info:
        services.procedure_version_create_draft(actor=units.admin_a, procedure=published.procedure)
    assert info.value.error_code == ErrorCode.DRAFT_EXISTS
    assert "đang có bản nháp (phiên bản 2)" in info.value.text


def test_a_published_version_is_never_edited(published, units):
    case = published.cases.get()
    attempts = [
        lambda: services.procedure_version_update(actor=units.admin_a, version=published, name="X"),
        lambda: services.case_create(actor=units.admin_a, version=published, name="Mới"),
        lambda: services.document_update(
            actor=units.admin_a, document=case.documents.get(), name="X"
        ),
        lambda: services.channel_option_update(
            actor=units.admin_a,
            channel_option=published.channel_options.first(),
            time_limit_value=1,
        ),
        lambda: services.process_step_delete(
            actor=units.admin_a, step=published.process_templates.get().steps.first()
        ),
    ]
    for attempt in attempts:
        with pytest.raises(ProcedureError) as info:
            attempt()
        assert info.value.error_code == ErrorCode.VERSION_NOT_DRAFT
        assert "hãy tạo phiên bản mới" in info.value.text
    published.refresh_from_db()
    assert published.name == "Đăng ký khai sinh"


def test_publishing_supersedes_and_the_old_version_keeps_its_rules(published, units):
    old_rules = selectors.version_rules(published, None, Channel.DIRECT)
    assert old_rules == DeadlineRules(limit=TimeLimit(3, TimeUnit.WORKING_DAYS))

    draft = services.procedure_version_create_draft(
        actor=units.admin_a, procedure=published.procedure
    )
    services.channel_option_update(
        actor=units.admin_a,
        channel_option=draft.channel_options.get(channel=Channel.DIRECT),
        time_limit_value=5,
    )
    services.procedure_version_update(
        actor=units.admin_a, version=draft, cutoff_rule=CutoffRule.SAME_DAY_15H
    )
    next_week = today() + dt.timedelta(days=7)
    publish(draft, actor=units.admin_a, effective=next_week, decision_number="200/QĐ-UBND")

    published.refresh_from_db()
    draft.refresh_from_db()
    assert published.status == VersionStatus.SUPERSEDED
    assert published.effective_to == next_week
    assert draft.status == VersionStatus.PUBLISHED
    # The old version is still in force until the new one's effective date…
    assert selectors.procedure_get_current("1.001193") == published
    assert selectors.procedure_get_current("1.001193", at=next_week) == draft
    # …and its rules never changed: a dossier received under it keeps 3 working days.
    assert selectors.version_rules(published, None, Channel.DIRECT) == old_rules
    new_rules = selectors.version_rules(draft, None, Channel.DIRECT)
    assert new_rules.limit == TimeLimit(5, TimeUnit.WORKING_DAYS)
    assert new_rules.cutoff == CutoffRule.SAME_DAY_15H
    assert new_rules.cutoff_time == dt.time(15, 0)


def test_effective_date_in_the_past_is_refused(units):
    version = full_version(actor=units.admin_a, responsible_agency=units.agency_a)
    yesterday = today() - dt.timedelta(days=1)
    with pytest.raises(ProcedureError) as info:
        publish(version, actor=units.admin_a, effective=yesterday, decision_date=yesterday)
    assert info.value.error_code == ErrorCode.EFFECTIVE_DATE_PAST
    assert f"Ngày có hiệu lực {yesterday:%d/%m/%Y} đã qua" in info.value.text
    assert "hồ sơ đã tiếp nhận giữ nguyên phiên bản cũ" in info.value.text
    version.refresh_from_db()
    assert version.status == VersionStatus.DRAFT


def test_only_a_system_admin_may_backdate(units):
    version = full_version(actor=units.admin_a, responsible_agency=units.agency_a)
    last_year = today() - dt.timedelta(days=365)
    with pytest.raises(ProcedurePermissionDenied) as info:
        publish(version, actor=units.admin_a, effective=last_year, allow_backdate=True)
    assert info.value.code == ErrorCode.BACKDATE_SYSTEM_ADMIN_ONLY
    publish(version, actor=units.sysadmin, effective=last_year, allow_backdate=True)
    assert selectors.procedure_get_current("1.001193", at=last_year) == version


def test_the_system_may_record_past_decisions_when_asked(db):
    version = full_version()
    publish(
        version,
        effective=dt.date(2020, 7, 1),
        decision_date=dt.date(2020, 6, 15),
        allow_backdate=True,
    )
    assert selectors.procedure_get_current("1.001193", at=dt.date(2020, 7, 1)) == version
    assert ProcedureVersion.objects.in_force(dt.date(2020, 6, 30)).count() == 0


def test_decision_data_is_checked_all_at_once(units):
    version = full_version(actor=units.admin_a, responsible_agency=units.agency_a)
    with pytest.raises(ProcedureErrors) as info:
        services.procedure_version_publish(
            actor=units.admin_a,
            version=version,
            decision_number=" ",
            decision_date=today() + dt.timedelta(days=3),
            effective_date=today() + dt.timedelta(days=1),
        )
    assert info.value.codes == [
        ErrorCode.DECISION_NUMBER_REQUIRED,
        ErrorCode.EFFECTIVE_BEFORE_DECISION,
    ]


def test_new_version_cannot_take_effect_before_the_previous_one(units):
    version = full_version(actor=units.admin_a, responsible_agency=units.agency_a)
    in_ten_days = today() + dt.timedelta(days=10)
    publish(version, actor=units.admin_a, effective=in_ten_days)
    draft = services.procedure_version_create_draft(
        actor=units.admin_a, procedure=version.procedure
    )
    with pytest.raises(ProcedureError) as info:
        publish(draft, actor=units.admin_a, effective=today() + dt.timedelta(days=5))
    assert info.value.error_code == ErrorCode.EFFECTIVE_BEFORE_PREVIOUS


def test_an_incomplete_draft_is_not_published(units):
    version = services.procedure_create(
        actor=units.admin_a,
        code="2.000908",
        name="Cấp bản sao trích lục hộ tịch",
        sector=units.sector,
        responsible_agency=units.agency_a,
        online_level="full",
    )
    with pytest.raises(ProcedureErrors) as info:
        publish(version, actor=units.admin_a)
    assert info.value.codes == [
        ErrorCode.NO_LEVEL,
        ErrorCode.CASE_WITHOUT_CHANNEL,
        ErrorCode.ONLINE_WITHOUT_CHANNEL,
    ]
    assert "Trường hợp “Trường hợp chung” chưa có cách thức thực hiện nào" in info.value.messages[1]


def test_abolish_ends_the_version_from_the_decision_date(published, units):
    in_a_month = today() + dt.timedelta(days=30)
    services.procedure_version_abolish(
        actor=units.admin_a,
        version=published,
        decision_number="300/QĐ-UBND",
        decision_date=today(),
        effective_date=in_a_month,
    )
    published.refresh_from_db()
    assert published.status == VersionStatus.ABOLISHED
    assert published.effective_to == in_a_month
    assert selectors.procedure_get_current("1.001193") == published
    with pytest.raises(Exception) as info:
        selectors.procedure_get_current("1.001193", at=in_a_month)
    assert "Không tìm thấy thủ tục “1.001193”" in str(info.value)
    with pytest.raises(ProcedureError) as again:
        services.procedure_version_abolish(
            actor=units.admin_a,
            version=published,
            decision_number="301/QĐ-UBND",
            decision_date=today(),
            effective_date=in_a_month,
        )
    assert again.value.error_code == ErrorCode.NOT_PUBLISHED


def test_discarding_a_draft(published, units):
    draft = services.procedure_version_create_draft(
        actor=units.admin_a, procedure=published.procedure
    )
    assert services.procedure_version_delete_draft(actor=units.admin_a, version=draft) is not None
    assert list(published.procedure.versions.all()) == [published]
    # The only version of a never-published procedure takes the procedure with it.
    lone = full_version(code="1.000001", actor=units.admin_a, responsible_agency=units.agency_a)
    assert services.procedure_version_delete_draft(actor=units.admin_a, version=lone) is None
    assert not Procedure.objects.filter(code="1.000001").exists()
    with pytest.raises(ProcedureError):
        services.procedure_version_delete_draft(actor=units.admin_a, version=published)


def test_version_rules_errors(published, units):
    other = full_version(code="1.000002")
    with pytest.raises(ProcedureError) as info:
        selectors.version_rules(published, other.cases.get(), Channel.DIRECT)
    assert info.value.error_code == ErrorCode.CASE_NOT_IN_VERSION
    with pytest.raises(ProcedureError) as info:
        selectors.version_rules(published, published.cases.get(), Channel.POSTAL)
    assert info.value.error_code == ErrorCode.CHANNEL_NOT_OFFERED
    assert "Dịch vụ bưu chính công ích" in info.value.text


def test_start_after_payment_is_part_of_the_rules(units):
    version = full_version(actor=units.admin_a, responsible_agency=units.agency_a)
    version = services.procedure_version_update(
        actor=units.admin_a, version=version, start_after_payment=True
    )
    rules = selectors.version_rules(version, None, Channel.ONLINE)
    assert rules.start_after_payment is True
    assert rules.cutoff == CutoffRule.NONE and rules.cutoff_time is None


def test_only_the_system_may_omit_the_signing_date(units):
    version = full_version(actor=units.admin_a, responsible_agency=units.agency_a)
    with pytest.raises(ProcedureError) as info:
        publish(version, actor=units.admin_a, decision_date=None)
    assert info.value.error_code == ErrorCode.DECISION_DATE_REQUIRED
    publish(version, decision_date=None)  # an import: the source gave no date
    version.refresh_from_db()
    assert version.decision_date is None and version.status == VersionStatus.PUBLISHED
