from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Static files straight from the apps and static/ (no collectstatic needed outside production).
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Tasks run as they are queued, inside the request that queues them: tests see the result at once.
# Tests of the queue itself switch to the database backend (apps/imports/tests/test_jobs.py).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Throttling counts in the process-wide cache across tests (user ids repeat after each rollback):
# out of the way here; apps/api/tests/test_tokens.py sets low rates to test it.
API_THROTTLE_RATES = {"client": "1000000/minute", "anonymous": "1000000/minute"}
