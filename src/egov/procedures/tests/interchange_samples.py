"""Sample files for the import/export tests (national JSON procedures, database counts)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from django.utils import timezone

from egov.core.audit.models import AuditEvent
from egov.procedures.models import (
    ChannelOption,
    Fee,
    LegalBasis,
    Procedure,
    ProcedureCase,
    ProcedureResult,
    ProcedureStep,
    ProcedureVersion,
    ProcessStep,
    ProcessTemplate,
    RequiredDocument,
    Sector,
)

CATALOGUE = Path(__file__).resolve().parents[1] / "demo" / "catalogue.json"

_BASE: dict[str, Any] = {
    "MaTTHC": "1.900001",
    "TENTTHC": "Thủ tục thử nghiệm nhập",
    "LOAITTHC": 1,
    "CAPTHUCHIEN": [{"TENCAP": "Cấp xã"}],
    "LINHVUCTHUCHIEN": [{"TENLINHVUC": "Hộ tịch"}],
    "TRINHTUTHUCHIEN": [
        {"TRUONGHOP": "", "TRINHTU": [{"TENTRINHTU": "Nộp hồ sơ tại Bộ phận Một cửa"}]}
    ],
    "CACHTHUCTHUCHIEN": [
        {
            "KENH": 1,
            "THOIGIAN": [
                {
                    "THOIGIANGIAIQUYET": 3,
                    "DONVITINH": "Ngày làm việc",
                    "MOTA": "",
                    "PHILEPHI": [{"MOTA": "Lệ phí", "SOTIEN": 8000, "DONVI": "Đồng/bản"}],
                }
            ],
        }
    ],
    "THANHPHANHOSO": [
        {"TRUONGHOP": "", "GIAYTO": [{"TENGIAYTO": "Tờ khai", "SOBANCHINH": 1, "SOBANSAO": 0}]}
    ],
    "DOITUONGTHUCHIEN": [{"MADOITUONG": "ĐT1", "TENDOITUONG": "Công dân Việt Nam"}],
    "COQUANTHUCHIEN": [{"TENDONVI": "Ủy ban nhân dân cấp xã"}],
    "COQUANCOTHAMQUYEN": [],
    "COQUANDUOCUYQUYEN": [],
    "COQUANPHOIHOP": [],
    "DIACHITIEPNHAN": "Bộ phận Một cửa",
    "KETQUATHUCHIEN": [{"TENKETQUA": "Giấy xác nhận", "MAKETQUA": "KQ01"}],
    "CANCUPHAPLY": [
        {
            "SOVANBAN": "60/2014/QH13",
            "TENVANBAN": "Luật Hộ tịch",
            "NGAYBANHANH": "20/11/2014",
            "COQUANBANHANH": "Quốc hội",
        }
    ],
    "YEUCAU": "",
    "TUKHOA": "thử nghiệm",
    "MOTA": "",
    "SOQUYETDINH": "100/QĐ-UBND",
    "NGAYQUYETDINH": "",
    "TRICHYEU": "",
    "_egov": {
        "internal_process": [
            {"name": "Tiếp nhận", "role": "desk_clerk", "hours": 4, "parallel_group": None},
            {"name": "Xử lý", "role": "specialist", "hours": 12, "parallel_group": None},
        ]
    },
}


def national(code: str = "1.900001", **overrides: Any) -> dict[str, Any]:
    """A small valid procedure in the national format (decision dated today)."""
    item = copy.deepcopy(_BASE)
    item["MaTTHC"] = code
    item["NGAYQUYETDINH"] = timezone.localdate().isoformat()
    item.update(overrides)
    return item


def package(*items: dict[str, Any]) -> bytes:
    return json.dumps({"THUTUC": list(items)}, ensure_ascii=False).encode("utf-8")


def catalogue_bytes() -> bytes:
    return CATALOGUE.read_bytes()


def db_state() -> dict[str, int]:
    """Row counts of everything an import may write (to prove nothing was)."""
    models = (
        Procedure,
        ProcedureVersion,
        ProcedureCase,
        RequiredDocument,
        ProcedureStep,
        ChannelOption,
        Fee,
        ProcessTemplate,
        ProcessStep,
        LegalBasis,
        ProcedureResult,
        Sector,
        AuditEvent,
    )
    return {model.__name__: model.objects.count() for model in models}


def wipe_catalogue() -> None:
    """Remove every procedure (tests only: the catalogue itself never deletes versions)."""
    ProcedureVersion.objects.all().delete()
    Procedure.objects.all().delete()
