"""Signed-in sessions end after a period of inactivity and after a maximum age (ASVS 3.3).

``SessionTimeoutMiddleware`` (after the messages middleware) keeps two times in the session
of a signed-in person: when it was first seen signed in and when it was last active.

* **Idle**: no request for ``EGOV_SESSION_IDLE_MINUTES_STAFF`` minutes (staff accounts and
  Django staff) or ``EGOV_SESSION_IDLE_MINUTES`` (citizens) → signed out.
* **Absolute**: ``SESSION_COOKIE_AGE`` seconds after the first signed-in request →
  signed out, however active (recording activity re-saves the session, which would
  otherwise slide the cookie's own expiry forever).

Activity is written at most once every ``ACTIVITY_RESOLUTION`` seconds, so a busy
person costs one session write a minute instead of one per request
(``SESSION_SAVE_EVERY_REQUEST`` would write on every request, anonymous ones included).
Signed out, the request goes on as an anonymous one: a page that needs an account
redirects to the sign-in page, which shows why.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

#: Session keys (epoch seconds).
STARTED_KEY = "egov_session_started"
SEEN_KEY = "egov_session_seen"
#: Activity is recorded when the stored time is at least this many seconds old.
ACTIVITY_RESOLUTION = 60
#: The account kind of staff members (``accounts.constants.UserKind.STAFF``).
STAFF_KIND = "staff"


def idle_limit_seconds(user: Any) -> int:
    """Seconds of inactivity after which ``user`` is signed out."""
    is_staff = getattr(user, "kind", "") == STAFF_KIND or bool(getattr(user, "is_staff", False))
    minutes = (
        settings.EGOV_SESSION_IDLE_MINUTES_STAFF if is_staff else settings.EGOV_SESSION_IDLE_MINUTES
    )
    return int(minutes) * 60


def session_expired(session: Any, user: Any, now: int) -> bool:
    """Has this signed-in session been idle too long, or lived too long?"""
    seen = session.get(SEEN_KEY)
    started = session.get(STARTED_KEY)
    if isinstance(seen, int) and now - seen > idle_limit_seconds(user):
        return True
    return isinstance(started, int) and now - started > int(settings.SESSION_COOKIE_AGE)


class SessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            session = request.session
            if session_expired(session, user, now):
                logout(request)
                messages.info(
                    request,
                    _("Phiên làm việc đã hết hạn do lâu không thao tác. Vui lòng đăng nhập lại."),
                )
            else:
                if not isinstance(session.get(STARTED_KEY), int):
                    session[STARTED_KEY] = now
                seen = session.get(SEEN_KEY)
                if not isinstance(seen, int) or now - seen >= ACTIVITY_RESOLUTION:
                    session[SEEN_KEY] = now
        return self.get_response(request)
