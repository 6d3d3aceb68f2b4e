"""Signed opt-out links: ``/thong-bao/tu-choi/<token>/`` in every non-mandatory e-mail.

The token is a ``django.core.signing.Signer`` signature over ``[channel, address]`` with
its own salt, so it cannot be forged without ``SECRET_KEY`` (HMAC-SHA256), and a value
signed for another purpose in the project (a signed cookie, another link) is never
accepted here.  It carries only what the page needs to act: the channel and the normalised
address; no name, account, message, dossier or date (the same address always gets the same
link).  The payload is signed, not encrypted: whoever holds the link can read the address
in it, and that is the recipient, whose mailbox the link was sent to.  The pages show the
address masked (``d***@example.vn``), so a forwarded message or a screen over someone's
shoulder does not show it whole.

Tokens do not expire, on purpose: a citizen may click "ngừng nhận thư" in a message
months old, and mail providers keep the RFC 8058 ``List-Unsubscribe`` URL of old messages
and call it whenever the user presses their own "unsubscribe" button; both must still
work.  A leaked link gives no more than the power to stop, or restart, non-mandatory
notices to that one address (security codes and other mandatory messages still go), and
the owner can undo either with the same link.  Changing ``SECRET_KEY`` invalidates every
link already sent unless the old key stays in ``SECRET_KEY_FALLBACKS``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse

from egov.notifications.constants import Channel
from egov.notifications.models import OptOut

SALT = "notifications.unsubscribe"
#: Channels a person can leave by link: e-mail (SMS is left by replying to the gateway; the
#: token names its channel so another one can be added without changing old links).
CHANNELS = frozenset({Channel.EMAIL})
#: Longer than any token we make (a 254-character address gives about 400 characters).
MAX_TOKEN_LENGTH = 1000


@dataclass(frozen=True)
class Subscription:
    """What a valid token names: one address on one channel."""

    channel: str
    address: str

    @property
    def masked(self) -> str:
        return mask_address(self.channel, self.address)


def token_make(channel: str, address: str) -> str:
    """A URL-safe signed token for ``address`` (already normalised) on ``channel``."""
    if channel not in CHANNELS:
        raise ValueError(f"no opt-out link for channel {channel!r}")
    return _signer().sign_object([channel, address])


def token_read(token: str) -> Subscription | None:
    """The subscription a token names, or ``None`` when it is malformed or forged."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    try:
        value = _signer().unsign_object(token)
    except (signing.BadSignature, ValueError, UnicodeError):
        return None
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(part, str) and part for part in value)
        or value[0] not in CHANNELS
    ):
        return None
    return Subscription(channel=value[0], address=value[1])


def _signer() -> signing.Signer:
    # A plain signer, not ``signing.dumps`` (a timestamp signer): the links never expire,
    # so a timestamp would only tell a reader when the message was sent.
    return signing.Signer(salt=SALT)


def unsubscribe_url(channel: str, address: str) -> str:
    """The absolute link of the opt-out page (also the RFC 8058 one-click URL)."""
    path = reverse("notifications_unsubscribe", args=[token_make(channel, address)])
    return f"{settings.EGOV_BASE_URL}{path}"


def is_opted_out(subscription: Subscription) -> bool:
    return OptOut.objects.filter(
        channel=subscription.channel, address=subscription.address
    ).exists()


def mask_address(channel: str, address: str) -> str:
    """Enough to recognise one's own address, not enough to learn someone else's.

    ``dao.nguyen@example.vn`` → ``d***@example.vn``; ``+84905123456`` → ``+84*****3456``.
    """
    if channel == Channel.EMAIL:
        local, _at, domain = address.rpartition("@")
        if not local:
            return "***"
        return f"{local[0]}***@{domain}"
    if len(address) <= 4:
        return "*" * len(address)
    head = address[:3] if address.startswith("+") else address[:2]
    return f"{head}{'*' * (len(address) - len(head) - 4)}{address[-4:]}"
