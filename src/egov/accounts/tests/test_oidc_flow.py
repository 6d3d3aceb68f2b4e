"""The whole OpenID Connect sign-in against a local test provider, over loopback HTTP.

login page → provider's authorize endpoint → callback → code exchange (token endpoint,
PKCE) → userinfo → a citizen whose profile is pre-filled from the claims.
"""

import datetime as dt
import http.client
from urllib.parse import parse_qs, urlparse

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount

from egov.accounts.constants import UserKind
from egov.accounts.models import User
from egov.accounts.selectors import is_vneid_verified
from egov.accounts.tests.factories import UserFactory
from egov.accounts.tests.oidc_provider import OidcTestProvider
from egov.core.audit.models import AuditEvent

LOGIN_URL = "/accounts/oidc/vneid/login/"

PERSON = {
    "sub": "vneid-001234567890",
    "name": "Lê Thị Hồng Nhung",
    "email": "nhung.le@example.vn",
    "email_verified": True,
    "phone_number": "0912 000 111",
    "phone_number_verified": True,
    "birthdate": "1990-07-15",
    "identification_number": "001190012345",
}


@pytest.fixture
def provider(settings, monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    server = OidcTestProvider().start()
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [
                {
                    "provider_id": "vneid",
                    "name": "VNeID",
                    "client_id": server.client_id,
                    "secret": server.client_secret,
                    "settings": {"server_url": server.issuer},
                }
            ],
        }
    }
    settings.EGOV_OIDC_PROVIDER_ID = "vneid"
    server.person = dict(PERSON)
    yield server
    server.stop()


