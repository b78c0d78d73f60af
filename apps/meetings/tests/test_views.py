import datetime as dt
import io

import pytest
from auditlog.models import LogEntry
from docx import Document

from apps.core.roles import Role
from apps.meetings import services
from apps.meetings.models import Attendance, Kind, Meeting, Presence, Vote

FULL_MINUTES = {
    "number": "11-NQ/CB",
    "conclusions": "Chi bộ thống nhất các nội dung.",
    "results": "Hoàn thành các chỉ tiêu tháng.",
    "direction": "Vận động giải phóng mặt bằng.",
    "assignments": "Đồng chí An phụ trách tổ 1.",
    "self_assessment": "Buổi sinh hoạt đạt chất lượng.",
}


@pytest.fixture
def setup(tree, make_member, make_user, secretary_a, rule_set, today):
    cell_a, cell_b = tree["cell_a"], tree["cell_b"]
    an = make_member(cell_a, "Nguyễn Văn An")
    binh = make_member(cell_a, "Trần Thị Bình")
    lan = make_member(cell_b, "Đỗ Thị Lan")
    secretary_b = make_user("bithu_b", Role.CELL_SECRETARY, cell_b, include_subtree=False)
    member_a = make_user("dv_an", Role.MEMBER, cell_a, include_subtree=False, member=an)
    member_b = make_user("dv_lan", Role.MEMBER, cell_b, include_subtree=False, member=lan)
    other_ward = make_user("dangu_dh", Role.COMMITTEE_STAFF, tree["ward2"])
    meeting_a = services.meeting_create(
        user=secretary_a,
        organization=cell_a,
        kind=Kind.REGULAR,
        date=today,
        place="Nhà văn hóa khu phố 1",
        theme="Chỉnh trang đô thị",
    )
    return {
        "an": an,
        "binh": binh,
        "lan": lan,
        "secretary_b": secretary_b,
        "member_a": member_a,
        "member_b": member_b,
        "other_ward": other_ward,
        "meeting_a": meeting_a,
    }


def held_and_approved(secretary, meeting, members):
    services.meeting_start(user=secretary, meeting=meeting)
    for m in members:
        services.attendance_mark(user=secretary, meeting=meeting, member=m, presence=Presence.PRESENT)
    meeting.refresh_from_db()
    services.meeting_conduct_update(user=secretary, meeting=meeting, chair=members[0], minute_taker=members[1])
    services.meeting_finish(user=secretary, meeting=meeting, ended_at=meeting.started_at + dt.timedelta(minutes=95))
    meeting.refresh_from_db()
    services.minutes_save(user=secretary, meeting=meeting, **FULL_MINUTES)
    services.vote_record(
        user=secretary, meeting=meeting, kind="ordinary", subject="Thông qua nghị quyết", votes_for=len(members)
    )
    services.minutes_approve(user=secretary, meeting=meeting)
    meeting.refresh_from_db()
    return meeting


@pytest.mark.django_db
def test_meeting_visible_to_cell_members_and_organizations_above_only(
    setup, secretary_a, ward_staff, admin_user, client_for
):
    url = f"/sinh-hoat/{setup['meeting_a'].pk}/"
    for user in (secretary_a, setup["member_a"], ward_staff, admin_user):
        assert client_for(user).get(url).status_code == 200, user
    for user in (setup["secretary_b"], setup["member_b"], setup["other_ward"]):
        assert client_for(user).get(url).status_code == 404, user
    assert list(Meeting.objects.restrict(setup["member_b"])) == []
    assert list(Meeting.objects.restrict(setup["member_a"])) == [setup["meeting_a"]]


