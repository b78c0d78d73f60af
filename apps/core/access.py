"""The one log of sensitive reads.

Every reading of a sensitive record — a self-examination, a member's remediation plan, a
discipline record, a member's annual review — by someone other than the member it is about goes through `record_read`,
wherever it is shown (the record's page, the member's page, a summary, an export, the API). The
record's page lists `readings_of(record)`: every reading, whichever page it happened on.

The rows live in `accountability.AccessRecord`; the model is loaded lazily so any app can import
this module without an import cycle.
"""

from __future__ import annotations

from django.apps import apps

from .scoping import scope_for

# model label -> AccessRecord.kind
_KINDS = {
    "accountability.selfexamination": "self_examination",
    "accountability.remediationplan": "remediation",
    "discipline.discipline": "discipline",
    "evaluations.evaluation": "evaluation",
}


def _access_model():
    return apps.get_model("accountability", "AccessRecord")


def kind_of(record) -> str:
    try:
        return _KINDS[record._meta.label_lower]
    except KeyError:
        raise TypeError(f"{record._meta.label} is not a sensitive record") from None


def is_sensitive(record) -> bool:
    """Rows whose reading is logged: self-examinations, discipline, and a member's (not an
    organization's) remediation plan or annual review."""
    label = record._meta.label_lower
    if label in ("accountability.remediationplan", "evaluations.evaluation"):
        return record.member_id is not None
    return label in _KINDS


def record_read(user, record, *, basis: str = "", opening=None, where: str = ""):
    """Log that `user` read `record`. A member reading their own record is not logged; a record
    that is not sensitive (an organization's plan) is not either. Returns the log row or None.

    `basis` says why the user may read it ("own", "cell_committee", "opening", "scope"); when
    not given it is asked of the user's scope. `where` names the page or export it was shown on (kept in the log row's `place`)."""
    if not is_sensitive(record):
        return None
    scope = scope_for(user)
    member_id = getattr(record, "member_id", None)
    if member_id is not None and scope.member_id == member_id:
        return None
    if not basis:
        if hasattr(type(record), "private_rule"):
            access = scope.may_read_private(record)
            basis, opening = access.basis, opening or access.opening
        else:
            basis = "scope"
    return _access_model().objects.create(
        user=user,
        kind=kind_of(record),
        object_id=record.pk,
        member_id=member_id,
        opening=opening,
        basis=basis[:255],
        place=where[:64],
    )


def record_reads(user, records, *, where: str = "") -> None:
    """`record_read` for each row of a list shown at once (one insert)."""
    model = _access_model()
    scope = scope_for(user)
    rows = []
    for record in records:
        if not is_sensitive(record):
            continue
        member_id = getattr(record, "member_id", None)
        if member_id is not None and scope.member_id == member_id:
            continue
        basis, opening = "scope", None
        if hasattr(type(record), "private_rule"):
            access = scope.may_read_private(record)
            basis, opening = access.basis, access.opening
        rows.append(
            model(
                user=user,
                kind=kind_of(record),
                object_id=record.pk,
                member_id=member_id,
                opening=opening,
                basis=basis[:255],
                place=where[:64],
            )
        )
    if rows:
        model.objects.bulk_create(rows)


def readings_of(record, limit: int = 200):
    """The logged readings of this record, newest first (every one, up to `limit`)."""
    return list(
        _access_model()
        .objects.filter(kind=kind_of(record), object_id=record.pk)
        .select_related("user", "opening")
        .order_by("-at", "-pk")[:limit]
    )
