"""The dues receipt and the dues report in the party's document layout; the report as a spreadsheet."""

from django.utils.translation import gettext as _

from apps.core.documents import PartyDocument
from apps.core.templatetags.vn import format_date, format_int
from apps.core.xlsx import Column


def _place(org) -> str:
    place = org.address or next((a.address for a in reversed(list(org.ancestors())) if a.address), "")
    return place.split(",")[0].strip()


def receipt_document(receipt) -> PartyDocument:
    org = receipt.organization
    doc = PartyDocument(
        title=_("Phiếu thu đảng phí"),
        organization=org.name,
        parent_organization=org.parent.name if org.parent_id else "",
        number=_("Số %(number)s") % {"number": str(receipt)},
        place=_place(org),
        day=receipt.paid_on,
    )
    doc.paragraph(_("Họ và tên đảng viên: %(name)s") % {"name": receipt.member.full_name})
    doc.paragraph(
        _("Hình thức: %(channel)s%(ref)s. Ngày nộp: %(day)s.")
        % {
            "channel": receipt.get_channel_display(),
            "ref": (" – " + _("mã giao dịch %(ref)s") % {"ref": receipt.reference}) if receipt.reference else "",
            "day": format_date(receipt.paid_on),
        }
    )
    rows = [[_("Đảng phí tháng"), _("Số phải đóng (đ)"), _("Số nộp (đ)")]]
    for entry in receipt.entries.order_by("month", "pk"):
        rows.append([f"{entry.month:%m/%Y}", format_int(entry.due), format_int(entry.amount)])
    rows.append([_("Cộng"), "", format_int(receipt.total)])
    doc.table(rows)
    doc.signatures = [(_("Người nộp"), receipt.member.full_name), (_("Người thu"), str(receipt.recorded_by))]
    return doc


COLUMNS = [
    Column("STT", 6),
    Column("Tổ chức đảng", 40),
    Column("Số đảng viên phải đóng", 14),
    Column("Số đảng viên đã đóng đủ", 14),
    Column("Số phải thu (đ)", 16),
    Column("Đã thu của kỳ (đ)", 16),
    Column("Còn nợ (đ)", 16),
    Column("Thu trong kỳ (đ)", 16),
    Column("Cấp dưới nộp lên (đ)", 16),
    Column("Đã nộp cấp trên (đ)", 16),
]


def report_table(report):
    rows = []
    for i, r in enumerate(report["rows"], start=1):
        rows.append(
            [
                i,
                r["label"],
                r["members_due"],
                r["members_paid"],
                r["due"],
                r["paid_for_month"],
                r["arrears"],
                r["collected"],
                r["received"],
                r["remitted"],
            ]
        )
    t = report["total"]
    rows.append(
        [
            "",
            _("Tổng cộng"),
            t["members_due"],
            t["members_paid"],
            t["due"],
            t["paid_for_month"],
            t["arrears"],
            t["collected"],
            t["received"],
            t["remitted"],
        ]
    )
    return COLUMNS, rows


def report_document(org, report, label: str) -> PartyDocument:
    doc = PartyDocument(
        title=_("Báo cáo thu, nộp đảng phí"),
        organization=org.name,
        parent_organization=org.parent.name if org.parent_id else "",
        place=_place(org),
        subtitle=label,
    )
    from django.utils import timezone

    doc.day = timezone.localdate()
    _cols, rows = report_table(report)
    heading = [
        _("STT"),
        _("Tổ chức"),
        _("ĐV phải đóng"),
        _("ĐV đóng đủ"),
        _("Phải thu"),
        _("Đã thu của kỳ"),
        _("Còn nợ"),
        _("Thu trong kỳ"),
        _("Cấp dưới nộp"),
        _("Nộp cấp trên"),
    ]
    doc.table([heading] + [[format_int(v) if isinstance(v, int) else str(v) for v in row] for row in rows])
    doc.signatures = [(_("T/M cấp ủy"), "")]
    return doc
