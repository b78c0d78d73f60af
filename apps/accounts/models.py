from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.scoping import ScopedQuerySet

from .roles import Role


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


class RoleAssignmentQuerySet(ScopedQuerySet):
    def active_on(self, day):
        return self.filter(Q(starts_on__isnull=True) | Q(starts_on__lte=day)).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=day)
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

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("phân quyền")
        verbose_name_plural = _("phân quyền")

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} – {self.organization}"
