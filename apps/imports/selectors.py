"""Member lists as spreadsheet rows, with the same headings the import understands."""

from collections.abc import Iterator

from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from apps.core.xlsx import Column
from apps.members.disclosure import PERSONAL_FIELDS, ExportPolicy

EXPORT_CHUNK = 2000


def member_columns(personal: bool = True) -> list[Column]:
    """The headings of a member list; without the personal-data columns when `personal` is False
    (apps.members.disclosure decides)."""
    columns = [
        Column(_("STT"), 6),
        Column(_("Họ"), 12),
        Column(_("Tên đệm"), 14),
        Column(_("Tên"), 10),
        Column(_("Giới tính"), 9),
        Column(_("Ngày sinh"), 12),
        Column(_("Dân tộc"), 10),
        Column(_("Tôn giáo"), 10),
        Column(_("Quê quán"), 28),
        Column(_("Nơi ở hiện nay"), 32),
        Column(_("Số CCCD"), 15),
        Column(_("Điện thoại"), 13),
        Column(_("Email"), 24),
        Column(_("Giáo dục phổ thông"), 10),
        Column(_("Trình độ chuyên môn"), 18),
        Column(_("Lý luận chính trị"), 14),
        Column(_("Nghề nghiệp"), 20),
        Column(_("Chức vụ"), 24),
        Column(_("Ngày vào Đảng"), 13),
        Column(_("Ngày chính thức"), 13),
        Column(_("Số thẻ đảng viên"), 14),
        Column(_("Chi bộ"), 28),
        Column(_("Tình trạng"), 16),
        Column(_("Ngày tình trạng"), 13),
        Column(_("Ngày chuyển đến"), 13),
        Column(_("Chuyển từ"), 28),
    ]
    if not personal:
        columns = [c for i, c in enumerate(columns) if i not in PERSONAL_POSITIONS]
    return columns


def personal_headings() -> list[str]:
    """Headings of the personal-data columns, as the export record names them."""
    columns = member_columns()
    return [columns[i].heading for i in sorted(PERSONAL_POSITIONS)]


FIELDS = (
    "family_name",
    "middle_name",
    "given_name",
    "gender",
    "birth_date",
    "ethnicity",
    "religion",
    "hometown",
    "residence",
    "citizen_id",
    "phone",
    "email",
    "general_education",
    "education",
    "political_theory",
    "occupation",
    "position",
    "admission_date",
    "full_membership_date",
    "card_number",
    "organization__name",
    "status",
    "sort_key",
    "pk",
    "org_path",
    "organization_id",
    "status_since",
    "transferred_in_on",
    "transferred_from",
)
# Positions in a row (after the STT column) of the personal-data fields.
PERSONAL_POSITIONS = frozenset(FIELDS.index(name) + 1 for name in PERSONAL_FIELDS)


def member_rows(queryset, policy: ExportPolicy | None = None) -> Iterator[list]:
    """Rows in Vietnamese name order, read by key in chunks (constant memory, no OFFSET).

    With a `policy` (apps.members.disclosure.export_policy), the personal-data columns are left
    out when the user may export none, and left empty in rows outside the roles that may."""
    from apps.members.models import Education, Gender, PoliticalTheory, Status, StatusChange, StatusChangeKind

    choices = {
        "gender": dict(Gender.choices),
        "education": dict(Education.choices),
        "political_theory": dict(PoliticalTheory.choices),
        "status": dict(Status.choices),
    }
    # Labels are lazy; resolve each once for the current language.
    labels = {key: {code: str(label) for code, label in pairs.items()} for key, pairs in choices.items()}
    labels["education"][""] = ""
    labels["political_theory"][""] = ""
    drop = policy is not None and not policy.personal
    check = policy if policy is not None and policy.personal and not policy.is_admin else None
    # A member who came by transfer: the day and the organization the history starts with.
    arrival = StatusChange.objects.filter(member=OuterRef("pk"), kind=StatusChangeKind.TRANSFER_IN).order_by("date")
    qs = (
        queryset.annotate(
            transferred_in_on=Subquery(arrival.values("date")[:1]),
            transferred_from=Subquery(arrival.values("other_organization_name")[:1]),
        )
        .order_by("sort_key", "pk")
        .values_list(*FIELDS)
    )
    number = 0
    last = None
    while True:
        page = qs
        if last is not None:
            key, pk = last
            page = qs.filter(Q(sort_key__gte=key) & (Q(sort_key__gt=key) | Q(pk__gt=pk)))
        rows = list(page[:EXPORT_CHUNK])
        if not rows:
            return
        for r in rows:
            number += 1
            row = [
                number,
                r[0],
                r[1],
                r[2],
                labels["gender"].get(r[3], r[3]),
                r[4],
                r[5],
                r[6],
                r[7],
                r[8],
                r[9] or "",
                r[10],
                r[11],
                r[12],
                labels["education"].get(r[13], r[13]),
                labels["political_theory"].get(r[14], r[14]),
                r[15],
                r[16],
                r[17],
                r[18],
                r[19] or "",
                r[20],
                labels["status"].get(r[21], r[21]),
                r[26],
                r[27],
                r[28] or "",
            ]
            if drop:
                row = [v for i, v in enumerate(row) if i not in PERSONAL_POSITIONS]
            elif check is not None and not check.personal_for(r[24], r[25], r[23]):
                row = [None if i in PERSONAL_POSITIONS else v for i, v in enumerate(row)]
            yield row
        last = (rows[-1][22], rows[-1][23])
        if len(rows) < EXPORT_CHUNK:
            return
