"""``/dich-vu-cong/to-chuc/``: "Tổ chức, doanh nghiệp của tôi" (namespace ``eservices``).

Pages read through ``selectors`` (a business the user is not a member of is a 404) and
write through one service each; a refusal re-renders the page with the Vietnamese message,
what was typed kept, and the service's status (400, 403, 404, 409).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from egov.core.middleware import client_ip
from egov.eservices.businesses import selectors, services
from egov.eservices.businesses.errors import BusinessError, BusinessNotFound
from egov.eservices.businesses.forms import BusinessForm, MemberAddForm, MemberRoleForm
from egov.eservices.models import Business, MemberRole


def _mine(request: HttpRequest, pk: int) -> selectors.MyBusiness:
    try:
        return selectors.business_get_for_member(request.user, pk)
    except BusinessNotFound as exc:
        raise Http404(exc.text) from exc


def _detail_url(pk: int) -> str:
    return reverse("eservices:business_detail", args=[pk])


def _form_error(form: Any, exc: BusinessError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.text)


def _initial(business: Business) -> dict[str, Any]:
    return {
        "tax_code": business.tax_code,
        "name": business.name,
        "address": business.address,
        "representative": business.representative,
        "phone": business.phone,
        "email": business.email,
        "lock_version": business.lock_version,
    }


def _render_detail(
    request: HttpRequest,
    mine: selectors.MyBusiness,
    *,
    add_form: MemberAddForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    business = mine.business
    members = selectors.business_members(business)
    return render(
        request,
        "eservices/businesses/detail.html",
        {
            "mine": mine,
            "business": business,
            "members": members,
            "owner_count": sum(1 for m in members if m.role == "owner"),
            "add_form": add_form or MemberAddForm(),
            "role_choices": MemberRole.choices,
            "error": error,
        },
        status=status,
    )


@login_required
@require_safe
def business_list(request: HttpRequest) -> HttpResponse:
    rows = selectors.business_list_for_member(request.user)
    return render(request, "eservices/businesses/list.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def business_create(request: HttpRequest) -> HttpResponse:
    form = BusinessForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                business = services.business_create(
                    actor=request.user, data=form.to_data(), ip_address=client_ip(request)
                )
            except BusinessError as exc:
                _form_error(form, exc)
                status = exc.status
            else:
                messages.success(
                    request,
                    _("Đã đăng ký tổ chức “%(name)s”. Bạn là người quản lý tài khoản tổ chức.")
                    % {"name": business.name},
                )
                return HttpResponseRedirect(_detail_url(business.pk))
        else:
            status = 400
    return render(
        request, "eservices/businesses/form.html", {"form": form, "business": None}, status=status
    )


@login_required
@require_safe
def business_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, _mine(request, pk))


@login_required
@require_http_methods(["GET", "POST"])
def business_update(request: HttpRequest, pk: int) -> HttpResponse:
    mine = _mine(request, pk)
    if not mine.is_owner:
        return _render_detail(
            request,
            mine,
            error=_("Chỉ người quản lý tài khoản tổ chức mới được sửa thông tin tổ chức."),
            status=403,
        )
    business = mine.business
    form = BusinessForm(request.POST or None, initial=_initial(business))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.business_update(
                    actor=request.user,
                    business_id=business.pk,
                    expected_version=form.cleaned_data.get("lock_version") or 0,
                    data=form.to_data(),
                    ip_address=client_ip(request),
                )
            except BusinessError as exc:
                _form_error(form, exc)
                status = exc.status
            else:
                messages.success(request, _("Đã lưu thông tin tổ chức."))
                return HttpResponseRedirect(_detail_url(business.pk))
        else:
            status = 400
    return render(
        request,
        "eservices/businesses/form.html",
        {"form": form, "business": business},
        status=status,
    )


@login_required
@require_POST
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    mine = _mine(request, pk)
    form = MemberAddForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, mine, add_form=form, status=400)
    try:
        member = services.member_add(
            actor=request.user,
            business_id=pk,
            identifier=form.cleaned_data["identifier"],
            role=form.cleaned_data["role"],
            ip_address=client_ip(request),
        )
    except BusinessError as exc:
        _form_error(form, exc)
        return _render_detail(request, mine, add_form=form, status=exc.status)
    messages.success(
        request,
        _("Đã thêm %(name)s vào tổ chức.")
        % {"name": member.user.get_full_name() or member.user.get_username()},
    )
    return HttpResponseRedirect(_detail_url(pk))


@login_required
@require_POST
def member_role(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    mine = _mine(request, pk)
    form = MemberRoleForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, mine, error=_("Vai trò không hợp lệ."), status=400)
    try:
        services.member_set_role(
            actor=request.user,
            business_id=pk,
            member_id=member_pk,
            role=form.cleaned_data["role"],
            ip_address=client_ip(request),
        )
    except BusinessError as exc:
        return _render_detail(request, mine, error=exc.text, status=exc.status)
    messages.success(request, _("Đã đổi vai trò thành viên."))
    return HttpResponseRedirect(_detail_url(pk))


@login_required
@require_POST
def member_remove(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    mine = _mine(request, pk)
    try:
        services.member_remove(
            actor=request.user, business_id=pk, member_id=member_pk, ip_address=client_ip(request)
        )
    except BusinessError as exc:
        return _render_detail(request, mine, error=exc.text, status=exc.status)
    messages.success(request, _("Đã xóa thành viên khỏi tổ chức."))
    return HttpResponseRedirect(_detail_url(pk))


@login_required
@require_POST
def business_leave(request: HttpRequest, pk: int) -> HttpResponse:
    mine = _mine(request, pk)
    try:
        services.member_leave(actor=request.user, business_id=pk, ip_address=client_ip(request))
    except BusinessError as exc:
        return _render_detail(request, mine, error=exc.text, status=exc.status)
    messages.success(request, _("Bạn đã rời tổ chức “%(name)s”.") % {"name": mine.business.name})
    return HttpResponseRedirect(reverse("eservices:business_list"))
