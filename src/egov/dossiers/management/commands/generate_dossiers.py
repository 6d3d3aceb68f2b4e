"""``manage.py generate_dossiers --count N [--years 2] [--seed S] [--batch 5000] [--if-empty]``.

Benchmark data: ``N`` realistic dossiers over the demo (see ``egov.dossiers.generate``).
Running it again adds more (the daily code numbers continue), unless ``--if-empty``: then
nothing is generated when any dossier exists (``make demo`` run twice).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from egov.core.text import group_thousands
from egov.dossiers.constants import Status
from egov.dossiers.generate import GenerateError, generate_dossiers
from egov.dossiers.models import Dossier


def _duration(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    if minutes:
        return _("%(m)d phút %(s)d giây") % {"m": minutes, "s": rest}
    return _("%(s)d giây") % {"s": rest}


class Command(BaseCommand):
    help = _(
        "Sinh hồ sơ mẫu với số lượng lớn (đủ các trạng thái, tạm dừng, trễ hạn, mọi kênh, lĩnh "
        "vực và đơn vị) trên dữ liệu mẫu, để đo hiệu năng. Chạy lại sẽ thêm hồ sơ mới."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--count", type=int, required=True, help=_("Số hồ sơ cần sinh (ví dụ 1000000).")
        )
        parser.add_argument(
            "--years",
            type=int,
            default=2,
            help=_("Hồ sơ được tiếp nhận rải đều trong bấy nhiêu năm gần nhất (mặc định 2)."),
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=None,
            help=_("Hạt giống ngẫu nhiên: cùng hạt giống, cùng dữ liệu (trên cùng một ngày)."),
        )
        parser.add_argument(
            "--batch",
            type=int,
            default=5000,
            help=_("Số hồ sơ ghi trong mỗi giao dịch (mặc định 5000)."),
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help=_("Chỉ sinh khi chưa có hồ sơ nào (để chạy lại dữ liệu mẫu không nhân đôi)."),
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help=_(
                "Số tiến trình sinh và ghi song song (chỉ với PostgreSQL; mặc định bằng số CPU "
                "khi sinh từ 20.000 hồ sơ)."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        count = int(options["count"])
        if options.get("if_empty") and Dossier.objects.exists():
            self.stdout.write(_("Đã có hồ sơ: bỏ qua (--if-empty)."))
            return
        self.stdout.write(
            _("Đang sinh %(count)s hồ sơ trong %(years)d năm gần nhất…")
            % {"count": group_thousands(count), "years": options["years"]}
        )

        def progress(done: int, total: int, elapsed: float) -> None:
            rate = done / elapsed if elapsed > 0 else 0.0
            left = (total - done) / rate if rate > 0 else 0.0
            self.stdout.write(
                _(
                    "Đã tạo %(done)s/%(total)s hồ sơ (%(pct)d%%) – %(rate)s hồ sơ/giây, "
                    "còn khoảng %(left)s."
                )
                % {
                    "done": group_thousands(done),
                    "total": group_thousands(total),
                    "pct": 100 * done // max(total, 1),
                    "rate": group_thousands(int(rate)),
                    "left": _duration(left),
                }
            )

        try:
            result = generate_dossiers(
                count=count,
                years=int(options["years"]),
                seed=options["seed"],
                batch=int(options["batch"]),
                workers=options["workers"],
                progress=progress,
            )
        except GenerateError as exc:
            raise CommandError(str(exc)) from exc
        if result.staff_created:
            self.stdout.write(
                _("Đã tạo thêm %(n)d tài khoản cán bộ (bench.*) cho các bước còn thiếu người.")
                % {"n": result.staff_created}
            )
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Xong: %(n)s hồ sơ tại %(desks)d Bộ phận Một cửa, %(procs)d thủ tục, trong "
                    "%(time)s (%(rate)s hồ sơ/giây); %(tasks)s bước xử lý, %(events)s dòng diễn "
                    "biến, %(pauses)s lần tạm dừng, %(results)s kết quả, %(fees)s khoản phí."
                )
                % {
                    "n": group_thousands(result.created),
                    "desks": result.desks,
                    "procs": result.procedures,
                    "time": _duration(result.seconds),
                    "rate": group_thousands(int(result.created / max(result.seconds, 0.001))),
                    "tasks": group_thousands(result.tasks),
                    "events": group_thousands(result.events),
                    "pauses": group_thousands(result.pauses),
                    "results": group_thousands(result.results),
                    "fees": group_thousands(result.fees),
                }
            )
        )
        per = 1000 / max(result.created, 1)
        if result.database_cpu is not None:
            self.stdout.write(
                _(
                    "Thời gian CPU: Python %(py).0f giây (%(py_each).2f ms/hồ sơ), PostgreSQL "
                    "%(db).0f giây (%(db_each).2f ms/hồ sơ); %(workers)d tiến trình."
                )
                % {
                    "py": result.python_cpu,
                    "py_each": result.python_cpu * per,
                    "db": result.database_cpu,
                    "db_each": result.database_cpu * per,
                    "workers": result.workers,
                }
            )
        else:
            self.stdout.write(
                _(
                    "Thời gian CPU: Python %(py).0f giây (%(py_each).2f ms/hồ sơ); "
                    "%(workers)d tiến trình."
                )
                % {
                    "py": result.python_cpu,
                    "py_each": result.python_cpu * per,
                    "workers": result.workers,
                }
            )
        self.stdout.write(_("Theo trạng thái:"))
        for status in Status:
            n = result.by_status.get(status.value, 0)
            self.stdout.write(f"  {status.label}: {group_thousands(n)}")
        self.stdout.write(
            _("Mã hồ sơ từ %(first)s đến %(last)s.")
            % {"first": result.first_code, "last": result.last_code}
        )
