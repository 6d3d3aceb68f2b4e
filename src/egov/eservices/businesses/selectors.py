"""Reads about businesses (tổ chức, doanh nghiệp) and their members.

A user only ever reads the businesses they are a member of: anything else is
``BusinessNotFound`` (404), whether it exists or not.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from egov.eservices.businesses.errors import BusinessNotFound
from egov.eservices.models import Business, BusinessMember, MemberRole


def businesses_of(user: Any) -> QuerySet[Business]:
    """The businesses ``user`` is a member of (any role)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Business.objects.none()
    return Business.objects.filter(members__user=user).distinct()


def applicant_groups_of(user: Any) -> list[str]:
    """``business:<id>`` for every business of ``user`` (``dossiers.hooks`` asks this)."""
    ids = BusinessMember.objects.filter(user=user).values_list("business_id", flat=True)
    return [f"business:{pk}" for pk in ids]


@dataclass(frozen=True)
class MyBusiness:
    """One line of "Tổ chức, doanh nghiệp của tôi"."""

    business: Business
    role: str
    role_label: str

    @property
    def is_owner(self) -> bool:
        return self.role == MemberRole.OWNER


def business_list_for_member(user: Any) -> list[MyBusiness]:
    """The user's businesses with their role in each (one query)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    memberships = (
        BusinessMember.objects.filter(user=user)
        .select_related("business")
        .order_by("business__name", "business_id")
    )
    return [
        MyBusiness(business=m.business, role=m.role, role_label=str(m.get_role_display()))
        for m in memberships
    ]


def business_get_for_member(user: Any, business_id: int) -> MyBusiness:
    """The business if ``user`` is a member of it; otherwise ``BusinessNotFound``."""
    if user is None or not getattr(user, "is_authenticated", False):
        raise BusinessNotFound(_("Không tìm thấy tổ chức, doanh nghiệp."))
    membership = (
        BusinessMember.objects.filter(user=user, business_id=business_id)
        .select_related("business")
        .first()
    )
    if membership is None:
        raise BusinessNotFound(_("Không tìm thấy tổ chức, doanh nghiệp."))
    return MyBusiness(
        business=membership.business,
        role=membership.role,
        role_label=str(membership.get_role_display()),
    )


def business_members(business: Business) -> list[BusinessMember]:
    """The members, owners first, with their accounts (one query)."""
    members = BusinessMember.objects.filter(business=business).select_related("user")
    return sorted(members, key=lambda m: (m.role != MemberRole.OWNER, m.added_at, m.pk))
