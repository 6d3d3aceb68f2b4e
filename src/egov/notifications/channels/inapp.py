"""The bell in the staff console: a message row is the notification; nothing to send."""

from __future__ import annotations

from egov.notifications.channels.base import AttemptRecorder, ChannelBase, channel
from egov.notifications.constants import Channel
from egov.notifications.contracts import Recipient
from egov.notifications.models import Message
from egov.notifications.providers.base import SendResult


@channel
class InAppChannel(ChannelBase):
    key = Channel.INAPP
    immediate = True

    def address_for(self, recipient: Recipient) -> str | None:
        return f"user:{recipient.user_id}" if recipient.user_id else None

    def send(self, message: Message, record: AttemptRecorder) -> SendResult:
        return SendResult("inapp")
