import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from apps.core.roles import Role
from apps.inspections import services
from apps.inspections.models import Complaint, Inspection, InspectionPlan, Remedy, Status

TODAY = timezone.localdate()


@pytest.fixture
def ubkt(tree, make_user):
    return make_user("ubkt_bt", Role.INSPECTION, tree["ward"])


@pytest.fixture
def ubkt2(tree, make_user):
    return make_user("ubkt_dh", Role.INSPECTION, tree["ward2"])


@pytest.mark.django_db
def test_plan_to_conclusion_to_checked_remedy(tree, ubkt, client_for):
    client = client_for(ubkt)
    r = client.post(
        "/kiem-tra/ke-hoach/moi/",
        {"organization": tree["ward"].pk, "body": "commission", "year": TODAY.year, "title": "Kế hoạch kiểm tra năm"},
    )
    assert r.status_code == 302
    r = client.post(
        "/kiem-tra/moi/",
        {
            "organization": tree["ward"].pk,
            "plan": InspectionPlan.objects.get().pk,
            "body": "commission",
            "kind": "periodic",
            "title": "Kiểm tra thu, nộp đảng phí",
            "subject_organization": tree["cell_a"].pk,
            "period_start": (TODAY - dt.timedelta(days=10)).strftime("%d/%m/%Y"),
        },
    )
    assert r.status_code == 302
    insp = Inspection.objects.get()
    assert (insp.plan.title, insp.subject_path, insp.status) == (
        "Kế hoạch kiểm tra năm",
        tree["cell_a"].path,
        Status.PLANNED,
    )
    client.post(f"/kiem-tra/{insp.pk}/", {"op": "start"})
    insp.refresh_from_db()
    assert insp.status == Status.IN_PROGRESS
    # bad input: shortcomings without a remedy
    r = client.post(
        f"/kiem-tra/{insp.pk}/", {"op": "conclude", "conclusion": "shortcomings", "conclusion_text": "Thu chưa đủ"}
    )
    assert r.status_code == 400
    assert "ít nhất một yêu cầu khắc phục" in r.content.decode()
    insp.refresh_from_db()
    assert insp.status == Status.IN_PROGRESS and Remedy.objects.count() == 0
    deadline = (TODAY + dt.timedelta(days=30)).strftime("%d/%m/%Y")
    r = client.post(
        f"/kiem-tra/{insp.pk}/",
        {
            "op": "conclude",
            "findings": "Có 2 đảng viên nộp chậm",
            "conclusion": "shortcomings",
            "conclusion_text": "Thu chưa đủ",
            "remedy_1": "Thu đủ đảng phí",
            "deadline_1": deadline,
        },
    )
    assert r.status_code == 302
    insp.refresh_from_db()
    remedy = insp.remedies.get()
    assert (insp.status, insp.conclusion, remedy.requirement) == (Status.CONCLUDED, "shortcomings", "Thu đủ đảng phí")
    client.post(f"/kiem-tra/khac-phuc/{remedy.pk}/check/", {"passed": "1", "result": "Đạt"})
    remedy.refresh_from_db()
    assert remedy.check_passed is None  # not reported done: refused
    client.post(f"/kiem-tra/khac-phuc/{remedy.pk}/done/")
    client.post(f"/kiem-tra/khac-phuc/{remedy.pk}/check/", {"passed": "1", "result": "Đã thu đủ"})
    remedy.refresh_from_db()
    insp.refresh_from_db()
    assert (remedy.done_on, remedy.check_passed, insp.status) == (TODAY, True, Status.CLOSED)


@pytest.mark.django_db
def test_cross_boundary(tree, ubkt, ubkt2, client_for, make_member):
    insp = services.inspection_create(
        user=ubkt, organization=tree["ward"], kind="self", title="Tự kiểm tra", subject_organization=tree["ward"]
    )
    assert client_for(ubkt2).get(f"/kiem-tra/{insp.pk}/").status_code == 404
    r = client_for(ubkt2).post(f"/kiem-tra/{insp.pk}/", {"op": "start"})
    assert r.status_code == 404
    insp.refresh_from_db()
    assert insp.status == Status.PLANNED
    with pytest.raises(PermissionDenied):
        services.inspection_create(
            user=ubkt2, organization=tree["ward"], kind="self", title="x", subject_organization=tree["ward"]
        )
    with pytest.raises(ValidationError):  # subject outside the conducting organization
        services.inspection_create(
            user=ubkt, organization=tree["ward"], kind="periodic", title="x", subject_organization=tree["cell_c"]
        )
    m = make_member(tree["cell_a"], "Nguyễn Văn Hùng")
    with pytest.raises(ValidationError):  # two subjects
        services.inspection_create(
            user=ubkt,
            organization=tree["ward"],
            kind="signs",
            title="x",
            subject_organization=tree["cell_a"],
            subject_member=m,
        )
    assert Inspection.objects.count() == 1


