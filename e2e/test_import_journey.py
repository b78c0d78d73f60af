"""A ward's member list into the registry and back out, on a phone, as a new officer does it: upload
an .xlsx, watch the background check and import through the page's own progress area, export the
list, and import that export into an emptied registry with nothing lost."""

import datetime as dt
import functools
import io
import threading

import pytest
from auditlog.models import LogEntry
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from playwright.sync_api import expect

from apps.core.roles import Role
from apps.imports.models import ImportBatch
from apps.members.models import Member, MemberNameKey, Status, StatusChange, StatusChangeKind

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CELL_1, CELL_2 = "Chi bộ khu phố 1", "Chi bộ khu phố 2"
HEADINGS = [
    "STT",
    "Họ và tên",
    "Giới tính",
    "Ngày sinh",
    "Dân tộc",
    "Tôn giáo",
    "Quê quán",
    "Nơi ở hiện nay",
    "Số CCCD",
    "Điện thoại",
    "Email",
    "Giáo dục phổ thông",
    "Trình độ chuyên môn",
    "Lý luận chính trị",
    "Nghề nghiệp",
    "Chức vụ",
    "Ngày vào Đảng",
    "Ngày chính thức",
    "Số thẻ ĐV",
    "Chi bộ",
    "Tình trạng",
    "Ngày tình trạng",
    "Ngày chuyển đến",
    "Chuyển từ",
]
NAMES = [
    ("Nguyễn Văn Hùng", "Nam"),
    ("Trần Thị Lan", "Nữ"),
    ("Lê Hoàng Nam", "Nam"),
    ("Phạm Thị Thu Hằng", "Nữ"),
    ("Hoàng Đức Thắng", "Nam"),
    ("Huỳnh Ngọc Ánh", "Nữ"),
    ("Phan Quang Dũng", "Nam"),
    ("Vũ Thị Hương", "Nữ"),
    ("Võ Minh Tuấn", "Nam"),
    ("Đặng Thị Ngọc Yến", "Nữ"),
    ("Bùi Xuân Phong", "Nam"),
    ("Đỗ Thị Mai", "Nữ"),
    ("Hồ Công Sơn", "Nam"),
    ("Ngô Thị Thảo", "Nữ"),
    ("Dương Văn Đạt", "Nam"),
    ("Lý Thị Kim Oanh", "Nữ"),
    ("Trịnh Hữu Lộc", "Nam"),
    ("Mai Thị Nga", "Nữ"),
    ("Đinh Quốc Bảo", "Nam"),
    ("Tạ Thị Dung", "Nữ"),
    ("Lương Thế Vinh", "Nam"),
    ("Châu Ngọc Trâm", "Nữ"),
    ("Quách Văn Lâm", "Nam"),
    ("Âu Dương Thị Vân", "Nữ"),
    ("Nguyễn Thành Long", "Nam"),
]
EDUCATION = [
    ("Đại học", "university"),
    ("Thạc sĩ", "master"),
    ("Trung cấp", "vocational"),
    ("THPT", "upper_secondary"),
    ("", ""),
]
THEORY = [("Sơ cấp", "elementary"), ("Trung cấp", "intermediate"), ("Cao cấp", "advanced"), ("Cử nhân", "bachelor")]
PROBATIONER, TRANSFERRED, EXEMPTED = 6, 11, 17  # rows with a story of their own
TRANSFERRED_FROM = "Đảng bộ phường Tân Định, Quận 1"


