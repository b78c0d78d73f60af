"""Sending one e-mail through the configured SMTP server (settings EMAIL_*)."""

import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage

logger = logging.getLogger("apps.notices")


def enabled() -> bool:
    """E-mail is off until an SMTP server is configured (EMAIL_HOST)."""
    return bool(getattr(settings, "EMAIL_HOST", ""))


def send(to: str, subject: str, body: str) -> bool:
    """Send it; a server that is down or refuses is logged, never raised (a notice is not worth a
    failed page or a crashed worker)."""
    message = EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[to])
    message.encoding = "utf-8"
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as exc:
        logger.warning("e-mail to %s not sent (%s): %s", to, subject, exc)
        return False
    return True