@pytest.mark.django_db
def test_complaints_received_handled_answered(tree, ubkt, ubkt2, make_member):
    m = make_member(tree["cell_a"], "Nguyễn Văn Hùng")
    c = services.complaint_receive(
        user=ubkt,
        organization=tree["ward"],
        kind="denunciation",
        received_on=TODAY,
        content="Tố cáo sai phạm đất đai",
        about_member=m,
    )
    with pytest.raises(ValidationError):
        services.complaint_update(user=ubkt, complaint=c, status="answered", answer="")
    c.refresh_from_db()
    assert c.status == "received"
    with pytest.raises(PermissionDenied):
        services.complaint_update(user=ubkt2, complaint=c, status="handling")
    services.complaint_update(
        user=ubkt, complaint=c, status="answered", handling="Đã xác minh", answer="Không đúng", answered_on=TODAY
    )
    c.refresh_from_db()
    assert (c.status, c.answer) == ("answered", "Không đúng")
    with pytest.raises(ValidationError):
        services.complaint_receive(
            user=ubkt2, organization=tree["ward2"], kind="complaint", received_on=TODAY, content="x", about_member=m
        )
    assert Complaint.objects.count() == 1


@pytest.mark.django_db
def test_figures(tree, ubkt, client_for, admin_user, make_member):
    insp = services.inspection_create(
        user=ubkt,
        organization=tree["ward"],
        kind="periodic",
        title="Định kỳ",
        subject_organization=tree["cell_a"],
        period_start=TODAY,
    )
    services.inspection_conclude(user=ubkt, inspection=insp, findings="", conclusion="good", conclusion_text="Tốt")
    services.inspection_create(
        user=ubkt,
        organization=tree["ward"],
        kind="unscheduled",
        title="Đột xuất",
        subject_organization=tree["cell_b"],
        period_start=TODAY,
    )
    from apps.discipline.services import discipline_create

    discipline_create(
        user=admin_user,
        member=make_member(tree["cell_a"], "Lê Văn Tám"),
        form="warning",
        deciding_body="Đảng ủy",
        decided_on=TODAY,
        reason="x",
    )
    r = client_for(ubkt).get("/kiem-tra/so-lieu/")
    assert r.status_code == 200
    kinds = {k["kind"]: (k["total"], k["pending"]) for k in r.context["insp"]["kinds"]}
    assert kinds["periodic"] == (1, 0) and kinds["unscheduled"] == (1, 1) and kinds["self"] == (0, 0)
    assert [(d["form"], d["members"]) for d in r.context["disciplines"]] == [("warning", 1)]
    assert (r.context["exam_base"], r.context["exam_done"]) == (1, 0)
    r = client_for(ubkt).get("/kiem-tra/so-lieu/", {"start": "31/13/2026", "end": "x"})
    assert r.status_code == 200


@pytest.mark.django_db
def test_subject_cell_sees_its_inspection_but_cannot_conclude(tree, ubkt, secretary_a, client_for, make_user):
    insp = services.inspection_create(
        user=ubkt,
        organization=tree["ward"],
        kind="thematic",
        title="Chuyên đề",
        subject_organization=tree["cell_a"],
        period_start=TODAY,
    )
    services.inspection_conclude(
        user=ubkt,
        inspection=insp,
        findings="",
        conclusion="violation",
        conclusion_text="Có vi phạm",
        remedies=[("Kiểm điểm rút kinh nghiệm", TODAY + dt.timedelta(days=10))],
    )
    remedy = insp.remedies.get()
    client = client_for(secretary_a)
    r = client.get(f"/kiem-tra/{insp.pk}/")
    assert r.status_code == 200 and r.context["can_work"] is False
    client.post(f"/kiem-tra/khac-phuc/{remedy.pk}/check/", {"passed": "0", "result": "tự chấm"})
    remedy.refresh_from_db()
    assert remedy.check_passed is None
    client.post(f"/kiem-tra/khac-phuc/{remedy.pk}/done/")  # the subject reports it done
    remedy.refresh_from_db()
    assert remedy.done_on == TODAY
    other = make_user("bithu_b", Role.CELL_SECRETARY, tree["cell_b"], include_subtree=False)
    assert client_for(other).get(f"/kiem-tra/{insp.pk}/").status_code == 404
    assert client_for(other).post(f"/kiem-tra/khac-phuc/{remedy.pk}/done/").status_code == 404
