"""Demo rows: a year of party dues for the Bình Thắng ward.

Every current member gets a basis (insured salary, pension or a student's fixed amount); each cell
collects the 12 months up to last month at its monthly meeting ("all paid"), remits its share to
the ward, the ward remits to the province; months before last month are closed. Four members of
Trung Thắng are behind by 1, 2, 3 and 4 months (the last two are on the 3-months screening list).
"""

import random
from datetime import date

from django.utils import timezone

from apps.members.models import CURRENT_STATUSES, Member

from . import bulk, imports
from .models import Category, DuesBasis, ImportKind
from .rules import add_months, first_of, months_between


def seed(context) -> None:
    admin = context["admin"]
    cells = [c for c in context["cells"] if c.is_cell and c.ended_on is None]
    log = context.get("log", print)
    rng = random.Random(2026)  # own generator: leaves the shared one to the other apps
    today = timezone.localdate()
    last = add_months(first_of(today), -1)
    months = months_between(add_months(last, -11), last)

    members = list(Member.objects.filter(organization__in=cells, status__in=CURRENT_STATUSES))
    bases = []
    for m in members:
        age = m.age_on(today)
        if age >= 60:
            bases.append(
                DuesBasis(
                    member=m,
                    category=Category.PENSION,
                    amount=rng.randrange(3_000, 9_000) * 1000,
                    since=date(2024, 1, 1),
                    note="Dữ liệu mẫu",
                )
            )
        elif age < 23:
            bases.append(DuesBasis(member=m, category=Category.STUDENT, since=date(2024, 1, 1), note="Dữ liệu mẫu"))
        else:
            bases.append(
                DuesBasis(
                    member=m,
                    category=Category.INSURED,
                    amount=rng.randrange(4_500, 15_000) * 1000,
                    since=date(2024, 1, 1),
                    note="Dữ liệu mẫu",
                )
            )
    trung_thang = context.get("cells_by_key", {}).get("trung-thang")
    imported = [b for b in bases if trung_thang is not None and b.member.organization_id == trung_thang.pk]
    DuesBasis.objects.bulk_create([b for b in bases if b not in imported])
    if imported:
        # Trung Thắng brings its spreadsheet in: upload, preview, confirm (all or nothing).
        batch = imports.batch_create(
            user=admin, organization=trung_thang, kind=ImportKind.BASES, upload=_bases_sheet(imported)
        )
        imports.batch_confirm(user=admin, batch=batch)

    named = context.get("named", {})
    protected = {getattr(named.get(k), "pk", None) for k in ("nguyen_van_hung", "secretary:trung-thang")}
    behind: dict[int, int] = {}
    if trung_thang is not None:
        candidates = [m for m in members if m.organization_id == trung_thang.pk and m.pk not in protected]
        for n, m in zip((1, 2, 3, 4), candidates[:4], strict=False):
            behind[m.pk] = n

    skip = {(pk, m) for pk, n in behind.items() for m in months[-n:]}
    by_cell = {cell: [] for cell in cells}
    cell_by_pk = {c.pk: c for c in cells}
    for m in members:
        by_cell[cell_by_pk[m.organization_id]].append(m)
    bulk.generate(user=admin, cells=by_cell, months=months, skip=skip, close_before=last)
    log(f"  đảng phí: {len(members)} đảng viên, {len(months)} tháng, {len(behind)} đảng viên nợ")


def _bases_sheet(bases):
    import io

    from openpyxl import Workbook

    labels = dict(Category.choices)
    book = Workbook()
    sheet = book.active
    sheet.append(["DANH SÁCH CĂN CỨ ĐÓNG ĐẢNG PHÍ"])
    sheet.append(["Họ và tên", "Số thẻ", "Đối tượng", "Số tiền làm căn cứ", "Từ tháng"])
    for b in bases:
        sheet.append([b.member.full_name, b.member.card_number, str(labels[b.category]), b.amount, "01/2024"])
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "can-cu-dang-phi-trung-thang.xlsx"
    return out
