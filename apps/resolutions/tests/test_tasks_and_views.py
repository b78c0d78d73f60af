import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from apps.core.periods import Period
from apps.core.roles import Role
from apps.resolutions import services
from apps.resolutions.models import Result, Task, TaskReview, TaskStatus

TODAY = timezone.localdate()


@pytest.fixture
def people(tree, make_user, make_member):
    hung = make_member(tree["cell_a"], "Nguyễn Văn Hùng")
    lan = make_member(tree["cell_b"], "Phạm Thị Lan")
    return {
        "hung": hung,
        "lan": lan,
        "plain": make_user("dangvien_a", Role.MEMBER, tree["cell_a"], include_subtree=False, member=hung),
        "secretary_b": make_user("bithu_b", Role.CELL_SECRETARY, tree["cell_b"], include_subtree=False),
        "other_ward": make_user("dangu_dh", Role.COMMITTEE_STAFF, tree["ward2"]),
    }


def test_task_needs_owner_and_deadline(ward_staff, people):
    with pytest.raises(ValidationError) as err:
        services.task_create(user=ward_staff, content="Việc", deadline=TODAY)
    assert "người phụ trách" in str(err.value)
    with pytest.raises(ValidationError) as err:
        services.task_create(user=ward_staff, content="Việc", deadline=None, owner_member=people["hung"])
    assert "thời hạn" in str(err.value)
    assert Task.objects.count() == 0


def test_task_owner_out_of_scope(secretary_a, tree, people):
    with pytest.raises(ValidationError) as err:
        services.task_create(user=secretary_a, content="Việc", deadline=TODAY, owner_member=people["lan"])
    assert "phạm vi" in str(err.value)
    with pytest.raises(ValidationError):
        services.task_create(user=secretary_a, content="Việc", deadline=TODAY, owner_organization=tree["cell_b"])
    assert Task.objects.count() == 0


