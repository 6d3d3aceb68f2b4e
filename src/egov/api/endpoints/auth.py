"""``/api/v1/auth/...``: get, list and revoke access tokens."""

from __future__ import annotations

from typing import Any

from axes.helpers import get_cool_off
from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Router, Status

from egov.api.auth import TokenRateThrottle, current_token
from egov.api.errors import ApiError, ErrorCode
from egov.api.mfa import second_factor_enabled, second_factor_setup_missing, second_factor_verify
from egov.api.models import ApiToken
from egov.api.schemas import ErrorOut, TokenIn, TokenInfoOut, TokenOut
from egov.api.selectors import api_token_get_for_user, api_token_list_active_for_user
from egov.api.services import api_token_issue, api_token_revoke
from egov.core.middleware import client_ip

router = Router(tags=["Xác thực"])


def _locked_out(request: HttpRequest) -> ApiError:
    # AxesMiddleware would replace our answer with its HTML lock-out page when it sees this
    # flag; the API answers in its own JSON format instead (same 429 status).
    request.axes_locked_out = False  # type: ignore[attr-defined]
    cool_off = get_cool_off(request)
    seconds = int(cool_off.total_seconds()) if cool_off else None
    return ApiError(
        ErrorCode.LOCKED_OUT,
        status=429,
        details={"retry_after": seconds} if seconds else None,
        headers={"Retry-After": str(seconds)} if seconds else None,
    )


def _check_second_factor(request: HttpRequest, user: Any, payload: TokenIn) -> None:
    if second_factor_setup_missing(user):
        raise ApiError(ErrorCode.MFA_SETUP_REQUIRED, status=403)
    if not second_factor_enabled(user):
        return
    if not payload.otp:
        raise ApiError(ErrorCode.MFA_REQUIRED, status=401)
    if not second_factor_verify(user, payload.otp):
        # A wrong code is a failed login: it counts towards the axes lock-out.
        user_login_failed.send(
            sender=__name__, credentials={"username": payload.username}, request=request
        )
        if getattr(request, "axes_locked_out", False):
            raise _locked_out(request)
        raise ApiError(ErrorCode.MFA_INVALID, status=401)


@router.post(
    "/token",
    auth=None,
    throttle=[TokenRateThrottle()],
    response={200: TokenOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Lấy token truy cập",
    description=(
        "Đổi tên đăng nhập và mật khẩu (và mã xác thực hai bước `otp` nếu tài khoản đã bật) "
        "lấy một token (Bearer). Token chỉ hiển thị một lần. Sai mật khẩu hoặc mã nhiều lần "
        "sẽ bị khóa tạm thời (auth.locked_out); số yêu cầu mỗi phút từ một địa chỉ bị giới "
        "hạn (auth.throttled)."
    ),
)
def token_issue(request: HttpRequest, payload: TokenIn) -> TokenOut:
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None:
        if getattr(request, "axes_locked_out", False):
            raise _locked_out(request)
        raise ApiError(ErrorCode.INVALID_CREDENTIALS, status=401)
    if not user.is_active:
        raise ApiError(ErrorCode.INVALID_CREDENTIALS, status=401)
    _check_second_factor(request, user, payload)
    issued = api_token_issue(user=user, name=payload.name, ip_address=client_ip(request))
    # A token is a login: last_login is updated and axes clears the failure count.
    user_logged_in.send(sender=type(user), request=request, user=user)
    return TokenOut(
        access_token=issued.raw,
        token_type="bearer",  # noqa: S106 - the OAuth 2 token type
        expires_in=issued.expires_in,
        expires_at=timezone.localtime(issued.token.expires_at),
        prefix=issued.token.prefix,
    )


@router.post(
    "/revoke",
    response={204: None, 401: ErrorOut},
    summary="Thu hồi token đang dùng",
)
def token_revoke_current(request: HttpRequest) -> Status[None]:
    token = current_token(request)
    api_token_revoke(token=token, actor=request.user, ip_address=client_ip(request))
    return Status(204, None)


def _token_info(token: ApiToken, current: ApiToken) -> TokenInfoOut:
    return TokenInfoOut(
        prefix=token.prefix,
        name=token.name,
        created_at=timezone.localtime(token.created_at),
        expires_at=timezone.localtime(token.expires_at),
        last_used_at=timezone.localtime(token.last_used_at) if token.last_used_at else None,
        created_from_ip=token.created_from_ip,
        is_current=token.pk == current.pk,
    )


@router.get(
    "/tokens",
    response={200: list[TokenInfoOut], 401: ErrorOut},
    summary="Danh sách token còn hiệu lực của tôi",
)
def token_list(request: HttpRequest) -> list[TokenInfoOut]:
    current = current_token(request)
    return [_token_info(t, current) for t in api_token_list_active_for_user(user=request.user)]


@router.delete(
    "/tokens/{prefix}",
    response={204: None, 401: ErrorOut, 404: ErrorOut},
    summary="Thu hồi một token của tôi",
)
def token_revoke(request: HttpRequest, prefix: str) -> Status[None]:
    token = api_token_get_for_user(user=request.user, prefix=prefix)
    if token is None:
        raise ApiError(ErrorCode.NOT_FOUND, _("Không tìm thấy token có tiền tố này."), status=404)
    api_token_revoke(token=token, actor=request.user, ip_address=client_ip(request))
    return Status(204, None)
