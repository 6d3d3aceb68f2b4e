"""Reads about businesses (tổ chức, doanh nghiệp) and their members."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

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


def is_owner(user: Any, business: Business) -> bool:
    return BusinessMember.objects.filter(
        business=business, user=user, role=MemberRole.OWNER
    ).exists()
