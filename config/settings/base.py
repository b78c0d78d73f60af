"""Settings shared by every environment. Environment variables override what deployments change."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = False
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files, served locally (no CDN) for /api/tai-lieu/
    "django_filters",
    "django_htmx",
    "auditlog",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "apps.core",
    "apps.accounts",
    "apps.organizations",
    "apps.members",
    "apps.discipline",
    "apps.meetings",
    "apps.evaluations",
    "apps.accountability",
    "apps.inspections",
    "apps.quizzes",
    "apps.dues",
    "apps.statistics",
    "apps.resolutions",
    "apps.admissions",
    "apps.notices",
    "apps.voice",
    "apps.screening",
    "apps.imports",
    "apps.library",
    "apps.api",
    "apps.demo",
    "apps.safeguards",
    "apps.home",
    "apps.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "apps.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "apps.accounts.security.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "apps.accounts.security.AccountGuardMiddleware",
    "axes.middleware.AxesMiddleware",
    "apps.core.middleware.ScopingGuardMiddleware",
]
# Scoping fails loud: "record" logs every unscoped read of an organization-owned model by a view,
# form, template tag or API module; "raise" refuses it (apps.core.scoping.guard_reads).
SCOPING_GUARD = os.environ.get("SCOPING_GUARD", "")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "apps.core.context_processors.navigation",
            ],
            "builtins": ["django.templatetags.i18n", "apps.core.templatetags.vn", "apps.core.templatetags.reach"],
        },
    }
]

# SQLite by default; DATABASE_URL=postgres://... selects PostgreSQL, the production engine.
# Connections are kept open between requests (CONN_MAX_AGE) and checked before reuse.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}",
        conn_max_age=600,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    (BASE_DIR / "var").mkdir(exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-64000;",
        "transaction_mode": "IMMEDIATE",
    }

elif DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Page queries touch a few hundred index entries; starting parallel workers for them costs
    # more (8–30 ms measured in `make bench`) than it saves. JIT compilation likewise: the planner
    # overestimates grouped sums over the dues ledger and spent 709 ms of a cell book's 725 compiling.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c max_parallel_workers_per_gather=0 -c jit=off"

# A PostgreSQL streaming replica for statistics reads (apps/statistics/routers.py): writes never
# go there. In tests it is a mirror of "default": Django never creates, flushes or wraps it in the
# test's transaction, and gives it only the test database's name, which it reads on the replica's
# own server (the database streams there from the primary).
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"], conn_max_age=600, conn_health_checks=True
    )
    DATABASES["replica"].setdefault("OPTIONS", {})["options"] = "-c max_parallel_workers_per_gather=0 -c jit=off"
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["apps.statistics.routers.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
CSRF_FAILURE_VIEW = "apps.core.views.csrf_failure"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home:index"
LOGOUT_REDIRECT_URL = "accounts:login"
# Axes first: a locked-out account or address is refused before its password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Off: with it on, Django prints every integer in a template with a dot, ids in links and form
# values included (1.379). Figures people read go through the |vnint and |vnpct filters instead.
USE_THOUSAND_SEPARATOR = False

# Long work (imports) runs as background tasks, queued in the database: no other server, the same
# on SQLite and PostgreSQL. `manage.py worker` runs them (`make run` starts one).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
FORMAT_MODULE_PATH = ["config.formats"]

# E-mail (apps/notices): off until EMAIL_HOST names an SMTP server; each user chooses the topics.
# Messages are queued and sent by the worker, so a server that is down never breaks a page.
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "1") == "1"
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "20"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Chi Bộ Số <no-reply@localhost>")
# The site's address as members open it, for the links inside e-mails (e.g. https://chibo.example.vn).
SITE_URL = os.environ.get("SITE_URL", "")

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024

# Uploaded files (apps/core/files.py). Nothing under MEDIA_ROOT is served by URL: a file goes
# out only through a view that loads its owner through the scoping door, as an attachment.
FILE_UPLOAD_HANDLERS = [
    "apps.core.files.UploadLimitHandler",  # a body over every bound below is read and dropped, never stored
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", 20 * 1024 * 1024))  # a meeting document, an attachment
# Excel member lists (apps/imports): bounds checked before the workbook is parsed. A province's
# 200.000-member list is about 20 MB, with 120-250 MB of XML inside, at a ratio under 10.
IMPORT_MAX_UPLOAD_BYTES = int(os.environ.get("IMPORT_MAX_UPLOAD_BYTES", 50 * 1024 * 1024))
IMPORT_MAX_UNCOMPRESSED_BYTES = int(os.environ.get("IMPORT_MAX_UNCOMPRESSED_BYTES", 400 * 1024 * 1024))
IMPORT_MAX_COMPRESSION_RATIO = int(os.environ.get("IMPORT_MAX_COMPRESSION_RATIO", 100))  # per part over 1 MB
IMPORT_MAX_ZIP_ENTRIES = int(os.environ.get("IMPORT_MAX_ZIP_ENTRIES", 1000))
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", 300_000))  # data rows below the heading row

REST_FRAMEWORK = {
    # The API's views set these through apps.api.views.ApiMixin; the defaults say the same for any other.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "apps.api.auth.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated", "apps.api.auth.TokenRight"],
    "DEFAULT_THROTTLE_CLASSES": ["apps.api.auth.ClientThrottle", "apps.api.auth.AnonymousThrottle"],
    "EXCEPTION_HANDLER": "apps.api.exceptions.vietnamese_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.CursorPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Chi Bộ Số API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Choice sets that share a field name get names of their own (clean generated client code).
    "ENUM_NAME_OVERRIDES": {
        "MemberStatusEnum": "apps.members.models.Status",
        "OrganizationKindEnum": "apps.organizations.models.Kind",
        "AdmissionStepKindEnum": "apps.admissions.models.StepKind",
        "DocumentKindEnum": "apps.library.models.Kind",
        "TrainingKindEnum": "apps.members.models.TrainingKind",
        "PetitionKindEnum": "apps.voice.models.PetitionKind",
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "apps.api.schema.add_error_components",  # the one error shape every 4xx answers
    ],
}

# Change history: who, when, before and after, for every registered model.
AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_DISABLE_REMOTE_ADDR = False

# A citizen ID or card number typed that another member outside the user's reach already holds is
# a probe (apps.members.identifiers): after this many within the window further checks are refused.
IDENTITY_PROBE_LIMIT = int(os.environ.get("IDENTITY_PROBE_LIMIT", "5"))
IDENTITY_PROBE_WINDOW_MINUTES = int(os.environ.get("IDENTITY_PROBE_WINDOW_MINUTES", "60"))

# How long the API keeps the answer to a POST sent with an Idempotency-Key (apps/api/idempotency.py).
API_IDEMPOTENCY_HOURS = int(os.environ.get("API_IDEMPOTENCY_HOURS", "24"))
# The change feed's watermark lies this far before a walk began, so that a row stamped by a
# transaction still running then is read next time (apps/api/sync.py).
# Named API tokens (apps.accounts.models.ApiToken): the longest validity a holder may choose.
API_TOKEN_MAX_DAYS = int(os.environ.get("API_TOKEN_MAX_DAYS", "365"))
# Requests per client (a named token, else the account) and per address without credentials;
# beyond them the API answers 429 with Retry-After (apps/api/throttles.py).
API_THROTTLE_RATES = {
    "client": os.environ.get("API_THROTTLE_CLIENT", "1200/minute"),
    "anonymous": os.environ.get("API_THROTTLE_ANONYMOUS", "120/minute"),
}
API_SYNC_MARGIN_SECONDS = int(os.environ.get("API_SYNC_MARGIN_SECONDS", "300"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# --- Content Security Policy (issue 18, finding 9; docs/DEPLOY.md) ------------------------------
# Every response says: scripts, styles, fonts and fetches from this site only; no inline script,
# no inline style, no eval (htmx runs with allowEval false and no indicator style, see
# templates/base.html); `data:` images are the icons inside Pico's stylesheet. JavaScript lives
# in static/js/ (docs/CONVENTIONS.md). Kept in this one block so other settings merge around it.
INSTALLED_APPS += ["csp"]
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1, "csp.middleware.CSPMiddleware")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
SECURE_REFERRER_POLICY = "same-origin"
# --- end Content Security Policy ------------------------------------------------------------------
# --- Sign-in protection, second factor and sessions (apps/accounts/security.py) ---------------------
# Password guessing (django-axes): an account is locked after LOGIN_FAILURE_LIMIT wrong passwords,
# an address after LOGIN_ADDRESS_FAILURE_LIMIT wrong passwords across any accounts (an office behind
# one NAT address shares it), for LOGIN_LOCKOUT_MINUTES after the last failure, or until a system
# administrator unlocks it (Tài khoản → Đăng nhập bị khóa). Every failure is kept (AccessFailureLog).
LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("LOGIN_ADDRESS_FAILURE_LIMIT", "20"))
LOGIN_LOCKOUT_MINUTES = int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "30"))
# Proxies in front of the app that append to X-Forwarded-For (1 behind the README's nginx); 0 reads
# REMOTE_ADDR. Without it every login behind the proxy would share the proxy's address.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_HANDLER = "apps.accounts.security.LoginAttemptHandler"
AXES_LOCKOUT_CALLABLE = "apps.accounts.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "apps.accounts.security.client_ip"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_RESET_ON_SUCCESS = False
AXES_VERBOSE = False

# Second factor (TOTP, django-otp): required when on for every account whose roles reach more than
# one cell; optional (Tài khoản của tôi → Xác thực hai bước) for the others. On in production.
OTP_REQUIRED = os.environ.get("OTP_REQUIRED", "0") == "1"
OTP_TOTP_ISSUER = "Chi Bộ Số"

# Sessions: a working day from sign-in at most, and signed out after an idle spell.
SESSION_MAX_HOURS = float(os.environ.get("SESSION_MAX_HOURS", "9"))
SESSION_IDLE_MINUTES = float(os.environ.get("SESSION_IDLE_MINUTES", "120"))
SESSION_COOKIE_AGE = int(SESSION_MAX_HOURS * 3600)