def _authorize(url):
    """Ask the provider's authorize endpoint (a real HTTP request); its redirect back."""
    parts = urlparse(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    try:
        conn.request("GET", f"{parts.path}?{parts.query}")
        response = conn.getresponse()
        response.read()
        assert response.status == 302, response.status
        return response.getheader("Location")
    finally:
        conn.close()


def sign_in(client, provider):
    page = client.get(LOGIN_URL)
    assert page.status_code == 200
    assert "VNeID" in page.content.decode()
    response = client.post(LOGIN_URL)
    assert response.status_code == 302
    authorize_url = response["Location"]
    assert authorize_url.startswith(f"{provider.issuer}/authorize?")
    query = parse_qs(urlparse(authorize_url).query)
    assert query["code_challenge_method"] == ["S256"]
    assert query["redirect_uri"] == ["http://testserver/accounts/oidc/vneid/login/callback/"]

    callback = _authorize(authorize_url)
    assert callback.startswith("http://testserver/accounts/oidc/vneid/login/callback/?code=")
    return client.get(callback.removeprefix("http://testserver"))


@pytest.mark.django_db
class TestOidcSignIn:
    def test_a_new_citizen_signs_in_and_the_profile_is_prefilled(self, client, provider):
        response = sign_in(client, provider)

        assert response.status_code == 302
        assert response["Location"] == "/accounts/profile/"
        user = User.objects.get(socialaccount__uid="vneid-001234567890")
        assert client.session.get("_auth_user_id") == str(user.pk)
        assert user.kind == UserKind.CITIZEN
        assert not user.is_staff and not user.is_superuser
        assert (user.last_name, user.first_name) == ("Lê Thị Hồng", "Nhung")
        assert user.email == "nhung.le@example.vn"
        assert EmailAddress.objects.get(user=user).verified is True
        assert user.phone == "+84912000111"
        assert user.phone_verified is True
        assert user.date_of_birth == dt.date(1990, 7, 15)
        assert user.personal_id == "001190012345"
        assert not user.has_usable_password()
        assert is_vneid_verified(user)
        assert AuditEvent.objects.filter(
            action="accounts.user.signup", object_id=str(user.pk)
        ).exists()

        # The code really went through the token endpoint, with the PKCE verifier, and the
        # claims through userinfo.
        token = [r for r in provider.requests if r["path"] == "/token"]
        assert len(token) == 1 and token[0]["form"]["code_verifier"]
        assert any(r["path"] == "/userinfo" for r in provider.requests)

        profile = client.get("/accounts/profile/").content.decode()
        assert "Lê Thị Hồng Nhung" in profile

    def test_a_returning_citizen_is_matched_not_duplicated(self, client, provider):
        sign_in(client, provider)
        client.post("/accounts/logout/")
        provider.person = {**PERSON, "name": "Lê Thị Hồng Nhung", "email": "khac@example.vn"}

        response = sign_in(client, provider)

        assert response.status_code == 302
        assert User.objects.count() == 1
        assert SocialAccount.objects.count() == 1
        user = User.objects.get()
        assert client.session.get("_auth_user_id") == str(user.pk)
        # The profile already set is not overwritten by the second sign-in.
        assert user.email == "nhung.le@example.vn"

    def test_a_returning_citizen_gets_what_the_profile_lacks(self, client, provider):
        provider.person = {"sub": "vneid-42", "name": "Trần Văn Bình"}
        sign_in(client, provider)
        client.post("/accounts/logout/")
        user = User.objects.get()
        assert user.personal_id is None and user.date_of_birth is None
        provider.person = {
            "sub": "vneid-42",
            "name": "Trần Văn Bình",
            "identification_number": "079088001122",
            "birthdate": "02/09/1988",
        }

        sign_in(client, provider)

        user.refresh_from_db()
        assert user.personal_id == "079088001122"
        assert user.date_of_birth == dt.date(1988, 9, 2)

    def test_given_and_family_name_claims_keep_the_vietnamese_order(self, client, provider):
        provider.person = {
            "sub": "vneid-7",
            "family_name": "Nguyễn",
            "middle_name": "Văn",
            "given_name": "An",
            "email": "an@example.vn",
            "email_verified": True,
        }

        sign_in(client, provider)

        user = User.objects.get()
        assert user.get_full_name() == "Nguyễn Văn An"

    def test_an_unverified_email_claim_must_be_confirmed(self, client, provider):
        provider.person = {**PERSON, "email_verified": False}

        response = sign_in(client, provider)

        assert response["Location"] == "/accounts/confirm-email/"
        assert EmailAddress.objects.get(email="nhung.le@example.vn").verified is False

    def test_values_used_by_another_account_are_left_out(self, client, provider):
        UserFactory(username="khac", phone="+84912000111", personal_id="001190012345")

        response = sign_in(client, provider)

        assert response["Location"] == "/accounts/profile/"
        user = User.objects.get(socialaccount__uid="vneid-001234567890")
        assert user.phone == "" and user.personal_id is None
        assert user.date_of_birth == dt.date(1990, 7, 15)

    def test_a_configurable_personal_id_claim_and_a_bad_value(self, client, provider, settings):
        settings.EGOV_OIDC_CLAIM_PERSONAL_ID = ["cccd"]
        provider.person = {**PERSON, "identification_number": "", "cccd": "123"}

        sign_in(client, provider)

        assert User.objects.get().personal_id is None  # not 12 digits: not used

    def test_a_wrong_client_secret_signs_nobody_in(self, client, provider, settings):
        settings.SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"][0]["secret"] = "sai"

        response = sign_in(client, provider)

        assert response.status_code == 401
        assert "Đăng nhập qua bên thứ ba không thành công" in response.content.decode()
        assert not User.objects.exists()
        assert client.session.get("_auth_user_id") is None


@pytest.mark.django_db
class TestIdTokenSignature:
    """The id_token is checked against the provider's JWKS (allauth's token sign-in)."""

    def _provider(self, rf):
        from allauth.socialaccount.adapter import get_adapter

        request = rf.get("/")
        return request, get_adapter().get_provider(request, "vneid")

    def test_a_signed_id_token_is_accepted(self, provider, rf):
        request, oidc = self._provider(rf)
        token = provider.id_token({"sub": "vneid-9", "name": "Đỗ Minh Châu"})

        login = oidc.verify_token(request, {"id_token": token})

        assert login.account.uid == "vneid-9"

    def test_a_token_signed_by_another_key_is_refused(self, provider, rf):
        from allauth.core.exceptions import ImmediateHttpResponse
        from django.core.exceptions import ValidationError

        request, oidc = self._provider(rf)
        forger = OidcTestProvider()
        forger.kid = provider.kid
        forger._server.server_close()
        token = jwt_with_issuer(forger, provider.issuer)

        with pytest.raises((ValidationError, ImmediateHttpResponse)):
            oidc.verify_token(request, {"id_token": token})


def jwt_with_issuer(forger, issuer):
    import time

    import jwt

    now = int(time.time())
    payload = {
        "sub": "vneid-9",
        "iss": issuer,
        "aud": forger.client_id,
        "iat": now,
        "exp": now + 60,
    }
    return jwt.encode(payload, forger.key, algorithm="RS256", headers={"kid": forger.kid})


@pytest.mark.django_db
def test_is_vneid_verified_is_false_for_password_accounts_and_when_switched_off(settings):
    user = UserFactory()
    assert not is_vneid_verified(user)
    SocialAccount.objects.create(user=user, provider="vneid", uid="x")
    settings.EGOV_OIDC_PROVIDER_ID = "vneid"
    assert is_vneid_verified(user)
    settings.EGOV_OIDC_IS_VNEID = False
    assert not is_vneid_verified(user)
    assert not is_vneid_verified(None)
