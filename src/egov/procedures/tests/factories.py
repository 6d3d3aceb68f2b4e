"""Factories for the catalogue.

``ProcedureVersionFactory()`` builds a draft with a procedure and a sector;
``ProcedureVersionFactory(published=True)`` a published version in force since 01/01/2025.
``full_version(...)`` builds a complete, publishable draft (case, documents, steps,
channels with fees, an internal process) through the services.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from egov.procedures import services
from egov.procedures.constants import Channel, TimeUnit, VersionStatus
from egov.procedures.models import (
    ChannelOption,
    Fee,
    Procedure,
    ProcedureCase,
    ProcedureVersion,
    ProcessStep,
    ProcessTemplate,
    RequiredDocument,
    Sector,
)


class SectorFactory(DjangoModelFactory):
    class Meta:
        model = Sector
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"LV{n:03d}")
    name = factory.Sequence(lambda n: f"Lĩnh vực thử nghiệm {n}")


class ProcedureFactory(DjangoModelFactory):
    class Meta:
        model = Procedure

    code = factory.Sequence(lambda n: f"1.{900000 + n:06d}")
    responsible_agency = None


class ProcedureVersionFactory(DjangoModelFactory):
    class Meta:
        model = ProcedureVersion
        skip_postgeneration_save = True

    procedure = factory.SubFactory(ProcedureFactory)
    number = 1
    status = VersionStatus.DRAFT
    name = factory.Sequence(lambda n: f"Thủ tục thử nghiệm {n}")
    sector = factory.SubFactory(SectorFactory)
    level_commune = True

    class Params:
        published = factory.Trait(
            status=VersionStatus.PUBLISHED,
            decision_number="100/QĐ-UBND",
            decision_date=dt.date(2024, 12, 20),
            effective_date=dt.date(2025, 1, 1),
        )

    @factory.post_generation
    def with_default_case(obj, create, extracted, **kwargs):
        if create and extracted is not False and not obj.cases.exists():
            ProcedureCase.objects.create(version=obj, order=1, name="Trường hợp chung")


class ProcedureCaseFactory(DjangoModelFactory):
    class Meta:
        model = ProcedureCase

    version = factory.SubFactory(ProcedureVersionFactory)
    order = factory.Sequence(lambda n: n + 2)
    name = factory.Sequence(lambda n: f"Trường hợp {n}")


class RequiredDocumentFactory(DjangoModelFactory):
    class Meta:
        model = RequiredDocument

    case = factory.SubFactory(ProcedureCaseFactory)
    order = factory.Sequence(lambda n: n + 1)
    name = "Tờ khai"
    originals = 1
    copies = 0


class ChannelOptionFactory(DjangoModelFactory):
    class Meta:
        model = ChannelOption

    version = factory.SubFactory(ProcedureVersionFactory)
    case = None
    channel = Channel.DIRECT
    order = 1
    time_limit_value = 3
    time_limit_unit = TimeUnit.WORKING_DAYS


class FeeFactory(DjangoModelFactory):
    class Meta:
        model = Fee

    channel_option = factory.SubFactory(ChannelOptionFactory)
    order = factory.Sequence(lambda n: n + 1)
    amount = 8000
    unit = "đồng/bản"


class ProcessTemplateFactory(DjangoModelFactory):
    class Meta:
        model = ProcessTemplate

    version = factory.SubFactory(ProcedureVersionFactory)
    case = None
    name = "Quy trình nội bộ"


class ProcessStepFactory(DjangoModelFactory):
    class Meta:
        model = ProcessStep

    template = factory.SubFactory(ProcessTemplateFactory)
    order = factory.Sequence(lambda n: n + 1)
    name = "Xử lý hồ sơ"
    hours = Decimal(4)


def full_version(
    *,
    actor=None,
    code: str = "1.001193",
    name: str = "Đăng ký khai sinh",
    sector: Sector | None = None,
    responsible_agency=None,
    limit_days: int = 3,
    process_hours: tuple[int, ...] = (4, 12, 4),
    keywords: str = "",
) -> ProcedureVersion:
    """A publishable draft built through the services (like a clerk would)."""
    version = services.procedure_create(
        actor=actor,
        code=code,
        name=name,
        sector=sector or SectorFactory(code="HT", name="Hộ tịch"),
        responsible_agency=responsible_agency,
        levels=["commune"],
        keywords=keywords,
    )
    case = version.cases.get()
    services.document_create(actor=actor, case=case, name="Tờ khai đăng ký khai sinh", copies=0)
    services.step_create(actor=actor, case=case, description="Nộp hồ sơ tại Bộ phận Một cửa")
    direct = services.channel_option_create(
        actor=actor, version=version, channel=Channel.DIRECT, time_limit_value=limit_days
    )
    services.fee_create(
        actor=actor,
        channel_option=direct,
        amount=None,
        description="Mức thu theo Nghị quyết của HĐND tỉnh (chưa xác định)",
    )
    services.channel_option_create(
        actor=actor, version=version, channel=Channel.ONLINE, time_limit_value=limit_days
    )
    template = services.process_template_create(actor=actor, version=version, name="Quy trình")
    for hours in process_hours:
        services.process_step_create(
            actor=actor, template=template, name=f"Bước {hours} giờ", hours=hours
        )
    services.legal_basis_create(
        actor=actor,
        version=version,
        number="60/2014/QH13",
        name="Luật Hộ tịch",
        issued_date=dt.date(2014, 11, 20),
        issuer="Quốc hội",
    )
    services.result_create(
        actor=actor, version=version, name="Giấy khai sinh", document_code="KQ01"
    )
    version.refresh_from_db()
    return version
