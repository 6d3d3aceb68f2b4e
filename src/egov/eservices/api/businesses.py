"""``/api/v1/me/businesses``: the token user's businesses and their members (as the pages).

``GET ""`` mine, ``POST ""`` register one (the caller becomes its owner),
``GET /{id}`` one with its members, ``PATCH /{id}`` update (``lock_version`` required),
``POST /{id}/members`` add a citizen by e-mail or phone, ``PATCH /{id}/members/{member_id}``
change a role, ``DELETE /{id}/members/{member_id}`` remove, ``POST /{id}/leave``.
A business the caller is not a member of is a 404; an owner's action by a plain member a
403; a stale ``lock_version`` a 409; bad input a 400 with ``details.field``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Path, Router, Schema, Status

from egov.api.errors import ApiError
from egov.api.schemas import ErrorOut
from egov.core.middleware import client_ip
from egov.eservices.businesses import selectors, services
from egov.eservices.businesses.errors import BusinessError
from egov.eservices.models import Business, BusinessMember, MemberRole

router = Router(tags=["Tổ chức, doanh nghiệp của tôi"])

ERRORS: dict[int | str, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


class BusinessIn(Schema):
    tax_code: str
    name: str
    address: str = ""
    phone: str = ""
    email: str = ""
    representative: str = ""


class BusinessUpdateIn(BusinessIn):
    lock_version: int


class MemberIn(Schema):
    identifier: str
    role: str = MemberRole.MEMBER


class RoleIn(Schema):
    role: str


class MemberOut(Schema):
    id: int
    full_name: str
    role: str
    role_label: str
    added_at: dt.datetime


class BusinessOut(Schema):
    id: int
    tax_code: str
    name: str
    address: str
    phone: str
    email: str
    representative: str
    applicant_group: str
    lock_version: int
    my_role: str


class BusinessDetailOut(BusinessOut):
    members: list[MemberOut]


#: A row id in the path: bounded like the database's bigint, so a huge number is a 422, not a
#: database overflow (found by tests/security/test_openapi_fuzz.py on SQLite).
RowId = Annotated[int, Path(ge=1, le=2**63 - 1)]


def _error(exc: BusinessError) -> ApiError:
    details = {"field": exc.field} if exc.field else None
    return ApiError(exc.code, exc.text, status=exc.status, details=details)


def _out(business: Business, role: str) -> BusinessOut:
    return BusinessOut(
        id=business.pk,
        tax_code=business.tax_code,
        name=business.name,
        address=business.address,
        phone=business.phone,
        email=business.email,
        representative=business.representative,
        applicant_group=business.applicant_group,
        lock_version=business.lock_version,
        my_role=role,
    )


def _member_out(member: BusinessMember) -> MemberOut:
    user: Any = member.user
    return MemberOut(
        id=member.pk,
        full_name=str(user.get_full_name() or user.get_username()),
        role=member.role,
        role_label=str(member.get_role_display()),
        added_at=timezone.localtime(member.added_at),
    )


def _detail(request: HttpRequest, business_id: int) -> BusinessDetailOut:
    try:
        mine = selectors.business_get_for_member(request.user, business_id)
    except BusinessError as exc:
        raise _error(exc) from exc
    base = _out(mine.business, mine.role)
    return BusinessDetailOut(
        **base.dict(),
        members=[_member_out(m) for m in selectors.business_members(mine.business)],
    )


@router.get("", response={200: list[BusinessOut], 401: ErrorOut}, summary="Tổ chức của tôi")
def business_list(request: HttpRequest) -> list[BusinessOut]:
    return [
        _out(row.business, row.role) for row in selectors.business_list_for_member(request.user)
    ]


@router.post("", response={201: BusinessDetailOut, **ERRORS}, summary="Đăng ký tổ chức")
def business_create(request: HttpRequest, payload: BusinessIn) -> Status[BusinessDetailOut]:
    try:
        business = services.business_create(
            actor=request.user,
            data=services.BusinessData(**payload.dict()),
            ip_address=client_ip(request),
        )
    except BusinessError as exc:
        raise _error(exc) from exc
    return Status(201, _detail(request, business.pk))


@router.get("/{business_id}", response={200: BusinessDetailOut, **ERRORS}, summary="Một tổ chức")
def business_detail(request: HttpRequest, business_id: RowId) -> BusinessDetailOut:
    return _detail(request, business_id)


@router.patch(
    "/{business_id}", response={200: BusinessDetailOut, 409: ErrorOut, **ERRORS}, summary="Sửa"
)
def business_update(
    request: HttpRequest, business_id: RowId, payload: BusinessUpdateIn
) -> BusinessDetailOut:
    data = payload.dict()
    expected = data.pop("lock_version")
    try:
        services.business_update(
            actor=request.user,
            business_id=business_id,
            expected_version=expected,
            data=services.BusinessData(**data),
            ip_address=client_ip(request),
        )
    except BusinessError as exc:
        raise _error(exc) from exc
    return _detail(request, business_id)


@router.get(
    "/{business_id}/members", response={200: list[MemberOut], **ERRORS}, summary="Thành viên"
)
def member_list(request: HttpRequest, business_id: RowId) -> list[MemberOut]:
    return _detail(request, business_id).members


@router.post(
    "/{business_id}/members", response={201: MemberOut, **ERRORS}, summary="Thêm thành viên"
)
def member_add(request: HttpRequest, business_id: RowId, payload: MemberIn) -> Status[MemberOut]:
    try:
        member = services.member_add(
            actor=request.user,
            business_id=business_id,
            identifier=payload.identifier,
            role=payload.role,
            ip_address=client_ip(request),
        )
    except BusinessError as exc:
        raise _error(exc) from exc
    return Status(201, _member_out(member))


@router.patch(
    "/{business_id}/members/{member_id}",
    response={200: MemberOut, **ERRORS},
    summary="Đổi vai trò thành viên",
)
def member_role(
    request: HttpRequest, business_id: RowId, member_id: RowId, payload: RoleIn
) -> MemberOut:
    try:
        member = services.member_set_role(
            actor=request.user,
            business_id=business_id,
            member_id=member_id,
            role=payload.role,
            ip_address=client_ip(request),
        )
    except BusinessError as exc:
        raise _error(exc) from exc
    return _member_out(member)


@router.delete(
    "/{business_id}/members/{member_id}",
    response={204: None, **ERRORS},
    summary="Xóa thành viên",
)
def member_remove(request: HttpRequest, business_id: RowId, member_id: RowId) -> Status[None]:
    try:
        services.member_remove(
            actor=request.user,
            business_id=business_id,
            member_id=member_id,
            ip_address=client_ip(request),
        )
    except BusinessError as exc:
        raise _error(exc) from exc
    return Status(204, None)


@router.post("/{business_id}/leave", response={204: None, **ERRORS}, summary="Rời tổ chức")
def business_leave(request: HttpRequest, business_id: RowId) -> Status[None]:
    try:
        services.member_leave(
            actor=request.user, business_id=business_id, ip_address=client_ip(request)
        )
    except BusinessError as exc:
        raise _error(exc) from exc
    return Status(204, None)
