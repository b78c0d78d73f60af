"""Who may take members' personal data out of the system, and the record of every export.

The one policy for every export (issue 18, finding 10). Personal data here means the columns of
`PERSONAL_FIELDS`: birth date, ethnicity and religion (sensitive under Nghị định 13/2023),
hometown, residence, citizen ID, phone and e-mail.

- The roles that keep the registry (`FULL_EXPORT_ROLES`: cell secretary and committee, the
  grassroots committee's staff, the organization board) and system administrators export them
  for the members their role reaches.
- Every other role (the inspection commission, a plain member, any view-only role added later)
  exports lists without those columns: an inspection commission works on its cases, it does not
  need a province's phone book. A new role gets no personal columns until it is added here.
- A user holding both kinds (a secretary of cell A who also sits on the ward's inspection
  commission) gets the columns, filled only for the rows a registry role reaches.

Every export (member lists, the classification table, meeting documents) writes one
`apps.safeguards.models.ExportRecord` through `record_export`: who, when, which list and its
filters, how many rows, which personal columns it carried, from which address.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from apps.core.roles import Role
from apps.core.scoping import scope_for
from apps.safeguards.context import remote_addr
from apps.safeguards.models import ExportRecord

PERSONAL_FIELDS = ("birth_date", "ethnicity", "religion", "hometown", "residence", "citizen_id", "phone", "email")

FULL_EXPORT_ROLES = frozenset(
    {Role.CELL_SECRETARY, Role.CELL_COMMITTEE, Role.COMMITTEE_STAFF, Role.ORGANIZATION_BOARD, Role.ADMIN}
)


@dataclass(frozen=True)
class ExportPolicy:
    """Where the user may export personal data: like `apps.core.scoping.Scope`, but only for the
    assignments of `FULL_EXPORT_ROLES`."""

    is_admin: bool = False
    subtrees: tuple[str, ...] = ()
    orgs: frozenset[int] = field(default_factory=frozenset)
    member_id: int | None = None  # one's own record

    @property
    def personal(self) -> bool:
        """Whether the user's exports carry the personal columns at all."""
        return self.is_admin or bool(self.subtrees or self.orgs or self.member_id)

    def personal_for(self, org_path: str, org_id: int, member_id: int | None = None) -> bool:
        """Whether a member's row (in the organization `org_id` at `org_path`) shows personal data."""
        if self.is_admin or (member_id is not None and member_id == self.member_id):
            return True
        return org_id in self.orgs or any(org_path.startswith(p) for p in self.subtrees)


def export_policy(user) -> ExportPolicy:
    """The user's export policy, computed once per request (cached on the user like the scope)."""
    cached = getattr(user, "_export_policy_cache", None)
    if cached is not None:
        return cached
    policy = _export_policy(user)
    if user is not None:
        user._export_policy_cache = policy
    return policy


def _export_policy(user) -> ExportPolicy:
    scope = scope_for(user)
    if scope.is_admin:
        return ExportPolicy(is_admin=True)
    if user is None or not user.is_authenticated or not user.is_active:
        return ExportPolicy()
    subtrees: set[str] = set()
    orgs: set[int] = set()
    assignments = user.role_assignments.active_at().select_related("organization")
    for assignment in assignments:
        if assignment.role not in FULL_EXPORT_ROLES:
            continue
        if assignment.include_subtree:
            subtrees.add(assignment.organization.path)
        else:
            orgs.add(assignment.organization_id)
    return ExportPolicy(subtrees=tuple(sorted(subtrees)), orgs=frozenset(orgs), member_id=scope.member_id)


def record_export(
    *,
    user,
    kind: str,
    file_format: str,
    organization=None,
    filters: dict | None = None,
    row_count: int | None = None,
    personal_columns: Iterable[str] = (),
) -> ExportRecord:
    """Write the record of one export (before its file is sent)."""
    return ExportRecord.objects.create(
        user=user,
        kind=kind,
        file_format=file_format,
        organization=organization,
        filters={k: v for k, v in (filters or {}).items() if v not in ("", None)},
        row_count=row_count,
        personal_columns=[str(c) for c in personal_columns],
        remote_addr=remote_addr(),
    )


def counted(rows: Iterable, record: ExportRecord) -> Iterator:
    """Yield `rows`; when they end, correct the record's row count if the list changed meanwhile."""
    count = 0
    for row in rows:
        count += 1
        yield row
    if count != record.row_count:
        ExportRecord.objects.filter(pk=record.pk).update(row_count=count)
