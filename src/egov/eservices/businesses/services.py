"""Writes about businesses (tổ chức, doanh nghiệp) and their members.

Every change locks the business row (``select_for_update``) before it reads the members,
so two owners demoting each other at the same moment cannot leave the business without
an owner; ``business_update`` also checks ``lock_version`` (a stale form is a conflict,
not a silent overwrite).  Each change writes an audit event in the same transaction.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from egov.accounts.constants import UserKind
from egov.accounts.models import User
from egov.core.audit.services import audit_record
from egov.core.phone import try_normalize_phone
from egov.eservices.businesses.errors import (
    BusinessConflict,
    BusinessInvalid,
    BusinessNotFound,
    BusinessPermissionDenied,
)
from egov.eservices.models import TAX_CODE_PATTERN, Business, BusinessMember, MemberRole

#: Weights of the check digit (the 10th) of a Vietnamese tax code (mã số thuế).
TAX_CODE_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)
BUSINESS_FIELDS = ("tax_code", "name", "address", "phone", "email", "representative")


@dataclass
class BusinessData:
    tax_code: str
    name: str
    address: str = ""
    phone: str = ""
    email: str = ""
    representative: str = ""


# --- validation ------------------------------------------------------------------------------


def clean_tax_code(value: str) -> str:
    """``0101 248 141`` → ``0101248141``; wrong shape or check digit → ``BusinessInvalid``."""
    code = re.sub(r"[\s.]", "", value or "")
    if not code:
        raise BusinessInvalid(_("Vui lòng nhập mã số thuế."), field="tax_code")
    if not re.match(TAX_CODE_PATTERN, code):
        raise BusinessInvalid(
            _("Mã số thuế gồm 10 chữ số, hoặc 10 chữ số, dấu “-” và 3 chữ số (chi nhánh)."),
            field="tax_code",
        )
    digits = [int(c) for c in code[:10]]
    total = sum(d * w for d, w in zip(digits[:9], TAX_CODE_WEIGHTS, strict=True))
    if (10 - total % 11) != digits[9]:
        raise BusinessInvalid(
            _("Mã số thuế %(code)s không đúng (sai chữ số kiểm tra). Vui lòng kiểm tra lại.")
            % {"code": code},
            field="tax_code",
        )
    return code


def _clean(data: BusinessData) -> BusinessData:
    tax_code = clean_tax_code(data.tax_code)
    name = " ".join((data.name or "").split())
    if not name:
        raise BusinessInvalid(_("Vui lòng nhập tên tổ chức, doanh nghiệp."), field="name")
    if len(name) > 255:
        raise BusinessInvalid(_("Tên tổ chức quá dài (tối đa 255 ký tự)."), field="name")
    phone = ""
    if (data.phone or "").strip():
        normalized = try_normalize_phone(data.phone)
        if normalized is None:
            raise BusinessInvalid(_("Số điện thoại không hợp lệ."), field="phone")
        phone = normalized
    email = (data.email or "").strip().lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise BusinessInvalid(_("Địa chỉ thư điện tử không hợp lệ."), field="email") from None
    address = " ".join((data.address or "").split())
    if len(address) > 500:
        raise BusinessInvalid(_("Địa chỉ quá dài (tối đa 500 ký tự)."), field="address")
    representative = " ".join((data.representative or "").split())
    if len(representative) > 255:
        raise BusinessInvalid(_("Tên người đại diện quá dài."), field="representative")
    return BusinessData(
        tax_code=tax_code,
        name=name,
        address=address,
        phone=phone,
        email=email,
        representative=representative,
    )


def _duplicate(tax_code: str) -> BusinessInvalid:
    return BusinessInvalid(
        _(
            "Mã số thuế %(code)s đã được đăng ký trên cổng dịch vụ công. Nếu bạn làm việc "
            "cho tổ chức này, hãy đề nghị người quản lý tài khoản của tổ chức thêm bạn làm "
            "thành viên."
        )
        % {"code": tax_code},
        field="tax_code",
    )


def _snapshot(business: Business) -> dict[str, Any]:
    return {name: getattr(business, name) for name in BUSINESS_FIELDS}


# --- access ------------------------------------------------------------------------------------


def _lock_for_member(actor: Any, business_id: int) -> tuple[Business, BusinessMember]:
    """The business (row locked) and the actor's membership; a non-member gets 404."""
    business = Business.objects.select_for_update().filter(pk=business_id).first()
    if business is None or actor is None or not getattr(actor, "is_authenticated", False):
        raise BusinessNotFound(_("Không tìm thấy tổ chức, doanh nghiệp."))
    membership = BusinessMember.objects.filter(business=business, user_id=actor.pk).first()
    if membership is None:
        raise BusinessNotFound(_("Không tìm thấy tổ chức, doanh nghiệp."))
    return business, membership


