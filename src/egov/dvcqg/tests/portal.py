"""A local test double of the national portal's sync API (the official one is not public).

A threaded ``http.server`` on 127.0.0.1 that checks the bearer token, validates what it is
sent (required fields, types, ``yyyyMMddHHmmss`` dates, ``TrangThaiHoSo`` 1..10, a
timeline only for a dossier it knows) and answers like the vendor's portal (``error_code``
"0" = success, "already exists" on a second create).  ``fail_next(n, mode)`` makes the
next ``n`` calls fail: ``"500"``, ``"timeout"``, ``"refuse"`` (error_code "1").
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

TOKEN = "test-token"
DOSSIER_REQUIRED = {
    "MaHoSo": str,
    "MaTTHC": str,
    "TenTTHC": str,
    "KenhThucHien": int,
    "ChuHoSo": str,
    "LoaiDoiTuong": int,
    "TrangThaiHoSo": int,
    "NgayNopHoSo": str,
    "HoSoCoThanhPhanSoHoa": int,
    "TaiKhoanDuocXacThucVoiVNeID": int,
    "DuocThanhToanTrucTuyen": int,
    "TaiLieuNop": list,
    "DanhSachLePhi": list,
    "DanhSachHoSoBoSung": list,
    "DanhSachGiayToKetQua": list,
}
DOSSIER_DATES = (
    "NgayNopHoSo",
    "NgayTiepNhan",
    "NgayHenTra",
    "NgayTuChoi",
    "NgayKetThucXuLy",
    "NgayTra",
)
TIMELINE_REQUIRED = {
    "MaHoSo": str,
    "NguoiXuLy": str,
    "ThoiDiemXuLy": str,
    "NoiDungXuLy": str,
    "TrangThai": int,
}


def _date_ok(value: Any, *, required: bool = False) -> bool:
    if value == "" and not required:
        return True
    if not isinstance(value, str) or len(value) != 14 or not value.isdigit():
        return False
    try:
        dt.datetime.strptime(value + "+0700", "%Y%m%d%H%M%S%z")
    except ValueError:
        return False
    return True


def validate_dossier(body: Any) -> list[str]:
    if not isinstance(body, dict):
        return ["body is not an object"]
    errors = [
        f"{name}: missing or not {kind.__name__}"
        for name, kind in DOSSIER_REQUIRED.items()
        if not isinstance(body.get(name), kind) or isinstance(body.get(name), bool)
    ]
    errors += [
        f"{name}: bad date {body.get(name)!r}"
        for name in DOSSIER_DATES
        if not _date_ok(body.get(name, ""), required=name == "NgayNopHoSo")
    ]
    if isinstance(body.get("TrangThaiHoSo"), int) and not 1 <= body["TrangThaiHoSo"] <= 10:
        errors.append("TrangThaiHoSo out of 1..10")
    if body.get("KenhThucHien") not in (1, 2, 3):
        errors.append("KenhThucHien not 1/2/3")
    for doc in body.get("TaiLieuNop") or []:
        if (
            not isinstance(doc, dict)
            or "TenTepDinhKem" not in doc
            or "DuongDanTaiTepTin" not in doc
        ):
            errors.append(f"TaiLieuNop item invalid: {doc!r}")
        elif doc["DuongDanTaiTepTin"] and not str(doc["DuongDanTaiTepTin"]).startswith("http"):
            errors.append("DuongDanTaiTepTin not absolute")
    for fee in body.get("DanhSachLePhi") or []:
        if (
            not isinstance(fee, dict)
            or not isinstance(fee.get("Gia"), int)
            or not fee.get("TenPhiLePhi")
        ):
            errors.append(f"DanhSachLePhi item invalid: {fee!r}")
    for sup in body.get("DanhSachHoSoBoSung") or []:
        if (
            not isinstance(sup, dict)
            or not _date_ok(sup.get("NgayBoSung"), required=True)
            or not _date_ok(sup.get("NgayTiepNhanBoSung", ""))
        ):
            errors.append(f"DanhSachHoSoBoSung item invalid: {sup!r}")
    for res in body.get("DanhSachGiayToKetQua") or []:
        if not isinstance(res, dict) or not res.get("TenGiayTo"):
            errors.append(f"DanhSachGiayToKetQua item invalid: {res!r}")
    return errors


def validate_line(line: Any) -> list[str]:
    if not isinstance(line, dict):
        return ["line is not an object"]
    errors = [
        f"{name}: missing or not {kind.__name__}"
        for name, kind in TIMELINE_REQUIRED.items()
        if not isinstance(line.get(name), kind)
    ]
    if not _date_ok(line.get("ThoiDiemXuLy"), required=True):
        errors.append("ThoiDiemXuLy bad date")
    for name in ("NgayBatDau", "NgayKetThucTheoQuyDinh"):
        if not _date_ok(line.get(name, "")):
            errors.append(f"{name} bad date")
    if isinstance(line.get("TrangThai"), int) and not 1 <= line["TrangThai"] <= 10:
        errors.append("TrangThai out of 1..10")
    return errors


@dataclass
class Portal:
    url: str = ""
    dossiers: dict[str, dict[str, Any]] = field(default_factory=dict)
    timeline: list[dict[str, Any]] = field(default_factory=list)
    calls: list[tuple[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    #: What ``GET /hoso?TrangThai=1`` lists (the dossiers submitted on the portal).
    inbound: list[dict[str, Any]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    #: Files served at ``/tep/<name>`` (what ``DuongDanTaiTepTin`` of ``inbound`` links to).
    #: A ``str`` value answers with a redirect to that address.
    files: dict[str, bytes | str] = field(default_factory=dict)
    delay: float = 2.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def fail_next(self, count: int, mode: str) -> None:
        with self.lock:
            self.failures.extend([mode] * count)

    def _next_failure(self) -> str:
        with self.lock:
            return self.failures.pop(0) if self.failures else ""

    def handle(
        self, method: str, path: str, query: dict[str, list[str]], body: Any
    ) -> tuple[int, dict[str, Any]]:
        self.calls.append((method, path))
        failure = self._next_failure()
        if failure == "timeout":
            time.sleep(self.delay)
            return 200, {"error_code": "0", "message": "Thành công (quá muộn)"}
        if failure == "500":
            return 500, {"error": "Internal Server Error"}
        if failure == "refuse":
            return 200, {"error_code": "1", "message": "Hệ thống đang bảo trì"}
        if method == "GET" and path == "/hoso":
            if query.get("TrangThai") != ["1"]:
                return 400, {"error_code": "400", "message": "TrangThai"}
            size = int(query.get("SoLuong", ["100"])[0])
            page = int(query.get("Trang", ["1"])[0])
            rows = self.inbound[(page - 1) * size : page * size]
            return 200, {
                "error_code": "0",
                "message": "Thành công",
                "data": rows,
                "CoTrangTiep": page * size < len(self.inbound),
            }
        if method == "POST" and path in ("/hoso/dongbo", "/hoso/capnhat"):
            problems = validate_dossier(body)
            if problems:
                self.errors.extend(problems)
                return 400, {"error_code": "400", "message": "; ".join(problems)}
            code = body["MaHoSo"]
            if path == "/hoso/dongbo" and code in self.dossiers:
                return 200, {"error_code": "2", "message": "Hồ sơ đã tồn tại trên hệ thống"}
            if path == "/hoso/capnhat" and code not in self.dossiers:
                return 200, {"error_code": "3", "message": "Không tìm thấy hồ sơ"}
            self.dossiers[code] = body
            return 200, {"error_code": "0", "message": "Đồng bộ thành công"}
        if method == "POST" and path == "/hoso/tiendo":
            lines = (body or {}).get("DanhSachTienDo") if isinstance(body, dict) else None
            if not isinstance(lines, list) or not lines:
                self.errors.append("DanhSachTienDo missing")
                return 400, {"error_code": "400", "message": "DanhSachTienDo"}
            problems = [p for line in lines for p in validate_line(line)]
            unknown = [
                line["MaHoSo"]
                for line in lines
                if isinstance(line, dict) and line.get("MaHoSo") not in self.dossiers
            ]
            if unknown:
                problems.append(f"timeline before its dossier: {unknown}")
            if problems:
                self.errors.extend(problems)
                return 400, {"error_code": "400", "message": "; ".join(problems)}
            self.timeline.extend(lines)
            return 200, {"error_code": "0", "message": "Cập nhật tiến độ thành công"}
        return 404, {"error_code": "404", "message": "Không có đường dẫn"}


def start(portal: Portal) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _answer(self, method: str) -> None:
            if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                self._send(401, {"error_code": "401", "message": "Unauthorized"})
                return
            parsed = urlparse(self.path)
            if method == "GET" and parsed.path.startswith("/tep/"):
                content = portal.files.get(parsed.path.removeprefix("/tep/"))
                if isinstance(content, str):  # a redirect to that address
                    self.send_response(302)
                    self.send_header("Location", content)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if content is None:
                    self._send(404, {"error_code": "404", "message": "Không có tệp"})
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)
                return
            body: Any = None
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                try:
                    body = json.loads(self.rfile.read(length).decode("utf-8"))
                except ValueError:
                    self._send(400, {"error_code": "400", "message": "not JSON"})
                    return
            status, answer = portal.handle(method, parsed.path, parse_qs(parsed.query), body)
            self._send(status, answer)

        def _send(self, status: int, answer: dict[str, Any]) -> None:
            data = json.dumps(answer, ensure_ascii=False).encode("utf-8")
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def do_GET(self) -> None:
            self._answer("GET")

        def do_POST(self) -> None:
            self._answer("POST")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    portal.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
