"""The application side of the restore drill (``test_restore_drill.py``), run as a script.

``python tests/ops/drill_app.py seed``   migrate the (empty) database named by DATABASE_URL
                                         and fill it through the project's own commands and
                                         services: units, the demo, the catalogue, dossiers,
                                         attachments on disk, a CMS image with a rendition
                                         and a CMS document.
``python tests/ops/drill_app.py verify`` after the restore: the system checks against the
                                         database, then every attachment row is read back
                                         from storage and its SHA-256 compared with the row.

One process per step (Django starts once, not once per command), so the drill stays short.
Both print one JSON object on their last line of output.
"""

from __future__ import annotations

import hashlib
import io
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

ATTACHMENTS = 6


def _pdf(number: int) -> bytes:
    """A small, distinct PDF (the upload check sniffs the %PDF magic)."""
    return (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n"
        + f"% restore drill attachment {number}\n".encode()
        + hashlib.sha256(f"drill-{number}".encode()).hexdigest().encode() * 40
        + b"\n%%EOF\n"
    )


def _png() -> bytes:
    from PIL import Image as PilImage

    buffer = io.BytesIO()
    PilImage.new("RGB", (120, 90), (30, 90, 160)).save(buffer, format="PNG")
    return buffer.getvalue()


def seed() -> dict[str, object]:
    from django.core.files.images import ImageFile
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    from egov.core.attachments.services import attachment_create
    from egov.dossiers.models import Dossier

    seconds: dict[str, float] = {}

    def step(name: str, *args: str, **options: object) -> None:
        started = time.process_time()
        call_command(name, *args, verbosity=0, **options)
        seconds[name] = round(time.process_time() - started, 2)

    step("migrate", interactive=False)
    step("createcachetable")
    step("import_units")
    step("seed_demo")
    step("seed_procedures")
    step("generate_dossiers", count=12, years=1, seed=2026)

    dossiers = list(Dossier.objects.order_by("pk")[:ATTACHMENTS])
    for number, dossier in enumerate(dossiers):
        upload = SimpleUploadedFile(
            f"giấy tờ {number}.pdf", _pdf(number), content_type="application/pdf"
        )
        attachment_create(
            actor=None, uploaded_file=upload, owner_type="dossiers.dossier", owner_id=dossier.pk
        )

    image = get_image_model().objects.create(
        title="Ảnh diễn tập khôi phục", file=ImageFile(io.BytesIO(_png()), name="dien-tap.png")
    )
    image.get_rendition("fill-60x40")  # a file under images/, the folder nginx serves
    get_document_model().objects.create(
        title="Tài liệu diễn tập khôi phục",
        file=SimpleUploadedFile("dien-tap.pdf", _pdf(99), content_type="application/pdf"),
    )
    return {
        "dossiers": Dossier.objects.count(),
        "attachments": len(dossiers),
        "cpu_seconds": seconds,  # per step, to see where the drill's time goes
    }


def verify() -> dict[str, int]:
    from django.core.management import call_command

    from egov.core.attachments.models import Attachment
    from egov.dossiers.models import Dossier

    call_command("check", databases=["default"], verbosity=0)
    checked = 0
    for attachment in Attachment.objects.order_by("pk"):
        with attachment.file.open("rb") as fh:
            digest = hashlib.sha256(fh.read()).hexdigest()
        if digest != attachment.sha256:
            raise SystemExit(f"attachment {attachment.uuid}: stored file differs from its row")
        checked += 1
    return {"dossiers": Dossier.objects.count(), "attachments": checked}


def main() -> None:
    import django

    step = sys.argv[1] if len(sys.argv) > 1 else ""
    if step not in {"seed", "verify"}:
        raise SystemExit("usage: drill_app.py seed|verify")
    django.setup()
    result = seed() if step == "seed" else verify()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
