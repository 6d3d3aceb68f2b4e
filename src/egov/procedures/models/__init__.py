"""Models of the procedure catalogue (see the README for the diagram)."""

from egov.procedures.models.catalogue import (
    LegalBasis,
    Procedure,
    ProcedureResult,
    ProcedureVersion,
    Sector,
    procedure_code_validator,
)
from egov.procedures.models.content import (
    ChannelOption,
    Fee,
    ProcedureCase,
    ProcedureStep,
    RequiredDocument,
)
from egov.procedures.models.process import ProcessStep, ProcessTemplate

__all__ = [
    "ChannelOption",
    "Fee",
    "LegalBasis",
    "Procedure",
    "ProcedureCase",
    "ProcedureResult",
    "ProcedureStep",
    "ProcedureVersion",
    "ProcessStep",
    "ProcessTemplate",
    "RequiredDocument",
    "Sector",
    "procedure_code_validator",
]
