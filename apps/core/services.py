"""Helpers shared by the write services of every app."""

from contextlib import contextmanager
from contextvars import ContextVar

from auditlog.context import auditlog_value, set_actor
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from .scoping import CHANGE, scope_for

_inside_audited: ContextVar[bool] = ContextVar("inside_audited", default=False)


@contextmanager
def audited(actor):
    """Run a write in a transaction with `actor` recorded on every change it makes.

    Nested calls reuse the outer block's actor: auditlog's `set_actor` does not restore the outer
    context on exit, so a nested one would leave the outer block's later writes unattributed.
    """
    if _inside_audited.get():
        with transaction.atomic():
            yield
        return
    token = _inside_audited.set(True)
    # Keep the request's address (set by auditlog's middleware), which `set_actor` would drop.
    outer = auditlog_value.get(None) or {}
    try:
        with transaction.atomic(), set_actor(actor, outer.get("remote_addr"), outer.get("remote_port")):
            yield
    finally:
        _inside_audited.reset(token)


def require_org(user: AbstractUser, organization, action: str = CHANGE) -> None:
    """Refuse a write on an organization outside the user's reach."""
    if not scope_for(user).reaches_org(organization, action):
        raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này ở tổ chức đảng này."))
