"""Businesses and their members: tax code, owners, members, locking, audit."""

import threading

import pytest
from django.db import connection, connections

from egov.accounts.tests.factories import UserFactory
from egov.core.audit.models import AuditEvent
from egov.eservices.businesses import selectors, services
from egov.eservices.businesses.errors import (
    BusinessConflict,
    BusinessInvalid,
    BusinessNotFound,
    BusinessPermissionDenied,
)
from egov.eservices.businesses.services import BusinessData, clean_tax_code
from egov.eservices.models import Business, BusinessMember, MemberRole

TAX = "0101248141"
OTHER_TAX = "0100109106"


def data(**overrides):
    values = {
        "tax_code": TAX,
        "name": "Công ty TNHH Xây dựng An Phú",
        "address": "12 Trần Phú, xã An Phú",
        "phone": "0235 3812 345",
        "email": "lienhe@anphu.example.vn",
        "representative": "Nguyễn Văn An",
    }
    values.update(overrides)
    return BusinessData(**values)


@pytest.fixture
def owner(db):
    return UserFactory(username="chu", email="chu@example.vn", email_verified=True)


@pytest.fixture
def staffer(db):
    return UserFactory(username="nhanvien", email="nv@example.vn", phone="+84912000222")


@pytest.fixture
def business(owner):
    return services.business_create(actor=owner, data=data())


class TestTaxCode:
    @pytest.mark.parametrize(
        "value,expected",
        [
            ("0101248141", "0101248141"),
            ("0101 248 141", "0101248141"),
            ("0100107518", "0100107518"),
            ("0100109106-001", "0100109106-001"),
        ],
    )
    def test_valid_codes(self, value, expected):
        assert clean_tax_code(value) == expected

    @pytest.mark.parametrize(
        "value,message",
        [
            ("", "Vui lòng nhập mã số thuế."),
            ("12345", "Mã số thuế gồm 10 chữ số"),
            ("0101248141-1", "Mã số thuế gồm 10 chữ số"),
            ("0101248142", "sai chữ số kiểm tra"),
        ],
    )
    def test_invalid_codes_are_refused_in_vietnamese(self, value, message):
        with pytest.raises(BusinessInvalid) as exc:
            clean_tax_code(value)
        assert message in exc.value.text
        assert exc.value.field == "tax_code"


@pytest.mark.django_db
class TestCreate:
    def test_the_creator_becomes_the_owner_and_it_is_audited(self, owner):
        business = services.business_create(actor=owner, data=data(), ip_address="203.0.113.9")

        assert business.tax_code == TAX
        assert business.phone == "+842353812345"
        [member] = BusinessMember.objects.filter(business=business)
        assert member.user == owner and member.role == MemberRole.OWNER
        event = AuditEvent.objects.get(action="eservices.business.create")
        assert event.object_id == str(business.pk)
        assert event.ip_address == "203.0.113.9"
        assert event.after["tax_code"] == TAX

    def test_a_duplicate_tax_code_gets_a_clear_message(self, business, staffer):
        with pytest.raises(BusinessInvalid) as exc:
            services.business_create(actor=staffer, data=data(tax_code="0101 248 141"))

        assert "đã được đăng ký trên cổng dịch vụ công" in exc.value.text
        assert "thêm bạn làm thành viên" in exc.value.text
        assert Business.objects.count() == 1

    @pytest.mark.parametrize(
        "field,value,message",
        [
            ("name", "  ", "Vui lòng nhập tên tổ chức"),
            ("phone", "12", "Số điện thoại không hợp lệ."),
            ("email", "khong-phai-email", "Địa chỉ thư điện tử không hợp lệ."),
        ],
    )
    def test_bad_details_save_nothing(self, owner, field, value, message):
        with pytest.raises(BusinessInvalid) as exc:
            services.business_create(actor=owner, data=data(**{field: value}))

        assert message in exc.value.text and exc.value.field == field
        assert not Business.objects.exists()

    def test_staff_cannot_register_a_business(self, db):
        clerk = UserFactory(username="canbo", staff=True)

        with pytest.raises(BusinessPermissionDenied):
            services.business_create(actor=clerk, data=data())


