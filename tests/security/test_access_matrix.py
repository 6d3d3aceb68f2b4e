"""The access matrix (OWASP ASVS 4.0 V4): every route that names an object × the actors who
must not reach it.

For each route of ``ROUTES`` the world (``conftest.build_matrix_world``) holds a real object
of commune A or of citizen A; the positive control proves its owner can open it.  Then every
outsider (anonymous, citizen B, commune B's staff) and every wrong role (a specialist on a
leader's step, a portal editor on the one-stop console…) sends each method the route
accepts, and the test asserts:

* **no read, no write**: a refusal status (a redirect to the login page for anonymous
  visitors of pages, 401 on the API, 403/404/405/409 otherwise — never 2xx, never 500), no
  business row changed (a snapshot of every ``egov`` table except the audit log, which may
  only gain ``…access_denied`` rows) and no file stored;
* **no existence leak** (``hidden`` outsiders): the same request for an object that does
  not exist (a ghost id of the same shape) answers exactly alike — same status, same
  redirect target, the same JSON once the ids are swapped — and the refusal shows none of
  the object's identifying data (applicant's name, ID number, file name…).

``test_every_object_route_is_in_the_matrix`` walks the URL resolver (pages and the API) and
fails when a route that takes a parameter is neither in ``ROUTES`` nor in ``EXEMPT`` (with
the reason written next to it): a new object route cannot ship without a row here.
"""

from __future__ import annotations

import json
import re
import uuid as uuid_lib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

W = SimpleNamespace
Kwargs = Callable[[W], dict[str, Any]]

GHOST_CODE = "000.21.03.T99-261128-9999"
GHOST_UUID = uuid_lib.UUID("00000000-0000-4000-8000-00000000dead")
GHOST_PK = 987654
GHOST_TOKEN = "WyJlbWFpbCIsIm5vYm9keUBleGFtcGxlLnZuIl0:forgedforgedforgedforgedforgedforged"

#: Identifying data of the world's objects: none may appear in a refusal.
SECRETS = (
    "Trịnh Văn Bảo Mật",
    "Đoàn Thị Riêng Tư",
    "049090777001",
    "049090777002",
    "0905777002",
    "Công ty Kín Đáo",
    "0101248141",
    "ket-qua-mat.pdf",
    "Nghỉ bù xã An Phú",
    "Cổng từ chối",
    "Không có thủ tục",
    "goi.json",
    "Nguyễn Thị Hà",
)

#: Who plays each actor (``None``: not signed in).
ACTOR_USERS: dict[str, Callable[[W], Any]] = {
    "anonymous": lambda w: None,
    "citizen_a": lambda w: w.citizen_a,
    "citizen_b": lambda w: w.citizen_b,
    "clerk_a": lambda w: w.office.clerk,
    "clerk_b": lambda w: w.office.clerk_b,
    "specialist_a": lambda w: w.office.specialist,
    "specialist_b": lambda w: w.office.specialist_b,
    "editor_a": lambda w: w.editor_a,
    "editor_b": lambda w: w.editor_b,
    "admin_a": lambda w: w.admin_a,
    "admin_b": lambda w: w.admin_b,
    "leader_a": lambda w: w.office.leader,
    "sysadmin": lambda w: w.office.sysadmin,
}

CITIZEN_OUTSIDERS = ("anonymous", "citizen_b", "clerk_b")
STAFF_OUTSIDERS = ("anonymous", "citizen_a", "clerk_b", "specialist_b", "admin_b")
API_CITIZEN_OUTSIDERS = ("anonymous", "citizen_b", "clerk_b")
API_STAFF_OUTSIDERS = ("anonymous", "citizen_a", "clerk_b", "specialist_b")
#: A result file: commune A's staff and citizen A (whose dossier it answers) may read it.
FILE_OUTSIDERS = ("anonymous", "citizen_b", "clerk_b", "specialist_b")


@dataclass(frozen=True)
class Route:
    """One object route of the matrix.

    ``target`` gives the URL kwargs of the real object, ``ghost`` those of one that does
    not exist; ``hidden`` actors must not learn the object exists, ``roles`` may know it
    exists (it is public, or in their unit) but must not act on it.  ``owner`` opens the
    target with GET (positive control: the object is real and reachable).
    """

    name: str
    target: Kwargs
    ghost: Kwargs
    methods: tuple[str, ...] = ("GET",)
    hidden: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    owner: str | None = None
    #: Of ``roles``, those who may read the object (they only must not change it).
    readers: tuple[str, ...] = ()
    api: bool = False
    data: Callable[[W], dict[str, Any]] = field(default=lambda w: {})


def _code(attr: str) -> Kwargs:
    return lambda w: {"code": getattr(w, attr).code}