@pytest.mark.django_db
def test_cross_boundary_writes_answer_404_and_change_nothing(setup, secretary_a, client_for):
    meeting = setup["meeting_a"]
    services.meeting_start(user=secretary_a, meeting=meeting)
    before = list(Attendance.objects.order_by("pk").values_list("pk", "presence"))
    for user in (setup["secretary_b"], setup["member_a"], setup["other_ward"]):
        client = client_for(user)
        assert (
            client.post(f"/sinh-hoat/{meeting.pk}/diem-danh/{setup['an'].pk}/", {"presence": "present"}).status_code
            == 404
        )
        assert client.post(f"/sinh-hoat/{meeting.pk}/diem-danh/tat-ca/").status_code == 404
        assert (
            client.post(
                f"/sinh-hoat/{meeting.pk}/bieu-quyet/",
                {"kind": "ordinary", "subject": "X", "votes_for": 1, "votes_against": 0, "votes_abstain": 0},
            ).status_code
            == 404
        )
        assert client.post(f"/sinh-hoat/{meeting.pk}/huy/", {"reason": "Thử"}).status_code == 404
        assert client.get(f"/sinh-hoat/{meeting.pk}/diem-danh/").status_code == 404
    assert list(Attendance.objects.order_by("pk").values_list("pk", "presence")) == before
    assert Vote.objects.count() == 0
    meeting.refresh_from_db()
    assert meeting.status == "in_progress"


