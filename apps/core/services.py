"""Helpers shared by the write services of every app."""

from contextlib import contextmanager

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from .scoping import CHANGE, scope_for


@contextmanager
def audited(actor):
    """Run a write in a transaction with `actor` recorded on every change it makes."""
    with transaction.atomic(), set_actor(actor):
        yield


def require_org(user, organization, action: str = CHANGE) -> None:
    """Refuse a write on an organization outside the user's reach."""
    if not scope_for(user).reaches_org(organization, action):
        raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này ở tổ chức đảng này."))
