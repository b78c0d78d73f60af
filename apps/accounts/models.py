import datetime as dt

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.roles import Role
from apps.core.scoping import ScopedQuerySet, forget_scope, start_of_day


class User(AbstractUser):
    """A login. Its reach comes from role assignments and, for a member, the linked record."""

    # Set when someone else chose the password (a new account, a manager's reset): until the
    # holder picks their own, every page sends them to the change page (security.AccountGuardMiddleware).
    must_change_password = models.BooleanField(_("phải đổi mật khẩu khi đăng nhập"), default=False)
    password_changed_at = models.DateTimeField(_("đổi mật khẩu lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("tài khoản")
        verbose_name_plural = _("tài khoản")

    def __str__(self):
        return self.get_full_name() or self.username

    def get_full_name(self) -> str:
        """Family name first, as Vietnamese names are written (Django's default is given name first)."""
        return " ".join(part for part in (self.last_name.strip(), self.first_name.strip()) if part)


class RoleAssignmentQuerySet(ScopedQuerySet):
    def active_at(self, moment: dt.datetime | None = None):
        """Assignments held at `moment` (now by default). The end is exact: `ended_at` is the
        first moment the role no longer reaches (ending a role today ends it now, not at midnight)."""
        moment = moment or timezone.now()
        day = timezone.localdate(moment)
        return self.filter(
            Q(starts_on__isnull=True) | Q(starts_on__lte=day),
            Q(ends_on__isnull=True) | Q(ends_on__gte=day),
            Q(ended_at__isnull=True) | Q(ended_at__gt=moment),
        )


class RoleAssignment(models.Model):
    user = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="role_assignments", verbose_name=_("tài khoản")
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="role_assignments",
        verbose_name=_("tổ chức đảng"),
    )
    role = models.CharField(_("vai trò"), max_length=32, choices=Role.choices)
    include_subtree = models.BooleanField(_("gồm cả tổ chức trực thuộc"), default=True)
    starts_on = models.DateField(_("từ ngày"), null=True, blank=True)
    ends_on = models.DateField(_("đến ngày"), null=True, blank=True)
    # The exact end: the role stops reaching from this moment (set with ends_on by role_end).
    ended_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True, editable=False)
    granted_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("người giao"),
    )
    granted_at = models.DateTimeField(_("giao lúc"), null=True, blank=True, editable=False)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("phân quyền")
        verbose_name_plural = _("phân quyền")

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} – {self.organization}"

    def is_active(self, moment: dt.datetime | None = None) -> bool:
        moment = moment or timezone.now()
        day = timezone.localdate(moment)
        return (
            (self.starts_on is None or self.starts_on <= day)
            and (self.ends_on is None or self.ends_on >= day)
            and (self.ended_at is None or self.ended_at > moment)
        )

    @property
    def reach_starts_at(self) -> dt.datetime | None:
        """From when this role reads private records written in its organization: the later of its
        first day and the moment it was granted (a back-dated grant opens no older record).
        None for assignments made before grants were timed (no lower bound)."""
        moments = [m for m in (self.starts_on and start_of_day(self.starts_on), self.granted_at) if m]
        return max(moments) if moments else None


@receiver(post_save, sender=RoleAssignment)
def _roles_changed(sender, instance, **kwargs):
    """Whatever path changed a role (a service, the admin, a script), its holder's cached scope
    is stale from now."""
    forget_scope(instance.user_id)


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, now=None):
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)


class ApiToken(models.Model):
    """A named API token of one client (a program someone runs), with an expiry and a right.

    Only the SHA-256 of the key is kept; the key is shown once, when made. Read-only tokens may
    only read (apps.api answers 403 to their writes). Revoked one by one on the holder's page, all
    at once when the password changes (security.revoke_token_on_password_change). Never deleted.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("tài khoản"))
    name = models.CharField(_("tên"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("mở đầu"), max_length=16, editable=False)
    read_only = models.BooleanField(_("chỉ đọc"), default=True)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("hết hạn lúc"))
    last_used_at = models.DateTimeField(_("dùng lần cuối"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("token API")
        verbose_name_plural = _("token API")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
