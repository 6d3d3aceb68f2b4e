"""The opt-out link: signed tokens, the public pages, RFC 8058 one-click, receiving again."""

from __future__ import annotations

import re

import pytest
from django.core import mail, signing
from django.test import Client
from django.urls import reverse

from egov.core.audit.models import AuditEvent
from egov.notifications import services
from egov.notifications.constants import Channel, MessageStatus, OptOutSource
from egov.notifications.models import Message, OptOut
from egov.notifications.tests.factories import CONTEXT, citizen
from egov.notifications.unsubscribe import (
    SALT,
    mask_address,
    token_make,
    token_read,
    unsubscribe_url,
)

pytestmark = pytest.mark.django_db(transaction=True)

ADDRESS = "dao.nguyen@example.vn"


def _url(token: str) -> str:
    return reverse("notifications_unsubscribe", args=[token])


def _again_url(token: str) -> str:
    return reverse("notifications_resubscribe", args=[token])


def _opted_out() -> bool:
    return OptOut.objects.filter(channel=Channel.EMAIL, address=ADDRESS).exists()


def _csrf_client(url: str) -> tuple[Client, str]:
    """A browser: CSRF enforced, the form's token read from the page it loaded."""
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(url)
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert found is not None
    return browser, found.group(1)


# --- Tokens ---------------------------------------------------------------------------------
def test_a_token_round_trips_and_is_url_safe() -> None:
    token = token_make(Channel.EMAIL, ADDRESS)
    assert re.fullmatch(r"[A-Za-z0-9_\-:]+", token)
    assert ADDRESS not in token  # not in clear text in logs at a glance
    assert token == token_make(Channel.EMAIL, ADDRESS)  # no timestamp, no expiry
    subscription = token_read(token)
    assert subscription is not None
    assert (subscription.channel, subscription.address) == ("email", ADDRESS)
    assert subscription.masked == "d***@example.vn"


def test_forged_or_foreign_tokens_are_refused() -> None:
    token = token_make(Channel.EMAIL, ADDRESS)
    payload, signature = token.split(":")
    other = token_make(Channel.EMAIL, "someone@example.vn").split(":")[0]
    assert token_read(f"{other}:{signature}") is None  # another address, same signature
    assert token_read(f"{payload}:{signature[:-2]}AA") is None
    assert token_read(signing.dumps(["email", ADDRESS], salt="other.purpose")) is None
    assert token_read(signing.Signer(salt="other").sign_object(["email", ADDRESS])) is None
    # Well signed but not what the link carries.
    assert token_read(signing.Signer(salt=SALT).sign_object({"email": ADDRESS})) is None
    assert token_read(signing.Signer(salt=SALT).sign_object(["inapp", "user:1"])) is None
    assert token_read(signing.Signer(salt=SALT).sign_object(["email", ""])) is None
    assert token_read("") is None
    assert token_read("khong-phai-ma") is None
    assert token_read("x" * 2000) is None
    with pytest.raises(ValueError):
        token_make(Channel.INAPP, "user:1")


@pytest.mark.parametrize(
    ("channel", "address", "masked"),
    [
        ("email", "dao.nguyen@example.vn", "d***@example.vn"),
        ("email", "a@b.vn", "a***@b.vn"),
        ("sms", "+84905123456", "+84*****3456"),
    ],
)
def test_addresses_are_masked(channel: str, address: str, masked: str) -> None:
    assert mask_address(channel, address) == masked


# --- The pages ------------------------------------------------------------------------------
def test_get_shows_the_masked_address_and_changes_nothing(client: Client) -> None:
    token = token_make(Channel.EMAIL, ADDRESS)
    response = client.get(_url(token))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ngừng nhận thư thông báo" in html
    assert "d***@example.vn" in html and ADDRESS not in html
    assert f'action="{_url(token)}"' in html and 'method="post"' in html
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "same-origin"
    assert "noindex" in response["X-Robots-Tag"]
    assert client.head(_url(token)).status_code == 200
    assert not _opted_out()


