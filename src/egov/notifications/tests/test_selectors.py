"""Reads of the console: keyset pages of the log, its filters, bounded counts, the bell
(only one's own), template states and opt-outs."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from egov.notifications import selectors, services
from egov.notifications.constants import Channel, MessageStatus
from egov.notifications.contracts import Recipient, Related
from egov.notifications.errors import NotFound
from egov.notifications.models import Message, OptOut, TemplateOverride
from egov.notifications.registry import event_get
from egov.notifications.selectors import LogFilters
from egov.notifications.tests.factories import CONTEXT, citizen
from egov.organizations.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

_keys = itertools.count(1)


def queue(recipient: Recipient | None = None, event: str = "tests.hello", **kwargs) -> list[int]:
    result = services.notify(
        event,
        [recipient or citizen()],
        kwargs.pop("context", CONTEXT),
        dedupe_key=f"sel:{next(_keys)}",
        **kwargs,
    )
    return result.queued + result.skipped


def log_line(**fields: object) -> Message:
    """A line of the log in any state (the services' rules do not matter to a read)."""
    n = next(_keys)
    values: dict[str, object] = {
        "event": "tests.hello",
        "dedupe_key": f"row:{n}",
        "channel": Channel.SMS,
        "address": f"+8490500{n:04d}",
        "recipient_name": "Nguyễn Thị Đào",
        "body": "Ho so da duoc tiep nhan.",
    }
    values.update(fields)
    return Message.objects.create(**values)


def at(message: Message, when: dt.datetime) -> Message:
    Message.objects.filter(pk=message.pk).update(created_at=when)
    message.refresh_from_db()
    return message


# --- the log: keyset pages ---------------------------------------------------------------------


def test_log_pages_walk_forward_and_back_without_gaps_or_repeats() -> None:
    now = timezone.now()
    # Several rows share a time stamp: the id breaks the tie.
    rows = [at(log_line(), now - dt.timedelta(minutes=i // 3)) for i in range(11)]
    expected = sorted(rows, key=lambda m: (m.created_at, m.pk), reverse=True)
    seen: list[int] = []
    page = selectors.message_log(LogFilters(), limit=4)
    pages = [page]
    while page.next_cursor:
        page = selectors.message_log(LogFilters(), cursor=page.next_cursor, limit=4)
        pages.append(page)
    for p in pages:
        seen.extend(m.pk for m in p.items)
    assert seen == [m.pk for m in expected]
    assert [len(p.items) for p in pages] == [4, 4, 3]
    assert pages[0].prev_cursor is None and pages[-1].next_cursor is None
    back = selectors.message_log(LogFilters(), cursor=pages[-1].prev_cursor, limit=4)
    assert [m.pk for m in back.items] == [m.pk for m in pages[1].items]
    assert back.next_cursor and back.prev_cursor


@pytest.mark.parametrize(
    "cursor", ["nope", "eyJhIjoxfQ", "W10", "x" * 400, "WyJib29rIiwibiIsbnVsbCwxXQ"]
)
def test_a_cursor_that_is_not_ours_is_refused(cursor: str) -> None:
    log_line()
    with pytest.raises(selectors.CursorInvalid):
        selectors.message_log(LogFilters(), cursor=cursor)


def test_a_bell_cursor_is_not_a_log_cursor() -> None:
    user = UserFactory(staff=True)
    for _ in range(3):
        queue(Recipient(user_id=user.pk, channels=frozenset({Channel.INAPP})))
    page = selectors.bell_page(user, limit=1)
    assert page.next_cursor
    with pytest.raises(selectors.CursorInvalid):
        selectors.message_log(LogFilters(), cursor=page.next_cursor)


def test_the_log_page_is_one_query(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    user = UserFactory(staff=True)
    for _ in range(5):
        queue(citizen(user_id=user.pk))
    with django_assert_num_queries(1):
        page = selectors.message_log(LogFilters(), limit=50)
        names = [m.recipient_user.username for m in page.items if m.recipient_user]
    assert len(page.items) == 15 and len(names) == 15


# --- the log: filters --------------------------------------------------------------------------


def test_filters_by_status_channel_event_and_dossier() -> None:
    queue(related=Related("dossier", "000.21.03.T99-261127-0001"))
    queue(event="tests.code", recipient=citizen(email=""), context={"code": "1"})
    failed = log_line(status=MessageStatus.FAILED)

    def pks(**kw: object) -> set[int]:
        return {m.pk for m in selectors.message_log(LogFilters(**kw)).items}  # type: ignore[arg-type]

    assert pks(status=MessageStatus.FAILED) == {failed.pk}
    assert pks(channel=Channel.EMAIL) == set(
        Message.objects.filter(channel=Channel.EMAIL).values_list("pk", flat=True)
    )
    assert pks(event="tests.code") == set(
        Message.objects.filter(event="tests.code").values_list("pk", flat=True)
    )
    related = set(
        Message.objects.filter(related_ref="000.21.03.T99-261127-0001").values_list("pk", flat=True)
    )
    assert len(related) == 2
    assert pks(related=" 000.21.03.t99-261127-0001 ") == related
    assert pks(related="000.21.03.T99-261127-0002") == set()


@pytest.mark.parametrize(
    "typed", ["0905 123 456", "0905.123.456", "+84 905 123 456", "84905123456"]
)
def test_a_phone_is_found_however_it_is_typed(typed: str) -> None:
    queue(citizen(email=""))
    queue(citizen(phone="0912 000 111", email=""))
    found = selectors.message_log(LogFilters(q=typed)).items
    assert [m.address for m in found] == ["+84905123456"]


def test_search_by_email_and_by_name() -> None:
    queue(citizen(phone=""))
    queue(citizen(name="Trần Văn Bình", phone="", email="binh@example.vn"))
    by_mail = selectors.message_log(LogFilters(q=" DAO.nguyen@example.vn ")).items
    assert [m.recipient_name for m in by_mail] == ["Nguyễn Thị Đào"]
    by_name = selectors.message_log(LogFilters(q="Văn Bình")).items
    assert [m.address for m in by_name] == ["binh@example.vn"]
    assert selectors.message_log(LogFilters(q="\x00\x01  ")).items  # blank after cleaning


def test_dates_are_whole_days_in_vietnam_and_last_hours_counts_back() -> None:
    vn = dt.timezone(dt.timedelta(hours=7))
    late = at(log_line(), dt.datetime(2024, 3, 14, 23, 30, tzinfo=vn))
    early = at(log_line(), dt.datetime(2024, 3, 15, 0, 10, tzinfo=vn))
    recent = log_line()
    day = dt.date(2024, 3, 15)
    assert [m.pk for m in selectors.message_log(LogFilters(date_from=day, date_to=day)).items] == [
        early.pk
    ]
    assert {m.pk for m in selectors.message_log(LogFilters(date_to=day)).items} == {
        late.pk,
        early.pk,
    }
    assert [m.pk for m in selectors.message_log(LogFilters(last_hours=24)).items] == [recent.pk]


# --- bounded counts ----------------------------------------------------------------------------


def test_failed_in_the_last_day_is_counted_and_bounded(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    old = log_line(status=MessageStatus.FAILED)
    at(old, timezone.now() - dt.timedelta(hours=30))
    log_line(status=MessageStatus.SENT)
    for _ in range(3):
        log_line(status=MessageStatus.FAILED)
    with django_assert_num_queries(1):
        assert selectors.failed_recent_count() == 3
    Message.objects.bulk_create(
        [
            Message(
                event="tests.hello",
                dedupe_key=f"bulk:{i}",
                channel=Channel.SMS,
                address="+84905123456",
                body="x",
                status=MessageStatus.FAILED,
            )
            for i in range(120)
        ]
    )
    assert selectors.failed_recent_count() == selectors.COUNT_CAP
    assert selectors.badge(selectors.COUNT_CAP) == "99+"
    assert selectors.badge(7) == "7"


# --- the bell ----------------------------------------------------------------------------------


def test_the_bell_sees_only_its_own_in_app_messages(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    me, other = UserFactory(staff=True), UserFactory(staff=True)
    mine = [queue(Recipient(user_id=me.pk, phone="0905123456"))]
    theirs = queue(Recipient(user_id=other.pk, channels=frozenset({Channel.INAPP})))
    # My SMS is not a bell notification; only the in-app line is.
    my_inapp = Message.objects.get(recipient_user=me, channel=Channel.INAPP)
    assert len(mine[0]) == 2
    with django_assert_num_queries(1):
        assert selectors.bell_unread_count(me) == 1
    assert [m.pk for m in selectors.bell_page(me).items] == [my_inapp.pk]
    assert selectors.bell_message_get(me, my_inapp.uuid) == my_inapp
    with pytest.raises(NotFound):
        selectors.bell_message_get(me, Message.objects.get(pk=theirs[0]).uuid)
    with pytest.raises(NotFound):
        selectors.bell_message_get(me, "not-a-uuid")
    services.inapp_mark_read(user=me)
    assert selectors.bell_unread_count(me) == 0
    assert selectors.bell_latest_unread(me) == []
    assert selectors.bell_page(me, unread=True).items == []
    assert [m.pk for m in selectors.bell_latest_unread(other)] == theirs


def test_the_bell_count_is_bounded() -> None:
    me = UserFactory(staff=True)
    Message.objects.bulk_create(
        [
            Message(
                event="tests.hello",
                dedupe_key=f"bell:{i}",
                channel=Channel.INAPP,
                address=f"user:{me.pk}",
                recipient_user=me,
                body="x",
                status=MessageStatus.SENT,
            )
            for i in range(130)
        ]
    )
    assert selectors.bell_unread_count(me) == selectors.COUNT_CAP
    assert len(selectors.bell_latest_unread(me, 5)) == 5


def test_anonymous_has_no_bell() -> None:
    from django.contrib.auth.models import AnonymousUser

    assert selectors.bell_unread_count(AnonymousUser()) == 0


# --- templates and opt-outs --------------------------------------------------------------------


def test_template_overview_says_which_text_is_used() -> None:
    TemplateOverride.objects.create(
        event="tests.hello", channel=Channel.SMS, language="en", body="Hi {code}", enabled=False
    )
    overview = {item.spec.key: item for item in selectors.template_overview()}
    hello = {c.channel: c for c in overview["tests.hello"].channels}
    sms = {lang.language: lang.state for lang in hello[Channel.SMS].languages}
    assert sms == {"vi": "default", "en": "custom"}
    assert hello[Channel.SMS].enabled is False
    email = {lang.language: lang.state for lang in hello[Channel.EMAIL].languages}
    assert email == {"vi": "default", "en": "fallback"}
    assert hello[Channel.EMAIL].enabled is True
    state = selectors.template_state(event_get("tests.hello"), Channel.EMAIL, "en")  # type: ignore[arg-type]
    assert state.lock_version == -1 and state.text is None
    assert state.fallback is not None and "{code}" in state.fallback.subject
    custom = selectors.template_state(event_get("tests.hello"), Channel.SMS, "en")  # type: ignore[arg-type]
    assert custom.text is not None and custom.text.body == "Hi {code}"
    assert custom.lock_version == 0 and custom.enabled is False


def test_opt_outs_are_found_by_the_address_as_typed() -> None:
    services.optout_add(channel=Channel.SMS, address="0905 123 456")
    services.optout_add(channel=Channel.EMAIL, address="Dao@Example.vn")
    assert {o.channel for o in selectors.optout_list().items} == {Channel.SMS, Channel.EMAIL}
    assert [o.address for o in selectors.optout_list(address="0905.123.456").items] == [
        "+84905123456"
    ]
    assert [o.address for o in selectors.optout_list(address="DAO@example.VN").items] == [
        "dao@example.vn"
    ]
    assert selectors.optout_list(channel=Channel.EMAIL, address="0905123456").items == []
    for i in range(4):
        OptOut.objects.create(channel=Channel.SMS, address=f"+8491200000{i}", source="staff")
    first = selectors.optout_list(limit=4)
    second = selectors.optout_list(limit=4, cursor=first.next_cursor)
    assert len(first.items) == 4 and len(second.items) == 2
    assert not {o.pk for o in first.items} & {o.pk for o in second.items}
