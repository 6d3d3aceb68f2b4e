"""The demo catalogue (``procedures/demo/catalogue.json``, 44 real procedures) as published
versions, idempotently (``manage.py seed_procedures``).

* Existing codes are left alone (``on_existing="skip"``): a second run changes nothing.
* Every version is **published** by the decision the national data names.  The demo
  records decisions that took effect long ago, so the seed passes ``allow_backdate=True``
  as the system (``actor=None``): the "no back-dated effective date" rule protects
  dossiers already received under an older version, and a demo seed has neither an older
  version nor dossiers.  Where the source lacks the decision date (27 of 44) or number
  (2), the seed uses 01/07/2025 (the start of two-level local government) and
  "Chưa xác định", and says so in the decision summary; the source file is not changed.
* Agencies: the demo district's People's Committee (the only district PC of the demo) is
  the responsible agency of every procedure, so the district's unit admin manages the
  catalogue; procedures the demo routes to the district (``_egov.level_key = "district"``)
  name it as implementing agency too.  The national text of every agency is kept
  ("Ủy ban nhân dân cấp xã"…): commune procedures are carried out by each commune's PC.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from egov.organizations.facade import Agency, AgencyKind, UnitLevel
from egov.procedures import demo
from egov.procedures.constants import ProcedureLevel
from egov.procedures.interchange import national_json
from egov.procedures.interchange.data import ProcedureData
from egov.procedures.interchange.importer import ImportOptions, ImportResult, import_procedures

CATALOGUE_FILE = Path(demo.__file__).with_name("catalogue.json")
#: Used where the national data gives no decision date: two-level government began then.
FALLBACK_DECISION_DATE = dt.date(2025, 7, 1)
FALLBACK_DECISION_NUMBER = "Chưa xác định"


class SeedDisabledError(Exception):
    """``settings.EGOV_DEMO`` is off and the caller did not force the seed."""


def district_peoples_committee() -> Agency | None:
    """The demo's district People's Committee (the one active district PC), if any."""
    agencies = list(
        Agency.objects.filter(
            kind=AgencyKind.PEOPLES_COMMITTEE, unit__level=UnitLevel.DISTRICT, is_active=True
        ).select_related("unit")[:2]
    )
    return agencies[0] if len(agencies) == 1 else None


def complete_decision(data: ProcedureData) -> None:
    """Fill what the source lacks so the demo version can be published (and say so)."""
    notes = []
    if not data.decision_number:
        data.decision_number = FALLBACK_DECISION_NUMBER
        notes.append(_("nguồn không ghi số quyết định công bố"))
    if data.decision_date is None:
        data.decision_date = FALLBACK_DECISION_DATE
        notes.append(_("nguồn không ghi ngày ký quyết định"))
    if data.effective_date is None:
        data.effective_date = data.decision_date
    if notes and not data.decision_summary:
        data.decision_summary = _(
            "Dữ liệu mẫu: %(notes)s; dùng %(date)s để thủ tục có hiệu lực trong bản demo."
        ) % {"notes": ", ".join(notes), "date": FALLBACK_DECISION_DATE.strftime("%d/%m/%Y")}


def _linker(district_pc: Agency | None) -> Any:
    def link(data: ProcedureData, field_name: str, name: str) -> Agency | None:
        egov = data.payload.get("_egov") if isinstance(data.payload, dict) else None
        level_key = egov.get("level_key") if isinstance(egov, dict) else None
        if (
            field_name == "implementing_agency"
            and level_key == ProcedureLevel.DISTRICT
            and district_pc is not None
        ):
            return district_pc
        return None

    return link


def seed_procedures(*, force: bool = False, path: Path = CATALOGUE_FILE) -> ImportResult:
    """Load the demo catalogue as published versions (existing codes are skipped)."""
    if not force and not getattr(settings, "EGOV_DEMO", False):
        raise SeedDisabledError(
            _(
                "Dữ liệu mẫu đang tắt (EGOV_DEMO=False): không nạp danh mục thủ tục mẫu trên hệ "
                "thống thật. Dùng --force nếu thật sự cần."
            )
        )
    parsed = national_json.parse(path.read_bytes())
    for data in parsed.procedures:
        complete_decision(data)
    district_pc = district_peoples_committee()
    options = ImportOptions(
        actor=None,
        responsible_agency=district_pc,
        on_existing="skip",
        publish=True,
        allow_backdate=True,
        source=f"seed_procedures: {path.name}",
        link_agency=_linker(district_pc),
    )
    return import_procedures(parsed, options)
