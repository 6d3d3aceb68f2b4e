"""``/api/v1/me``: who the token belongs to, and the positions they hold."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from egov.api.schemas import ErrorOut, MeOut, PositionOut
from egov.organizations.facade import active_positions

router = Router(tags=["Tài khoản"])


@router.get("", response={200: MeOut, 401: ErrorOut}, summary="Thông tin người dùng hiện tại")
def me(request: HttpRequest) -> MeOut:
    user = request.user
    positions = [
        PositionOut(
            role=p.role,
            role_label=str(p.get_role_display()),
            title=p.title,
            agency_code=p.agency.code,
            agency_name=p.agency.name,
            unit_code=p.agency.unit.code,
            unit_name=p.agency.unit.name,
            department_code=p.department.code if p.department else None,
            department_name=p.department.name if p.department else None,
        )
        for p in active_positions(user).order_by("agency__unit__path", "agency__name", "role")
    ]
    return MeOut(
        username=user.get_username(),
        full_name=user.get_full_name(),  # type: ignore[union-attr]
        email=getattr(user, "email", ""),
        kind=getattr(user, "kind", ""),
        positions=positions,
    )
