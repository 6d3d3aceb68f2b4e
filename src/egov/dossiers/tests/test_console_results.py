"""The console's resolve form takes the electronic result files (PDF only): they become
``DossierResult.attachments`` and the applicant can download them; a non-PDF is a 400
with the typed text kept, nothing resolved."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from egov.core.attachments.models import Attachment
from egov.dossiers.constants import Status
from egov.dossiers.tests.console_helpers import PDF, action_url, at_specialist, submitted

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def post_resolve(client, user, dossier, data):
    dossier.refresh_from_db()
    client.force_login(user)
    body = {"expected_version": dossier.lock_version, "kind": "granted", **data}
    return client.post(action_url(dossier, "resolve"), body)


def test_resolve_form_is_multipart_with_pdf_inputs(client, office, permit):
    dossier = at_specialist(office, permit)
    client.force_login(office.specialist)
    page = client.get(f"/admin/dossiers/{dossier.code}/").content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert 'name="result_file_1"' in page and 'accept=".pdf,application/pdf"' in page


def test_resolve_with_two_result_files(client, office, permit):
    dossier = at_specialist(office, permit)
    response = post_resolve(
        client,
        office.specialist,
        dossier,
        {
            "document_number": "25/GPXD",
            "result_file_1": SimpleUploadedFile("giay-phep.pdf", PDF, "application/pdf"),
            "result_file_2": SimpleUploadedFile("ban-ve-duyet.pdf", PDF, "application/pdf"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    dossier.refresh_from_db()
    assert dossier.status == Status.RESOLVED
    result = dossier.results.get()
    names = sorted(result.attachments.values_list("original_name", flat=True))
    assert names == ["ban-ve-duyet.pdf", "giay-phep.pdf"]
    assert set(result.attachments.values_list("owner_type", "owner_id")) == {
        ("dossiers.dossier", str(dossier.pk))
    }


def test_applicant_downloads_the_result_file(client, office, permit):
    dossier = submitted(office, permit)
    from egov.dossiers import services

    services.dossier_act(actor=office.clerk, code=dossier.code, action="accept", payload={})
    dossier.refresh_from_db()
    services.dossier_act(actor=office.clerk, code=dossier.code, action="forward", payload={})
    response = post_resolve(
        client,
        office.specialist,
        dossier,
        {"result_file_1": SimpleUploadedFile("giay-phep.pdf", PDF, "application/pdf")},
    )
    assert response.status_code == 302
    attachment = dossier.results.get().attachments.get()
    client.force_login(office.citizen)
    download = client.get(attachment.get_download_url())
    assert download.status_code == 200
    client.force_login(office.clerk_b)
    assert client.get(attachment.get_download_url()).status_code == 404


def test_a_result_file_that_is_not_pdf_is_400(client, office, permit):
    dossier = at_specialist(office, permit)
    before = Attachment.objects.count()
    response = post_resolve(
        client,
        office.specialist,
        dossier,
        {
            "document_number": "26/GPXD",
            "result_file_1": SimpleUploadedFile("giay-phep.png", PNG, "image/png"),
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "phải là tệp PDF" in page and 'value="26/GPXD"' in page
    dossier.refresh_from_db()
    assert dossier.status == Status.IN_PROGRESS
    assert Attachment.objects.count() == before
