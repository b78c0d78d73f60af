"""The SMTP server fixtures live in apps.notices.testing, for every app whose tests read e-mail."""

from apps.notices.testing import mail, smtp_server  # noqa: F401
