"""Reads of the notifications console: the delivery log, templates, opt-outs and the bell.

The delivery log grows to millions of rows, so its pages are keyset pages on the index
``notif_msg_recent_idx`` (newest first: ``created_at`` then ``id``): a page asks for the
rows after (or before) the last one it showed, and the position travels as an opaque
cursor.  There is no OFFSET and no COUNT over the table; the only counts are bounded
(``COUNT_CAP``: "99+" is all a badge or a summary line needs to say).

The bell reads only the user's own in-app messages (``recipient_user`` = the user), on
the index ``notif_msg_bell_idx``; anyone else's message is ``NotFound``, exactly like a
message that does not exist.
"""

from __future__ import annotations

import datetime as dt
import uuid as uuid_lib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.db.models import Model, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.core import keyset
from egov.core.keyset import cursor_decode, cursor_encode
from egov.core.phone import try_normalize_phone
from egov.notifications.constants import Channel, MessageStatus
from egov.notifications.contracts import EventSpec, TemplateText
from egov.notifications.errors import NotFound
from egov.notifications.models import DeliveryAttempt, Message, OptOut, TemplateOverride
from egov.notifications.registry import events

__all__ = [
    "COUNT_CAP",
    "DEFAULT_LIMIT",
    "MAX_LIMIT",
    "TEMPLATE_LANGUAGES",
    "ChannelTemplates",
    "CursorInvalid",
    "EventTemplates",
    "LanguageTemplate",
    "LogFilters",
    "Page",
    "badge",
    "bell_latest_unread",
    "bell_message_get",
    "bell_page",
    "bell_unread_count",
    "failed_recent_count",
    "message_get",
    "message_log",
    "optout_list",
    "template_overview",
    "template_state",
]

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
#: Counts stop here and say "99+".
COUNT_CAP = 100
#: The languages an admin writes templates in (the recipient's language picks one).
TEMPLATE_LANGUAGES = ("vi", "en")

M = TypeVar("M", bound=Model)


# --- keyset pages ----------------------------------------------------------------------------


class CursorInvalid(ValueError):
    """A cursor that is not one of ours (typed, cut, from another list)."""

    def __init__(self) -> None:
        super().__init__(_("Liên kết phân trang không hợp lệ hoặc đã cũ; đang hiển thị trang đầu."))


@dataclass
class Page(Generic[M]):
    """One page of a list, newest first; the cursors are opaque (``None``: no such page)."""

    items: list[M]
    next_cursor: str | None = None
    prev_cursor: str | None = None


def _keyset(
    rows: QuerySet[M], scope: str, cursor: str | None, limit: int, key: str | None
) -> Page[M]:
    """Newest first by ``key`` (a non-null date-time) then id; by id alone when ``key`` is
    ``None``.  ``cursor`` comes from a previous page; ``CursorInvalid`` when it is not ours."""
    limit = max(1, min(int(limit), MAX_LIMIT))
    direction, value, pk = "n", None, 0
    has_cursor = bool(cursor)
    if cursor:
        try:
            direction, value, pk = cursor_decode(cursor, scope, require_key=key is not None)
        except keyset.CursorInvalid as exc:
            raise CursorInvalid() from exc
    forward = direction == "n"
    if key is None:
        order = ["-pk"] if forward else ["pk"]
        if has_cursor:
            rows = rows.filter(pk__lt=pk) if forward else rows.filter(pk__gt=pk)
    else:
        order = [f"-{key}", "-pk"] if forward else [key, "pk"]
        if has_cursor:
            if forward:
                rows = rows.filter(Q(**{f"{key}__lt": value}) | Q(**{key: value, "pk__lt": pk}))
            else:
                rows = rows.filter(Q(**{f"{key}__gt": value}) | Q(**{key: value, "pk__gt": pk}))
    fetched = list(rows.order_by(*order)[: limit + 1])
    more = len(fetched) > limit
    items = fetched[:limit]
    if not forward:
        items.reverse()

    def cursor_of(item: M, towards: str) -> str:
        item_key = getattr(item, key) if key is not None else None
        return cursor_encode(scope, towards, item_key, int(item.pk))

    page: Page[M] = Page(items=items)
    if items:
        if (forward and more) or (not forward and has_cursor):
            page.next_cursor = cursor_of(items[-1], "n")
        if (forward and has_cursor) or (not forward and more):
            page.prev_cursor = cursor_of(items[0], "p")
    return page


def badge(count: int) -> str:
    """A bounded count as a badge says it: ``"7"``, or ``"99+"`` at the cap."""
    return f"{COUNT_CAP - 1}+" if count >= COUNT_CAP else str(count)


def _bounded_count(rows: QuerySet[Any]) -> int:
    return rows[:COUNT_CAP].count()


# --- the delivery log ------------------------------------------------------------------------


@dataclass(frozen=True)
class LogFilters:
    """What the log page filters on (all optional; blank means "any")."""

    status: str = ""
    channel: str = ""
    event: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    #: Only messages created in the last so many hours (the "failed in 24 h" link).
    last_hours: int | None = None
    #: A phone (any way people type it), an e-mail address, or part of the recipient's name.
    q: str = ""
    #: A dossier code (``related_kind`` "dossier").
    related: str = ""


