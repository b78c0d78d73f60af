"""An uploaded list (members, or a tree of organizations) kept between its preview and its confirmation."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.files import PrivateFileField
from apps.core.scoping import ScopedQuerySet


class BatchStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ kiểm tra")
    CHECKING = "checking", _("Đang kiểm tra")
    READY = "ready", _("Sẵn sàng nhập")
    INVALID = "invalid", _("Có lỗi, chưa nhập")
    IMPORTING = "importing", _("Đang nhập")
    IMPORTED = "imported", _("Đã nhập")
    FAILED = "failed", _("Lỗi khi xử lý, chưa nhập")


# A batch in these states has a background task on it; its page shows the progress.
WORKING = (BatchStatus.QUEUED, BatchStatus.CHECKING, BatchStatus.IMPORTING)
WORKER_LATE = dt.timedelta(minutes=2)


class BatchKind(models.TextChoices):
    MEMBERS = "members", _("Danh sách đảng viên")
    ORGANIZATIONS = "organizations", _("Cây tổ chức")


class ImportBatchQuerySet(ScopedQuerySet):
    scope_org = "organization"
    scope_path = "organization__path"


class ImportBatch(models.Model):
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="import_batches",
        verbose_name=_("nhập vào tổ chức"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="import_batches", verbose_name=_("người nhập")
    )
    # Kept under a random name, served only by imports:batch_file (see apps/core/files.py).
    file = PrivateFileField(_("tệp"), prefix="imports")
    file_name = models.CharField(_("tên tệp"), max_length=255)  # as the user named it
    kind = models.CharField(_("loại danh sách"), max_length=16, choices=BatchKind.choices, default=BatchKind.MEMBERS)
    created = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=BatchStatus.choices)
    row_count = models.PositiveIntegerField(_("số dòng"), default=0)
    error_row_count = models.PositiveIntegerField(_("số dòng có lỗi"), default=0)
    # [{"row": 7 or null for the whole file, "name": "...", "messages": ["...", ...]}, ...]
    errors = models.JSONField(_("lỗi"), default=list, blank=True)
    # The first rows as shown on the preview page, so that it opens without parsing the file again.
    preview = models.JSONField(_("xem trước"), default=list, blank=True)
    columns = models.JSONField(_("cột nhận ra"), default=dict, blank=True)
    imported_count = models.PositiveIntegerField(_("số đảng viên đã nhập"), default=0)
    imported_at = models.DateTimeField(_("nhập lúc"), null=True, blank=True)
    # Rows the background task has checked so far; why it failed, if it did.
    progress = models.PositiveIntegerField(_("số dòng đã kiểm tra"), default=0)
    failure = models.TextField(_("lỗi khi xử lý"), blank=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("lần nhập Excel")
        verbose_name_plural = _("các lần nhập Excel")
        ordering = ["-created"]

    def __str__(self):
        return self.file_name

    @property
    def is_working(self) -> bool:
        return self.status in WORKING

    @property
    def rows_read(self) -> bool:
        """Whether row_count is known: the check reads the file first (queued, or checking with none yet)."""
        return not (self.status == BatchStatus.QUEUED or (self.status == BatchStatus.CHECKING and not self.row_count))

    @property
    def waits_for_worker(self) -> bool:
        """Queued longer than a worker takes to pick a task up (about a second): none is running."""
        return self.status == BatchStatus.QUEUED and timezone.now() - self.updated_at > WORKER_LATE

    @property
    def progress_percent(self) -> int:
        return min(100, round(100 * self.progress / self.row_count)) if self.row_count else 0
