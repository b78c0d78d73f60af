"""Pages: the cell's book on the phone (htmx taps, all paid), receipts, reports, scoping, API, import."""

import datetime as dt
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook, load_workbook

from apps.core.roles import Role
from apps.dues import services
from apps.dues.models import DuesBasis, DuesEntry, DuesImport, DuesReceipt, MonthlyTotal
from apps.organizations.models import Kind, Sector
from apps.organizations.services import organization_create

pytestmark = pytest.mark.django_db
D = dt.date
MAR = "2026-03"


def test_book_tap_and_all_paid(client_for, secretary_a, cell_of_n, tree):
    members = cell_of_n(3)
    c = client_for(secretary_a)
    page = c.get(f"/dang-phi/so/{tree['cell_a'].pk}/?thang={MAR}")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Tên000" in body and "Chưa đóng · 50.000 đ" in body
    r = c.post(f"/dang-phi/so/{tree['cell_a'].pk}/thu/{members[0].pk}/", {"thang": MAR}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and "✓ Đã đóng 50.000 đ" in r.content.decode()
    assert DuesEntry.objects.get().amount == 50_000
    r = c.post(f"/dang-phi/so/{tree['cell_a'].pk}/thu/{members[0].pk}/", {"thang": MAR}, HTTP_HX_REQUEST="true")
    assert "đã đóng đủ" in r.content.decode() and DuesEntry.objects.count() == 1
    r = c.post(f"/dang-phi/so/{tree['cell_a'].pk}/thu-du/", {"thang": MAR}, follow=True)
    assert "cho 2 đảng viên" in r.content.decode()
    assert DuesEntry.objects.count() == 3


def test_payment_form_partial_advance_transfer(client_for, secretary_a, cell_of_n, tree):
    (m,) = cell_of_n(1)
    c = client_for(secretary_a)
    url = f"/dang-phi/so/{tree['cell_a'].pk}/nop/{m.pk}/?thang={MAR}"
    r = c.post(url, {"start": "03/2026", "count": 3, "amount": "-1", "channel": "cash", "thang": MAR})
    assert "phải lớn hơn 0" in r.content.decode() and not DuesEntry.objects.exists()
    r = c.post(url, {"start": "03/2026", "count": 3, "amount": "120.000", "channel": "transfer", "thang": MAR})
    assert "mã giao dịch" in r.content.decode() and not DuesEntry.objects.exists()
    r = c.post(
        url,
        {
            "start": "03/2026",
            "count": 3,
            "amount": "120.000",
            "channel": "transfer",
            "reference": "FT123",
            "thang": MAR,
        },
    )
    assert r.status_code == 302
    assert list(DuesEntry.objects.order_by("month").values_list("month", "amount")) == [
        (D(2026, 3, 1), 50_000),
        (D(2026, 4, 1), 50_000),
        (D(2026, 5, 1), 20_000),  # advance + partial
    ]


def test_out_of_scope_is_404_and_changes_nothing(client_for, secretary_a, tree, make_member, basis):
    foreign = make_member(tree["cell_c"], "Khổng Thị Ngoại")
    basis(foreign)
    c = client_for(secretary_a)
    assert c.get(f"/dang-phi/so/{tree['cell_c'].pk}/?thang={MAR}").status_code == 404
    assert c.post(f"/dang-phi/so/{tree['cell_c'].pk}/thu/{foreign.pk}/", {"thang": MAR}).status_code == 404
    assert c.post(f"/dang-phi/so/{tree['cell_a'].pk}/thu/{foreign.pk}/", {"thang": MAR}).status_code == 404
    assert c.post(f"/dang-phi/so/{tree['cell_c'].pk}/thu-du/", {"thang": MAR}).status_code == 404
    assert (
        c.post(f"/dang-phi/dang-vien/{foreign.pk}/can-cu/", {"b-category": "student", "b-since": "01/2026"}).status_code
        == 404
    )
    assert c.get(f"/dang-phi/bao-cao/{tree['ward2'].pk}/").status_code == 404
    assert not DuesEntry.objects.exists() and DuesBasis.objects.count() == 1


def test_basis_form_bad_input_shows_vietnamese_and_changes_nothing(client_for, secretary_a, tree, make_member):
    m = make_member(tree["cell_a"])
    c = client_for(secretary_a)
    r = c.post(f"/dang-phi/dang-vien/{m.pk}/can-cu/", {"b-category": "insured", "b-since": "01/2026"})
    assert r.status_code == 400 and "hãy nhập số tiền làm căn cứ" in r.content.decode()
    r = c.post(f"/dang-phi/dang-vien/{m.pk}/can-cu/", {"b-category": "insured", "b-amount": "-5", "b-since": "01/2026"})
    assert "không được âm" in r.content.decode()
    assert not DuesBasis.objects.exists()
    r = c.post(
        f"/dang-phi/dang-vien/{m.pk}/can-cu/", {"b-category": "insured", "b-amount": "6.000.000", "b-since": "01/2026"}
    )
    assert r.status_code == 302 and DuesBasis.objects.get().amount == 6_000_000


def test_member_sees_own_receipt_only(client_for, make_user, tree, cell_of_n, admin_user):
    a, b = cell_of_n(2)
    services.pay_all(user=admin_user, organization=tree["cell_a"], month=D(2026, 3, 1), paid_on=D(2026, 3, 20))
    user = make_user("dv_a", Role.MEMBER, tree["cell_a"], include_subtree=False, member=a)
    c = client_for(user)
    page = c.get("/dang-phi/cua-toi/").content.decode()
    mine = DuesReceipt.objects.get(member=a)
    assert f"/dang-phi/phieu-thu/{mine.pk}.pdf" in page and "50.000 đ" in page
    pdf = c.get(f"/dang-phi/phieu-thu/{mine.pk}.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content[:4] == b"%PDF"
    other = DuesReceipt.objects.get(member=b)
    assert c.get(f"/dang-phi/phieu-thu/{other.pk}.pdf").status_code == 404
    assert "/dang-phi/cua-toi/" in c.get("/").content.decode()


def _cells(tree, admin_user, make_member, basis, n_cells, per_cell):
    ward = organization_create(
        user=admin_user,
        name=f"Đảng bộ xã Thử {n_cells}",
        code=f"X{n_cells}",
        kind=Kind.GRASSROOTS_COMMITTEE,
        sector=Sector.COMMUNE,
        parent=tree["province"],
        founded_on=D(2000, 1, 1),
    )
    for i in range(n_cells):
        cell = organization_create(
            user=admin_user,
            name=f"Chi bộ ấp {n_cells}-{i}",
            code=f"X{n_cells}-{i}",
            kind=Kind.CELL,
            sector=Sector.RESIDENTIAL,
            parent=ward,
            founded_on=D(2000, 1, 1),
        )
        for j in range(per_cell):
            basis(make_member(cell, f"Võ Văn Ấp{n_cells}x{i}x{j}"))
        services.pay_all(user=admin_user, organization=cell, month=D(2026, 3, 1), paid_on=D(2026, 3, 20))
    return ward


def test_book_query_count_does_not_grow_with_the_cell(client_for, admin_user, tree, make_member, basis):
    small = _cells(tree, admin_user, make_member, basis, 1, 2)
    large = _cells(tree, admin_user, make_member, basis, 2, 12)
    c = client_for(admin_user)
    counts = []
    for ward in (small, large):
        cell = ward.children.first()
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(f"/dang-phi/so/{cell.pk}/?thang={MAR}").status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_province_report_query_count_does_not_grow_with_cells(client_for, admin_user, tree, make_member, basis):
    _cells(tree, admin_user, make_member, basis, 1, 1)
    c = client_for(admin_user)
    with CaptureQueriesContext(connection) as ctx:
        first = c.get(f"/dang-phi/bao-cao/{tree['province'].pk}/?thang={MAR}")
    n1 = len(ctx.captured_queries)
    _cells(tree, admin_user, make_member, basis, 5, 1)
    with CaptureQueriesContext(connection) as ctx:
        second = c.get(f"/dang-phi/bao-cao/{tree['province'].pk}/?thang={MAR}")
    assert first.status_code == second.status_code == 200
    assert len(ctx.captured_queries) == n1
    assert "300.000" in second.content.decode()  # 6 members × 50.000 collected


def test_report_exports_reconcile(client_for, ward_staff, tree, cell_of_n, admin_user):
    cell_of_n(2)
    services.pay_all(user=admin_user, organization=tree["cell_a"], month=D(2026, 3, 1), paid_on=D(2026, 3, 20))
    services.remittance_record(
        user=admin_user, organization=tree["cell_a"], month=D(2026, 3, 1), amount=70_000, reference="UNC1"
    )
    c = client_for(ward_staff)
    r = c.get(f"/dang-phi/bao-cao/{tree['ward'].pk}/bao-cao.xlsx?ky=quarter&nam=2026&so=1")
    assert r.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(r.streaming_content))).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    cell_row = next(row for row in rows if row[1] == "Chi bộ khu phố 1")
    assert cell_row[2:10] == [2, 2, 100_000, 100_000, 0, 100_000, 0, 70_000]
    total = next(row for row in rows if row[1] == "Tổng cộng")
    assert total[7] == 100_000 and total[8] == 70_000 and total[9] == 70_000
    pdf = c.get(f"/dang-phi/bao-cao/{tree['ward'].pk}/bao-cao.pdf?ky=year&nam=2026")
    assert pdf.content[:4] == b"%PDF"
    page = c.get(f"/dang-phi/nop-cap-tren/{tree['ward'].pk}/?thang={MAR}").content.decode()
    assert "Chi bộ khu phố 1" in page and "70.000 đ" in page and "Khớp" in page


