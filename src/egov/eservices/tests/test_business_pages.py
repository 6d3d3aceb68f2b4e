"""The pages of "Tổ chức, doanh nghiệp của tôi" (/dich-vu-cong/to-chuc/)."""

import pytest

from egov.accounts.tests.factories import UserFactory
from egov.eservices.businesses import services
from egov.eservices.businesses.services import BusinessData
from egov.eservices.models import Business, BusinessMember, MemberRole

LIST = "/dich-vu-cong/to-chuc/"
CREATE = "/dich-vu-cong/to-chuc/them/"
FORM = {
    "tax_code": "0101248141",
    "name": "Công ty TNHH Xây dựng An Phú",
    "address": "12 Trần Phú, xã An Phú",
    "representative": "Nguyễn Văn An",
    "phone": "0235 3812 345",
    "email": "lienhe@anphu.example.vn",
}


@pytest.fixture
def owner(db):
    return UserFactory(username="chu", email="chu@example.vn", email_verified=True)


@pytest.fixture
def member(db):
    return UserFactory(username="tv", email="tv@example.vn", phone="+84912000222")


@pytest.fixture
def business(owner):
    return services.business_create(actor=owner, data=BusinessData(**FORM))


def detail(business):
    return f"/dich-vu-cong/to-chuc/{business.pk}/"


@pytest.mark.django_db
class TestPages:
    def test_pages_need_a_sign_in(self, client):
        response = client.get(LIST)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")

    def test_register_a_business_and_see_it(self, client, owner):
        client.force_login(owner)
        page = client.get(CREATE)
        assert page.status_code == 200
        html = page.content.decode()
        assert '<label for="id_tax_code">Mã số thuế' in html
        assert "businesses.css" in html

        response = client.post(CREATE, FORM)

        business = Business.objects.get()
        assert response.status_code == 302
        assert response["Location"] == detail(business)
        page = client.get(detail(business)).content.decode()
        assert "Công ty TNHH Xây dựng An Phú" in page
        assert "Đã đăng ký tổ chức" in page
        assert "Thêm thành viên" in page
        listing = client.get(LIST).content.decode()
        assert "0101248141" in listing and "Quản lý tài khoản tổ chức" in listing

    def test_a_bad_tax_code_answers_400_and_keeps_what_was_typed(self, client, owner):
        client.force_login(owner)

        response = client.post(CREATE, {**FORM, "tax_code": "0101248142"})

        assert response.status_code == 400
        html = response.content.decode()
        assert "sai chữ số kiểm tra" in html
        assert 'value="Công ty TNHH Xây dựng An Phú"' in html
        assert 'aria-invalid="true"' in html
        assert not Business.objects.exists()

    def test_a_duplicate_tax_code_answers_400_with_a_clear_message(self, client, business, member):
        client.force_login(member)

        response = client.post(CREATE, FORM)

        assert response.status_code == 400
        assert "đã được đăng ký trên cổng dịch vụ công" in response.content.decode()
        assert Business.objects.count() == 1

    def test_add_a_member_by_phone_change_role_and_remove(self, client, owner, business, member):
        client.force_login(owner)

        response = client.post(
            f"{detail(business)}thanh-vien/them/", {"identifier": "0912 000 222", "role": "member"}
        )
        assert response.status_code == 302
        added = BusinessMember.objects.get(business=business, user=member)
        assert "Đã thêm" in client.get(detail(business)).content.decode()

        response = client.post(
            f"{detail(business)}thanh-vien/{added.pk}/vai-tro/", {"role": "owner"}
        )
        assert response.status_code == 302
        added.refresh_from_db()
        assert added.role == MemberRole.OWNER

        response = client.post(f"{detail(business)}thanh-vien/{added.pk}/xoa/")
        assert response.status_code == 302
        assert not BusinessMember.objects.filter(pk=added.pk).exists()

    def test_an_unknown_member_answers_400_and_keeps_the_input(self, client, owner, business):
        client.force_login(owner)

        response = client.post(
            f"{detail(business)}thanh-vien/them/", {"identifier": "ai@example.vn", "role": "member"}
        )

        assert response.status_code == 400
        html = response.content.decode()
        assert "Không tìm thấy tài khoản công dân" in html
        assert 'value="ai@example.vn"' in html

    def test_the_last_owner_cannot_leave(self, client, owner, business):
        client.force_login(owner)
        [me] = business.members.all()

        html = client.get(detail(business)).content.decode()
        assert "Bạn là người quản lý duy nhất" in html
        response = client.post(f"{detail(business)}roi-khoi/")
        assert response.status_code == 400
        response = client.post(f"{detail(business)}thanh-vien/{me.pk}/vai-tro/", {"role": "member"})
        assert response.status_code == 400
        assert "ít nhất một người quản lý" in response.content.decode()
        assert business.members.get().role == MemberRole.OWNER

    def test_a_member_sees_but_cannot_manage_and_can_leave(self, client, owner, business, member):
        services.member_add(actor=owner, business_id=business.pk, identifier="tv@example.vn")
        client.force_login(member)

        html = client.get(detail(business)).content.decode()
        assert "Thêm thành viên" not in html
        assert client.get(f"{detail(business)}sua/").status_code == 403
        response = client.post(
            f"{detail(business)}thanh-vien/them/",
            {"identifier": "chu@example.vn", "role": "member"},
        )
        assert response.status_code == 403

        response = client.post(f"{detail(business)}roi-khoi/")
        assert response.status_code == 302
        assert client.get(detail(business)).status_code == 404

    def test_someone_elses_business_is_a_404_everywhere(self, client, business, member):
        client.force_login(member)
        base = detail(business)
        [owner_row] = business.members.all()

        assert client.get(base).status_code == 404
        assert client.get(f"{base}sua/").status_code == 404
        assert client.post(f"{base}thanh-vien/them/", {"identifier": "x@y.vn"}).status_code == 404
        assert client.post(f"{base}thanh-vien/{owner_row.pk}/xoa/").status_code == 404
        assert client.post(f"{base}roi-khoi/").status_code == 404
        assert client.get("/dich-vu-cong/to-chuc/999999/").status_code == 404

    def test_edit_with_a_stale_form_is_a_conflict(self, client, owner, business):
        client.force_login(owner)
        url = f"{detail(business)}sua/"
        assert 'name="lock_version" value="1"' in client.get(url).content.decode()

        first = client.post(url, {**FORM, "name": "Tên mới", "lock_version": "1"})
        second = client.post(url, {**FORM, "name": "Tên khác", "lock_version": "1"})

        assert first.status_code == 302
        assert second.status_code == 409
        assert "vừa được người khác cập nhật" in second.content.decode()
        assert 'value="Tên khác"' in second.content.decode()
        business.refresh_from_db()
        assert business.name == "Tên mới"


@pytest.mark.django_db
def test_the_profile_links_to_businesses_and_dossiers(client, owner):
    client.force_login(owner)

    html = client.get("/accounts/profile/").content.decode()

    assert 'href="/dich-vu-cong/to-chuc/"' in html
    assert "Tổ chức, doanh nghiệp của tôi" in html
    assert 'href="/dich-vu-cong/ho-so-cua-toi/"' in html