def _lock_for_owner(actor: Any, business_id: int) -> Business:
    business, membership = _lock_for_member(actor, business_id)
    if membership.role != MemberRole.OWNER:
        raise BusinessPermissionDenied(
            _("Chỉ người quản lý tài khoản tổ chức mới được thực hiện thao tác này.")
        )
    return business


def _member_of(business: Business, member_id: int) -> BusinessMember:
    member = (
        BusinessMember.objects.select_related("user")
        .filter(business=business, pk=member_id)
        .first()
    )
    if member is None:
        raise BusinessNotFound(_("Không tìm thấy thành viên này trong tổ chức."))
    return member


def _ensure_another_owner(business: Business, member: BusinessMember, text: str) -> None:
    """Refuse to take away the last owner (the business row is locked by the caller)."""
    if member.role != MemberRole.OWNER:
        return
    others = (
        BusinessMember.objects.filter(business=business, role=MemberRole.OWNER)
        .exclude(pk=member.pk)
        .exists()
    )
    if not others:
        raise BusinessInvalid(text)


def _member_label(user: Any) -> str:
    return str(user.get_full_name() or user.get_username())


# --- services ------------------------------------------------------------------------------


def business_create(*, actor: Any, data: BusinessData, ip_address: str | None = None) -> Business:
    """A citizen registers a business; they become its first owner."""
    if actor is None or getattr(actor, "kind", None) != UserKind.CITIZEN:
        raise BusinessPermissionDenied(
            _("Chỉ tài khoản công dân mới đăng ký được tổ chức, doanh nghiệp.")
        )
    clean = _clean(data)
    if Business.objects.filter(tax_code=clean.tax_code).exists():
        raise _duplicate(clean.tax_code)
    try:
        with transaction.atomic():
            business = Business.objects.create(created_by=actor, **asdict(clean))
            BusinessMember.objects.create(
                business=business, user=actor, role=MemberRole.OWNER, added_by=actor
            )
            audit_record(
                actor=actor,
                action="eservices.business.create",
                obj=business,
                after=_snapshot(business),
                ip_address=ip_address,
            )
    except IntegrityError:
        # Another account registered the same tax code a moment earlier.
        raise _duplicate(clean.tax_code) from None
    return business


def business_update(
    *,
    actor: Any,
    business_id: int,
    expected_version: int,
    data: BusinessData,
    ip_address: str | None = None,
) -> Business:
    """An owner corrects the business's details; a stale form → ``BusinessConflict``."""
    clean = _clean(data)
    try:
        with transaction.atomic():
            business = _lock_for_owner(actor, business_id)
            if business.lock_version != expected_version:
                raise BusinessConflict(
                    _(
                        "Thông tin tổ chức vừa được người khác cập nhật. Vui lòng xem lại "
                        "thông tin mới nhất rồi sửa lại."
                    )
                )
            if (
                clean.tax_code != business.tax_code
                and Business.objects.filter(tax_code=clean.tax_code).exists()
            ):
                raise _duplicate(clean.tax_code)
            before = _snapshot(business)
            for name, value in asdict(clean).items():
                setattr(business, name, value)
            business.lock_version = F("lock_version") + 1
            business.save(update_fields=[*BUSINESS_FIELDS, "lock_version"])
            business.refresh_from_db(fields=["lock_version"])
            after = _snapshot(business)
            changed = [k for k in BUSINESS_FIELDS if before[k] != after[k]]
            audit_record(
                actor=actor,
                action="eservices.business.update",
                obj=business,
                before={k: before[k] for k in changed},
                after={k: after[k] for k in changed},
                ip_address=ip_address,
            )
    except IntegrityError:
        raise _duplicate(clean.tax_code) from None
    return business


