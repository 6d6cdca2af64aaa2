"""Production settings: Django's deployment check passes, and production refuses to start
without a secret key and host names; every page carries a strict Content Security Policy
and the security headers, and no template has inline script or style for it to block."""

import re
import secrets
import subprocess
import sys

import pytest
from django.urls import reverse

from acsreview.web.env import LOCAL_HOSTS, ConfigError, allowed_hosts, secret_key

from .conftest import ROOT
from .test_serve import app_env

KEY = secrets.token_urlsafe(50)
PRODUCTION = {"ACSREVIEW_HTTPS": "true", "ACSREVIEW_SECRET_KEY": KEY,
              "ACSREVIEW_ALLOWED_HOSTS": "acs.example.org"}


def manage(tmp_path, *args, **env):
    environment = app_env(tmp_path, **env)
    # DJANGO_ALLOW_ASYNC_UNSAFE: set by the browser tests, and an error for check --deploy.
    for name in ("ACSREVIEW_HTTPS", "ACSREVIEW_SECRET_KEY", "ACSREVIEW_ALLOWED_HOSTS",
                 "ACSREVIEW_DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        if name not in env:
            environment.pop(name, None)
    return subprocess.run([sys.executable, "-m", "acsreview", "manage", *args],
                          env=environment, capture_output=True, text=True, timeout=120)


def test_the_deployment_check_finds_no_issue_in_production(tmp_path):
    result = manage(tmp_path, "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_have_secure_cookies_and_hsts(tmp_path):
    script = ("from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, "
              "s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, "
              "s.SESSION_COOKIE_HTTPONLY, s.CSRF_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE, "
              "s.ALLOWED_HOSTS, s.ACSREVIEW_PROXIES)")
    result = manage(tmp_path, "shell", "-c", script, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == (
        "True True True 31536000 True True Lax ['acs.example.org'] 1")


@pytest.mark.parametrize("missing", ["ACSREVIEW_SECRET_KEY", "ACSREVIEW_ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_a_secret_key_or_host_names(tmp_path, missing):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = manage(tmp_path, "check", **env)
    assert result.returncode == 1
    line = result.stderr.strip()
    assert "\n" not in line and "Traceback" not in result.stderr
    assert line.startswith(f"error: configuration: {missing} must be set when "
                           "ACSREVIEW_HTTPS=true")
    assert not (tmp_path / "secret_key").exists()


def test_production_refuses_debug(tmp_path):
    result = manage(tmp_path, "check", ACSREVIEW_DEBUG="true", **PRODUCTION)
    assert result.returncode == 1
    assert "ACSREVIEW_DEBUG=true" in result.stderr and "Traceback" not in result.stderr


def test_without_https_the_defaults_still_serve_a_laptop(tmp_path, monkeypatch):
    monkeypatch.delenv("ACSREVIEW_ALLOWED_HOSTS", raising=False)
    monkeypatch.delenv("ACSREVIEW_SECRET_KEY", raising=False)
    assert allowed_hosts() == LOCAL_HOSTS
    assert len(secret_key(tmp_path)) >= 50  # generated into the data folder, as before


def test_production_host_names_must_be_named(monkeypatch):
    monkeypatch.setenv("ACSREVIEW_ALLOWED_HOSTS", "*")
    with pytest.raises(ConfigError, match="ACSREVIEW_ALLOWED_HOSTS='\\*' is not allowed"):
        allowed_hosts(production=True)
    monkeypatch.setenv("ACSREVIEW_ALLOWED_HOSTS", "acs.example.org, www.acs.example.org")
    assert allowed_hosts(production=True) == ["acs.example.org", "www.acs.example.org"]


# --- the headers of every page -----------------------------------------------------------

POLICY = {"default-src": "'self'", "script-src": "'self'", "style-src": "'self'",
          "img-src": "'self' data:", "object-src": "'none'", "base-uri": "'self'",
          "form-action": "'self'", "frame-ancestors": "'none'"}


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/accounts/login/", "/healthz"])
def test_pages_carry_a_strict_content_security_policy_and_security_headers(client, url):
    response = client.get(url)
    policy = dict(part.strip().split(" ", 1) for part in
                  response["Content-Security-Policy"].split(";"))
    assert policy == POLICY
    assert "unsafe" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_the_csrf_and_session_cookies_are_http_only_and_same_site(cast, client):
    page = client.get(reverse("login"))
    csrf = page.cookies["csrftoken"]
    assert csrf["httponly"] and csrf["samesite"] == "Lax"
    signed_in = client.post(reverse("login"), {"username": cast.xa_lead.email,
                                               "password": "correct horse battery staple"})
    session = signed_in.cookies["sessionid"]
    assert session["httponly"] and session["samesite"] == "Lax"


INLINE_STYLE = re.compile(r"""\sstyle\s*=\s*["']""", re.I)
HANDLER = re.compile(r"""\son[a-z]+\s*=\s*["']""", re.I)
SCRIPT = re.compile(r"<script\b([^>]*)>", re.I)


def test_no_template_has_inline_script_style_or_handlers():
    """The policy would block them: scripts and styles belong in static files."""
    found = []
    for path in sorted((ROOT / "src" / "acsreview" / "web").rglob("templates/**/*.html")):
        text = path.read_text(encoding="utf-8")
        where = path.relative_to(ROOT)
        if "<style" in text:
            found.append(f"{where}: <style>")
        found += [f"{where}: style=" for _ in INLINE_STYLE.finditer(text)]
        found += [f"{where}: {m.group(0).strip()}" for m in HANDLER.finditer(text)]
        for m in SCRIPT.finditer(text):
            attrs = m.group(1)
            if "src=" not in attrs and "application/json" not in attrs:
                found.append(f"{where}: inline <script>")
    assert found == []
