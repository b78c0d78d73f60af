"""Deployment behind TLS and the Content-Security-Policy (issue 18, finding 9).

The full check behind a real nginx is scripts/deploy_check.sh; the browser check is
e2e/test_csp.py. These are the fast guards: no template brings inline code back, every response
carries the policy, and the production settings read the proxy set-up from the environment.
"""

import json
import re
import subprocess
import sys
from pathlib import Path

from django.conf import settings

TEMPLATE_DIRS = [Path(settings.BASE_DIR) / "templates", *sorted((Path(settings.BASE_DIR) / "apps").glob("*/templates"))]
TAG = re.compile(r"<[a-zA-Z][^>]*>", re.S)
INLINE = [
    (re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")", re.I), "inline <script>"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "on*= handler"),
    (re.compile(r"\shx-on", re.I), "hx-on"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"<style\b", re.I), "<style> block"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def test_no_template_has_inline_script_or_style():
    found = []
    for folder in TEMPLATE_DIRS:
        for path in sorted(folder.rglob("*.html")):
            text = path.read_text(encoding="utf-8")
            for tag in TAG.findall(text) + re.findall(r"<script\b[^>]*>|<style\b", text, re.I):
                for pattern, what in INLINE:
                    if pattern.search(tag):
                        found.append(f"{path.relative_to(settings.BASE_DIR)}: {what}: {tag[:80]}")
    # Put JavaScript in static/js and CSS in static/css (docs/CONVENTIONS.md): the policy refuses it.
    assert sorted(set(found)) == []


def test_every_page_is_sent_with_the_policy(client, admin_user):
    client.force_login(admin_user)
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in policy
    assert response.headers["Referrer-Policy"] == "same-origin"


def _prod_settings(**env):
    """The production settings as a deployment with this environment gets them."""
    code = (
        "import json, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'config.settings.prod'\n"
        "from django.conf import settings as s\n"
        "print(json.dumps({k: getattr(s, k) for k in ('SECURE_PROXY_SSL_HEADER', 'CSRF_TRUSTED_ORIGINS',"
        " 'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_HSTS_PRELOAD',"
        " 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SILENCED_SYSTEM_CHECKS')}))"
    )
    base = {"PATH": "/usr/bin:/bin", "SECRET_KEY": "k" * 60, "ALLOWED_HOSTS": "dangbo.example.vn"}
    out = subprocess.run(
        [sys.executable, "-c", code], env=base | env, cwd=settings.BASE_DIR, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def test_production_trusts_the_proxy_header_only_when_told():
    plain = _prod_settings()
    assert plain["SECURE_PROXY_SSL_HEADER"] is None
    assert plain["CSRF_TRUSTED_ORIGINS"] == []
    assert plain["SECURE_SSL_REDIRECT"] is True
    assert plain["SECURE_HSTS_SECONDS"] == 31536000
    assert plain["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert plain["SECURE_HSTS_PRELOAD"] is False
    assert plain["SILENCED_SYSTEM_CHECKS"] == ["security.W021"]
    assert plain["SESSION_COOKIE_SECURE"] is True and plain["CSRF_COOKIE_SECURE"] is True

    proxied = _prod_settings(
        BEHIND_TLS_PROXY="1",
        CSRF_TRUSTED_ORIGINS="https://dangbo.example.vn, https://dangbo.example.vn:8443",
        SECURE_HSTS_SECONDS="300",
        SECURE_HSTS_PRELOAD="1",
    )
    assert proxied["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert proxied["CSRF_TRUSTED_ORIGINS"] == ["https://dangbo.example.vn", "https://dangbo.example.vn:8443"]
    assert proxied["SECURE_HSTS_SECONDS"] == 300
    assert proxied["SECURE_HSTS_PRELOAD"] is True
    assert proxied["SILENCED_SYSTEM_CHECKS"] == []