@pytest.mark.django_db
class TestUpdate:
    def test_an_owner_updates_with_the_current_version(self, owner, business):
        updated = services.business_update(
            actor=owner,
            business_id=business.pk,
            expected_version=1,
            data=data(name="Công ty Cổ phần Xây dựng An Phú"),
        )

        assert updated.name == "Công ty Cổ phần Xây dựng An Phú"
        assert updated.lock_version == 2
        event = AuditEvent.objects.get(action="eservices.business.update")
        assert event.before == {"name": "Công ty TNHH Xây dựng An Phú"}

    def test_a_stale_version_is_a_conflict(self, owner, business):
        services.business_update(
            actor=owner, business_id=business.pk, expected_version=1, data=data()
        )

        with pytest.raises(BusinessConflict):
            services.business_update(
                actor=owner, business_id=business.pk, expected_version=1, data=data(name="X")
            )
        business.refresh_from_db()
        assert business.name == "Công ty TNHH Xây dựng An Phú"

    def test_a_plain_member_may_not_update_and_a_stranger_gets_not_found(
        self, owner, business, staffer
    ):
        services.member_add(actor=owner, business_id=business.pk, identifier="nv@example.vn")
        stranger = UserFactory(username="nguoila")

        with pytest.raises(BusinessPermissionDenied):
            services.business_update(
                actor=staffer, business_id=business.pk, expected_version=1, data=data(name="X")
            )
        with pytest.raises(BusinessNotFound):
            services.business_update(
                actor=stranger, business_id=business.pk, expected_version=1, data=data(name="X")
            )

    def test_changing_to_a_taken_tax_code_is_refused(self, owner, business, staffer):
        services.business_create(actor=staffer, data=data(tax_code=OTHER_TAX, name="Khác"))

        with pytest.raises(BusinessInvalid) as exc:
            services.business_update(
                actor=owner,
                business_id=business.pk,
                expected_version=1,
                data=data(tax_code=OTHER_TAX),
            )
        assert exc.value.field == "tax_code"