def _ghost_code(w: W) -> dict[str, Any]:
    return {"code": GHOST_CODE}


def _pk(attr: str, key: str = "pk") -> Kwargs:
    return lambda w: {key: _get(w, attr).pk}


def _ghost_pk(key: str = "pk") -> Kwargs:
    return lambda w: {key: GHOST_PK}


def _uuid(attr: str, key: str = "uuid") -> Kwargs:
    return lambda w: {key: _get(w, attr).uuid}


def _ghost_uuid(key: str = "uuid") -> Kwargs:
    return lambda w: {key: GHOST_UUID}


def _get(w: W, dotted: str) -> Any:
    value: Any = w
    for part in dotted.split("."):
        value = getattr(value, part)
    return value


def _both(*parts: Kwargs) -> Kwargs:
    def merged(w: W) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for part in parts:
            out.update(part(w))
        return out

    return merged


def _const(**values: Any) -> Kwargs:
    return lambda w: dict(values)


def _draft_file(w: W) -> dict[str, Any]:
    documents = w.draft.documents
    first = next(iter(documents.values()))
    return {"attachment_uuid": first[0]}


# --- The matrix -------------------------------------------------------------------------------

ROUTES: tuple[Route, ...] = (
    # --- attachments: /files/<uuid>/ and the API ---
    Route(
        "core:attachment_download",
        _uuid("result_file"),
        _ghost_uuid(),
        hidden=FILE_OUTSIDERS,
        owner="specialist_a",
    ),
    Route(
        "api-v1:detail",
        _uuid("result_file"),
        _ghost_uuid(),
        hidden=FILE_OUTSIDERS,
        owner="specialist_a",
        api=True,
    ),
    Route(
        "api-v1:content",
        _uuid("result_file"),
        _ghost_uuid(),
        hidden=FILE_OUTSIDERS,
        owner="specialist_a",
        api=True,
    ),
    # --- the one-stop console: a dossier of commune A ---
    Route(
        "egov_dossiers:detail",
        _code("at_leader"),
        _ghost_code,
        hidden=STAFF_OUTSIDERS,
        roles=("editor_a",),
        owner="leader_a",
    ),
    Route(
        "egov_dossiers:action",
        _both(_code("at_leader"), _const(action="forward")),
        _both(_ghost_code, _const(action="forward")),
        methods=("GET", "POST"),
        hidden=STAFF_OUTSIDERS,
        # A specialist of the same commune on the leader's step; an editor of the portal.
        roles=("specialist_a", "editor_a"),
        readers=("specialist_a",),
        data=lambda w: {"lock_version": w.at_leader.lock_version, "note": "Chuyển"},
    ),
    Route(
        "egov_dossiers:form_pdf",
        _both(_code("at_leader"), _const(form="receipt")),
        _both(_ghost_code, _const(form="receipt")),
        hidden=STAFF_OUTSIDERS,
        roles=("editor_a",),
        owner="leader_a",
    ),
    Route(
        "egov_dossiers:intake_online",
        _code("waiting"),
        _ghost_code,
        methods=("GET", "POST"),
        hidden=STAFF_OUTSIDERS,
        roles=("editor_a",),
        owner="clerk_a",
    ),
    Route(
        "egov_dossiers:intake_done",
        _code("at_leader"),
        _ghost_code,
        hidden=STAFF_OUTSIDERS,
        roles=("editor_a",),
        owner="clerk_a",
    ),
    # --- the one-stop API ---
    Route(
        "api-v1:dossier_detail",
        _code("at_leader"),
        _ghost_code,
        hidden=API_STAFF_OUTSIDERS,
        roles=("editor_a",),
        owner="leader_a",
        api=True,
    ),
    Route(
        "api-v1:dossier_action",
        _both(_code("at_leader"), _const(action="forward")),
        _both(_ghost_code, _const(action="forward")),
        methods=("POST",),
        hidden=API_STAFF_OUTSIDERS,
        roles=("specialist_a", "editor_a"),
        readers=("specialist_a",),
        api=True,
        data=lambda w: {"version": w.at_leader.lock_version},
    ),
    Route(
        "api-v1:dossier_form",
        _both(_code("at_leader"), _const(form="receipt")),
        _both(_ghost_code, _const(form="receipt")),
        hidden=API_STAFF_OUTSIDERS,
        roles=("editor_a",),
        owner="leader_a",
        api=True,
    ),
    # --- the citizen's dossiers ("Hồ sơ của tôi") ---
    Route(
        "eservices:my_dossier",
        _code("resolved"),
        _ghost_code,
        hidden=CITIZEN_OUTSIDERS,
        owner="citizen_a",
    ),
    Route(
        "eservices:dossier_pay",
        _code("waiting"),
        _ghost_code,
        methods=("GET", "POST"),
        hidden=CITIZEN_OUTSIDERS,
    ),
    Route(
        "eservices:dossier_supplement",
        _code("waiting"),
        _ghost_code,
        methods=("GET", "POST"),
        hidden=CITIZEN_OUTSIDERS,
    ),
    Route(
        "eservices:dossier_withdraw",
        _code("waiting"),
        _ghost_code,
        methods=("GET", "POST"),
        hidden=CITIZEN_OUTSIDERS,
        data=lambda w: {"reason": "Không cần nữa", "lock_version": w.waiting.lock_version},
    ),
    Route(
        "eservices:dossier_rate",
        _code("resolved"),
        _ghost_code,
        methods=("GET", "POST"),
        hidden=CITIZEN_OUTSIDERS,
        data=lambda w: {"score": "5", "comment": "Tốt"},
    ),
    Route(
        "eservices:dossier_result_download",
        _both(_code("resolved"), _uuid("result_file")),
        _both(_ghost_code, _ghost_uuid()),
        hidden=CITIZEN_OUTSIDERS,
        owner="citizen_a",
    ),
    Route(
        "eservices:receipt_pdf",
        _code("waiting"),
        _ghost_code,
        hidden=CITIZEN_OUTSIDERS,
        owner="citizen_a",
    ),
    Route(
        "api-v1:my_dossier_detail",
        _code("resolved"),
        _ghost_code,
        hidden=API_CITIZEN_OUTSIDERS,
        owner="citizen_a",
        api=True,
    ),
    Route(
        "api-v1:my_dossier_receipt",
        _code("waiting"),
        _ghost_code,
        hidden=API_CITIZEN_OUTSIDERS,
        owner="citizen_a",
        api=True,
    ),
    Route(
        "api-v1:my_dossier_pay",
        _code("waiting"),
        _ghost_code,
        methods=("POST",),
        hidden=API_CITIZEN_OUTSIDERS,
        api=True,
        data=lambda w: {"return_url": "/dich-vu-cong/"},
    ),
    Route(
        "api-v1:my_dossier_rate",
        _code("resolved"),
        _ghost_code,
        methods=("POST",),
        hidden=API_CITIZEN_OUTSIDERS,
        api=True,
        data=lambda w: {
            "overall": "satisfied",
            "ease_of_use": 5,
            "staff_conduct": 5,
            "contacts": 1,
            "comment": "Tốt",
        },
    ),
    # --- drafts (the submission wizard) ---
    Route(
        "eservices:draft_step",
        _both(_uuid("draft"), _const(step="applicant")),
        _both(_ghost_uuid(), _const(step="applicant")),
        methods=("GET", "POST"),
        hidden=CITIZEN_OUTSIDERS,
        owner="citizen_a",
        data=lambda w: {"full_name": "Kẻ Lạ", "lock_version": w.draft.lock_version},
    ),
    Route(
        "eservices:draft_submitted",
        _uuid("draft"),
        _ghost_uuid(),
        hidden=CITIZEN_OUTSIDERS,
    ),
    Route(
        "api-v1:draft_detail",
        _uuid("draft"),
        _ghost_uuid(),
        hidden=API_CITIZEN_OUTSIDERS,
        owner="citizen_a",
        api=True,
    ),
    Route(
        "api-v1:draft_update",
        _uuid("draft"),
        _ghost_uuid(),
        methods=("PATCH",),
        hidden=API_CITIZEN_OUTSIDERS,
        api=True,
        data=lambda w: {"lock_version": w.draft.lock_version, "applicant": {"full_name": "X"}},
    ),
    Route(
        "api-v1:draft_delete",
        _uuid("draft"),
        _ghost_uuid(),
        methods=("DELETE",),
        hidden=API_CITIZEN_OUTSIDERS,
        api=True,
    ),
    Route(
        "api-v1:draft_attach",
        _uuid("draft"),
        _ghost_uuid(),
        methods=("POST",),
        hidden=API_CITIZEN_OUTSIDERS,
        api=True,
        data=lambda w: {"document": "1", "attachment_uuid": str(w.result_file.uuid)},
    ),
    Route(
        "api-v1:draft_detach",
        _both(_uuid("draft"), _draft_file),
        _both(_ghost_uuid(), _draft_file),
        methods=("DELETE",),
        hidden=API_CITIZEN_OUTSIDERS,
        api=True,
    ),
    Route(
        "api-v1:draft_submit",
        _uuid("draft"),
        _ghost_uuid(),
        methods=("POST",),
        hidden=API_CITIZEN_OUTSIDERS,
        api=True,
    ),
    # --- businesses ---
    *(
        Route(
            f"eservices:{name}",
            _pk("business"),
            _ghost_pk(),
            methods=methods,
            hidden=CITIZEN_OUTSIDERS,
            owner=owner,
            data=lambda w: {"name": "Công ty Bị Chiếm", "identifier": "congdan_b"},
        )
        for name, methods, owner in (
            ("business_detail", ("GET",), "citizen_a"),
            ("business_update", ("GET", "POST"), "citizen_a"),
            ("business_leave", ("GET", "POST"), None),
            ("business_member_add", ("GET", "POST"), None),
        )
    ),
    *(
        Route(
            f"eservices:{name}",
            _both(_pk("business"), _pk("business_member", "member_pk")),
            _both(_ghost_pk(), _ghost_pk("member_pk")),
            methods=("GET", "POST"),
            hidden=CITIZEN_OUTSIDERS,
            data=lambda w: {"role": "member"},
        )
        for name in ("business_member_role", "business_member_remove")
    ),
    *(
        Route(
            f"api-v1:{name}",
            _pk("business", "business_id"),
            _ghost_pk("business_id"),
            methods=methods,
            hidden=API_CITIZEN_OUTSIDERS,
            owner=owner,
            api=True,
            data=lambda w: {
                "tax_code": "0101248141",
                "name": "Công ty Bị Chiếm",
                "lock_version": 1,
                "identifier": "congdan_b",
            },
        )
        for name, methods, owner in (
            ("business_detail", ("GET",), "citizen_a"),
            ("business_update", ("PATCH",), None),
            ("member_list", ("GET",), "citizen_a"),
            ("member_add", ("POST",), None),
            ("business_leave", ("POST",), None),
        )
    ),
    *(
        Route(
            f"api-v1:{name}",
            _both(_pk("business", "business_id"), _pk("business_member", "member_id")),
            _both(_ghost_pk("business_id"), _ghost_pk("member_id")),
            methods=methods,
            hidden=API_CITIZEN_OUTSIDERS,
            api=True,
            data=lambda w: {"role": "member"},
        )
        for name, methods in (("member_role", ("PATCH",)), ("member_remove", ("DELETE",)))
    ),
    # --- payments ---
    Route(
        "payments:demo_gateway",
        lambda w: {"order_id": w.payment.order_id},
        _const(order_id="2611280000000000DEAD"),
        methods=("GET", "POST"),
        hidden=CITIZEN_OUTSIDERS,
        owner="citizen_a",
        data=lambda w: {"decision": "pay"},
    ),
    Route(
        "api-v1:payment_detail",
        lambda w: {"order_id": w.payment.order_id},
        _const(order_id="2611280000000000DEAD"),
        hidden=API_CITIZEN_OUTSIDERS,
        owner="citizen_a",
        api=True,
    ),
    # --- bookings ---
    Route(
        "bookings:detail",
        _code("booking"),
        _const(code="LH-261207-9999"),
        hidden=CITIZEN_OUTSIDERS,
        owner="citizen_a",
    ),
    Route(
        "bookings:cancel",
        _code("booking"),
        _const(code="LH-261207-9999"),
        methods=("GET", "POST"),
        hidden=CITIZEN_OUTSIDERS,
    ),
    Route(
        "api-v1:cancel",
        _code("booking"),
        _const(code="LH-261207-9999"),
        methods=("POST",),
        hidden=API_CITIZEN_OUTSIDERS,
        api=True,
    ),
    # A booking link's token is the credential: a forged one (the real token, one letter
    # changed) answers like a random one.
    *(
        Route(
            f"bookings:{name}",
            lambda w: {
                "token": w.booking_token[:-1] + ("A" if w.booking_token[-1] != "A" else "B")
            },
            _const(token="tokenkhongtontaitokenkhong"),
            methods=methods,
            hidden=("anonymous", "citizen_b"),
        )
        for name, methods in (("by_token", ("GET",)), ("cancel_by_token", ("GET", "POST")))
    ),
    Route(
        "bookings:by_token",
        lambda w: {"token": w.booking_token},
        _const(token="tokenkhongtontaitokenkhong"),
        owner="anonymous",
    ),
    Route(
        "egov_bookings:mark",
        _pk("booking", "booking_id"),
        _ghost_pk("booking_id"),
        methods=("POST",),
        hidden=("anonymous", "citizen_a", "clerk_b", "admin_b"),
        roles=("editor_a",),
        data=lambda w: {"status": "attended"},
    ),
    Route(
        "egov_bookings:schedule_edit",
        lambda w: {"agency_id": w.office.desk_a.pk},
        _ghost_pk("agency_id"),
        methods=("GET", "POST"),
        hidden=("anonymous", "citizen_a", "clerk_b", "admin_b"),
        roles=("clerk_a", "editor_a"),
        owner="admin_a",
    ),
    # --- notifications ---
    *(
        Route(
            f"notifications_{name}",
            _const(token=None),
            _const(token=GHOST_TOKEN),
            methods=("GET", "POST"),
            hidden=("anonymous", "citizen_b"),
        )
        for name in ("unsubscribe", "resubscribe")
    ),
    Route(
        "egov_notifications:message",
        _uuid("log_message"),
        _ghost_uuid(),
        hidden=STAFF_OUTSIDERS,
        roles=("clerk_a", "admin_a"),
        owner="sysadmin",
    ),
    Route(
        "egov_notifications:resend",
        _uuid("log_message"),
        _ghost_uuid(),
        methods=("POST",),
        hidden=STAFF_OUTSIDERS,
        roles=("clerk_a", "admin_a"),
    ),
    Route(
        "egov_notifications:bell_read",
        _uuid("bell_message"),
        _ghost_uuid(),
        methods=("POST",),
        hidden=("anonymous", "citizen_a", "clerk_b", "specialist_a", "admin_a"),
    ),
    *(
        Route(
            f"egov_notifications:{name}",
            _const(event="dossiers.received", channel="sms", language="vi"),
            _const(event="khong.ton.tai", channel="sms", language="vi"),
            methods=methods,
            hidden=("anonymous", "citizen_a"),
            roles=("clerk_a", "admin_b"),
            owner="sysadmin" if name == "template_edit" else None,
            data=lambda w: {"body": "Tin nhắn giả mạo {code}"},
        )
        for name, methods in (
            ("template_edit", ("GET", "POST")),
            ("template_preview", ("POST",)),
            ("template_reset", ("POST",)),
        )
    ),
    # --- national-portal sync console ---
    *(
        Route(
            f"egov_dvcqg:{name}",
            _uuid(attr),
            _ghost_uuid(),
            methods=methods,
            hidden=("anonymous", "citizen_a", "clerk_b", "admin_b"),
            roles=("clerk_a",),
            owner="admin_a" if methods == ("GET",) else None,
        )
        for name, attr, methods in (
            ("item", "sync_item", ("GET",)),
            ("item_replay", "sync_item", ("POST",)),
            ("inbound", "inbound", ("GET",)),
            ("inbound_retry", "inbound", ("POST",)),
        )
    ),
    Route(
        "api-v1:file_download",
        _const(token=None),
        _const(token=GHOST_TOKEN),
        hidden=("anonymous", "citizen_b"),
        api=True,
    ),
    # --- the unit-admin console ---
    *(
        Route(
            f"egov_units:{name}",
            _pk(attr),
            _ghost_pk(),
            methods=methods,
            hidden=("anonymous", "citizen_a", "admin_b"),
            roles=("clerk_a", "editor_a"),
            owner="admin_a" if "GET" in methods else None,
            data=lambda w: {"last_name": "Bị", "first_name": "Chiếm", "name": "Bị chiếm"},
        )
        for name, attr, methods in (
            ("staff_edit", "office.clerk", ("GET", "POST")),
            ("staff_deactivate", "office.clerk", ("GET", "POST")),
            ("staff_reactivate", "office.clerk", ("GET", "POST")),
            ("position_assign", "office.clerk", ("GET", "POST")),
            ("position_end", "clerk_position", ("GET", "POST")),
            ("agency_edit", "office.desk_a", ("GET", "POST")),
            ("department_edit", "department", ("GET", "POST")),
            ("calendar_delete", "calendar_entry", ("GET", "POST")),
            ("calendar_hours_delete", "hours", ("GET", "POST")),
        )
    ),
    Route(
        "egov_units:department_create",
        _pk("office.pc_a", "agency_pk"),
        _ghost_pk("agency_pk"),
        methods=("GET", "POST"),
        hidden=("anonymous", "citizen_a", "admin_b"),
        roles=("clerk_a",),
        owner="admin_a",
        data=lambda w: {"code": "bi-chiem", "name": "Phòng bị chiếm"},
    ),
    Route(
        "wagtailusers_users:edit",
        _pk("office.clerk"),
        _ghost_pk(),
        methods=("GET", "POST"),
        hidden=("anonymous", "citizen_a"),
        roles=("clerk_b", "admin_b", "editor_a"),
        data=lambda w: {"first_name": "Bị chiếm", "email": "chiem@example.vn"},
    ),
    Route(
        "audit:inspect",
        _pk("audit_event"),
        _ghost_pk(),
        hidden=("anonymous", "citizen_a", "clerk_b", "admin_b"),
        roles=("editor_a",),
        owner="sysadmin",
    ),
    # --- procedure import jobs (one user's upload) ---
    *(
        Route(
            f"egov_procedures_io:{name}",
            _uuid("import_job"),
            _ghost_uuid(),
            hidden=("anonymous", "citizen_a", "admin_b", "clerk_b"),
            roles=("clerk_a",),
            owner="admin_a",
        )
        for name in ("job", "job_status")
    ),
    # --- API tokens: another user's token prefix ---
    Route(
        "api-v1:token_revoke",
        lambda w: {"prefix": w.token_prefix_a},
        _const(prefix="0123456789ab"),
        methods=("DELETE",),
        hidden=("anonymous", "citizen_b", "clerk_b"),
        api=True,
    ),
    # --- portal pages in the CMS: another commune's editor (pages are public: 403 is fine) ---
    Route(
        "admin/pages/<int:page_id>/edit/",
        lambda w: {"page_id": w.home_a.pk},
        _ghost_pk("page_id"),
        methods=("GET", "POST"),
        hidden=("anonymous", "citizen_a"),
        roles=("editor_b", "clerk_a"),
        owner="editor_a",
        data=lambda w: {"title": "Trang bị chiếm", "slug": "bi-chiem"},
    ),
)


