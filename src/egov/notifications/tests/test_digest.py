"""The leaders' daily digest and the two commands cron runs (``send_leader_digest``,
``notifications_dispatch``).

A test section stands in for the modules' sections (the one-stop shop's own is tested in
``dossiers/tests/test_digest.py``): it gives each leader the numbers the test sets.
"""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from egov.core.text import strip_diacritics
from egov.notifications import digest, registry, services
from egov.notifications.constants import Channel, MessageStatus
from egov.notifications.contracts import DigestLine
from egov.notifications.models import Message
from egov.notifications.tests.factories import CONTEXT, citizen
from egov.organizations.constants import Role
from egov.organizations.tests.factories import PositionFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 27)


@pytest.fixture
def numbers(monkeypatch: pytest.MonkeyPatch) -> dict[int, int]:
    """user id → how many overdue dossiers the test section reports for them."""
    counts: dict[int, int] = {}

    def section(user: Any) -> list[DigestLine]:
        return [
            DigestLine("Hồ sơ quá hạn", counts.get(user.pk, 0), "https://egov.example.vn/q/late"),
            DigestLine("Hồ sơ đến hạn hôm nay", 0, "https://egov.example.vn/q/today"),
        ]

    monkeypatch.setattr(registry, "_DIGEST_SECTIONS", {"tests": section})
    return counts


@pytest.fixture
def leaders(numbers: dict[int, int]) -> dict[str, Any]:
    busy = PositionFactory(
        role=Role.LEADER, user__phone="+84905111222", user__first_name="Bình"
    ).user
    head = PositionFactory(role=Role.DEPARTMENT_HEAD, user__phone="").user
    idle = PositionFactory(role=Role.LEADER).user
    specialist = PositionFactory(role=Role.SPECIALIST).user
    numbers.update({busy.pk: 3, head.pk: 1, specialist.pk: 5})
    return {"busy": busy, "head": head, "idle": idle, "specialist": specialist}


def digests(**filters: Any) -> list[Message]:
    return list(Message.objects.filter(event=digest.DIGEST_EVENT, **filters).order_by("id"))


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_leaders_with_something_get_one_digest_on_each_channel(leaders):
    assert digest.leader_digest_send(day=DAY) == 2
    busy, head = leaders["busy"], leaders["head"]
    got = {(m.recipient_user_id, m.channel) for m in digests()}
    assert got == {
        (busy.pk, Channel.SMS),
        (busy.pk, Channel.EMAIL),
        (busy.pk, Channel.INAPP),
        (head.pk, Channel.EMAIL),  # no phone: no SMS
        (head.pk, Channel.INAPP),
    }
    # Nothing for the idle leader; a specialist is no digest recipient whatever the numbers.
    assert not digests(recipient_user=leaders["idle"])
    assert not digests(recipient_user=leaders["specialist"])
    sms = digests(recipient_user=busy, channel=Channel.SMS)[0]
    assert sms.address == "+84905111222"
    assert "27/11/2026: Ho so qua han: 3" in sms.body  # zero lines are left out
    assert "den han" not in sms.body
    # The SMS speaks for the leader's agency (its short name, else its name).
    agency = busy.positions.get().agency
    assert sms.body.startswith(strip_diacritics(agency.short_name or agency.name))
    email = digests(recipient_user=busy, channel=Channel.EMAIL)[0]
    assert email.subject == "Việc cần chú ý ngày 27/11/2026"
    assert "- Hồ sơ quá hạn: 3 (https://egov.example.vn/q/late)" in email.body
    assert {m.dedupe_key for m in digests(recipient_user=busy)} == {f"digest:2026-11-27:{busy.pk}"}


def test_one_digest_per_day_even_when_run_twice(leaders):
    digest.leader_digest_send(day=DAY)
    before = Message.objects.count()
    assert digest.leader_digest_send(day=DAY) == 2  # already there: counted, not sent again
    assert Message.objects.count() == before
    digest.leader_digest_send(day=DAY + dt.timedelta(days=1))
    assert Message.objects.count() == 2 * before


def test_the_channels_can_be_chosen(leaders):
    digest.leader_digest_send(day=DAY, channels=["inapp"])
    assert {m.channel for m in digests()} == {Channel.INAPP}


def test_a_broken_section_does_not_stop_the_others(leaders, numbers, monkeypatch):
    def broken(user: Any) -> list[DigestLine]:
        raise RuntimeError("section down")

    sections = dict(registry._DIGEST_SECTIONS)
    sections["broken"] = broken
    monkeypatch.setattr(registry, "_DIGEST_SECTIONS", sections)
    assert digest.leader_digest_send(day=DAY, channels=["inapp"]) == 2


# --- send_leader_digest --------------------------------------------------------------------


def test_dry_run_prints_what_each_leader_would_get_and_sends_nothing(leaders):
    out = run("send_leader_digest", "--dry-run", "--date", "27/11/2026")
    assert not Message.objects.exists()
    busy = leaders["busy"].get_full_name()
    assert f"{busy} (sms, email, inapp): Hồ sơ quá hạn: 3" in out
    assert f"{leaders['idle'].get_full_name()}: không có việc cần chú ý, không gửi." in out
    assert "2 người sẽ nhận tin tổng hợp ngày 27/11/2026" in out


def test_the_command_sends_on_the_chosen_channels_for_the_date(leaders):
    out = run("send_leader_digest", "--date", "26/11/2026", "--channels", "email, inapp")
    assert "Tin tổng hợp ngày 26/11/2026: 2 người nhận (kênh: email, inapp)." in out
    assert {m.channel for m in digests()} == {Channel.EMAIL, Channel.INAPP}
    assert {m.dedupe_key.split(":")[1] for m in digests()} == {"2026-11-26"}
    again = run("send_leader_digest", "--dry-run", "--date", "26/11/2026")
    assert "đã gửi trong ngày, sẽ không gửi lại" in again


def test_the_command_defaults_to_today(leaders):
    run("send_leader_digest", "--channels", "inapp")
    today = timezone.localdate().isoformat()
    assert {m.dedupe_key.split(":")[1] for m in digests()} == {today}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--date", "2026-11-27"], "Ngày “2026-11-27” không hợp lệ"),
        (["--date", "31/02/2026"], "dạng ngày/tháng/năm, ví dụ 27/11/2026"),
        (["--channels", "sms,fax"], "Kênh “fax” không hợp lệ"),
        (["--channels", ","], "hãy chọn trong sms, email, inapp"),
    ],
)
def test_bad_options_are_explained(leaders, args, message):
    with pytest.raises(CommandError) as exc:
        run("send_leader_digest", *args)
    assert message in str(exc.value)
    assert not Message.objects.exists()


# --- notifications_dispatch -----------------------------------------------------------------


def test_dispatch_sends_what_is_due_and_says_how_many():
    # Queued inside a transaction whose after-commit delivery never ran (a lost task).
    services.notify("tests.hello", [citizen(phone="")], CONTEXT, dedupe_key="dispatch:1")
    message = Message.objects.get()
    assert message.status == MessageStatus.QUEUED
    assert run("notifications_dispatch").strip() == "Đã đưa 1 thông báo vào hàng gửi."
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and len(mail.outbox) == 1
    assert run("notifications_dispatch").strip() == "Đã đưa 0 thông báo vào hàng gửi."


def test_dispatch_refuses_a_bad_limit():
    with pytest.raises(CommandError) as exc:
        run("notifications_dispatch", "--limit", "0")
    assert "--limit phải từ 1 đến 100000" in str(exc.value)
