"""What other modules (online services, the national portal connector, statistics) use.

Writes go through the services (``dossier_submit``, ``dossier_act``,
``dossier_pay_online``); reads through the scoped selectors (a citizen sees their own
dossiers and those of the applicant groups they belong to).  The models are exported
for reading only (building an outbound payload, a list of one's own dossiers); nothing
outside this module saves them.
"""

from egov.dossiers.apps import DOSSIER_OWNER_TYPE
from egov.dossiers.constants import (
    NATIONAL_STATUS,
    OPEN_STATUSES,
    PAUSED_STATUSES,
    PAYABLE_STATUSES,
    TERMINAL_STATUSES,
    Action,
    ApplicantKind,
    Channel,
    NationalStatus,
    PauseKind,
    ResultKind,
    ReturnMethod,
    Status,
)
from egov.dossiers.errors import (
    DOSSIER_ERRORS,
    DossierConflict,
    DossierInvalid,
    DossierNotFound,
    DossierPermissionDenied,
    ErrorCode,
)
from egov.dossiers.hooks import (
    applicant_groups,
    applicant_groups_register,
    event_listener_register,
)
from egov.dossiers.lookup import LookupThrottle, PublicDossier, clean_check, public_dossier_get
from egov.dossiers.models import (
    Dossier,
    DossierComponent,
    DossierEvent,
    DossierFee,
    DossierPause,
    DossierResult,
)
from egov.dossiers.permissions import capacities, visible_dossiers
from egov.dossiers.printing.render import html_to_pdf
from egov.dossiers.selectors import dossier_get_for_user, dossier_timeline
from egov.dossiers.services import (
    ApplicantData,
    ComponentData,
    IntakeData,
    allowed_actions,
    dossier_act,
    dossier_ensure_visible,
    dossier_pay_online,
    dossier_submit,
    unpaid_amount,
)
from egov.dossiers.workflow import Actor

__all__ = [
    "DOSSIER_ERRORS",
    "DOSSIER_OWNER_TYPE",
    "NATIONAL_STATUS",
    "OPEN_STATUSES",
    "PAUSED_STATUSES",
    "PAYABLE_STATUSES",
    "TERMINAL_STATUSES",
    "Action",
    "Actor",
    "ApplicantData",
    "ApplicantKind",
    "Channel",
    "ComponentData",
    "Dossier",
    "DossierComponent",
    "DossierConflict",
    "DossierEvent",
    "DossierFee",
    "DossierInvalid",
    "DossierNotFound",
    "DossierPause",
    "DossierPermissionDenied",
    "DossierResult",
    "ErrorCode",
    "IntakeData",
    "LookupThrottle",
    "NationalStatus",
    "PauseKind",
    "PublicDossier",
    "ResultKind",
    "ReturnMethod",
    "Status",
    "allowed_actions",
    "applicant_groups",
    "applicant_groups_register",
    "capacities",
    "clean_check",
    "dossier_act",
    "dossier_ensure_visible",
    "dossier_get_for_user",
    "dossier_pay_online",
    "dossier_submit",
    "dossier_timeline",
    "event_listener_register",
    "html_to_pdf",
    "public_dossier_get",
    "unpaid_amount",
    "visible_dossiers",
]