def _people() -> list[dict]:
    """The ward's 25 members as the officer knows them, one dict per person (what the registry
    must end up holding)."""
    today = timezone.localdate()
    people = []
    for n, (name, gender) in enumerate(NAMES):
        birth = dt.date(1950 + n * 2, n % 12 + 1, n % 27 + 1)
        admission = dt.date(birth.year + 22 + n % 7, (n * 5) % 12 + 1, (n * 7) % 28 + 1)
        full = admission + dt.timedelta(days=366 + n * 3)
        education, education_code = EDUCATION[n % len(EDUCATION)]
        theory, theory_code = THEORY[n % len(THEORY)] if n % 5 else ("", "")
        person = {
            "name": name,
            "gender_text": gender,
            "gender": "female" if gender == "Nữ" else "male",
            "birth_date": birth,
            "ethnicity": "Tày" if n == 9 else "Kinh",
            "religion": "Phật giáo" if n == 4 else "Không",
            "hometown": ["Hà Nội", "Nam Định", "Quảng Nam", "Cần Thơ"][n % 4],
            "residence": f"Số {n + 12}, đường Lê Lợi, tổ {n % 6 + 1}, phường Bình Thắng",
            "citizen_id": f"0{79 + n % 3}0{birth.year % 100:02d}00{n:04d}",
            "phone": f"09{n:02d}123456" if n % 4 else "",
            "email": f"dangvien{n}@example.vn" if n % 3 == 0 else "",
            "general_education": "12/12" if n % 2 else "10/10",
            "education_text": education,
            "education": education_code,
            "theory_text": theory,
            "political_theory": theory_code,
            "occupation": ["Cán bộ hưu trí", "Giáo viên", "Kinh doanh", "Công nhân"][n % 4],
            "position": "Tổ trưởng tổ dân phố" if n == 3 else "",
            "admission_date": admission,
            "full_membership_date": full,
            "card_number": f"79{n + 1:06d}",
            "cell": CELL_1 if n % 3 else CELL_2,
            "status_text": "Chính thức" if n == 2 else "",
            "status": Status.FULL,
            "status_since": full,
            "status_since_text": None,
            "transferred_in_on": None,
            "transferred_from": "",
        }
        if n == PROBATIONER:  # admitted four months ago: still on probation, no full-membership date
            person.update(admission_date=today - dt.timedelta(days=120), full_membership_date=None)
            person.update(status=Status.PROBATIONARY, status_since=person["admission_date"])
        if n == TRANSFERRED:  # came from another ward's organization
            person.update(transferred_in_on=dt.date(2019, 8, 15), transferred_from=TRANSFERRED_FROM)
        if n == EXEMPTED:  # exempted from work and meetings (old age) since 1 March 2024
            person.update(status_text="Miễn công tác và sinh hoạt đảng", status=Status.EXEMPTED)
            person.update(status_since=dt.date(2024, 3, 1), status_since_text="01/03/2024")
        people.append(person)
    return people


def _day(value, *, as_text: bool):
    return value.strftime("%d/%m/%Y") if value and as_text else value


def _upload_file(path, people) -> str:
    """The list as a ward office keeps it: a title above the headings, dates as text on some rows
    and as Excel dates on others, numbers as text."""
    book = Workbook()
    sheet = book.active
    sheet.append(["DANH SÁCH ĐẢNG VIÊN ĐẢNG BỘ PHƯỜNG BÌNH THẮNG"])
    sheet.append(HEADINGS)
    for n, p in enumerate(people):
        as_text = n % 2 == 0
        day = functools.partial(_day, as_text=as_text)
        sheet.append(
            [
                n + 1,
                p["name"],
                p["gender_text"],
                day(p["birth_date"]),
                p["ethnicity"],
                p["religion"],
                p["hometown"],
                p["residence"],
                p["citizen_id"],
                p["phone"],
                p["email"],
                p["general_education"],
                p["education_text"],
                p["theory_text"],
                p["occupation"],
                p["position"],
                day(p["admission_date"]),
                day(p["full_membership_date"]),
                p["card_number"],
                p["cell"],
                p["status_text"],
                p["status_since_text"],
                day(p["transferred_in_on"]),
                p["transferred_from"],
            ]
        )
    book.save(path)
    return str(path)