def test_api_ledger_is_scoped(client_for, secretary_a, tree, make_member, basis, admin_user):
    a = make_member(tree["cell_a"])
    f = make_member(tree["cell_c"], "Khổng Thị Ngoại")
    basis(a)
    basis(f)
    services.payment_record(
        user=admin_user, organization=tree["cell_a"], member=a, months=[D(2026, 3, 1)], paid_on=D(2026, 3, 2)
    )
    services.payment_record(
        user=admin_user, organization=tree["cell_c"], member=f, months=[D(2026, 3, 1)], paid_on=D(2026, 3, 2)
    )
    c = client_for(secretary_a)
    data = c.get("/api/dues-entries/").json()
    assert [(e["member"], e["amount"]) for e in data["results"]] == [(a.pk, 60_000)]
    foreign = DuesEntry.objects.get(member=f)
    assert c.get(f"/api/dues-entries/{foreign.pk}/").status_code == 404
    assert c.get("/api/dues-entries/?month=2026-03-01").json()["results"][0]["month"] == "2026-03-01"
    assert c.get("/api/dues-entries/?month=bad").json()["results"] == []


def _xlsx(rows):
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "so-dang-phi.xlsx"
    return out


def test_import_bases_and_payments_all_or_nothing(client_for, secretary_a, tree, make_member):
    a = make_member(tree["cell_a"], "Lê Văn An")
    b = make_member(tree["cell_a"], "Trần Thị Bích")
    c = client_for(secretary_a)
    url = f"/dang-phi/nhap/{tree['cell_a'].pk}/"
    bad = _xlsx(
        [
            ["SỔ ĐẢNG PHÍ"],
            ["Họ và tên", "Đối tượng", "Số tiền làm căn cứ", "Từ tháng"],
            ["Lê Văn An", "BHXH", 6_000_000, "01/2026"],
            ["Trần Thị Bích", "Hưu trí", None, "01/2026"],
        ]
    )
    r = c.post(url, {"kind": "bases", "file": bad})
    batch = DuesImport.objects.get()
    assert r.status_code == 302
    preview = c.get(f"/dang-phi/nhap/xem/{batch.pk}/").content.decode()
    assert "Dòng 4" in preview and "hãy nhập số tiền làm căn cứ" in preview
    c.post(f"/dang-phi/nhap/xem/{batch.pk}/xac-nhan/")
    assert not DuesBasis.objects.exists()  # all or nothing
    good = _xlsx(
        [
            ["Họ và tên", "Đối tượng", "Số tiền làm căn cứ", "Từ tháng"],
            ["Lê Văn An", "BHXH", 6_000_000, "01/2026"],
            ["tran thi bich", "Sinh viên", None, "01/2026"],
        ]
    )
    c.post(url, {"kind": "bases", "file": good})
    batch = DuesImport.objects.order_by("-pk").first()
    assert batch.errors == []
    c.post(f"/dang-phi/nhap/xem/{batch.pk}/xac-nhan/")
    assert dict(DuesBasis.objects.values_list("member_id", "category")) == {a.pk: "insured", b.pk: "student"}
    # Past payments: the second row pays a month twice, so nothing is written.
    pay = _xlsx(
        [
            ["Họ và tên", "Tháng", "Số tiền", "Ngày nộp"],
            ["Lê Văn An", "03/2026", 60_000, "20/03/2026"],
            ["Lê Văn An", "03/2026", 60_000, "21/03/2026"],
        ]
    )
    c.post(url, {"kind": "payments", "file": pay})
    batch = DuesImport.objects.order_by("-pk").first()
    r = c.post(f"/dang-phi/nhap/xem/{batch.pk}/xac-nhan/", follow=True)
    assert "đã đóng đủ" in r.content.decode() and not DuesEntry.objects.exists()
    assert not MonthlyTotal.objects.filter(collected__gt=0).exists()
    pay = _xlsx(
        [
            ["Họ và tên", "Tháng", "Số tiền", "Ngày nộp", "Hình thức", "Mã giao dịch"],
            ["Lê Văn An", "03/2026", 60_000, "20/03/2026", "Chuyển khoản", "FT1"],
            ["Trần Thị Bích", "03/2026", 5_000, "20/03/2026", "", ""],
        ]
    )
    c.post(url, {"kind": "payments", "file": pay})
    batch = DuesImport.objects.order_by("-pk").first()
    c.post(f"/dang-phi/nhap/xem/{batch.pk}/xac-nhan/")
    assert sorted(DuesEntry.objects.values_list("amount", flat=True)) == [5_000, 60_000]
    r = c.post(url, {"kind": "bases", "file": io.BytesIO(b"not excel")})
    assert "Không đọc được tệp" in r.content.decode() or "hỏng" in r.content.decode()