def _printable(text: str, limit: int = 200) -> str:
    cleaned = "".join(ch if ch.isprintable() else " " for ch in (text or "")[: limit * 2])
    return " ".join(cleaned.split())[:limit]


def recipient_filter(q: str) -> Q | None:
    """The condition for what was typed in the recipient box (``None`` when blank).

    A phone typed as ``0905 123 456`` is looked up as ``+84905123456`` (how SMS addresses
    are stored); an e-mail address exactly (stored in lower case); anything else is part
    of the recipient's name, or an exact address (``user:12``).
    """
    text = _printable(q)
    if not text:
        return None
    phone = try_normalize_phone(text)
    if phone:
        return Q(address=phone)
    if "@" in text and " " not in text:
        return Q(address=text.lower())
    return Q(recipient_name__icontains=text) | Q(address=text)


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _filtered_log(filters: LogFilters, now: dt.datetime) -> QuerySet[Message]:
    rows = Message.objects.all()
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.channel:
        rows = rows.filter(channel=filters.channel)
    if filters.event:
        rows = rows.filter(event=filters.event)
    if filters.date_from:
        rows = rows.filter(created_at__gte=_day_start(filters.date_from))
    if filters.date_to:
        rows = rows.filter(created_at__lt=_day_start(filters.date_to + dt.timedelta(days=1)))
    if filters.last_hours:
        rows = rows.filter(created_at__gte=now - dt.timedelta(hours=filters.last_hours))
    cond = recipient_filter(filters.q)
    if cond is not None:
        rows = rows.filter(cond)
    related = _printable(filters.related, 64).replace(" ", "")
    if related:
        rows = rows.filter(related_kind="dossier", related_ref__in=[related, related.upper()])
    return rows


def message_log(
    filters: LogFilters,
    *,
    cursor: str | None = None,
    limit: int = DEFAULT_LIMIT,
    now: dt.datetime | None = None,
) -> Page[Message]:
    """One page of the delivery log, newest first (one query; ``CursorInvalid``)."""
    rows = _filtered_log(filters, now or timezone.now()).select_related("recipient_user")
    return _keyset(rows, "log", cursor, limit, "created_at")


#: The window of the "failed recently" summary line.
FAILED_WINDOW_HOURS = 24


def failed_recent_count(now: dt.datetime | None = None) -> int:
    """Messages created in the last 24 hours that failed, counted up to ``COUNT_CAP``."""
    since = (now or timezone.now()) - dt.timedelta(hours=FAILED_WINDOW_HOURS)
    return _bounded_count(
        Message.objects.filter(created_at__gte=since, status=MessageStatus.FAILED)
    )


def _parse_uuid(value: Any) -> uuid_lib.UUID:
    try:
        return value if isinstance(value, uuid_lib.UUID) else uuid_lib.UUID(str(value))
    except (ValueError, TypeError, AttributeError) as exc:
        raise NotFound() from exc


def message_get(uuid: Any) -> Message:
    """One line of the log with its attempts, the message it resends and its resends."""
    message = (
        Message.objects.filter(uuid=_parse_uuid(uuid))
        .select_related("recipient_user", "resent_from")
        .prefetch_related(
            Prefetch("attempt_log", queryset=DeliveryAttempt.objects.order_by("number", "id")),
            Prefetch("resends", queryset=Message.objects.order_by("created_at", "id")),
        )
        .first()
    )
    if message is None:
        raise NotFound()
    return message


# --- the bell --------------------------------------------------------------------------------


def _bell_rows(user: Any) -> QuerySet[Message]:
    if not getattr(user, "is_authenticated", False) or user.pk is None:
        return Message.objects.none()
    return Message.objects.filter(recipient_user_id=user.pk, channel=Channel.INAPP)


def bell_unread_count(user: Any) -> int:
    """The user's unread in-app messages, counted up to ``COUNT_CAP`` (one indexed query)."""
    return _bounded_count(_bell_rows(user).filter(read_at__isnull=True))


def bell_latest_unread(user: Any, limit: int = 5) -> list[Message]:
    """The newest unread in-app messages of the user (the dashboard panel)."""
    rows = _bell_rows(user).filter(read_at__isnull=True)
    return list(rows.order_by("-created_at", "-id")[:limit])


def bell_page(
    user: Any, *, cursor: str | None = None, limit: int = DEFAULT_LIMIT, unread: bool = False
) -> Page[Message]:
    """One page of the user's own in-app messages, newest first (``CursorInvalid``)."""
    rows = _bell_rows(user)
    if unread:
        rows = rows.filter(read_at__isnull=True)
    return _keyset(rows, "bell-unread" if unread else "bell", cursor, limit, "created_at")


def bell_message_get(user: Any, uuid: Any) -> Message:
    """One of the user's own in-app messages; anyone else's is ``NotFound``."""
    message = _bell_rows(user).filter(uuid=_parse_uuid(uuid)).first()
    if message is None:
        raise NotFound()
    return message


# --- templates -------------------------------------------------------------------------------


