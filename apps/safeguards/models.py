"""Records of how personal data left the registry or was probed for.

- `IdentityProbe`: a citizen ID or party card number typed by a user was already held by a
  member outside the user's reach (or a check was refused after too many such hits). Like a
  failed login, it is recorded and throttled: see apps.members.identifiers.
- `ExportRecord`: a list or document downloaded, with its filters, row count and the personal
  columns it carried: see apps.members.disclosure.

Both are written by the system, never edited or deleted, and read only by administrators.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.scoping import ScopedQuerySet


class ProbeField(models.TextChoices):
    CITIZEN_ID = "citizen_id", _("Số CCCD")
    CARD_NUMBER = "card_number", _("Số thẻ đảng viên")


class IdentityProbe(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="identity_probes", verbose_name=_("tài khoản")
    )
    at = models.DateTimeField(_("lúc"), auto_now_add=True, db_index=True)
    field = models.CharField(_("trường"), max_length=20, choices=ProbeField.choices)
    # A keyed hash (HMAC with the secret key) of the number: the same number typed twice gives the
    # same hash, and the record does not hold the number itself.
    value_hash = models.CharField(_("mã băm của số"), max_length=64)
    remote_addr = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    # False: the number was held outside the user's reach (the user was told so, without a name).
    # True: the check was refused because the user had made too many such hits in the window.
    refused = models.BooleanField(_("bị từ chối"), default=False)

    class Meta:
        verbose_name = _("lần tra trùng ngoài phạm vi")
        verbose_name_plural = _("các lần tra trùng ngoài phạm vi")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["user", "at"], name="probe_user_at")]

    def __str__(self):
        return f"{self.user} – {self.get_field_display()} – {self.at:%d/%m/%Y %H:%M}"


class ExportKind(models.TextChoices):
    MEMBERS = "members", _("Danh sách đảng viên")
    CLASSIFICATION = "classification", _("Bảng tổng hợp xếp loại")
    MINUTES = "minutes", _("Biên bản sinh hoạt")
    RESOLUTION = "resolution", _("Nghị quyết sinh hoạt")
    API_MEMBERS = "api_members", _("Danh sách đảng viên qua API")


class ExportRecordQuerySet(ScopedQuerySet):
    scope_org = "organization"
    scope_path = "organization__path"


class ExportRecord(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="export_records", verbose_name=_("tài khoản")
    )
    at = models.DateTimeField(_("lúc"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("danh sách"), max_length=20, choices=ExportKind.choices)
    file_format = models.CharField(_("định dạng"), max_length=8)
    # The organization the list was about (None: everything in the user's reach, or nothing).
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tổ chức đảng"),
    )
    filters = models.JSONField(_("bộ lọc"), default=dict, blank=True)
    # Data rows in the file; None for a document (minutes, resolution).
    row_count = models.PositiveIntegerField(_("số dòng"), null=True, blank=True)
    # Headings of the personal-data columns the file carried ([]: none).
    personal_columns = models.JSONField(_("cột dữ liệu cá nhân"), default=list, blank=True)
    remote_addr = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)

    objects = ExportRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("lần xuất dữ liệu")
        verbose_name_plural = _("các lần xuất dữ liệu")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.user} – {self.get_kind_display()} – {self.at:%d/%m/%Y %H:%M}"