def test_rule_set_page_names_organization_kinds_and_percentages(client_for, secretary_a):
    page = client_for(secretary_a).get("/dang-phi/quy-tac/").content.decode()
    assert "Chi bộ trực thuộc 30,00%" in page and "Đảng bộ tỉnh/thành phố 100,00%" in page
    assert "provincial_committee" not in page and "10000" not in page


def test_reminder_reaches_the_member_of_a_cell_with_no_meeting(client_for, secretary_a, make_user, tree, cell_of_n):
    """Reminders used to need a meeting to ride on; a cell that has held none could not send one."""
    from apps.meetings.models import Meeting, Notification

    owing, paid = cell_of_n(2)
    services.payment_record(
        user=secretary_a, organization=tree["cell_a"], member=paid, months=[D(2026, 3, 1)], paid_on=D(2026, 3, 20)
    )
    assert not Meeting.objects.filter(organization=tree["cell_a"]).exists()
    r = client_for(secretary_a).post(f"/dang-phi/no-dong/{tree['cell_a'].pk}/nhac/", {"thang": MAR}, follow=True)
    assert r.status_code == 200
    notice = Notification.objects.get()
    assert (notice.member, notice.meeting, notice.organization) == (owing, None, tree["cell_a"])
    assert notice.text == "Nhắc đóng đảng phí tháng 03/2026: còn 50.000 đ."
    member_user = make_user("dv_no", Role.MEMBER, tree["cell_a"], include_subtree=False, member=owing)
    notice.recipient = member_user
    notice.save()
    mine = client_for(member_user).get("/sinh-hoat/cua-toi/").content.decode()
    assert 'href="/dang-phi/cua-toi/">Nhắc đóng đảng phí tháng 03/2026: còn 50.000 đ.</a>' in mine


