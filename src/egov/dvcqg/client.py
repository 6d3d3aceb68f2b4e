"""The HTTP client of the national portal's sync API (the shape is documented in
``docs/operations/dvcqg.md``; the official contract, TT 04/2025/TT-VPCP, is not public).

Every call sends JSON with ``Authorization: Bearer EGOV_DVCQG_TOKEN`` and reads a JSON
answer ``{"error_code": "0", "message": "...", ...}``.  Success is the vendor's rule:
``error_code`` "0".  Anything else, an HTTP error, a network error or a time-out raises
``PortalError`` with a Vietnamese message (the caller retries).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any

import requests
from django.conf import settings

from egov.dvcqg.constants import (
    PATH_CREATE,
    PATH_LIST,
    PATH_TIMELINE,
    PATH_UPDATE,
    SUCCESS_CODE,
)
from egov.dvcqg.errors import PortalError

#: Answers kept on the item (enough to read the portal's message, not a whole page).
RESPONSE_LIMIT = 4000


@dataclass
class Answer:
    error_code: str
    message: str
    raw: str
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.error_code == SUCCESS_CODE

    @property
    def already_exists(self) -> bool:
        """The portal says the dossier is there already (then we send an update)."""
        folded = _fold(self.message)
        return not self.ok and ("da ton tai" in folded or "already exist" in folded)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFD", text or "").replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in text if unicodedata.category(c) != "Mn").lower()


def _headers() -> dict[str, str]:
    headers = {"Accept": "application/json"}
    if settings.EGOV_DVCQG_TOKEN:
        headers["Authorization"] = f"Bearer {settings.EGOV_DVCQG_TOKEN}"
    return headers


def _url(path: str) -> str:
    base = (settings.EGOV_DVCQG_URL or "").rstrip("/")
    if not base:
        raise PortalError("Chưa cấu hình địa chỉ Cổng Dịch vụ công quốc gia (EGOV_DVCQG_URL).")
    return base + path


def _call(method: str, path: str, **kwargs: Any) -> Answer:
    try:
        reply = requests.request(
            method,
            _url(path),
            headers=_headers(),
            timeout=settings.EGOV_DVCQG_TIMEOUT,
            **kwargs,
        )
    except requests.Timeout:
        raise PortalError(
            f"Cổng DVCQG không trả lời trong {settings.EGOV_DVCQG_TIMEOUT} giây."
        ) from None
    except requests.RequestException as exc:
        raise PortalError(
            f"Không kết nối được Cổng DVCQG: {type(exc).__name__}.", response=str(exc)[:500]
        ) from None
    raw = reply.text[:RESPONSE_LIMIT]
    if reply.status_code >= 400:
        raise PortalError(f"Cổng DVCQG trả lỗi HTTP {reply.status_code}.", response=raw)
    try:
        body = reply.json()
    except ValueError:
        raise PortalError("Cổng DVCQG trả lời không phải JSON.", response=raw) from None
    if not isinstance(body, dict):
        raise PortalError("Cổng DVCQG trả lời không đúng định dạng.", response=raw)
    return Answer(
        error_code=str(body.get("error_code", "")).strip(),
        message=str(body.get("message", "") or ""),
        raw=raw,
        data=body,
    )


def refused(answer: Answer) -> PortalError:
    return PortalError(
        f"Cổng DVCQG không nhận (mã {answer.error_code or '?'}): {answer.message or '—'}",
        response=answer.raw,
    )


def dossier_push(payload: dict[str, Any]) -> Answer:
    """Create the dossier on the portal; when it is there already, update it (§2.4)."""
    answer = _call("POST", PATH_CREATE, json=payload)
    if answer.already_exists:
        answer = _call("POST", PATH_UPDATE, json=payload)
    if not answer.ok:
        raise refused(answer)
    return answer


def timeline_push(lines: list[dict[str, Any]]) -> Answer:
    answer = _call("POST", PATH_TIMELINE, json={"DanhSachTienDo": lines})
    if not answer.ok:
        raise refused(answer)
    return answer


def new_dossiers(page: int) -> tuple[list[dict[str, Any]], bool]:
    """One page of the dossiers submitted on the portal (national status 1), and whether
    there is a next page."""
    answer = _call(
        "GET",
        PATH_LIST,
        params={"TrangThai": 1, "Trang": page, "SoLuong": settings.EGOV_DVCQG_PULL_PAGE_SIZE},
    )
    if not answer.ok:
        raise refused(answer)
    rows = answer.data.get("data") or []
    if not isinstance(rows, list):
        raise PortalError(
            "Danh sách hồ sơ của Cổng DVCQG không đúng định dạng.", response=answer.raw
        )
    return [r for r in rows if isinstance(r, dict)], bool(answer.data.get("CoTrangTiep"))


def file_get(url: str, max_bytes: int) -> bytes:
    """A file a portal dossier links to (``DuongDanTaiTepTin``), at most ``max_bytes``.

    Only from the portal's own host or one listed in ``EGOV_DVCQG_PULL_FILE_HOSTS`` (the
    link comes from outside: no request to anywhere else). Redirects are not followed (an
    allowed host could otherwise send the request, and its bearer token, anywhere), and
    when the portal is reached over HTTPS a plain-HTTP file link is refused.
    """
    from urllib.parse import urlparse

    parsed = urlparse(url)
    portal = urlparse(settings.EGOV_DVCQG_URL)
    allowed = {portal.hostname, *settings.EGOV_DVCQG_PULL_FILE_HOSTS}
    if parsed.scheme not in ("http", "https") or parsed.hostname not in allowed:
        raise PortalError(f"Đường dẫn tệp không thuộc Cổng DVCQG: {url[:200]}")
    if portal.scheme == "https" and parsed.scheme != "https":
        raise PortalError(f"Đường dẫn tệp không dùng HTTPS: {url[:200]}")
    try:
        with requests.get(
            url,
            headers=_headers(),
            timeout=settings.EGOV_DVCQG_TIMEOUT,
            stream=True,
            allow_redirects=False,
        ) as reply:
            if reply.is_redirect or 300 <= reply.status_code < 400:
                raise PortalError(
                    f"Cổng DVCQG chuyển hướng khi tải tệp (HTTP {reply.status_code}): "
                    "không đi theo."
                )
            if reply.status_code >= 400:
                raise PortalError(f"Cổng DVCQG trả lỗi HTTP {reply.status_code} khi tải tệp.")
            data = bytearray()
            for chunk in reply.iter_content(64 * 1024):
                data.extend(chunk)
                if len(data) > max_bytes:
                    raise PortalError("Tệp đính kèm vượt dung lượng cho phép.")
            return bytes(data)
    except requests.Timeout:
        raise PortalError(
            f"Cổng DVCQG không trả lời trong {settings.EGOV_DVCQG_TIMEOUT} giây khi tải tệp."
        ) from None
    except requests.RequestException as exc:
        raise PortalError(f"Không tải được tệp từ Cổng DVCQG: {type(exc).__name__}.") from None