@dataclass(frozen=True)
class LanguageTemplate:
    """Which text one event uses on one channel in one language."""

    language: str
    #: ``custom`` (an admin's text), ``default`` (built-in), ``fallback`` (no text in this
    #: language: the Vietnamese one is used), ``none`` (nothing is sent in this language).
    state: str
    override: TemplateOverride | None = None
    default: TemplateText | None = None


@dataclass(frozen=True)
class ChannelTemplates:
    channel: str
    enabled: bool
    languages: list[LanguageTemplate] = field(default_factory=list)

    @property
    def label(self) -> str:
        return str(Channel(self.channel).label)


@dataclass(frozen=True)
class EventTemplates:
    spec: EventSpec
    channels: list[ChannelTemplates] = field(default_factory=list)


def _language_template(
    spec: EventSpec, channel: str, language: str, overrides: dict[str, TemplateOverride]
) -> LanguageTemplate:
    default = spec.defaults.get((channel, language))
    override = overrides.get(language)
    if override is not None:
        return LanguageTemplate(language, "custom", override, default)
    if default is not None:
        return LanguageTemplate(language, "default", None, default)
    if language != "vi" and ("vi" in overrides or (channel, "vi") in spec.defaults):
        return LanguageTemplate(language, "fallback")
    return LanguageTemplate(language, "none")


def _overrides_by_event(
    rows: Iterable[TemplateOverride],
) -> dict[tuple[str, str], dict[str, TemplateOverride]]:
    found: dict[tuple[str, str], dict[str, TemplateOverride]] = {}
    for override in rows:
        found.setdefault((override.event, override.channel), {})[override.language] = override
    return found


def _channel_templates(
    spec: EventSpec, channel: str, overrides: dict[str, TemplateOverride]
) -> ChannelTemplates:
    return ChannelTemplates(
        channel=channel,
        enabled=all(o.enabled for o in overrides.values()),
        languages=[
            _language_template(spec, channel, language, overrides)
            for language in TEMPLATE_LANGUAGES
        ],
    )


def template_overview() -> list[EventTemplates]:
    """Every declared event with, per channel and language, the text in use (one query)."""
    overrides = _overrides_by_event(TemplateOverride.objects.select_related("updated_by"))
    return [
        EventTemplates(
            spec=spec,
            channels=[
                _channel_templates(spec, channel, overrides.get((spec.key, channel), {}))
                for channel in spec.channels
            ],
        )
        for spec in events()
    ]


@dataclass(frozen=True)
class TemplateState:
    """What the editor of one event, channel and language starts from."""

    spec: EventSpec
    channel: str
    language: str
    current: LanguageTemplate
    enabled: bool
    #: The Vietnamese text used when this language has none of its own.
    fallback: TemplateText | None

    @property
    def override(self) -> TemplateOverride | None:
        return self.current.override

    @property
    def text(self) -> TemplateText | None:
        """The text the editor opens with: the admin's, else the built-in one."""
        if self.current.override is not None:
            return TemplateText(
                body=self.current.override.body, subject=self.current.override.subject
            )
        return self.current.default

    @property
    def lock_version(self) -> int:
        """The version the form carries: ``-1`` when there is no admin text yet."""
        override = self.current.override
        return override.lock_version if override is not None else -1


def template_state(
    spec: EventSpec,
    channel: str,
    language: str,
    *,
    fetch: Callable[[], Iterable[TemplateOverride]] | None = None,
) -> TemplateState:
    """The editor's starting point for ``spec`` on ``channel`` in ``language`` (one query)."""
    rows = (
        fetch()
        if fetch is not None
        else TemplateOverride.objects.filter(event=spec.key, channel=channel).select_related(
            "updated_by"
        )
    )
    overrides = {o.language: o for o in rows}
    current = _language_template(spec, channel, language, overrides)
    fallback = None
    if current.state == "fallback":
        vi = overrides.get("vi")
        fallback = (
            TemplateText(body=vi.body, subject=vi.subject)
            if vi is not None
            else spec.defaults.get((channel, "vi"))
        )
    return TemplateState(
        spec=spec,
        channel=channel,
        language=language,
        current=current,
        enabled=all(o.enabled for o in overrides.values()),
        fallback=fallback,
    )


# --- opt-outs --------------------------------------------------------------------------------


def optout_list(
    *,
    channel: str = "",
    address: str = "",
    cursor: str | None = None,
    limit: int = DEFAULT_LIMIT,
) -> Page[OptOut]:
    """Opt-outs, newest first, on one channel and/or for one address (``CursorInvalid``).

    The address is matched as typed and in its normalised form (a phone as ``+84…``, an
    e-mail in lower case), so ``0905 123 456`` finds ``+84905123456``.
    """
    rows = OptOut.objects.select_related("created_by")
    if channel:
        rows = rows.filter(channel=channel)
    text = _printable(address, 254)
    if text:
        forms = {text, text.lower()}
        phone = try_normalize_phone(text)
        if phone:
            forms.add(phone)
        rows = rows.filter(address__in=sorted(forms))
    return _keyset(rows, "optouts", cursor, limit, None)
