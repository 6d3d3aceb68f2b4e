"""Uploads are accepted or refused by content; messages are Vietnamese with stable codes."""

from __future__ import annotations

import io

import filetype
import pytest
from django import forms

from egov.core.attachments.errors import AttachmentError, ErrorCode
from egov.core.attachments.forms import AttachmentField
from egov.core.attachments.tests import factories as f
from egov.core.attachments.validation import (
    DOCX,
    JPEG,
    ODT,
    PDF,
    PNG,
    XLSX,
    detect_type,
    format_megabytes,
    validate_upload,
)

ALLOWED_TEXT = "PDF, JPEG, PNG, DOCX, XLSX, ODT"


@pytest.mark.parametrize(
    ("name", "builder", "expected"),
    [
        ("don-de-nghi.pdf", f.pdf_bytes, PDF),
        ("anh-chan-dung.png", f.SAMPLES["png"], PNG),
        ("cccd-mat-truoc.jpg", f.SAMPLES["jpeg"], JPEG),
        ("cccd-mat-sau.JPEG", f.SAMPLES["jpeg"], JPEG),
        ("to-khai.docx", f.docx_bytes, DOCX),
        ("bang-ke.xlsx", f.xlsx_bytes, XLSX),
        ("bien-ban.odt", f.odt_bytes, ODT),
    ],
)
def test_each_allowed_type_is_accepted(name, builder, expected):
    uploaded = f.upload(name, builder())
    assert validate_upload(uploaded) is expected
    assert uploaded.tell() == 0  # left at the start for the next reader


def test_filetype_alone_misses_a_docx_with_a_large_first_member():
    # Why validation opens ZIP containers itself (see validation.py docstring).
    content = f.docx_bytes(thumbnail_first=True)
    assert filetype.guess(content[:8192]).mime == "application/zip"
    assert validate_upload(f.upload("to-khai.docx", content)) is DOCX


def test_openpyxl_and_zip_documents_are_told_apart_from_plain_zip():
    assert detect_type(f.upload("a", f.xlsx_bytes())).allowed is XLSX
    assert detect_type(f.upload("a", f.odt_bytes())).allowed is ODT
    assert detect_type(f.upload("a", f.docx_bytes())).allowed is DOCX
    plain = detect_type(f.upload("a", f.zip_bytes()))
    assert plain.allowed is None
    assert plain.label == "ZIP"


def _refusal(name: str, content: bytes) -> AttachmentError:
    with pytest.raises(AttachmentError) as caught:
        validate_upload(f.upload(name, content, content_type="application/pdf"))
    return caught.value


def test_exe_renamed_pdf_is_refused_naming_what_was_detected():
    error = _refusal("ho-so.pdf", f.exe_bytes())
    assert error.code == ErrorCode.TYPE_NOT_ALLOWED == "attachment.type_not_allowed"
    assert "EXE" in error.text
    assert ALLOWED_TEXT in error.text
    assert "không được chấp nhận" in error.text


def test_text_file_is_refused():
    error = _refusal("ghi-chu.pdf", "Xin chào, đây là văn bản thuần.".encode())
    assert error.code == ErrorCode.TYPE_NOT_ALLOWED
    assert "không nhận diện được" in error.text
    assert ALLOWED_TEXT in error.text


def test_zip_named_docx_is_refused():
    error = _refusal("to-khai.docx", f.zip_bytes())
    assert error.code == ErrorCode.TYPE_NOT_ALLOWED
    assert "ZIP" in error.text


def test_zip_whose_first_member_is_named_word_is_not_a_docx():
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<x/>")
    assert filetype.guess(out.getvalue()).extension == "docx"  # fooled by the name
    error = _refusal("to-khai.docx", out.getvalue())
    assert error.code == ErrorCode.TYPE_NOT_ALLOWED


def test_other_opendocument_types_are_refused():
    error = _refusal("bang.odt", f.odt_bytes("application/vnd.oasis.opendocument.spreadsheet"))
    assert error.code == ErrorCode.TYPE_NOT_ALLOWED


def test_pdf_named_docx_is_refused_saying_it_is_a_pdf():
    error = _refusal("to-khai.docx", f.pdf_bytes())
    assert error.code == ErrorCode.EXTENSION_MISMATCH == "attachment.extension_mismatch"
    assert "nội dung tệp là PDF" in error.text
    assert ".pdf" in error.text
    assert "to-khai.docx" in error.text


def test_jpeg_named_png_names_both_jpeg_extensions():
    error = _refusal("anh.png", f.SAMPLES["jpeg"]())
    assert error.code == ErrorCode.EXTENSION_MISMATCH
    assert ".jpg hoặc .jpeg" in error.text


def test_name_without_extension_is_refused():
    error = _refusal("don-de-nghi", f.pdf_bytes())
    assert error.code == ErrorCode.EXTENSION_MISMATCH


def test_empty_file_is_refused():
    error = _refusal("trong.pdf", b"")
    assert error.code == ErrorCode.EMPTY == "attachment.empty"
    assert "0 byte" in error.text


def test_oversize_file_is_refused_with_the_limit_in_mb(settings):
    settings.EGOV_UPLOAD_MAX_BYTES = 1024 * 1024  # 1 MB
    content = f.pdf_bytes() + b"%" * (1024 * 1024 + 200_000)
    error = _refusal("lon.pdf", content)
    assert error.code == ErrorCode.TOO_LARGE == "attachment.too_large"
    assert "giới hạn 1 MB" in error.text
    assert "1,2 MB" in error.text


def test_file_exactly_at_the_limit_is_accepted(settings):
    content = f.pdf_bytes()
    settings.EGOV_UPLOAD_MAX_BYTES = len(content)
    assert validate_upload(f.upload("vua-du.pdf", content)) is PDF


