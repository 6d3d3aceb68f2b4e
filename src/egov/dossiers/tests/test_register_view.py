"""The register page: Excel and PDF for a period, scoped to the user's units; bad dates → 422."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from egov.dossiers.tests.factories import receive

VN = ZoneInfo("Asia/Ho_Chi_Minh")
URL = "/admin/dossiers/register/"

pytestmark = pytest.mark.django_db


@pytest.fixture
def received(office, permit):
    first = receive(office, permit, at=dt.datetime(2026, 12, 7, 9, 0, tzinfo=VN))
    receive(office, permit, at=dt.datetime(2027, 1, 4, 9, 0, tzinfo=VN))
    return first


def test_form_page_shows_this_month(client, office):
    client.force_login(office.clerk)
    response = client.get(URL)
    assert response.status_code == 200
    assert "Sổ theo dõi hồ sơ" in response.content.decode()


def test_excel_holds_the_period_only(client, office, received):
    client.force_login(office.clerk)
    response = client.get(URL, {"start": "01/12/2026", "end": "31/12/2026", "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert received.code in values
    assert sum(1 for v in values if isinstance(v, str) and v.startswith("000.21.03.T99-")) == 1


def test_pdf(client, office, received):
    client.force_login(office.clerk)
    response = client.get(URL, {"start": "01/12/2026", "end": "31/01/2027", "format": "pdf"})
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_other_units_see_an_empty_register(client, office, received):
    client.force_login(office.clerk_b)
    response = client.get(URL, {"start": "01/12/2026", "end": "31/12/2026", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert received.code not in values


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("31/12/2026", "01/12/2026", "phải trước hoặc trùng"),
        ("32/12/2026", "01/12/2027", "dd/mm/yyyy"),
        ("01/01/2025", "31/12/2026", "tối đa"),
    ],
)
def test_bad_period_is_a_422_with_the_message(client, office, start, end, message):
    client.force_login(office.clerk)
    response = client.get(URL, {"start": start, "end": end, "format": "xlsx"})
    assert response.status_code == 422
    body = response.content.decode()
    assert message in body
    assert start in body  # what was typed is kept


def test_citizens_cannot_open_it(client, office):
    client.force_login(office.citizen)
    response = client.get(URL)
    assert response.status_code in (302, 403)
