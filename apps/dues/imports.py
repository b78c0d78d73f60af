"""A cell's spreadsheet in: members' bases, or past payments. Upload → preview → confirm, all or
nothing. The workbook is read with the machinery of apps.imports (openpyxl read-only, the same
heading folding and date reading and the same Vietnamese messages for unreadable files)."""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.core.services import audited, require_org
from apps.core.text import fold
from apps.imports.headings import heading_key
from apps.imports.parsing import ImportFileError, cell_date, cell_text, open_workbook
from apps.members.models import Member

from . import services
from .models import Category, Channel, DuesImport, ImportKind

HEADINGS = {
    "ho va ten": "name",
    "ho ten": "name",
    "ten dang vien": "name",
    "so the": "card",
    "so the dang vien": "card",
    "so the dv": "card",
    "doi tuong": "category",
    "so tien lam can cu": "amount",
    "muc luong": "amount",
    "tien luong": "amount",
    "luong huu": "amount",
    "can cu": "amount",
    "tu thang": "since",
    "thang": "month",
    "dang phi thang": "month",
    "so tien": "paid",
    "so tien nop": "paid",
    "da nop": "paid",
    "ngay nop": "paid_on",
    "hinh thuc": "channel",
    "ma giao dich": "reference",
}
HEADING_HELP = [
    (_("Căn cứ đóng đảng phí"), "Họ và tên | Số thẻ | Đối tượng | Số tiền làm căn cứ | Từ tháng"),
    (_("Đảng phí đã thu"), "Họ và tên | Số thẻ | Tháng | Số tiền | Ngày nộp | Hình thức | Mã giao dịch"),
]
# Files are written in Vietnamese whatever the reader's interface language (the msgids).
with translation.override("vi"):
    CATEGORY_VALUES = {fold(str(label)): value for value, label in Category.choices}
CATEGORY_VALUES.update(
    {
        "bhxh": Category.INSURED,
        "luong": Category.INSURED,
        "huu": Category.PENSION,
        "huu tri": Category.PENSION,
        "sinh vien": Category.STUDENT,
        "hoc sinh": Category.STUDENT,
        "khac": Category.OTHER,
        "om dau": Category.BENEFIT,
        "thai san": Category.BENEFIT,
        "nuoc ngoai": Category.ABROAD,
    }
)
CHANNEL_VALUES = {
    "tien mat": Channel.CASH,
    "chuyen khoan": Channel.TRANSFER,
    "ck": Channel.TRANSFER,
    "tm": Channel.CASH,
    "cong dich vu cong": Channel.PORTAL,
    "dvc": Channel.PORTAL,
}
MAX_ROWS = 2000


def _read(file) -> tuple[dict, list]:
    workbook = open_workbook(file)
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()
        columns, rows = None, []
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            if columns is None:
                found = {}
                for i, cell in enumerate(row):
                    key = HEADINGS.get(heading_key(cell)) if cell is not None else None
                    if key and key not in found:
                        found[key] = i
                if ("name" in found or "card" in found) and len(found) >= 2:
                    columns = found
                elif number > 30:
                    break
                continue
            if any(v not in (None, "") for v in row):
                rows.append((number, row))
            if len(rows) > MAX_ROWS:
                raise ImportFileError(_("Tệp có quá %(n)s dòng.") % {"n": MAX_ROWS})
    except ImportFileError:
        raise
    except Exception as exc:
        raise ImportFileError(_("Tệp Excel bị hỏng hoặc không đúng định dạng .xlsx.")) from exc
    finally:
        workbook.close()
    if columns is None:
        raise ImportFileError(_("Không tìm thấy dòng tiêu đề: cần cột “Họ và tên” hoặc “Số thẻ”."))
    return columns, rows


def _month(value) -> date | None:
    if isinstance(value, date):
        return date(value.year, value.month, 1)
    text = cell_text(value) if value is not None else ""
    m = re.fullmatch(r"(\d{1,2})[/.-](\d{4})", text)
    if m and 1 <= int(m.group(1)) <= 12:
        return date(int(m.group(2)), int(m.group(1)), 1)
    raise ValueError(_("“%(value)s” không phải tháng (ghi mm/yyyy).") % {"value": text})


def _money(value) -> int:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(_("Số tiền phải là số nguyên đồng."))
        value = int(value)
    if isinstance(value, str):
        value = value.replace(".", "").replace(" ", "").replace("đ", "")
    value = int(value)
    if value <= 0:
        raise ValueError(_("Số tiền phải lớn hơn 0."))
    return value