# --- Routes that take a parameter but name no protected object --------------------------------

#: Whole modules whose object routes are not ours: the CMS (Wagtail checks its own
#: page/collection/snippet permissions; the portal's override of the page editor is in
#: ``ROUTES``), allauth's sign-in links (one-time keys mailed to the user), ninja's plumbing.
EXEMPT_MODULES = ("wagtail.", "allauth.", "django.")

EXEMPT: dict[str, str] = {
    # Public catalogue: a procedure code is public, and the pages only read published data.
    "eservices:procedure_detail": "public procedure page",
    "eservices:draft_start": "starts a new draft of a public procedure for the signed-in user",
    "egov_dossiers:intake_form": "the desk's intake form of a public procedure (no record)",
    "api-v1:procedure_detail": "public catalogue API",
    "api-v1:procedure_expected_return": "public catalogue API",
    "api-v1:procedure_form": "public form of a published procedure",
    "api-v1:draft_options": "options of a public procedure for a new draft",
    # Public lookup: code + the applicant's ID number; tested in eservices/test_lookup_api.
    "api-v1:public_dossier_lookup": "public lookup (code and the applicant's ID together)",
    # The catalogue console: procedures are public; rights are the catalogue editors'
    # (Django permissions, covered by procedures/tests/test_console.py).
    **{
        f"egov_procedures:{name}": "catalogue console: public procedures, permission-gated"
        for name in (
            "procedure_detail",
            "version_create_draft",
            "version_detail",
            "version_edit",
            "version_publish",
            "version_abolish",
            "version_delete",
            "part_create",
            "part_edit",
            "part_delete",
        )
    },
    # Fixed names, not objects: the lists behind them come from scoped selectors.
    "egov_dossiers:queue": "a queue name (the list is scoped by the user's units)",
    "portal:rss_category": "public news feed of a published index page",
    "portal:sitemap_section": "public sitemap section",
    # Signed server-to-server callback: the gateway's signature is checked, not a user.
    "api-v1:payments_callback": "payment gateway callback (signature verified)",
    # ninja's catch-all answering 404 for unknown API paths.
    "api-v1:not-found": "the API's 404 for unknown paths",
}


