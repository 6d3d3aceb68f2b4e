"""Channels as plugins: SMS, e-mail, in-app.  ``CHANNELS[key]`` is the class for a channel.

A channel knows which address of a ``Recipient`` it uses (normalised), how a rendered
template becomes the stored body, and how to hand a stored ``Message`` over.  Providers
(SMS gateways) sit one level below, inside the SMS channel.
"""

from __future__ import annotations

from egov.notifications.channels.base import (
    CHANNELS,
    AttemptRecorder,
    ChannelBase,
    Prepared,
    channel,
    channel_get,
)

__all__ = ["CHANNELS", "AttemptRecorder", "ChannelBase", "Prepared", "channel", "channel_get"]
