"""Issue 16 #14: the smaller items, each reproduced."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from apps.accountability import selectors, services
from apps.accountability.models import Degree, ExamStatus, SelfExamination
from apps.members.models import StatusChangeKind
from apps.members.services import member_change_status


def _answer_all(people, exam, complete=False):
    degrees = {i.manifestation.number: Degree.NONE for i in exam.items.select_related("manifestation")}
    return services.self_examination_save(
        user=people["hung_user"], examination=exam, degrees=degrees, complete=complete
    )


def test_completed_books_are_not_counted_in_progress(people, tree, make_member, make_user, year):
    exam = services.self_examination_start(user=people["hung_user"], member=people["hung"], year=year)
    _answer_all(people, exam, complete=True)
    other = make_member(tree["cell_a"], "Lê Thị Hoa")
    services.self_examination_start(user=make_user("hoa", member=other), member=other, year=year)
    (cell_a,) = [c for c in selectors.completion_counts(people["ward"], year) if c.organization == tree["cell_a"]]
    assert (cell_a.members, cell_a.completed, cell_a.in_progress) == (2, 1, 1)


def test_answers_start_unassessed_and_completing_needs_each_one(people, client_for, year):
    client = client_for(people["hung_user"])
    client.post(f"/tu-soi-tu-sua/so-tay/{year}/", {"start": "1"})
    exam = SelfExamination.objects.get()
    page = client.get(f"/tu-soi-tu-sua/so-tay/{year}/").content.decode()
    assert page.count('<option value="" selected>— chưa tự đánh giá —</option>') == exam.items.count()
    # The browser sends the unanswered selects empty: the book is not completed.
    data = {"save": "complete", **{f"degree_{n}": "" for n in range(1, 28)}, "degree_1": "none"}
    page = client.post(f"/tu-soi-tu-sua/so-tay/{year}/", data).content.decode()
    assert "Chưa tự đánh giá các biểu hiện số: 2, 3, 4" in page
    exam.refresh_from_db()
    assert exam.status == ExamStatus.DRAFT


def test_a_completed_book_is_not_edited_as_a_draft(people, client_for, year):
    exam = services.self_examination_start(user=people["hung_user"], member=people["hung"], year=year)
    exam = _answer_all(people, exam, complete=True)
    with pytest.raises(ValidationError) as err:
        services.self_examination_save(
            user=people["hung_user"], examination=exam, degrees={1: Degree.SERIOUS}, expected_version=exam.version
        )
    assert err.value.messages == [f"Sổ tự soi đã hoàn thành ngày {dt.date.today():%d/%m/%Y}, không sửa được."]
    exam.refresh_from_db()
    assert (exam.status, exam.items.get(manifestation__number=1).degree) == (ExamStatus.COMPLETED, Degree.NONE)
    page = client_for(people["hung_user"]).get(f"/tu-soi-tu-sua/so-tay/{year}/").content.decode()
    assert 'value="draft"' not in page and 'value="complete"' not in page


def test_past_year_figures_use_that_year_members(people, tree, make_member, admin_user, client_for):
    # Two members of cell A in 2017; one left in 2020, one admitted in 2021.
    gone = make_member(tree["cell_a"], "Lê Văn Đi")
    member_change_status(user=admin_user, member=gone, kind=StatusChangeKind.DECEASED, on=dt.date(2020, 5, 1))
    make_member(tree["cell_a"], "Lê Văn Mới", admission_date=dt.date(2021, 3, 1), full_membership_date=None)
    exam = SelfExamination.objects.create(
        member=people["hung"], organization=tree["cell_a"], org_path=tree["cell_a"].path, year=2017
    )
    exam.status = ExamStatus.COMPLETED
    exam.save()
    (cell_a,) = [c for c in selectors.completion_counts(people["ward"], 2017) if c.organization == tree["cell_a"]]
    assert (cell_a.members, cell_a.completed) == (2, 1)
    assert cell_a.percent == 50
    (now,) = [
        c for c in selectors.completion_counts(people["ward"], dt.date.today().year) if c.organization == tree["cell_a"]
    ]
    assert now.members == 2  # Hùng and the new member
    # The commission's figures for 2017 use the 2017 base too: Hùng and Đi (cell A), Lan (cell B);
    # today's base is Hùng, Mới and Lan, and one more admitted in cell B in 2022.
    make_member(tree["cell_b"], "Phan Văn Sau", admission_date=dt.date(2022, 3, 1), full_membership_date=None)
    client = client_for(people["ubkt"])
    page = client.get("/kiem-tra/so-lieu/", {"start": "01/01/2017", "end": "31/12/2017"})
    assert (page.context["exam_base"], page.context["exam_done"]) == (3, 1)
    assert client.get("/kiem-tra/so-lieu/").context["exam_base"] == 4


def test_a_member_sees_no_button_that_would_be_refused(people, tree, client_for, year):
    group = services.review_group_create(user=people["ward"], organization=tree["ward"], year=year, name="Đoàn 2")
    services.review_target_add(user=people["ward"], group=group, organization=tree["cell_a"], mode="attend")
    plan = services.remediation_plan_create(
        user=people["sec_a"],
        year=year,
        title="Chi bộ khắc phục",
        owner_name="Bí thư",
        organization=tree["cell_a"],
        actions=[("Sinh hoạt đúng kỳ", dt.date(year, 12, 1))],
    )
    member = client_for(people["hung_user"])
    for url, button in (
        ("/tu-soi-tu-sua/so-theo-doi/", "Ghi sổ"),
        ("/tu-soi-tu-sua/doan-kiem-diem/", "Thành lập đoàn"),
        ("/tu-soi-tu-sua/xoay-vong/", "Xếp lịch"),
    ):
        page = member.get(url)
        assert page.status_code == 200
        assert button not in page.content.decode(), url
    # The inspection commission reads the group and the cell's plan but changes neither.
    ubkt = client_for(people["ubkt"])
    page = ubkt.get(f"/tu-soi-tu-sua/doan-kiem-diem/{group.pk}/")
    assert page.status_code == 200
    page = page.content.decode()
    assert "Ghi gợi ý, theo dõi" not in page and "Thêm đối tượng" not in page
    page = ubkt.get(f"/tu-soi-tu-sua/ke-hoach/{plan.pk}/")
    assert page.status_code == 200
    assert "Báo hoàn thành" not in page.content.decode() and "Thêm việc" not in page.content.decode()
    # Those who may still see them.
    secretary = client_for(people["sec_a"])
    assert "Ghi sổ" in secretary.get("/tu-soi-tu-sua/so-theo-doi/").content.decode()
    assert "Báo hoàn thành" in secretary.get(f"/tu-soi-tu-sua/ke-hoach/{plan.pk}/").content.decode()
    assert (
        "Thêm đối tượng"
        in client_for(people["ward"]).get(f"/tu-soi-tu-sua/doan-kiem-diem/{group.pk}/").content.decode()
    )
