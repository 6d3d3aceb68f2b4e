"""Request and response shapes of the base API (auth, me, errors)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import field_validator


class ErrorOut(Schema):
    """The body of every 4xx/5xx answer."""

    code: str = Field(..., examples=["auth.invalid_credentials"])
    message: str = Field(..., examples=["Tên đăng nhập hoặc mật khẩu không đúng."])
    details: Any = Field(None, description="Chi tiết theo từng mã lỗi, hoặc null.")


class TokenIn(Schema):
    username: str = Field(..., min_length=1, max_length=150)
    password: str = Field(..., min_length=1, max_length=4096)
    name: str = Field(
        "", max_length=100, description="Tên hoặc mục đích của token (không bắt buộc)."
    )
    otp: str = Field(
        "",
        max_length=16,
        description="Mã xác thực hai bước (6 chữ số), bắt buộc khi tài khoản đã bật TOTP.",
    )

    @field_validator("username", "password", "name", "otp")
    @classmethod
    def _no_nul_characters(cls, value: str) -> str:
        # PostgreSQL cannot store NUL; refuse it here instead of failing in the database.
        if "\x00" in value:
            raise ValueError(_("Giá trị không được chứa ký tự NUL."))
        return value


class TokenOut(Schema):
    access_token: str = Field(..., description="Chỉ hiển thị một lần; hệ thống không lưu lại.")
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - the OAuth 2 token type
    expires_in: int = Field(..., description="Số giây token còn hiệu lực.")
    expires_at: datetime
    prefix: str = Field(..., description="Phần công khai, dùng để nhận biết và thu hồi token.")


class TokenInfoOut(Schema):
    prefix: str
    name: str
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    created_from_ip: str | None
    is_current: bool = Field(..., description="Token đang dùng cho chính yêu cầu này.")


class PositionOut(Schema):
    role: str
    role_label: str
    title: str
    agency_code: str
    agency_name: str
    unit_code: str
    unit_name: str
    department_code: str | None
    department_name: str | None


class MeOut(Schema):
    username: str
    full_name: str
    email: str
    kind: str
    positions: list[PositionOut]
