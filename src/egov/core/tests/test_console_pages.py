"""Console pages that come from Wagtail itself must work with our URL configuration."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.test import Client
from wagtail.documents.models import Document


@pytest.fixture
def admin_client(db) -> Client:  # type: ignore[no-untyped-def]
    user = get_user_model().objects.create_superuser("quantri", "qt@example.vn", "Mat-khau-2026!")
    client = Client()
    client.force_login(user)
    return client


def test_documents_listing_and_serving_with_a_document(
    admin_client: Client, settings, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    # Files on disk, as in the embedded and single-server topologies (Wagtail serves a path).
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    document = Document.objects.create(
        title="Chỉ thị số 01", file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="chi-thi-01.pdf")
    )
    listing = admin_client.get("/admin/documents/")
    assert listing.status_code == 200
    assert "Chỉ thị số 01" in listing.content.decode()
    assert admin_client.get(f"/admin/documents/edit/{document.pk}/").status_code == 200
    served = admin_client.get(document.url)
    assert served.status_code == 200
    assert b"".join(served.streaming_content).startswith(b"%PDF")


@pytest.mark.django_db
def test_wagtail_default_rows_have_vietnamese_names() -> None:
    from django.contrib.auth.models import Group
    from wagtail.models import Collection, Page, Workflow

    groups = set(Group.objects.values_list("name", flat=True))
    assert {"Biên tập (nhóm mặc định)", "Kiểm duyệt (nhóm mặc định)"} <= groups
    assert not {"Editors", "Moderators"} & groups
    assert Workflow.objects.filter(name="Kiểm duyệt trước khi xuất bản").exists()
    assert Page.objects.get(depth=1).title == "Gốc"
    assert Collection.objects.get(depth=1).name == "Thư mục gốc"