def test_overdue_task_on_the_owners_home_page(ward_staff, people, client_for):
    task = services.task_create(
        user=ward_staff,
        content="Vận động đóng góp quỹ vì người nghèo",
        deadline=TODAY - dt.timedelta(days=2),
        owner_member=people["hung"],
    )
    page = client_for(people["plain"]).get("/")
    assert "Vận động đóng góp quỹ vì người nghèo" in page.content.decode()
    assert f"/nghi-quyet/nhiem-vu/{task.pk}/" in page.content.decode()
    # The owner reports it done: no longer overdue.
    client = client_for(people["plain"])
    response = client.post(
        f"/nghi-quyet/nhiem-vu/{task.pk}/",
        {
            "status": "done",
            "result": "Đã vận động 120 hộ",
            "done_on": TODAY.strftime("%d/%m/%Y"),
            "version": task.version,
        },
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.done_late()
    assert "Vận động đóng góp" not in client.get("/").content.decode()
    # The committee's home page counts the overdue tasks within reach.
    services.task_create(
        user=ward_staff, content="Khác", deadline=TODAY - dt.timedelta(days=1), owner_member=people["lan"]
    )
    assert "nhiệm vụ trễ hạn" in client_for(ward_staff).get("/").content.decode()


def test_task_boundaries_nothing_changed(ward_staff, people, client_for):
    task = services.task_create(user=ward_staff, content="Việc của Hùng", deadline=TODAY, owner_member=people["hung"])
    for user in (people["secretary_b"], people["other_ward"]):
        client = client_for(user)
        assert client.get(f"/nghi-quyet/nhiem-vu/{task.pk}/").status_code == 404
        assert client.post(f"/nghi-quyet/nhiem-vu/{task.pk}/", {"status": "done"}).status_code == 404
        with pytest.raises(PermissionDenied):
            services.task_update(user=user, task=task, status="done")
    # The plain member may report on their own task but not move its deadline.
    with pytest.raises(PermissionDenied):
        services.task_update(
            user=people["plain"], task=task, status="in_progress", deadline=TODAY + dt.timedelta(days=30)
        )
    task.refresh_from_db()
    assert (task.status, task.deadline, task.version) == (TaskStatus.OPEN, TODAY, 1)


def test_task_review_counts(ward_staff, tree, people):
    q = Period(TODAY.year - 1, 2)
    on_time = services.task_create(
        user=ward_staff, content="A", deadline=dt.date(q.year, 5, 10), owner_member=people["hung"]
    )
    late = services.task_create(
        user=ward_staff, content="B", deadline=dt.date(q.year, 6, 1), owner_member=people["hung"]
    )
    services.task_create(user=ward_staff, content="C", deadline=dt.date(q.year, 6, 20), owner_member=people["hung"])
    services.task_create(user=ward_staff, content="D", deadline=dt.date(q.year, 8, 1), owner_member=people["hung"])
    services.task_update(user=ward_staff, task=on_time, status="done", done_on=dt.date(q.year, 5, 9))
    services.task_update(user=ward_staff, task=late, status="done", done_on=dt.date(q.year, 6, 5))
    review = services.task_review_create(
        user=ward_staff, organization=tree["cell_a"], member=people["hung"], period=q, rating="done"
    )
    assert (review.tasks_due, review.done_on_time, review.done_late, review.not_done) == (3, 1, 1, 1)
    with pytest.raises(ValidationError):
        services.task_review_create(user=ward_staff, organization=tree["cell_a"], period=Period(q.year), rating="done")
    with pytest.raises(PermissionDenied):
        services.task_review_create(user=people["secretary_b"], organization=tree["cell_a"], period=q, rating="done")
    assert TaskReview.objects.count() == 1


def test_pages_as_committee_and_cell(ward_staff, secretary_a, tree, congress, new_members, split, people, client_for):
    a, b = split
    services.result_enter(user=ward_staff, target=a, period=Period(2024, 1), value=3)
    task = services.task_create(
        user=ward_staff, content="Việc", deadline=TODAY, owner_organization=tree["cell_a"], resolution=congress
    )
    client = client_for(ward_staff)
    for url in (
        "/nghi-quyet/",
        f"/nghi-quyet/{congress.pk}/?year=2024&key=q1",
        f"/nghi-quyet/{congress.pk}/chi-tieu.xlsx?year=2024",
        f"/nghi-quyet/{congress.pk}/chi-tieu.pdf?year=2024",
        "/nghi-quyet/chi-tieu/",
        f"/nghi-quyet/chi-tieu/{new_members.pk}/",
        f"/nghi-quyet/chi-tieu/{a.pk}/",
        f"/nghi-quyet/chi-tieu/{a.pk}/sua/",
        f"/nghi-quyet/chi-tieu/{new_members.pk}/giao/",
        f"/nghi-quyet/{congress.pk}/chi-tieu/them/",
        "/nghi-quyet/moi/",
        "/nghi-quyet/nhiem-vu/",
        "/nghi-quyet/nhiem-vu/tre-han/",
        "/nghi-quyet/nhiem-vu/moi/",
        "/nghi-quyet/nhiem-vu/danh-sach.xlsx",
        f"/nghi-quyet/nhiem-vu/{task.pk}/",
        f"/nghi-quyet/danh-gia-nhiem-vu/{tree['cell_a'].pk}/",
    ):
        assert client.get(url).status_code == 200, url
    page = client.get(f"/nghi-quyet/{congress.pk}/?year=2024&key=q1").content.decode()
    assert "Chi bộ khu phố 1" in page and "Chưa có" in page  # no cell adopted a plan yet
    # The cell's secretary reads the ward's resolution and enters the cell's result by the form.
    cell = client_for(secretary_a)
    assert cell.get(f"/nghi-quyet/{congress.pk}/").status_code == 200
    response = cell.post(f"/nghi-quyet/chi-tieu/{a.pk}/", {"year": 2024, "quarter": 2, "value": "4"})
    assert response.status_code == 302
    assert Result.objects.get(target=a, quarter=2).value == Decimal("4.00")
    # …not cell B's, and not the ward's own.
    assert cell.post(f"/nghi-quyet/chi-tieu/{b.pk}/", {"year": 2024, "quarter": 2, "value": "9"}).status_code == 404
    assert cell.get(f"/nghi-quyet/chi-tieu/{new_members.pk}/sua/").status_code == 404
    # A refused result shows its message on the form and keeps nothing.
    response = cell.post(f"/nghi-quyet/chi-tieu/{a.pk}/", {"year": 2019, "quarter": 1, "value": "4"})
    assert response.status_code == 400 and "không thuộc thời gian" in response.content.decode()
    assert Result.objects.filter(target=b).count() == 0 and Result.objects.count() == 2


def test_outsiders_do_not_reach_the_resolution(congress, new_members, split, people, client_for):
    a, _b = split
    client = client_for(people["other_ward"])
    for url in (
        f"/nghi-quyet/{congress.pk}/",
        f"/nghi-quyet/chi-tieu/{a.pk}/",
        f"/nghi-quyet/{congress.pk}/chi-tieu.xlsx",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/nghi-quyet/chi-tieu/{a.pk}/", {"year": 2024, "quarter": 1, "value": "4"}).status_code == 404
    assert Result.objects.count() == 0
    # A plain member reads the resolution of the levels above (not enters results).
    member = client_for(people["plain"])
    assert member.get(f"/nghi-quyet/{congress.pk}/").status_code == 200
    assert member.post(f"/nghi-quyet/chi-tieu/{a.pk}/", {"year": 2024, "quarter": 1, "value": "4"}).status_code == 404
    assert Result.objects.count() == 0


def test_create_resolution_and_target_by_forms(ward_staff, tree, term, client_for):
    client = client_for(ward_staff)
    response = client.post(
        "/nghi-quyet/moi/",
        {
            "organization": tree["ward"].pk,
            "level": "congress",
            "term": term.pk,
            "number": "01-NQ/ĐH",
            "title": "Nghị quyết Đại hội",
            "issued_on": "20/07/2020",
        },
    )
    assert response.status_code == 302, response.content.decode()
    pk = int(response["Location"].rstrip("/").split("/")[-1])
    response = client.post(
        f"/nghi-quyet/{pk}/chi-tieu/them/",
        {
            "indicator": "Kết nạp đảng viên",
            "unit": "",
            "frequency": "quarter",
            "direction": "higher",
            "rollup": "sum",
            "term_value": "50",
        },
    )
    assert response.status_code == 400 and "đơn vị tính" in response.content.decode()
    response = client.post(
        f"/nghi-quyet/{pk}/chi-tieu/them/",
        {
            "indicator": "Kết nạp đảng viên",
            "unit": "người",
            "frequency": "quarter",
            "direction": "higher",
            "rollup": "sum",
            "term_value": "50",
            "year_2021": "10",
        },
    )
    assert response.status_code == 302
    target_pk = int(response["Location"].rstrip("/").split("/")[-1])
    response = client.post(
        f"/nghi-quyet/chi-tieu/{target_pk}/giao/",
        {
            "p0-organization": tree["cell_a"].pk,
            "p0-term_value": "30",
            "p1-organization": tree["cell_b"].pk,
            "p1-term_value": "20",
        },
    )
    assert response.status_code == 302, response.content.decode()
    from apps.resolutions.models import Target

    assert sorted(Target.objects.filter(parent_id=target_pk).values_list("term_value", flat=True)) == [
        Decimal("20.00"),
        Decimal("30.00"),
    ]


def test_working_rules_editions_and_areas(ward_staff, tree, term, people, client_for, secretary_a):
    from apps.organizations.models import CommitteePost
    from apps.resolutions.models import WorkingArea, WorkingRules

    post = CommitteePost.objects.create(
        organization=tree["ward"], term=term, member=people["lan"], post="deputy", starts_on=term.starts_on
    )
    client = client_for(ward_staff)
    url = f"/nghi-quyet/quy-che/{tree['ward'].pk}/"
    data = {"term": term.pk, "number": "01-QC/ĐU", "title": "Quy chế làm việc", "adopted_on": "01/08/2020"}
    assert client.post(url, {**data, "post_0": post.pk, "area_0": "Công tác dân vận"}).status_code == 302
    assert client.post(url, {**data, "number": "02-QC/ĐU", "adopted_on": "01/08/2022"}).status_code == 302
    assert list(WorkingRules.objects.order_by("edition").values_list("number", "edition")) == [
        ("01-QC/ĐU", 1),
        ("02-QC/ĐU", 2),
    ]
    assert WorkingArea.objects.get().area == "Công tác dân vận"
    page = client.get(url).content.decode()
    assert "Công tác dân vận" in page and "Phạm Thị Lan" in page
    # A cell's secretary does not reach the ward's page; another ward's staff neither; nothing added.
    for user in (secretary_a, people["other_ward"]):
        assert client_for(user).post(url, {**data, "number": "03"}).status_code == 404
    assert WorkingRules.objects.count() == 2