def test_the_form_post_opts_out_and_a_later_notice_is_skipped() -> None:
    token = token_make(Channel.EMAIL, ADDRESS)
    browser, csrf = _csrf_client(_url(token))
    # As a browser sends it: with the Origin header (same-origin referrer policy).
    response = browser.post(
        _url(token), {"csrfmiddlewaretoken": csrf}, HTTP_ORIGIN="http://testserver"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Đã ghi nhận: hệ thống ngừng gửi thư thông báo tới d***@example.vn." in html
    assert f'action="{_again_url(token)}"' in html  # the button to receive again
    optout = OptOut.objects.get(channel=Channel.EMAIL, address=ADDRESS)
    assert optout.source == OptOutSource.LINK and optout.created_by is None

    mail.outbox.clear()
    result = services.notify("tests.hello", [citizen(phone="")], CONTEXT, dedupe_key="t:after")
    message = Message.objects.get(dedupe_key="t:after")
    assert result.skipped == [message.pk] and message.status == MessageStatus.SKIPPED
    assert not mail.outbox


def test_the_form_post_needs_its_csrf_token() -> None:
    token = token_make(Channel.EMAIL, ADDRESS)
    browser = Client(enforce_csrf_checks=True)
    assert browser.post(_url(token), {"confirm": "1"}).status_code == 403
    assert not _opted_out()


@pytest.mark.parametrize("encoding", ["urlencoded", "multipart"])
def test_rfc8058_one_click_works_without_csrf(encoding: str) -> None:
    token = token_make(Channel.EMAIL, ADDRESS)
    provider = Client(enforce_csrf_checks=True)  # a mail provider: no cookie, no form token
    if encoding == "urlencoded":
        response = provider.post(
            _url(token),
            "List-Unsubscribe=One-Click",
            content_type="application/x-www-form-urlencoded",
        )
    else:
        response = provider.post(_url(token), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    optout = OptOut.objects.get(channel=Channel.EMAIL, address=ADDRESS)
    assert optout.source == OptOutSource.LINK and optout.note == "RFC 8058 one-click"


def test_one_click_from_the_header_of_a_sent_message(client: Client) -> None:
    services.notify("tests.hello", [citizen(phone="")], CONTEXT, dedupe_key="t:header")
    [sent] = mail.outbox
    header = str(sent.extra_headers["List-Unsubscribe"])
    assert header == f"<{unsubscribe_url(Channel.EMAIL, ADDRESS)}>"
    path = header.strip("<>").split("://", 1)[1].split("/", 1)[1]
    response = Client(enforce_csrf_checks=True).post(f"/{path}", {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and _opted_out()


def test_a_wrong_value_is_not_one_click_and_still_needs_csrf() -> None:
    token = token_make(Channel.EMAIL, ADDRESS)
    provider = Client(enforce_csrf_checks=True)
    assert provider.post(_url(token), {"List-Unsubscribe": "Yes"}).status_code == 403
    assert not _opted_out()


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_forged_token_gets_a_clear_404(client: Client, method: str) -> None:
    token = token_make(Channel.EMAIL, ADDRESS)
    forged = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    for url in (_url(forged), _url("abc"), _url("x" * 3000), _again_url(forged)):
        response = getattr(client, method)(url, {"List-Unsubscribe": "One-Click"})
        assert response.status_code == 404, url
        html = response.content.decode()
        assert "Liên kết không hợp lệ" in html
        assert "không thay đổi được gì" in html
    assert not OptOut.objects.exists()


def test_repeated_posts_are_idempotent(client: Client) -> None:
    token = token_make(Channel.EMAIL, ADDRESS)
    for _ in range(3):
        assert client.post(_url(token)).status_code == 200
        assert client.post(_url(token), {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert OptOut.objects.filter(address=ADDRESS).count() == 1
    assert AuditEvent.objects.filter(action="notifications.optout.add").count() == 1
    # Opened again later: the page says so and offers to receive again.
    html = client.get(_url(token)).content.decode()
    assert "đã ngừng nhận thư thông báo từ trước" in html
    assert f'action="{_again_url(token)}"' in html


def test_receiving_again_works_and_is_idempotent() -> None:
    token = token_make(Channel.EMAIL, ADDRESS)
    services.optout_add(channel=Channel.EMAIL, address=ADDRESS, source=OptOutSource.LINK)
    browser, csrf = _csrf_client(_url(token))
    for _ in range(2):
        response = browser.post(_again_url(token), {"csrfmiddlewaretoken": csrf})
        assert response.status_code == 200
        html = response.content.decode()
        assert "Từ nay hệ thống lại gửi thư thông báo tới d***@example.vn." in html
        assert f'action="{_url(token)}"' in html  # and a way to stop again
    assert not _opted_out()
    assert AuditEvent.objects.filter(action="notifications.optout.remove").count() == 1

    mail.outbox.clear()
    services.notify("tests.hello", [citizen(phone="")], CONTEXT, dedupe_key="t:again")
    assert Message.objects.get(dedupe_key="t:again").status == MessageStatus.SENT
    assert len(mail.outbox) == 1


def test_receiving_again_needs_csrf_and_a_get_only_shows_the_page(client: Client) -> None:
    token = token_make(Channel.EMAIL, ADDRESS)
    services.optout_add(channel=Channel.EMAIL, address=ADDRESS, source=OptOutSource.LINK)
    assert Client(enforce_csrf_checks=True).post(_again_url(token)).status_code == 403
    response = client.get(_again_url(token))
    assert response.status_code == 302 and response["Location"] == _url(token)
    assert _opted_out()


def test_other_methods_are_refused(client: Client) -> None:
    token = token_make(Channel.EMAIL, ADDRESS)
    assert client.put(_url(token)).status_code == 405
    assert client.delete(_again_url(token)).status_code == 405
    assert not _opted_out()