# --- Helpers ----------------------------------------------------------------------------------


def _route_key(pattern: URLPattern, namespace: str | None) -> str | None:
    if pattern.name:
        return f"{namespace}:{pattern.name}" if namespace else pattern.name
    return None


def _walk(resolver: URLResolver, prefix: str = "", namespace: str | None = None) -> Iterator[Any]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry, prefix + str(entry.pattern), ns)
        else:
            yield prefix + str(entry.pattern), _route_key(entry, namespace), entry


def object_routes() -> dict[str, str]:
    """Every route with a parameter: key (name, or path when unnamed) → module of its view."""
    found: dict[str, str] = {}
    for route, key, entry in _walk(get_resolver()):
        if not re.search(r"<\w|\(\?P<", route):
            continue
        module = getattr(entry.callback, "__module__", "") or ""
        if module.startswith("ninja."):  # ninja's operation views live in ninja.operation
            module = "egov.api"
        found[key or route] = module
    return found


def _url(route: Route, kwargs: dict[str, Any]) -> str:
    if route.name.startswith("admin/"):
        path = "/" + route.name
        for key, value in kwargs.items():
            path = re.sub(rf"<(\w+:)?{key}>", str(value), path)
        return path
    return reverse(route.name, kwargs=kwargs)


def _resolve_kwargs(route: Route, w: W, ghost: bool) -> dict[str, Any]:
    kwargs = (route.ghost if ghost else route.target)(w)
    if "token" in kwargs and kwargs["token"] is None:  # a forged copy of a real token
        real = w.optout_token if route.name.startswith("notifications_") else w.dvcqg_file_token
        kwargs["token"] = real[:-4] + ("AAAA" if not real.endswith("AAAA") else "BBBB")
    return kwargs


