"""Generic OpenID Connect (VNeID-style SSO): configured from the environment."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from egov.accounts.adapter import SocialAccountAdapter
from egov.accounts.constants import UserKind

SRC = Path(__file__).resolve().parents[3]

CONFIGURED = {
    "openid_connect": {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": "vneid",
                "name": "VNeID",
                "client_id": "egov-test",
                "secret": "bi-mat",
                "settings": {"server_url": "http://127.0.0.1:9/.well-known/openid-configuration"},
            }
        ],
    }
}


@pytest.mark.django_db
class TestLoginPage:
    def test_provider_button_appears_when_configured(self, client, settings):
        settings.SOCIALACCOUNT_PROVIDERS = CONFIGURED

        html = client.get("/accounts/login/").content.decode()

        assert "Đăng nhập bằng VNeID" in html
        assert 'href="/accounts/oidc/vneid/login/' in html

    def test_no_provider_button_when_unset(self, client, settings):
        settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": []}}

        html = client.get("/accounts/login/").content.decode()

        assert "Đăng nhập bằng" not in html
        assert "/accounts/oidc/" not in html


def _settings_with_env(extra_env):
    env = {k: v for k, v in os.environ.items() if not k.startswith("EGOV_OIDC_")}
    env.update(extra_env)
    env["PYTHONPATH"] = str(SRC)
    code = (
        "import json; from egov.conf import base; print(json.dumps(base.SOCIALACCOUNT_PROVIDERS))"
    )
    out = subprocess.run(  # noqa: S603 - fixed interpreter and code
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


class TestSettingsFromEnvironment:
    def test_apps_come_from_the_egov_oidc_variables(self):
        providers = _settings_with_env(
            {
                "EGOV_OIDC_CLIENT_ID": "cong-dich-vu",
                "EGOV_OIDC_CLIENT_SECRET": "bi-mat",
                "EGOV_OIDC_SERVER_URL": "https://sso.example.vn",
                "EGOV_OIDC_PROVIDER_ID": "sso-tinh",
                "EGOV_OIDC_NAME": "SSO tỉnh",
            }
        )

        [app] = providers["openid_connect"]["APPS"]
        assert app == {
            "provider_id": "sso-tinh",
            "name": "SSO tỉnh",
            "client_id": "cong-dich-vu",
            "secret": "bi-mat",
            "settings": {"server_url": "https://sso.example.vn"},
        }

    def test_no_app_without_a_client_id(self):
        providers = _settings_with_env(
            {"EGOV_OIDC_CLIENT_ID": "", "EGOV_OIDC_SERVER_URL": "https://sso.example.vn"}
        )

        assert providers["openid_connect"]["APPS"] == []


class _FakeSocialLogin:
    def __init__(self, user):
        self.user = user
        self.account = None


@pytest.mark.django_db
def test_sso_users_are_citizens_with_vietnamese_name_order(rf):
    from egov.accounts.models import User

    user = User(kind=UserKind.STAFF, is_staff=True)
    adapter = SocialAccountAdapter()

    adapter.populate_user(
        rf.get("/"), _FakeSocialLogin(user), {"name": "Lê Thị Hồng Nhung", "email": "n@x.vn"}
    )

    assert user.kind == UserKind.CITIZEN
    assert not user.is_staff
    assert user.last_name == "Lê Thị Hồng"
    assert user.first_name == "Nhung"
