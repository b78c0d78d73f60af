"""Roles a user holds in an organization and the actions each allows there."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .scoping import CHANGE, INSPECT, VIEW


class Role(models.TextChoices):
    MEMBER = "member", _("Đảng viên")
    CELL_SECRETARY = "cell_secretary", _("Bí thư chi bộ")
    CELL_COMMITTEE = "cell_committee", _("Chi ủy viên")
    COMMITTEE_STAFF = "committee_staff", _("Cán bộ đảng ủy cơ sở")
    ORGANIZATION_BOARD = "organization_board", _("Ban Tổ chức")
    INSPECTION = "inspection", _("Ủy ban Kiểm tra")
    ADMIN = "admin", _("Quản trị hệ thống")


# A plain member reaches only their own record, which the member link gives; an assignment in an
# organization with the member role grants nothing more.
ROLE_ACTIONS: dict[str, tuple[str, ...]] = {
    Role.MEMBER: (),
    Role.CELL_SECRETARY: (VIEW, CHANGE),
    Role.CELL_COMMITTEE: (VIEW, CHANGE),
    Role.COMMITTEE_STAFF: (VIEW, CHANGE),
    Role.ORGANIZATION_BOARD: (VIEW, CHANGE),
    Role.INSPECTION: (VIEW, INSPECT),
    Role.ADMIN: (VIEW, CHANGE, INSPECT),
}

# Roles that form a cell's committee: held on a cell itself, they read the private records
# (self-examinations, members' remediation plans) of that cell's members — those written while the
# role was held (see docs/PERMISSIONS.md). Every grant of one is shown to the cell's secretary.
PRIVATE_READING_ROLES: tuple[str, ...] = (Role.CELL_SECRETARY, Role.CELL_COMMITTEE)

# Roles whose holders read a private record through an opening made for their organization.
OPENING_ROLES: tuple[str, ...] = tuple(r for r in Role.values if r != Role.MEMBER)