def _client(w: W, actor: str, api: bool) -> tuple[Client, dict[str, str]]:
    client = Client()
    user = ACTOR_USERS[actor](w)
    headers: dict[str, str] = {}
    if user is not None:
        if api:
            from egov.api.services import api_token_issue

            raw = w.tokens.get(actor) or api_token_issue(user=user, name="matrix").raw
            headers["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
        else:
            client.force_login(user)
    return client, headers


def _send(client: Client, method: str, url: str, data: dict[str, Any], api: bool, headers: Any):
    if method == "GET":
        return client.get(url, **headers)
    if api:
        return client.generic(
            method, url, json.dumps(data), content_type="application/json", **headers
        )
    return getattr(client, method.lower())(url, data, **headers)


#: Tables no matrix route writes to by design and that are large (the seeded catalogue and
#: administrative units) or change on every request (the audit log — checked apart — and
#: the API tokens' last use); derived statistics are rebuilt from dossiers.
SNAPSHOT_SKIP = ("audit.", "api.apitoken", "procedures.", "statistics.")
SNAPSHOT_SKIP_EXACT = {"organizations.administrativeunit"}
#: Wagtail's tables the page editor writes to.
SNAPSHOT_EXTRA = ("wagtailcore.page", "wagtailcore.revision", "wagtailcore.pagelogentry")


def _snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the ``egov`` tables (see ``SNAPSHOT_SKIP``) and of Wagtail's pages."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        ours = model.__module__.startswith("egov.") and not model._meta.proxy
        if label not in SNAPSHOT_EXTRA and not ours:
            continue
        if label.startswith(SNAPSHOT_SKIP) or label in SNAPSHOT_SKIP_EXACT:
            continue
        out[label] = list(model._base_manager.order_by("pk").values_list())
    return out


def _files() -> set[str]:
    def walk(path: str) -> Iterator[str]:
        dirs, files = default_storage.listdir(path)
        for name in files:
            yield f"{path}/{name}"
        for name in dirs:
            yield from walk(f"{path}/{name}" if path else name)

    return set(walk(""))


def _denied_audit_only(before: int) -> None:
    from egov.core.audit.models import AuditEvent

    added = AuditEvent.objects.filter(pk__gt=before).values_list("action", flat=True)
    assert all(a.endswith("access_denied") for a in added), list(added)


def _body(response: Any) -> str:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return str(raw.decode("utf-8", "replace"))


def _swap(text: str, swaps: dict[str, str]) -> str:
    """``text`` with each real id replaced by its ghost: whole tokens only (not inside 65, a
    ghost already put in or a code like 1.001122; ``.pdf`` after an id is fine) and in one
    pass (on PostgreSQL the sequences give ids that collide that way)."""
    if not swaps:
        return text
    reals = sorted(swaps, key=len, reverse=True)
    pattern = "|".join(re.escape(r) for r in reals)
    token = re.compile(rf"(?<![0-9A-Za-z._-])(?:{pattern})(?![0-9A-Za-z_-])(?!\.[0-9])")
    return token.sub(lambda m: swaps[m.group(0)], text)


def _normalised(response: Any, swaps: dict[str, str]) -> str:
    return _swap(_body(response), swaps)


LOGIN = "/accounts/login/"


def _refused(response: Any, actor: str, api: bool, redirect_to_detail: bool = False) -> None:
    status = response.status_code
    assert status != 500
    if not api and status == 302:
        location = response["Location"]
        # Signed out, or signed in without access to the console: the login page; Wagtail's
        # own "no permission" answer: back to the dashboard; a GET of an action URL: the
        # dossier's page (a route of its own in the matrix).
        assert (
            location.startswith((LOGIN, "/admin/login/"))
            or location == "/admin/"
            or (redirect_to_detail and location.startswith("/admin/dossiers/"))
        ), location
        return
    allowed = {401} if (actor == "anonymous" and api) else set()
    allowed |= {400, 403, 404, 405, 409, 422}
    assert status in allowed, (status, response.content[:300])


# --- The tests ---------------------------------------------------------------------------------


def _cases() -> Iterator[Any]:
    for route in ROUTES:
        for actor in route.hidden:
            for method in route.methods:
                yield pytest.param(route, actor, method, True, id=f"{route.name}-{actor}-{method}")
        for actor in route.roles:
            for method in route.methods:
                yield pytest.param(
                    route, actor, method, False, id=f"{route.name}-{actor}-{method}-role"
                )


@pytest.fixture
def world(matrix_world: W, db: Any) -> Iterator[W]:
    cache.clear()  # rate limits and lock-outs live in the cache
    yield matrix_world
    cache.clear()


@pytest.mark.parametrize(("route", "actor", "method", "hidden"), list(_cases()))
def test_outsider_is_refused_without_leak(
    world: W, route: Route, actor: str, method: str, hidden: bool
) -> None:
    from egov.core.audit.models import AuditEvent

    client, headers = _client(world, actor, route.api)
    target = _resolve_kwargs(route, world, ghost=False)
    data = route.data(world)
    writes = method != "GET"
    if writes:
        rows, files = _snapshot(), _files()
        last_audit = AuditEvent.objects.order_by("pk").values_list("pk", flat=True).last() or 0

    response = _send(client, method, _url(route, target), data, route.api, headers)
    _refused(response, actor, route.api, route.name == "egov_dossiers:action")
    body = _body(response)
    if actor not in route.readers:
        leaked = [s for s in SECRETS if s in body]
        assert not leaked, leaked

    if writes:
        assert _snapshot() == rows
        assert _files() == files
        _denied_audit_only(last_audit)

    if not hidden:
        return
    ghost = _resolve_kwargs(route, world, ghost=True)
    swaps = {str(v): str(ghost[k]) for k, v in target.items() if str(v) != str(ghost[k])}
    other = _send(client, method, _url(route, ghost), data, route.api, headers)
    assert response.status_code == other.status_code, (
        response.status_code,
        other.status_code,
        body[:300],
    )
    if response.status_code in (301, 302):
        assert _normalised_location(response, swaps) == other["Location"]
    if response.get("Content-Type", "").startswith("application/json"):
        assert json.loads(_normalised(response, swaps)) == json.loads(other.content)


def _normalised_location(response: Any, swaps: dict[str, str]) -> str:
    encoded = {r.replace(":", "%3A"): g.replace(":", "%3A") for r, g in swaps.items()}
    return _swap(str(response["Location"]), {**swaps, **encoded})


@pytest.mark.parametrize("route", [r for r in ROUTES if r.owner], ids=lambda r: r.name)
def test_owner_reaches_the_object(world: W, route: Route) -> None:
    """The positive control: every refusal above is about a real, reachable object."""
    assert route.owner is not None
    client, headers = _client(world, route.owner, route.api)
    response = _send(
        client, "GET", _url(route, _resolve_kwargs(route, world, False)), {}, route.api, headers
    )
    if response.status_code == 302:  # e.g. a result file handed over to /files/<uuid>/
        assert not response["Location"].startswith(LOGIN), response["Location"]
    else:
        assert response.status_code == 200, (response.status_code, response.content[:300])


def test_every_object_route_is_in_the_matrix() -> None:
    covered = {route.name for route in ROUTES}
    missing = sorted(
        key
        for key, module in object_routes().items()
        if key not in covered
        and key not in EXEMPT
        and not (module.startswith(EXEMPT_MODULES) and not key.startswith(tuple(EGOV_PREFIXES)))
    )
    assert not missing, (
        "Routes that take a parameter but are neither in the access matrix (ROUTES) nor "
        f"exempt (EXEMPT, with the reason): {missing}"
    )
    stale = sorted((covered | set(EXEMPT)) - set(object_routes()))
    assert not stale, f"Matrix rows for routes that no longer exist: {stale}"


#: Namespaces that are ours even when the view class comes from Wagtail's generic views.
EGOV_PREFIXES = ("egov_", "audit:", "eservices:", "payments:", "bookings:", "api-v1:", "core:")


@pytest.mark.parametrize("actor", ["clerk_b", "admin_b", "citizen_a", "editor_a"])
def test_statistics_drilldown_of_another_commune_lists_nothing(world: W, actor: str) -> None:
    """The drill-down takes its unit from the query string, not the path: the resolver walk
    does not see it, so it has its own case.  Unit codes are public (national codes), so
    only "no read" is asserted: a refusal, and none of commune A's dossier codes."""
    client, _headers = _client(world, actor, api=False)
    url = reverse("egov_statistics:drilldown")
    query = {"unit": world.office.commune_a.code, "column": "received_total", "period": "year"}
    response = client.get(url, query)
    _refused(response, actor, api=False)
    body = _body(response)
    codes = [d.code for d in (world.at_leader, world.waiting, world.resolved) if d.code in body]
    assert not codes
    assert not [s for s in SECRETS if s in body]