def check(organization, kind: str, columns: dict, rows: list) -> tuple[list[dict], list[dict]]:
    """Rows as plain values for the preview, and every problem row by row."""
    members = list(Member.objects.filter(organization=organization))
    by_card = {m.card_number: m for m in members if m.card_number}
    by_name: dict[str, list] = {}
    for m in members:
        by_name.setdefault(fold(m.full_name), []).append(m)

    def get(row, key):
        i = columns.get(key)
        return row[i] if i is not None and i < len(row) else None

    good, errors = [], []
    for number, row in rows:
        problems = []
        card = cell_text(get(row, "card")) if get(row, "card") is not None else ""
        name = cell_text(get(row, "name")) if get(row, "name") is not None else ""
        member = by_card.get(card) if card else None
        if member is None and name:
            matches = by_name.get(fold(name), [])
            member = matches[0] if len(matches) == 1 else None
            if len(matches) > 1:
                problems.append(_("Có nhiều đảng viên tên “%(name)s”: hãy ghi số thẻ.") % {"name": name})
        if member is None and not problems:
            problems.append(_("Không tìm thấy đảng viên “%(name)s” trong chi bộ.") % {"name": name or card})
        values = {"row": number, "member": member.pk if member else None, "name": member.full_name if member else name}
        try:
            if kind == ImportKind.BASES:
                category = CATEGORY_VALUES.get(fold(cell_text(get(row, "category") or "")))
                if category is None:
                    problems.append(_("Đối tượng “%(v)s” không rõ.") % {"v": get(row, "category") or ""})
                amount = get(row, "amount")
                values["amount"] = _money(amount) if amount not in (None, "") else None
                since = get(row, "since")
                if since in (None, ""):
                    problems.append(_("Thiếu “Từ tháng”."))
                else:
                    values["since"] = _month(since).isoformat()
                values["category"] = category
                if category and not problems:
                    services.validate_basis(
                        category=category, amount=values["amount"], since=date.fromisoformat(values["since"])
                    )
            else:
                values["month"] = _month(get(row, "month")).isoformat()
                values["paid"] = _money(get(row, "paid"))
                paid_on = cell_date(get(row, "paid_on"))
                values["paid_on"] = paid_on.isoformat() if paid_on else None
                channel = cell_text(get(row, "channel") or "")
                values["channel"] = CHANNEL_VALUES.get(fold(channel), Channel.CASH) if channel else Channel.CASH
                values["reference"] = cell_text(get(row, "reference") or "")
        except ValidationError as exc:
            problems.extend(m for msgs in getattr(exc, "message_dict", {"": exc.messages}).values() for m in msgs)
        except (ValueError, TypeError) as exc:
            problems.append(str(exc) or _("Giá trị không hợp lệ."))
        if problems:
            errors.append({"row": number, "name": values["name"], "problems": problems})
        else:
            good.append(values)
    return good, errors


def batch_create(*, user, organization, kind: str, upload) -> DuesImport:
    require_org(user, organization)
    if kind not in ImportKind.values:
        raise ValidationError({"kind": _("Nội dung nhập không hợp lệ.")})
    try:
        columns, rows = _read(upload)
    except ImportFileError as exc:
        raise ValidationError({"file": str(exc)}) from None
    if not rows:
        raise ValidationError({"file": _("Tệp không có dòng dữ liệu nào.")})
    good, errors = check(organization, kind, columns, rows)
    with audited(user):
        return DuesImport.objects.create(
            organization=organization,
            kind=kind,
            file_name=getattr(upload, "name", "")[:255],
            rows=good,
            errors=errors,
            user=user,
        )


def batch_confirm(*, user, batch: DuesImport) -> int:
    """All or nothing: every row is written, or none is (any refusal rolls the whole file back)."""
    require_org(user, batch.organization)
    if batch.confirmed_at:
        raise ValidationError(_("Tệp này đã được nhập."))
    if batch.errors:
        raise ValidationError(_("Tệp còn dòng lỗi: hãy sửa trong Excel rồi tải lên lại. Chưa nhập dòng nào."))
    members = {m.pk: m for m in Member.objects.filter(pk__in=[r["member"] for r in batch.rows])}
    try:
        with audited(user):
            for r in batch.rows:
                member = members.get(r["member"])
                if member is None or member.organization_id != batch.organization_id:
                    raise ValidationError(_("Dòng %(row)s: đảng viên không còn trong chi bộ.") % {"row": r["row"]})
                try:
                    if batch.kind == ImportKind.BASES:
                        services.basis_add(
                            user=user,
                            member=member,
                            category=r["category"],
                            amount=r["amount"],
                            since=date.fromisoformat(r["since"]),
                            note=_("Nhập từ Excel: %(f)s") % {"f": batch.file_name},
                        )
                    else:
                        services.payment_record(
                            user=user,
                            organization=batch.organization,
                            member=member,
                            months=[date.fromisoformat(r["month"])],
                            amount=r["paid"],
                            channel=r["channel"],
                            reference=r["reference"] or ("excel" if r["channel"] != Channel.CASH else ""),
                            paid_on=date.fromisoformat(r["paid_on"]) if r["paid_on"] else None,
                            note=_("Nhập từ Excel"),
                        )
                except ValidationError as exc:
                    messages = [m for msgs in getattr(exc, "message_dict", {"": exc.messages}).values() for m in msgs]
                    raise ValidationError(
                        _("Dòng %(row)s (%(name)s): %(problem)s. Chưa nhập dòng nào.")
                        % {"row": r["row"], "name": r["name"], "problem": " ".join(messages)}
                    ) from None
            batch.confirmed_at = timezone.now()
            batch.save(update_fields=["confirmed_at"])
    except ValidationError:
        raise
    return len(batch.rows)
