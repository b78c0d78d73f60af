"""Production: SECRET_KEY and ALLOWED_HOSTS must come from the environment."""

import os

from .base import *  # noqa: F403

SECRET_KEY = os.environ["SECRET_KEY"]
ALLOWED_HOSTS = os.environ["ALLOWED_HOSTS"].split(",")
SESSION_COOKIE_SECURE = os.environ.get("SECURE_COOKIES", "1") == "1"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Behind a TLS-terminating proxy (issue 18, finding 9; docs/DEPLOY.md) ------------------------
# Everything here comes from the environment; the defaults are those of the nginx set-up in
# docs/DEPLOY.md, which scripts/deploy_check.sh tries for real. Kept in this one block.


def _env_on(name, default):
    return os.environ.get(name, default).strip().lower() in ("1", "true", "yes", "on")


# Believe X-Forwarded-Proto only when the deployment says a proxy sets it (and overwrites what a
# client sent): otherwise anyone could claim https. Without it, behind TLS every POST fails
# "Origin checking failed" and SECURE_SSL_REDIRECT loops.
BEHIND_TLS_PROXY = _env_on("BEHIND_TLS_PROXY", "0")
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Origins (https://host[:port]) forms are posted from, when they differ from the Host passed on.
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]
SECURE_SSL_REDIRECT = _env_on("SECURE_SSL_REDIRECT", "1")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_on("SECURE_HSTS_INCLUDE_SUBDOMAINS", "1")
SECURE_HSTS_PRELOAD = _env_on("SECURE_HSTS_PRELOAD", "0")
if not SECURE_HSTS_PRELOAD:
    # Asking browsers to preload the domain is the domain owner's decision, not the app's: the
    # check that recommends it is silenced only while SECURE_HSTS_PRELOAD is off.
    SILENCED_SYSTEM_CHECKS = [*globals().get("SILENCED_SYSTEM_CHECKS", []), "security.W021"]
SESSION_COOKIE_HTTPONLY = True
if os.environ.get("STATIC_ROOT"):
    STATIC_ROOT = Path(os.environ["STATIC_ROOT"])  # noqa: F405
# --- end TLS proxy --------------------------------------------------------------------------------
# Second factor required for every account reaching more than one cell (apps/accounts/security.py).
OTP_REQUIRED = os.environ.get("OTP_REQUIRED", "1") == "1"