@pytest.fixture
def worker(settings, monkeypatch):
    """The real queue (in the database) and a way to work through it from the test, when the story
    says so.

    On SQLite the live server's request threads and this test share one in-memory connection; the
    page polls every second, so the worker and the server take turns on it (a lock around each
    request) rather than interleave their transactions. The worker's own "close stale
    connections" step is skipped, as in apps/imports/tests/test_jobs.py."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    turn = threading.RLock()
    serve = WSGIHandler.__call__

    def serve_in_turn(self, environ, start_response):
        with turn:
            return serve(self, environ, start_response)

    monkeypatch.setattr(WSGIHandler, "__call__", serve_in_turn)

    def work():
        with turn:
            call_command("worker", "--batch", "--no-startup-delay", stdout=io.StringIO(), stderr=io.StringIO())

    return work


def _import_through_the_page(page, ward, path, count, work):
    """From the ward's page: upload, wait for the check, confirm, wait for the import."""
    page.goto(f"/to-chuc/{ward.pk}/")
    page.get_by_role("button", name="Nhập từ Excel", exact=True).click()
    expect(page.get_by_role("heading", name="Nhập danh sách đảng viên từ Excel")).to_be_visible()
    page.set_input_files("input[type=file]", path)
    page.get_by_role("button", name="Tải lên và kiểm tra").click()
    page.wait_for_url("**/excel/nhap/*/")

    # Queued: the progress area says so, and there is nothing to confirm yet.
    progress = page.locator("#batch-progress")
    expect(progress).to_be_visible()
    expect(progress).to_contain_text("Đang chờ kiểm tra")
    expect(progress).to_contain_text("Tệp đang chờ máy chủ xử lý; trang tự cập nhật.")
    assert page.locator("form[action$='/xac-nhan/']").count() == 0
    page.evaluate("window.notReloaded = true")

    work()  # the check
    confirm = page.get_by_role("button", name=f"Nhập {count} đảng viên")
    expect(confirm).to_be_visible(timeout=10_000)
    assert page.evaluate("window.notReloaded") is None  # the page reloaded itself (htmx poll → HX-Refresh)
    expect(page.locator("main")).to_contain_text("Không có lỗi.")
    expect(progress).to_have_count(0)
    assert page.locator("#row-errors").count() == 0

    confirm.click()
    expect(progress).to_be_visible()
    expect(progress).to_contain_text("Đang nhập")
    expect(progress).to_contain_text(f"Đang kiểm tra lại và ghi {count} dòng; trang tự cập nhật khi xong.")
    page.evaluate("window.notReloaded = true")

    work()  # the import
    expect(page.get_by_role("status")).to_contain_text(f"Đã nhập {count} đảng viên lúc", timeout=10_000)
    assert page.evaluate("window.notReloaded") is None
    expect(progress).to_have_count(0)


def _export_through_the_page(page, ward, path) -> str:
    page.goto(f"/to-chuc/{ward.pk}/")
    with page.expect_download() as download:
        page.get_by_role("button", name="Xuất Excel", exact=True).click()
    assert download.value.suggested_filename.startswith("dang-vien-T-BT-")
    download.value.save_as(path)
    return str(path)


def _sheet(path) -> list[tuple]:
    book = load_workbook(path, read_only=True)
    try:
        return [tuple(row) for row in book.active.iter_rows(values_only=True)]
    finally:
        book.close()


def _registry() -> dict[str, dict]:
    """Each member's record and history by card number, without what a new import must renumber
    (ids, versions, the notes that name the file)."""
    records = {}
    for m in Member.objects.select_related("organization").prefetch_related("status_changes"):
        history = [
            (c.kind, c.date, c.status, c.organization.name, c.other_organization_name)
            for c in sorted(m.status_changes.all(), key=lambda c: (c.date, c.pk))
        ]
        arrival = next((c for c in history if c[0] == StatusChangeKind.TRANSFER_IN), None)
        records[m.card_number] = {
            "name": m.full_name,
            "gender": m.gender,
            "birth_date": m.birth_date,
            "ethnicity": m.ethnicity,
            "religion": m.religion,
            "hometown": m.hometown,
            "residence": m.residence,
            "citizen_id": m.citizen_id,
            "phone": m.phone,
            "email": m.email,
            "general_education": m.general_education,
            "education": m.education,
            "political_theory": m.political_theory,
            "occupation": m.occupation,
            "position": m.position,
            "admission_date": m.admission_date,
            "full_membership_date": m.full_membership_date,
            "card_number": m.card_number,
            "cell": m.organization.name,
            "status": m.status,
            "status_since": m.status_since,
            "transferred_in_on": arrival[1] if arrival else None,
            "transferred_from": arrival[4] if arrival else "",
            "history": history,
        }
    return records


