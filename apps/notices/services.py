"""Notices to one person: `notify` is what every other app calls."""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.services import audited

from . import delivery
from .models import EmailPreference, Notice, Topic

logger = logging.getLogger("apps.notices")


def wants_email(user: User, topic: str) -> bool:
    """The user has an address, e-mail is configured, and they did not turn this topic off."""
    if not delivery.enabled() or not user.is_active or not (user.email or "").strip():
        return False
    return not EmailPreference.objects.filter(user=user, topic=topic, enabled=False).exists()


def email_text(body: str, url: str = "") -> str:
    """The e-mail's text: the notice, the page it is about, and why the recipient gets it."""
    parts = [body.strip()]
    if url:
        base = getattr(settings, "SITE_URL", "").rstrip("/")
        parts.append(_("Xem chi tiết: %(url)s") % {"url": f"{base}{url}"})
    parts.append(
        _(
            "Đồng chí nhận thư này vì đã chọn nhận thông báo qua thư điện tử trên Chi Bộ Số. Có thể thay đổi ở mục “Nhận thông báo” trong trình đơn tài khoản."
        )
    )
    return "\n\n".join(parts)


def notify(
    user: User | None, topic: str, subject: str, body: str = "", url: str = "", *, in_app: bool = True
) -> Notice | None:
    """Tell one person something: a notice in the product (unless the caller keeps its own, like
    meeting invitations: `in_app=False`) and an e-mail if they chose that topic and have an
    address. The e-mail is queued (the worker sends it); a queue or server failure is logged and
    never breaks the caller's write."""
    if user is None:
        return None
    notice = None
    if in_app:
        notice = Notice.objects.create(recipient=user, topic=topic, subject=subject[:255], body=body, url=url)
    if wants_email(user, topic):
        from .tasks import send_email

        try:
            send_email.enqueue(user.email.strip(), subject, email_text(body, url))
        except Exception:  # the queue itself failing must not undo the caller's work
            logger.exception("e-mail to user %s not queued", user.pk)
        else:
            if notice is not None:
                notice.emailed = True
                notice.save(update_fields=["emailed"])
    return notice


def preferences_set(*, user: User, email: str, topics) -> None:
    """The user's own address and the topics they receive by e-mail (the others turned off)."""
    email = (email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError({"email": _("Địa chỉ thư điện tử không hợp lệ.")}) from None
    chosen = set(topics or ())
    unknown = chosen - set(Topic.values)
    if unknown:
        raise ValidationError({"topics": _("Loại thông báo không hợp lệ.")})
    with audited(user):
        if email != user.email:
            user.email = email
            user.save(update_fields=["email"])
        for topic in Topic.values:
            EmailPreference.objects.update_or_create(user=user, topic=topic, defaults={"enabled": topic in chosen})


def email_topics(user: User) -> set[str]:
    """The topics the user receives by e-mail (every one unless turned off)."""
    off = set(EmailPreference.objects.filter(user=user, enabled=False).values_list("topic", flat=True))
    return set(Topic.values) - off


def notice_read(*, user: User, notice: Notice) -> None:
    if notice.recipient_id != user.pk:
        raise PermissionDenied
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
