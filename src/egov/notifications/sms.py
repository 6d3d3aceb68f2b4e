"""SMS text: how many segments a body costs, and the diacritic-free form for brand-name SMS.

GSM 03.38 (7-bit default alphabet): 160 characters in one message, 153 per part of a
long message; characters of the extension table (``^{}\\[~]|€`` and form feed) take two.
Anything else forces UCS-2: 70 UTF-16 code units in one message, 67 per part.  Vietnamese
with diacritics is always UCS-2, hence the option to send it folded (``EGOV_SMS_ASCII``).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from egov.core.text import strip_diacritics

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")

GSM7 = "GSM-7"
UCS2 = "UCS-2"

# Typography that word processors put into templates, replaced before folding.
_TYPOGRAPHY = str.maketrans(
    {
        "–": "-",
        "—": "-",
        "‘": "'",
        "’": "'",
        "“": '"',
        "”": '"',
        "…": "...",
        "•": "-",
        "\u00a0": " ",
        "₫": "d",
        "\t": " ",
    }
)


@dataclass(frozen=True)
class SmsInfo:
    encoding: str
    length: int
    segments: int
    per_segment: int

    @property
    def single_limit(self) -> int:
        return 160 if self.encoding == GSM7 else 70


def is_gsm7(text: str) -> bool:
    return all(ch in GSM7_BASIC or ch in GSM7_EXTENSION for ch in text)


def sms_info(text: str) -> SmsInfo:
    """The encoding, length in units, number of segments and the size of a part."""
    if is_gsm7(text):
        length = sum(2 if ch in GSM7_EXTENSION else 1 for ch in text)
        single, part = 160, 153
        encoding = GSM7
    else:
        length = len(text.encode("utf-16-le")) // 2
        single, part = 70, 67
        encoding = UCS2
    if length == 0:
        return SmsInfo(encoding, 0, 0, single)
    if length <= single:
        return SmsInfo(encoding, length, 1, single)
    return SmsInfo(encoding, length, -(-length // part), part)


def sms_ascii(text: str) -> str:
    """The text without diacritics and with GSM-7 characters only (đ → d, “ → ")."""
    folded = strip_diacritics(text.translate(_TYPOGRAPHY))
    out = []
    for ch in folded:
        if ch in GSM7_BASIC or ch in GSM7_EXTENSION:
            out.append(ch)
            continue
        # Latin letters with marks outside Vietnamese (é is GSM, ê was folded): drop the mark.
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if c.isascii())
        out.append(base if base and is_gsm7(base) else "?")
    return "".join(out)