def _empty_the_registry():
    """A fresh database as far as members go: no member, history, search key, audit entry, upload
    or queued task left (test code only; the app never hard-deletes a member)."""
    from django_tasks_db.models import DBTaskResult

    for model in (StatusChange, MemberNameKey, Member, LogEntry, ImportBatch, DBTaskResult):
        model.objects.all()._raw_delete(model.objects.db)
    assert not Member.objects.exists() and not StatusChange.objects.exists()


def test_a_ward_officer_imports_exports_and_reimports_the_member_list(tree, make_user, page_as, worker, tmp_path):
    ward = tree["ward"]
    people = _people()
    officer = make_user("canbo.binhthang", Role.COMMITTEE_STAFF, ward)
    page = page_as(officer, phone=True)

    # 1–2. The office's own list, through the ward's page, checked and imported in the background.
    _import_through_the_page(page, ward, _upload_file(tmp_path / "danh-sach-binh-thang.xlsx", people), 25, worker)
    page.get_by_role("link", name="Xem danh sách đảng viên").click()
    rows = page.locator("#member-rows")
    expect(rows).to_contain_text("Âu Dương Thị Vân")
    expect(rows).to_contain_text("Đặng Thị Ngọc Yến")

    registry = _registry()
    assert len(registry) == 25
    for p in people:
        record = registry[p["card_number"]]
        expected = {key: p[key] for key in record if key in p}
        assert {key: record[key] for key in expected} == expected, p["name"]
    probationer = registry[people[PROBATIONER]["card_number"]]
    assert [step[0] for step in probationer["history"]] == [StatusChangeKind.ADMITTED]
    transferred = registry[people[TRANSFERRED]["card_number"]]
    assert [step[0] for step in transferred["history"]] == [StatusChangeKind.TRANSFER_IN]
    exempted = registry[people[EXEMPTED]["card_number"]]
    assert exempted["history"][-1][:3] == (StatusChangeKind.EXEMPTED, dt.date(2024, 3, 1), Status.EXEMPTED)

    # 3. The ward's list out to Excel, from the ward's page.
    page.goto(f"/to-chuc/{ward.pk}/")
    expect(page.locator("main")).to_contain_text("Tổng số đảng viên đang sinh hoạt")
    expect(page.locator("tr", has_text="Tổng số đảng viên đang sinh hoạt")).to_contain_text("25")
    first = _sheet(_export_through_the_page(page, ward, tmp_path / "xuat-lan-1.xlsx"))
    assert len(first) == 26  # the headings and one row per member
    assert "Chuyển từ" in first[0] and "Ngày chuyển đến" in first[0]

    # 4. The registry emptied; the exported file through the same pages brings everyone back.
    _empty_the_registry()
    page.goto(f"/to-chuc/{ward.pk}/")
    expect(page.locator("main")).to_contain_text("Tổ chức này chưa có đảng viên nào trong sổ.")
    _import_through_the_page(page, ward, tmp_path / "xuat-lan-1.xlsx", 25, worker)

    again = _registry()
    assert again == registry
    second = _sheet(_export_through_the_page(page, ward, tmp_path / "xuat-lan-2.xlsx"))
    assert len(second) == len(first)
    for number, (before, after) in enumerate(zip(first, second, strict=True), 1):
        assert after == before, f"dòng {number}"
