"""SMS text: GSM-7 vs UCS-2 segments, and the diacritic-free fold (đ → d)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from egov.notifications.sms import GSM7, UCS2, is_gsm7, sms_ascii, sms_info


def test_gsm7_single_and_long() -> None:
    assert sms_info("a" * 160) == sms_info("b" * 160)
    assert sms_info("a" * 160).segments == 1
    assert sms_info("a" * 161).segments == 2
    assert sms_info("a" * 306).segments == 2
    assert sms_info("a" * 307).segments == 3
    assert sms_info("a" * 160).encoding == GSM7


def test_extension_characters_count_twice() -> None:
    info = sms_info("€" * 80)
    assert info.encoding == GSM7 and info.length == 160 and info.segments == 1
    assert sms_info("[" * 81).segments == 2


def test_vietnamese_with_diacritics_is_ucs2() -> None:
    text = "Hồ sơ đã được tiếp nhận"
    info = sms_info(text)
    assert info.encoding == UCS2 and info.length == len(text) and info.segments == 1
    assert sms_info("ạ" * 70).segments == 1
    assert sms_info("ạ" * 71).segments == 2
    assert sms_info("ạ" * 134).segments == 2
    assert sms_info("ạ" * 135).segments == 3


def test_empty_text_costs_nothing() -> None:
    assert sms_info("").segments == 0


def test_fold_keeps_case_and_maps_d_with_stroke() -> None:
    assert sms_ascii("Đặng Thị Ngọc Ánh – đã nhận “hồ sơ”…") == (
        'Dang Thi Ngoc Anh - da nhan "ho so"...'
    )
    assert sms_ascii("Lệ phí: 50.000₫") == "Le phi: 50.000d"


def test_fold_of_every_vietnamese_letter_is_gsm7() -> None:
    letters = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ"
    folded = sms_ascii(letters + letters.upper())
    assert is_gsm7(folded)
    assert set(folded.lower()) <= set("aeiouyd")


@given(st.text(max_size=400))
def test_fold_always_gives_gsm7(text: str) -> None:
    folded = sms_ascii(text)
    assert is_gsm7(folded)
    assert sms_info(folded).encoding == GSM7