@pytest.mark.django_db
class TestMembers:
    def test_an_owner_adds_a_citizen_by_email_or_phone(self, owner, business, staffer):
        by_phone = UserFactory(username="sdt", email="", phone="+84987000111")

        a = services.member_add(actor=owner, business_id=business.pk, identifier="NV@example.vn")
        b = services.member_add(
            actor=owner, business_id=business.pk, identifier="0987 000 111", role="owner"
        )

        assert (a.user, a.role) == (staffer, MemberRole.MEMBER)
        assert (b.user, b.role) == (by_phone, MemberRole.OWNER)
        assert a.added_by == owner
        assert AuditEvent.objects.filter(action="eservices.business.member_add").count() == 2
        assert selectors.applicant_groups_of(staffer) == [business.applicant_group]

    def test_unknown_accounts_staff_and_second_additions_are_refused(
        self, owner, business, staffer
    ):
        UserFactory(username="canbo", staff=True, email="canbo@ubnd.example.vn")
        services.member_add(actor=owner, business_id=business.pk, identifier="nv@example.vn")

        for identifier, message in [
            ("ai@example.vn", "Không tìm thấy tài khoản công dân"),
            ("canbo@ubnd.example.vn", "Không tìm thấy tài khoản công dân"),
            ("0912 000 222", "đã là thành viên"),
            ("abc", "Không tìm thấy tài khoản công dân"),
        ]:
            with pytest.raises(BusinessInvalid) as exc:
                services.member_add(actor=owner, business_id=business.pk, identifier=identifier)
            assert message in exc.value.text
            assert exc.value.field == "identifier"

    def test_only_owners_add_members(self, owner, business, staffer):
        services.member_add(actor=owner, business_id=business.pk, identifier="nv@example.vn")
        third = UserFactory(username="ba", email="ba@example.vn")

        with pytest.raises(BusinessPermissionDenied):
            services.member_add(actor=staffer, business_id=business.pk, identifier="ba@example.vn")
        with pytest.raises(BusinessNotFound):
            services.member_add(actor=third, business_id=business.pk, identifier="ba@example.vn")

    def test_the_last_owner_cannot_be_demoted_removed_or_leave(self, owner, business):
        [me] = business.members.all()

        with pytest.raises(BusinessInvalid, match="ít nhất một người quản lý"):
            services.member_set_role(
                actor=owner, business_id=business.pk, member_id=me.pk, role="member"
            )
        with pytest.raises(BusinessInvalid, match="người quản lý duy nhất"):
            services.member_remove(actor=owner, business_id=business.pk, member_id=me.pk)
        with pytest.raises(BusinessInvalid, match="người quản lý duy nhất"):
            services.member_leave(actor=owner, business_id=business.pk)
        assert business.members.get().role == MemberRole.OWNER

    def test_handing_over_then_leaving(self, owner, business, staffer):
        member = services.member_add(
            actor=owner, business_id=business.pk, identifier="nv@example.vn"
        )

        services.member_set_role(
            actor=owner, business_id=business.pk, member_id=member.pk, role="owner"
        )
        services.member_leave(actor=owner, business_id=business.pk)

        [left] = business.members.all()
        assert (left.user, left.role) == (staffer, MemberRole.OWNER)
        assert selectors.applicant_groups_of(owner) == []
        assert AuditEvent.objects.filter(action="eservices.business.member_leave").exists()
        with pytest.raises(BusinessNotFound):
            selectors.business_get_for_member(owner, business.pk)

    def test_remove_a_member_and_unknown_member_ids(self, owner, business, staffer):
        member = services.member_add(
            actor=owner, business_id=business.pk, identifier="nv@example.vn"
        )
        other = services.business_create(
            actor=UserFactory(username="khac"), data=data(tax_code=OTHER_TAX, name="Khác")
        )
        [other_owner] = other.members.all()

        with pytest.raises(BusinessNotFound):
            services.member_remove(actor=owner, business_id=business.pk, member_id=other_owner.pk)
        services.member_remove(actor=owner, business_id=business.pk, member_id=member.pk)

        assert not business.members.filter(user=staffer).exists()
        assert other.members.count() == 1

    def test_an_invalid_role_is_refused(self, owner, business, staffer):
        member = services.member_add(
            actor=owner, business_id=business.pk, identifier="nv@example.vn"
        )

        with pytest.raises(BusinessInvalid):
            services.member_set_role(
                actor=owner, business_id=business.pk, member_id=member.pk, role="admin"
            )


@pytest.mark.django_db
def test_the_list_of_my_businesses_takes_one_query(owner, business, django_assert_num_queries):
    services.business_create(actor=owner, data=data(tax_code=OTHER_TAX, name="Chi nhánh"))

    with django_assert_num_queries(1):
        rows = selectors.business_list_for_member(owner)
        names = [r.business.name for r in rows]

    assert names == ["Chi nhánh", "Công ty TNHH Xây dựng An Phú"]
    assert all(r.is_owner for r in rows)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="real row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_owners_demoting_each_other_at_once_leave_one_owner():
    """Each demotion alone is allowed (the other is still an owner); run together, the
    row lock on the business serialises them and the second one is refused."""
    first = UserFactory(username="mot", email="mot@example.vn")
    second = UserFactory(username="hai", email="hai@example.vn")
    business = services.business_create(actor=first, data=data())
    other = services.member_add(
        actor=first, business_id=business.pk, identifier="hai@example.vn", role="owner"
    )
    mine = business.members.get(user=first)
    barrier = threading.Barrier(2)
    outcomes: list[object] = [None, None]

    def demote(index, actor, member):
        try:
            barrier.wait(timeout=30)
            services.member_set_role(
                actor=actor, business_id=business.pk, member_id=member.pk, role="member"
            )
            outcomes[index] = "ok"
        except Exception as exc:
            outcomes[index] = exc
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=demote, args=(0, first, other)),
        threading.Thread(target=demote, args=(1, second, mine)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    # The loser finds itself demoted already (not an owner any more): refused.
    assert sorted(outcomes, key=str)[-1] == "ok", outcomes
    assert sum(isinstance(o, BusinessPermissionDenied) for o in outcomes) == 1, outcomes
    assert business.members.filter(role=MemberRole.OWNER).count() == 1
