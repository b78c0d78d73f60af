"""Notices to one person: shown in the product, and sent by e-mail on the topics they chose."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Topic(models.TextChoices):
    INVITATION = "invitation", _("Giấy mời, thông báo sinh hoạt")
    DOCUMENT = "document", _("Tài liệu được gửi đến")
    ANSWER = "answer", _("Trả lời ý kiến, kiến nghị")
    OVERDUE = "overdue", _("Việc đến hạn, quá hạn")
    ASSIGNED = "assigned", _("Ý kiến, kiến nghị gửi đến, được giao xử lý")


class EmailPreference(models.Model):
    """Whether a user receives one topic by e-mail. No row: they do (the default); a row with
    `enabled` false: they chose not to."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="email_preferences",
        verbose_name=_("tài khoản"),
    )
    topic = models.CharField(_("loại thông báo"), max_length=16, choices=Topic.choices)
    enabled = models.BooleanField(_("nhận qua thư điện tử"), default=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("lựa chọn nhận thư điện tử")
        verbose_name_plural = _("lựa chọn nhận thư điện tử")
        constraints = [models.UniqueConstraint(fields=["user", "topic"], name="one_email_choice_per_topic")]


class Notice(models.Model):
    """A notice shown to its recipient in the product (the meetings app keeps its own invitations)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notices", verbose_name=_("người nhận")
    )
    topic = models.CharField(_("loại thông báo"), max_length=16, choices=Topic.choices)
    subject = models.CharField(_("tiêu đề"), max_length=255)
    body = models.TextField(_("nội dung"), blank=True)
    url = models.CharField(_("đường dẫn"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("gửi lúc"), auto_now_add=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)
    emailed = models.BooleanField(_("đã gửi thư điện tử"), default=False)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notice_unread")]

    def __str__(self):
        return self.subject
