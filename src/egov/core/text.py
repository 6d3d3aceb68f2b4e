"""Text helpers shared by every module.

``fold_vietnamese`` turns Vietnamese text into a diacritic-free, lower-case form for
search columns (``search_text``): a user who types "dang ky khai sinh" finds
"Đăng ký khai sinh".  Store the folded text, fold the query the same way, compare.
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# "đ"/"Đ" are letters of their own in Unicode (no decomposition), so map them explicitly;
# the look-alike "Ð"/"ð" (U+00D0/U+00F0) turns up in text typed with the wrong keyboard.
_D_MAP = str.maketrans({"đ": "d", "Đ": "d", "Ð": "d", "ð": "d"})


def fold_vietnamese(text: str | None) -> str:
    """Lower-case ``text``, remove diacritics (đ → d), collapse white space.

    >>> fold_vietnamese("  Đăng ký KHAI SINH ")
    'dang ky khai sinh'
    """
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", str(text).translate(_D_MAP))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.lower()).strip()


_D_CASE_MAP = str.maketrans({"đ": "d", "Đ": "D", "Ð": "D", "ð": "d"})


def strip_diacritics(text: str | None) -> str:
    """Remove Vietnamese diacritics but keep case and spacing (đ → d, Đ → D).

    >>> strip_diacritics("Hồ sơ của Ông Đặng đã được tiếp nhận")
    'Ho so cua Ong Dang da duoc tiep nhan'
    """
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", str(text).translate(_D_CASE_MAP))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped)


def group_thousands(value: int | None) -> str:
    """An amount or a count the Vietnamese way, with "." between thousands.

    >>> group_thousands(1500000)
    '1.500.000'
    """
    return f"{int(value or 0):,}".replace(",", ".")