def test_report_leaves_out_organizations_ended_before_the_period_with_no_figures(
    client_for, admin_user, tree, make_member, basis
):
    """A province's report listed every child ever, ended districts as rows of zeros."""
    from apps.organizations.services import organization_end

    ward = _cells(tree, admin_user, make_member, basis, 1, 1)
    gone = organization_create(
        user=admin_user,
        name="Đảng bộ xã Cũ",
        code="XCU",
        kind=Kind.GRASSROOTS_COMMITTEE,
        sector=Sector.COMMUNE,
        parent=tree["province"],
        founded_on=D(2000, 1, 1),
    )
    organization_end(user=admin_user, organization=gone, on=D(2025, 6, 30))
    c = client_for(admin_user)
    march = c.get(f"/dang-phi/bao-cao/{tree['province'].pk}/?thang={MAR}").content.decode()
    assert ward.name in march and "Đảng bộ xã Cũ" not in march
    assert "60.000" in march  # one member on 6.000.000 đ
    before = c.get(f"/dang-phi/bao-cao/{tree['province'].pk}/?thang=2025-05").content.decode()
    assert "Đảng bộ xã Cũ" in before


def test_rule_sets_are_edited_by_administrators_but_a_closed_months_rates_stay(
    client_for, admin_user, secretary_a, cell_of_n, tree
):
    from apps.dues.models import DuesMonthClose, DuesRuleSet

    cell_of_n(1)
    rule_set = DuesRuleSet.objects.get(code="01-2026")
    url = f"/quan-tri/dues/duesruleset/{rule_set.pk}/change/"
    assert client_for(secretary_a).get(url).status_code == 302  # to the admin's login: no access
    assert "/quan-tri/dues/duesruleset/" not in client_for(secretary_a).get("/dang-phi/quy-tac/").content.decode()
    admin = client_for(admin_user)
    assert "/quan-tri/dues/duesruleset/" in admin.get("/dang-phi/quy-tac/").content.decode()
    form = admin.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "code"}
    data["keep_shares"] = json.dumps(rule_set.keep_shares)
    data["unconfirmed"] = json.dumps(rule_set.unconfirmed)
    data["other_amount"] = 10_000
    r = admin.post(url, data)
    assert r.status_code == 302, r.context["adminform"].form.errors
    assert DuesRuleSet.objects.get(pk=rule_set.pk).other_amount == 10_000
    services.month_close(user=admin_user, organization=tree["cell_a"], month=D(2026, 3, 1))
    data["insured_rate_bp"] = 200
    r = admin.post(url, data)
    assert r.status_code == 200
    assert "đã dùng để tính đảng phí tháng 03/2026, đã khóa sổ" in r.content.decode()
    assert DuesRuleSet.objects.get(pk=rule_set.pk).insured_rate_bp == 100
    assert DuesMonthClose.objects.count() == 1


def test_arrears_page_lists_members_unpaid_three_months_of_the_year(
    client_for, secretary_a, admin_user, tree, cell_of_n
):
    """The striking-off ground (3 months unpaid in a year) was computed but shown nowhere."""
    three, two = cell_of_n(2)
    year = [D(2025, m, 1) for m in range(1, 13)]
    skip = {three.pk: {D(2025, 2, 1), D(2025, 6, 1), D(2025, 9, 1)}, two.pk: {D(2025, 4, 1), D(2025, 5, 1)}}
    for member in (three, two):
        for month in year:
            if month not in skip[member.pk]:
                services.payment_record(
                    user=admin_user, organization=tree["cell_a"], member=member, months=[month], paid_on=month
                )
    page = client_for(secretary_a).get(f"/dang-phi/no-dong/{tree['cell_a'].pk}/?thang=2025-12").content.decode()
    section = page[page.index('id="year-unpaid"') :]
    assert "Không đóng từ 3 tháng trong năm 2025 (1)" in section
    assert f"{three.full_name}: 02/2025 06/2025 09/2025" in section
    assert two.full_name not in section
