"""Security headers and cookies as production sends them.

The values come from ward_police/settings/production.py itself (imported with a real-looking
environment), applied with override_settings, and checked on real responses of the test client
over HTTPS (as the reverse proxy reports it with X-Forwarded-Proto).
"""

import importlib
import sys

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

# Everything production.py sets that shapes what the browser receives.
HEADER_SETTINGS = (
    "DEBUG",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_SSL_REDIRECT",
    "SECURE_REDIRECT_EXEMPT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SAMESITE",
    "X_FRAME_OPTIONS",
    "CONTENT_SECURITY_POLICY",
)
HTTPS = {"secure": True, "headers": {"x-forwarded-proto": "https"}}


@pytest.fixture
def production(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "k7#Qz9!vLm2@Rt5$Wx8^Yb3&Nc6*Pd1(Fg4)Hj0_Ks-Ua+Ve=Xi[Zo]")
    monkeypatch.setenv("ALLOWED_HOSTS", "testserver")
    sys.modules.pop("ward_police.settings.production", None)
    module = importlib.import_module("ward_police.settings.production")
    values = {name: getattr(module, name) for name in HEADER_SETTINGS if hasattr(module, name)}
    sys.modules.pop("ward_police.settings.production", None)
    with override_settings(**values):
        yield values


def test_production_settings_module_sets_the_strict_values(production):
    assert production["DEBUG"] is False
    assert production["SECURE_SSL_REDIRECT"] is True
    assert production["SESSION_COOKIE_SECURE"] and production["CSRF_COOKIE_SECURE"]


def test_plain_http_is_redirected_to_https(client, production):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/accounts/login/"


def test_https_pages_carry_hsts_with_subdomains_and_preload(client, production):
    response = client.get(reverse("accounts:login"), **HTTPS)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_pages_cannot_be_framed_sniffed_or_leak_the_referrer(client, production):
    response = client.get(reverse("accounts:login"), **HTTPS)
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def _csp(response) -> dict[str, list[str]]:
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def test_csp_allows_scripts_only_from_self_or_with_this_responses_nonce(client, production):
    response = client.get(reverse("accounts:login"), **HTTPS)
    csp = _csp(response)
    nonce = response.wsgi_request.csp_nonce
    assert csp["script-src"] == ["'self'", f"'nonce-{nonce}'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"] and csp["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    # Every script tag of the page carries the nonce; there is no inline script at all.
    body = response.content.decode()
    assert body.count("<script") == body.count(f'nonce="{nonce}"') > 0
    assert "<script>" not in body


def test_each_response_gets_a_fresh_nonce(client, production):
    first = client.get(reverse("accounts:login"), **HTTPS).wsgi_request.csp_nonce
    second = client.get(reverse("accounts:login"), **HTTPS).wsgi_request.csp_nonce
    assert first != second


def test_session_and_csrf_cookies_are_secure_httponly_and_samesite(client, alice, production):
    csrf = client.get(reverse("accounts:login"), **HTTPS).cookies["csrftoken"]
    response = client.post(
        reverse("accounts:login"), {"username": "alice", "password": TEST_PASSWORD}, **HTTPS
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    for cookie in (session, csrf):
        assert cookie["secure"] is True
        assert cookie["httponly"] is True
        assert cookie["samesite"] == "Lax"


def test_healthz_stays_reachable_over_plain_http_for_the_load_balancer(client, production):
    assert client.get(reverse("healthz")).status_code == 200