def test_megabytes_are_written_the_vietnamese_way():
    assert format_megabytes(20 * 1024 * 1024) == "20"
    assert format_megabytes(512 * 1024) == "0,5"
    assert format_megabytes(20 * 1024 * 1024 + 1, round_up=True) == "20,1"


class _Form(forms.Form):
    file = AttachmentField(label="Giấy tờ")


def test_form_field_shows_the_same_message_as_the_service():
    form = _Form(data={}, files={"file": f.upload("to-khai.docx", f.pdf_bytes())})
    assert not form.is_valid()
    [message] = form.errors["file"]
    assert message == _refusal("to-khai.docx", f.pdf_bytes()).text
    assert form.errors.as_data()["file"][0].code == "attachment.extension_mismatch"


def test_form_field_reports_an_empty_file_with_our_message():
    form = _Form(data={}, files={"file": f.upload("trong.pdf", b"")})
    assert not form.is_valid()
    assert form.errors.as_data()["file"][0].code == "attachment.empty"


def test_form_field_accepts_an_allowed_file_and_hints_the_browser():
    form = _Form(data={}, files={"file": f.upload("bang-ke.xlsx", f.xlsx_bytes())})
    assert form.is_valid(), form.errors
    html = str(form["file"])
    assert 'accept=".pdf,.jpg,.jpeg,.png,.docx,.xlsx,.odt"' in html
    assert "tối đa 20 MB" in str(form.fields["file"].help_text)


def test_a_zip_signature_inside_a_pdf_is_not_a_polyglot_unless_it_closes_the_file():
    # Binary data may hold "PK\x05\x06" by chance; only a record ending the file counts.
    inside = f.pdf_bytes().replace(b"%PDF-1.4\n", b"%PDF-1.4\n%PK\x05\x06" + bytes(18) + b"\n")
    assert validate_upload(f.upload("don.pdf", inside)) is PDF
    closing = f.pdf_bytes() + b"PK\x05\x06" + bytes(18)
    with pytest.raises(AttachmentError) as refused:
        validate_upload(f.upload("don.pdf", closing))
    assert refused.value.error_code == ErrorCode.UNSAFE_CONTENT


def test_well_compressed_members_are_not_taken_for_a_bomb():
    # 2 MiB of repetitive XML compresses ~100:1: under the 200:1 limit.
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _content_types())
        row = "".join(f"<w:p><w:r><w:t>Dòng {i % 97}</w:t></w:r></w:p>" for i in range(40_000))
        archive.writestr("word/document.xml", f"<w:document><w:body>{row}</w:body></w:document>")
    assert validate_upload(f.upload("dai.docx", out.getvalue())) is DOCX


def _content_types() -> str:
    import zipfile

    return zipfile.ZipFile(io.BytesIO(f.docx_bytes())).read("[Content_Types].xml").decode()


def test_the_refusal_names_the_reason_in_vietnamese():
    html_in_png = f.SAMPLES["png"]() + b"<script>alert(1)</script>"
    with pytest.raises(AttachmentError) as refused:
        validate_upload(f.upload("anh.png", html_in_png))
    assert refused.value.text.startswith("Tệp “anh.png” không được chấp nhận vì lý do an toàn")
    assert "mã HTML, PHP hoặc mã kịch bản" in refused.value.text


def test_binary_stream_data_that_reads_like_markup_is_not_refused():
    """Compressed page images and pictures are random-looking bytes: 2.5 % of random
    megabytes contain ``/JS`` followed by a non-letter somewhere, 0.5 % a markup tag.  Only a
    PDF's objects (outside its streams) and an image's first and last 64 KiB are searched,
    so a real scan is not refused by chance."""
    import random

    noise = random.Random(2026).randbytes(2 * 1024 * 1024)
    scan = f.pdf_bytes().replace(
        b"\nstream\nBT", b"\nstream\n" + noise + b" /JS (x) <svg> <script>\nBT", 1
    )
    assert validate_upload(f.upload("ban-quet.pdf", scan)) is PDF

    jpeg = f.image_bytes("JPEG")
    middle = noise[:100_000] + b"<svg onload=x>" + noise[100_000:200_000]
    photo = jpeg[:-2] + middle + jpeg[-2:]
    assert validate_upload(f.upload("anh-chup.jpg", photo)).key == "jpeg"


def test_an_action_between_two_streams_is_still_found():
    """The objects between two streams are searched ("endstream" does not open a stream)."""
    pdf = f.pdf_bytes().replace(
        b"/BaseFont /Helvetica >>",
        b"/BaseFont /Helvetica /AA << /O << /S /JavaScript /JS (app.alert(1)) >> >> >>",
    )
    pdf += b"6 0 obj\n<< /Length 3 >>\nstream\nabc\nendstream\nendobj\n"
    with pytest.raises(AttachmentError) as refused:
        validate_upload(f.upload("don.pdf", pdf))
    assert refused.value.error_code == ErrorCode.UNSAFE_CONTENT


def test_streams_are_cut_out_as_the_stream_pattern_cuts_them() -> None:
    """``_without_streams`` (bytes.find) gives what ``_PDF_STREAM.sub`` gives, on pieces
    that put the keywords everywhere they can be (after ``>``, a space, a letter, at the
    start; CRLF, LF, CR; an unterminated stream; ``streamendstream``)."""
    import random

    from egov.core.attachments.validation import _PDF_STREAM, _without_streams

    pieces = [b"stream", b"endstream", b"\n", b"\r", b"\r\n", b" ", b">", b"x", b"d", b"/JS"]
    rng = random.Random(2026)
    for _ in range(20000):
        data = b"".join(rng.choice(pieces) for _ in range(rng.randint(0, 16)))
        assert _without_streams(data) == _PDF_STREAM.sub(b"\n", data), data