def find_citizen(identifier: str) -> User | None:
    """The active citizen account with this e-mail address or phone number."""
    value = (identifier or "").strip()
    if not value:
        return None
    citizens = User.objects.filter(kind=UserKind.CITIZEN, is_active=True)
    if "@" in value:
        address = (
            EmailAddress.objects.filter(email__iexact=value, user__in=citizens)
            .order_by("-verified", "-primary")
            .first()
        )
        if address is not None:
            return citizens.filter(pk=address.user_id).first()
        return citizens.filter(email__iexact=value).first()
    phone = try_normalize_phone(value)
    if phone is None:
        return None
    return citizens.filter(phone=phone).first()


def member_add(
    *,
    actor: Any,
    business_id: int,
    identifier: str,
    role: str = MemberRole.MEMBER,
    ip_address: str | None = None,
) -> BusinessMember:
    """An owner adds an existing citizen account, found by its e-mail or phone number."""
    if role not in MemberRole.values:
        raise BusinessInvalid(_("Vai trò không hợp lệ."), field="role")
    with transaction.atomic():
        business = _lock_for_owner(actor, business_id)
        user = find_citizen(identifier)
        if user is None:
            raise BusinessInvalid(
                _(
                    "Không tìm thấy tài khoản công dân có email hoặc số điện thoại này. "
                    "Người được thêm cần tự đăng ký tài khoản trên cổng trước."
                ),
                field="identifier",
            )
        if BusinessMember.objects.filter(business=business, user=user).exists():
            raise BusinessInvalid(
                _("%(name)s đã là thành viên của tổ chức.") % {"name": _member_label(user)},
                field="identifier",
            )
        member = BusinessMember.objects.create(
            business=business, user=user, role=role, added_by=actor
        )
        audit_record(
            actor=actor,
            action="eservices.business.member_add",
            obj=business,
            after={"user": user.pk, "role": role},
            ip_address=ip_address,
        )
    return member


def member_set_role(
    *,
    actor: Any,
    business_id: int,
    member_id: int,
    role: str,
    ip_address: str | None = None,
) -> BusinessMember:
    """An owner makes a member an owner, or an owner a member (never the last owner)."""
    if role not in MemberRole.values:
        raise BusinessInvalid(_("Vai trò không hợp lệ."), field="role")
    with transaction.atomic():
        business = _lock_for_owner(actor, business_id)
        member = _member_of(business, member_id)
        if member.role == role:
            return member
        if role != MemberRole.OWNER:
            _ensure_another_owner(
                business,
                member,
                _(
                    "Tổ chức phải luôn có ít nhất một người quản lý tài khoản. Hãy giao "
                    "quyền quản lý cho thành viên khác trước."
                ),
            )
        before = member.role
        member.role = role
        member.save(update_fields=["role"])
        audit_record(
            actor=actor,
            action="eservices.business.member_role",
            obj=business,
            before={"user": member.user_id, "role": before},
            after={"user": member.user_id, "role": role},
            ip_address=ip_address,
        )
    return member


def member_remove(
    *, actor: Any, business_id: int, member_id: int, ip_address: str | None = None
) -> None:
    """An owner removes a member (never the last owner)."""
    with transaction.atomic():
        business = _lock_for_owner(actor, business_id)
        member = _member_of(business, member_id)
        _ensure_another_owner(
            business,
            member,
            _(
                "Không thể xóa người quản lý duy nhất của tổ chức. Hãy giao quyền quản lý "
                "cho thành viên khác trước."
            ),
        )
        _delete(actor, business, member, "eservices.business.member_remove", ip_address)


def member_leave(*, actor: Any, business_id: int, ip_address: str | None = None) -> None:
    """A member leaves the business (the last owner cannot)."""
    with transaction.atomic():
        business, member = _lock_for_member(actor, business_id)
        _ensure_another_owner(
            business,
            member,
            _(
                "Bạn là người quản lý duy nhất của tổ chức. Hãy giao quyền quản lý cho "
                "thành viên khác trước khi rời tổ chức."
            ),
        )
        _delete(actor, business, member, "eservices.business.member_leave", ip_address)


def _delete(
    actor: Any, business: Business, member: BusinessMember, action: str, ip: str | None
) -> None:
    before = {"user": member.user_id, "role": member.role}
    member.delete()
    audit_record(actor=actor, action=action, obj=business, before=before, ip_address=ip)
