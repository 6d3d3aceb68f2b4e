"""``manage.py send_leader_digest [--date dd/mm/yyyy] [--channels sms,email,inapp] [--dry-run]``.

The leaders' daily digest (``notifications.digest.leader_digest_send``): beat runs it every
morning at ``EGOV_DIGEST_TIME``; the embedded topology (no beat) runs this command from
cron.  Running it twice on one day sends nothing new (one digest per person per day).
``--dry-run`` prints, per leader, what would be sent and sends nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from egov.notifications.channels import channel_get
from egov.notifications.constants import Channel
from egov.notifications.contracts import Recipient
from egov.notifications.digest import digest_lines, digest_recipients, leader_digest_send
from egov.notifications.models import Message


def parse_day(value: str) -> dt.date:
    try:
        return dt.datetime.strptime(value.strip(), "%d/%m/%Y").date()  # noqa: DTZ007 (a date)
    except ValueError:
        raise CommandError(
            _("Ngày “%(value)s” không hợp lệ: hãy ghi theo dạng ngày/tháng/năm, ví dụ 27/11/2026.")
            % {"value": value}
        ) from None


def parse_channels(value: str) -> list[str]:
    wanted = [part.strip().lower() for part in value.split(",") if part.strip()]
    unknown = [part for part in wanted if part not in Channel.values]
    if unknown or not wanted:
        raise CommandError(
            _("Kênh “%(value)s” không hợp lệ: hãy chọn trong %(allowed)s, cách nhau bằng dấu phẩy.")
            % {"value": ", ".join(unknown) or value, "allowed": ", ".join(Channel.values)}
        )
    return list(dict.fromkeys(wanted))


class Command(BaseCommand):
    help = _(
        "Gửi tin tổng hợp hằng ngày cho lãnh đạo và trưởng phòng có việc cần chú ý (hồ sơ đến "
        "hạn, quá hạn, chờ phê duyệt…). Chạy lại trong ngày không gửi trùng."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date",
            default="",
            help=_(
                "Ngày của tin tổng hợp, dạng dd/mm/yyyy (mặc định hôm nay). Số liệu luôn là số "
                "liệu lúc chạy lệnh."
            ),
        )
        parser.add_argument(
            "--channels",
            default="",
            help=_(
                "Các kênh gửi, cách nhau bằng dấu phẩy: sms, email, inapp (mặc định theo "
                "EGOV_DIGEST_CHANNELS)."
            ),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("Chỉ in ra tin sẽ gửi cho từng người, không gửi gì."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        day = parse_day(options["date"]) if options["date"] else timezone.localdate()
        channels = (
            parse_channels(options["channels"])
            if options["channels"]
            else list(settings.EGOV_DIGEST_CHANNELS)
        )
        if options["dry_run"]:
            self.dry_run(day, channels)
            return
        sent = leader_digest_send(day=day, channels=channels)
        self.stdout.write(
            _("Tin tổng hợp ngày %(day)s: %(n)d người nhận (kênh: %(channels)s).")
            % {"day": day.strftime("%d/%m/%Y"), "n": sent, "channels": ", ".join(channels)}
        )

    def dry_run(self, day: dt.date, channels: list[str]) -> None:
        dedupe_prefix = f"digest:{day.isoformat()}:"
        count = 0
        for user in digest_recipients():
            with translation.override("vi"):
                lines = digest_lines(user)
            name = user.get_full_name() or user.get_username()
            if not lines:
                self.stdout.write(
                    _("%(name)s: không có việc cần chú ý, không gửi.") % {"name": name}
                )
                continue
            count += 1
            recipient = Recipient(phone=user.phone, email=user.email, user_id=user.pk)
            reachable = [c for c in channels if channel_get(c).address_for(recipient)]
            already = Message.objects.filter(dedupe_key=f"{dedupe_prefix}{user.pk}").exists()
            summary = "; ".join(f"{line.label}: {line.count}" for line in lines)
            self.stdout.write(
                _("%(name)s (%(channels)s): %(summary)s%(note)s")
                % {
                    "name": name,
                    "channels": ", ".join(reachable) or _("không có kênh nào nhận được"),
                    "summary": summary,
                    "note": _(" – đã gửi trong ngày, sẽ không gửi lại") if already else "",
                }
            )
        self.stdout.write(
            _("Chạy thử, không gửi gì: %(n)d người sẽ nhận tin tổng hợp ngày %(day)s.")
            % {"n": count, "day": day.strftime("%d/%m/%Y")}
        )
