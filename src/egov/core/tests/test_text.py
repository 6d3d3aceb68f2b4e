"""``fold_vietnamese``: the search fold every module's ``search_text`` uses."""

import pytest

from egov.core.text import fold_vietnamese


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Đăng ký khai sinh", "dang ky khai sinh"),
        ("ĐĂNG KÝ KẾT HÔN", "dang ky ket hon"),
        ("Chứng thực bản sao từ bản chính", "chung thuc ban sao tu ban chinh"),
        ("Cấp Giấy chứng nhận quyền sử dụng đất", "cap giay chung nhan quyen su dung dat"),
        ("Ưu đãi người có công", "uu dai nguoi co cong"),
        ("  nhiều   khoảng\ttrắng\n", "nhieu khoang trang"),
        ("Ðà Nẵng", "da nang"),  # the look-alike U+00D0 typed for "Đ"
        ("1.001193", "1.001193"),
        ("", ""),
        (None, ""),
    ],
)
def test_fold(text, folded):
    assert fold_vietnamese(text) == folded


def test_composed_and_decomposed_input_fold_the_same():
    import unicodedata

    composed = unicodedata.normalize("NFC", "Hộ tịch")
    decomposed = unicodedata.normalize("NFD", "Hộ tịch")
    assert composed != decomposed
    assert fold_vietnamese(composed) == fold_vietnamese(decomposed) == "ho tich"


def test_folded_text_is_ascii_for_vietnamese_letters():
    alphabet = (
        "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"
    )
    folded = fold_vietnamese(alphabet + alphabet.upper())
    assert folded.isascii()
    assert folded == folded.lower()