@pytest.mark.django_db
def test_roll_screen_toggles_with_htmx_and_all_present(setup, secretary_a, client_for):
    meeting = setup["meeting_a"]
    client = client_for(secretary_a)
    assert client.post(f"/sinh-hoat/{meeting.pk}/bat-dau/").status_code == 302
    page = client.get(f"/sinh-hoat/{meeting.pk}/diem-danh/")
    assert page.status_code == 200
    assert "Tất cả có mặt" in page.content.decode()
    response = client.post(f"/sinh-hoat/{meeting.pk}/diem-danh/{setup['an'].pk}/", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'id="roll-summary" hx-swap-oob="true"' in body and "Có mặt 1/2" in body
    assert Attendance.objects.get(meeting=meeting, member=setup["an"]).presence == Presence.PRESENT
    client.post(f"/sinh-hoat/{meeting.pk}/diem-danh/{setup['an'].pk}/", HTTP_HX_REQUEST="true")  # → excused
    client.post(
        f"/sinh-hoat/{meeting.pk}/diem-danh/{setup['an'].pk}/",
        {"presence": "excused", "reason": "Ốm"},
        HTTP_HX_REQUEST="true",
    )
    row = Attendance.objects.get(meeting=meeting, member=setup["an"])
    assert (row.presence, row.reason) == (Presence.EXCUSED, "Ốm")
    client.post(f"/sinh-hoat/{meeting.pk}/diem-danh/tat-ca/")
    assert Attendance.objects.get(meeting=meeting, member=setup["binh"]).presence == Presence.PRESENT


@pytest.mark.django_db
def test_roll_entry_for_member_of_another_cell_shows_message_and_changes_nothing(
    setup, secretary_a, ward_staff, client_for
):
    meeting = setup["meeting_a"]
    services.meeting_start(user=secretary_a, meeting=meeting)
    url = f"/sinh-hoat/{meeting.pk}/diem-danh/{setup['lan'].pk}/"
    # The ward sees both cells: it gets the reason.
    response = client_for(ward_staff).post(url, {"presence": "present"}, follow=True)
    assert "Đồng chí Đỗ Thị Lan không có trong danh sách đảng viên của Chi bộ khu phố 1" in response.content.decode()
    response = client_for(ward_staff).post(url, {"presence": "present"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 422 and "không có trong danh sách" in response.content.decode()
    # For cell A's secretary a member of cell B is out of reach: 404, like anything out of scope.
    assert client_for(secretary_a).post(url, {"presence": "present"}).status_code == 404
    assert not Attendance.objects.filter(member=setup["lan"]).exists()


@pytest.mark.django_db
def test_vote_above_base_via_form_shows_message(setup, secretary_a, client_for):
    meeting = setup["meeting_a"]
    services.meeting_start(user=secretary_a, meeting=meeting)
    services.attendance_all_present(user=secretary_a, meeting=meeting)
    response = client_for(secretary_a).post(
        f"/sinh-hoat/{meeting.pk}/bieu-quyet/",
        {"kind": "ordinary", "subject": "Nghị quyết", "votes_for": 3, "votes_against": 0, "votes_abstain": 0},
        follow=True,
    )
    body = response.content.decode()
    assert response.status_code == 400
    # The message sits in the vote form, at the field, and what was typed is still there.
    form = body[body.index('id="vote-form"') :]
    form = form[: form.index("</form>")]
    assert "Tổng số phiếu (3) vượt quá số đảng viên làm căn cứ biểu quyết (2)" in form
    assert 'value="Nghị quyết"' in form and 'name="votes_for" value="3"' in form
    assert Vote.objects.count() == 0


@pytest.mark.django_db
def test_meeting_in_closed_month_via_form_shows_message(setup, secretary_a, ward_staff, client_for, tree, today):
    services.period_close(user=ward_staff, organization=tree["ward"], year=today.year, month=today.month)
    count = Meeting.objects.count()
    response = client_for(secretary_a).post(
        f"/sinh-hoat/ke-hoach/{tree['cell_a'].pk}/them/", {"kind": "regular", "date": today.isoformat()}
    )
    assert response.status_code == 200
    assert "đã được Đảng bộ phường Bình Thắng chốt số liệu sinh hoạt" in response.content.decode()
    assert Meeting.objects.count() == count


@pytest.mark.django_db
def test_minutes_docx_and_pdf_in_the_party_layout(setup, secretary_a, client_for):
    meeting = held_and_approved(secretary_a, setup["meeting_a"], [setup["an"], setup["binh"]])
    client = client_for(secretary_a)
    response = client.get(f"/sinh-hoat/{meeting.pk}/tai/bien-ban.docx")
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs) + "\n".join(
        c.text for t in doc.tables for row in t.rows for c in row.cells
    )
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    assert "CHI BỘ KHU PHỐ 1" in text and "ĐẢNG BỘ PHƯỜNG BÌNH THẮNG" in text
    assert "BIÊN BẢN" in text and "Nguyễn Văn An" in text
    assert "có mặt: 2 (100,00%)" in text
    resolution = Document(io.BytesIO(client.get(f"/sinh-hoat/{meeting.pk}/tai/nghi-quyet.docx").content))
    text = "\n".join(p.text for p in resolution.paragraphs) + "\n".join(
        c.text for t in resolution.tables for row in t.rows for c in row.cells
    )
    assert "NGHỊ QUYẾT" in text and "Số 11-NQ/CB" in text
    for part in (
        "I. Kết quả thực hiện nhiệm vụ",
        "II. Phương hướng, nhiệm vụ",
        "III. Phân công tổ chức thực hiện",
        "IV. Tự đánh giá chất lượng sinh hoạt",
    ):
        assert part in text
    for doc_name in ("bien-ban", "nghi-quyet"):
        pdf = client.get(f"/sinh-hoat/{meeting.pk}/tai/{doc_name}.pdf")
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # A member of the cell may download; a member of another cell may not.
    assert client_for(setup["member_a"]).get(f"/sinh-hoat/{meeting.pk}/tai/bien-ban.pdf").status_code == 200
    assert client_for(setup["member_b"]).get(f"/sinh-hoat/{meeting.pk}/tai/bien-ban.pdf").status_code == 404


@pytest.mark.django_db
def test_qr_code_is_svg_and_checkin_page_marks_member(setup, secretary_a, client_for):
    meeting = setup["meeting_a"]
    services.meeting_start(user=secretary_a, meeting=meeting)
    svg = client_for(secretary_a).get(f"/sinh-hoat/{meeting.pk}/qr.svg")
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    client = client_for(setup["member_a"])
    assert client.get(f"/sinh-hoat/{meeting.pk}/qr.svg").status_code == 404
    assert client.post(f"/sinh-hoat/diem-danh/{meeting.checkin_token}/").status_code == 200
    row = Attendance.objects.get(meeting=meeting, member=setup["an"])
    assert (row.presence, row.via_qr) == (Presence.PRESENT, True)
    # A member of another cell who got the link learns nothing (404), and nothing is recorded.
    response = client_for(setup["member_b"]).post(f"/sinh-hoat/diem-danh/{meeting.checkin_token}/")
    assert response.status_code == 404
    assert not Attendance.objects.filter(member=setup["lan"]).exists()


@pytest.mark.django_db
def test_pages_render(setup, secretary_a, ward_staff, client_for, tree, today):
    meeting = held_and_approved(secretary_a, setup["meeting_a"], [setup["an"], setup["binh"]])
    services.quality_self_assess(user=secretary_a, meeting=meeting)
    client = client_for(secretary_a)
    for url in (
        "/sinh-hoat/",
        f"/sinh-hoat/ke-hoach/?org={tree['cell_a'].pk}",
        f"/sinh-hoat/ke-hoach/{tree['cell_a'].pk}/them/",
        f"/sinh-hoat/{meeting.pk}/",
        f"/sinh-hoat/{meeting.pk}/sua/",
        f"/sinh-hoat/{meeting.pk}/dien-bien/",
        f"/sinh-hoat/{meeting.pk}/diem-danh/",
        f"/sinh-hoat/{meeting.pk}/bien-ban/",
        f"/sinh-hoat/{meeting.pk}/sua-doi/",
        f"/sinh-hoat/{meeting.pk}/chat-luong/",
        f"/sinh-hoat/canh-bao/?org={tree['cell_a'].pk}",
        f"/sinh-hoat/ty-le/?org={tree['cell_a'].pk}",
        f"/sinh-hoat/chu-de/?org={tree['cell_a'].pk}",
    ):
        assert client.get(url).status_code == 200, url
    ward = client_for(ward_staff)
    for url in (
        "/sinh-hoat/",
        "/sinh-hoat/ke-hoach/",
        "/sinh-hoat/canh-bao/",
        "/sinh-hoat/ty-le/",
        f"/sinh-hoat/{meeting.pk}/chat-luong/",
    ):
        assert ward.get(url).status_code == 200, url
    quality = ward.get(f"/sinh-hoat/{meeting.pk}/chat-luong/").content.decode()
    assert "Cấp trên xác nhận" in quality
    mine = client_for(setup["member_a"]).get("/sinh-hoat/cua-toi/").content.decode()
    assert "Điểm danh của tôi" in mine and "Có mặt" in mine


@pytest.mark.django_db
def test_plan_view_groups_by_quarter_and_parent_sees_every_cell(
    setup, secretary_a, ward_staff, client_for, tree, today
):
    client = client_for(secretary_a)
    quarter = (today.month - 1) // 3 + 1
    response = client.post(
        f"/sinh-hoat/ke-hoach/{tree['cell_a'].pk}/quy/",
        {"year": today.year, "quarter": quarter, "day": 20, "place": "Nhà văn hóa"},
        follow=True,
    )
    assert "Đã lập kế hoạch quý" in response.content.decode()
    plan = client.get(f"/sinh-hoat/ke-hoach/?org={tree['cell_a'].pk}&year={today.year}")
    assert [q["quarter"] for q in plan.context["quarters"]] == [1, 2, 3, 4]
    overview = client_for(ward_staff).get(f"/sinh-hoat/ke-hoach/?org={tree['ward'].pk}&year={today.year}")
    assert [row["cell"].name for row in overview.context["rows"]] == ["Chi bộ khu phố 1", "Chi bộ khu phố 2"]
    # Secretaries of one cell do not see the ward's overview.
    assert client_for(secretary_a).get(f"/sinh-hoat/ke-hoach/?org={tree['ward'].pk}").status_code == 404


@pytest.mark.django_db
def test_changes_through_views_are_audited(setup, secretary_a, client_for):
    meeting = setup["meeting_a"]
    client_for(secretary_a).post(f"/sinh-hoat/{meeting.pk}/thong-bao/")
    entry = LogEntry.objects.get_for_object(meeting).order_by("-pk").first()
    assert entry.actor == secretary_a and "notified_at" in entry.changes


@pytest.mark.django_db
def test_members_see_their_coming_meetings_and_documents(setup, secretary_a, client_for, today):
    from django.core.files.uploadedfile import SimpleUploadedFile

    meeting = setup["meeting_a"]
    services.meeting_notify(user=secretary_a, meeting=meeting)
    document = services.document_add(
        user=secretary_a,
        meeting=meeting,
        title="Dự thảo nghị quyết tháng",
        file=SimpleUploadedFile("du-thao.txt", b"noi dung"),
    )
    page = client_for(setup["member_a"]).get("/sinh-hoat/cua-toi/").content.decode()
    assert "Dự thảo nghị quyết tháng" in page and "Mời đồng chí dự sinh hoạt thường kỳ" in page
    assert client_for(setup["member_a"]).get(f"/sinh-hoat/{meeting.pk}/tai-lieu/{document.pk}/").status_code == 200
    assert client_for(setup["member_b"]).get(f"/sinh-hoat/{meeting.pk}/tai-lieu/{document.pk}/").status_code == 404
    assert "Dự thảo nghị quyết tháng" not in client_for(setup["member_b"]).get("/sinh-hoat/cua-toi/").content.decode()


@pytest.mark.django_db
def test_list_pages_have_bounded_queries(
    setup, secretary_a, ward_staff, client_for, tree, today, rule_set, django_assert_max_num_queries
):
    from .conftest import held_meeting

    for month in range(1, 13):
        held_meeting(
            tree["cell_a"],
            dt.date(today.year, month, 3),
            present=[setup["an"]],
            excused=[setup["binh"]],
            rule_set=rule_set,
        )
        held_meeting(tree["cell_b"], dt.date(today.year, month, 4), present=[setup["lan"]], rule_set=rule_set)
    client = client_for(ward_staff)
    for url in (
        f"/sinh-hoat/ke-hoach/?org={tree['cell_a'].pk}&year={today.year}",
        f"/sinh-hoat/ke-hoach/?org={tree['ward'].pk}&year={today.year}",
        f"/sinh-hoat/canh-bao/?org={tree['ward'].pk}",
        f"/sinh-hoat/ty-le/?org={tree['ward'].pk}&year={today.year}",
    ):
        with django_assert_max_num_queries(25):
            assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_roll_before_the_meeting_lists_the_members_due_not_an_empty_meeting(setup, secretary_a, client_for, today):
    client = client_for(secretary_a)
    later = services.meeting_create(
        user=secretary_a,
        organization=setup["meeting_a"].organization,
        kind=Kind.REGULAR,
        date=today + dt.timedelta(days=9),
    )
    body = client.get(f"/sinh-hoat/{later.pk}/diem-danh/").content.decode()
    assert "Chưa đến ngày sinh hoạt" in body and "2 đảng viên dưới đây" in body
    assert "Nguyễn Văn An" in body and "Trần Thị Bình" in body
    assert "Có mặt 0/" not in body and "Tất cả có mặt" not in body and "Bắt đầu sinh hoạt" not in body
    assert not later.roll.exists()
    # On the day, before the start: the same list and the button that opens the roll.
    body = client.get(f"/sinh-hoat/{setup['meeting_a'].pk}/diem-danh/").content.decode()
    assert "Cuộc sinh hoạt chưa bắt đầu" in body and "Bắt đầu sinh hoạt" in body
    assert client.post(f"/sinh-hoat/{setup['meeting_a'].pk}/bat-dau/").status_code == 302
    assert "Có mặt 0/2" in client.get(f"/sinh-hoat/{setup['meeting_a'].pk}/diem-danh/").content.decode()


@pytest.mark.django_db
def test_empty_minutes_start_from_last_months_direction_and_the_assigned_presenters(
    setup, secretary_a, client_for, today
):
    held_and_approved(secretary_a, setup["meeting_a"], [setup["an"], setup["binh"]])
    following = services.meeting_create(
        user=secretary_a,
        organization=setup["meeting_a"].organization,
        kind=Kind.REGULAR,
        date=today + dt.timedelta(days=30),
        presenters=[(setup["binh"], "Kết quả vận động giải phóng mặt bằng")],
    )
    page = client_for(secretary_a).get(f"/sinh-hoat/{following.pk}/bien-ban/").content.decode()
    assert "Thực hiện phương hướng tháng trước (nghị quyết số 11-NQ/CB ngày" in page
    assert "Vận động giải phóng mặt bằng." in page
    assert "- Đồng chí Trần Thị Bình trình bày: Kết quả vận động giải phóng mặt bằng" in page
    assert not following.minutes_versions.exists()  # a suggestion in the form, saved only when the secretary saves
