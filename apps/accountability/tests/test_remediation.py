import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from apps.accountability import selectors, services
from apps.accountability.models import Commitment, LogbookEntry, RemediationAction, RemediationPlan, RotatingReview

TODAY = timezone.localdate()


@pytest.mark.django_db
def test_overdue_detection(people, tree, year):
    plan = services.remediation_plan_create(
        user=people["sec_a"],
        year=year,
        title="Khắc phục chi bộ",
        owner_name="Bí thư",
        organization=tree["cell_a"],
        actions=[
            ("Việc quá hạn", TODAY - dt.timedelta(days=1)),
            ("Việc hôm nay", TODAY),
            ("Việc sau", TODAY + dt.timedelta(days=5)),
        ],
    )
    late, today_item, later = plan.actions.order_by("deadline")
    assert list(RemediationAction.objects.overdue()) == [late]
    services.remediation_action_done(user=people["sec_a"], action=late)
    assert list(RemediationAction.objects.overdue()) == []
    # a later "today" shows today's item overdue
    assert list(RemediationAction.objects.overdue(TODAY + dt.timedelta(days=1))) == [today_item]


@pytest.mark.django_db
def test_overdue_surfaces_on_cell_and_committee_above(people, tree, year):
    services.remediation_plan_create(
        user=people["sec_a"],
        year=year,
        title="Chi bộ A",
        owner_name="Bí thư",
        organization=tree["cell_a"],
        actions=[("Bổ sung biên bản", TODAY - dt.timedelta(days=3))],
    )
    services.remediation_plan_create(
        user=people["hung_user"],
        year=year,
        title="Của tôi",
        owner_name="Hùng",
        member=people["hung"],
        actions=[("Học nghị quyết", TODAY - dt.timedelta(days=2))],
    )
    cell = selectors.overdue_summary(people["sec_a"])
    assert (len(cell["visible"]), cell["hidden"], cell["total"]) == (2, [], 2)
    ward = selectors.overdue_summary(people["ward"])
    assert [a.action for a in ward["visible"]] == ["Bổ sung biên bản"]
    assert ward["hidden"] == [(tree["cell_a"], 1)]
    assert ward["total"] == 2
    other = selectors.overdue_summary(people["ward2"])
    assert other["total"] == 0
    assert selectors.overdue_summary(people["sec_b"])["total"] == 0


@pytest.mark.django_db
def test_plan_bad_input_changes_nothing(people, tree, year, client_for):
    with pytest.raises(ValidationError) as e:
        services.remediation_plan_create(
            user=people["sec_a"], year=year, title="X", owner_name="Y", organization=tree["cell_a"], actions=[]
        )
    assert "ít nhất một việc" in " ".join(e.value.messages)
    with pytest.raises(ValidationError):
        services.remediation_plan_create(
            user=people["sec_a"],
            year=year,
            title="X",
            owner_name="Y",
            organization=tree["cell_a"],
            actions=[("Việc", None)],
        )
    with pytest.raises(PermissionDenied):
        services.remediation_plan_create(
            user=people["sec_b"],
            year=year,
            title="X",
            owner_name="Y",
            organization=tree["cell_a"],
            actions=[("Việc", TODAY)],
        )
    r = client_for(people["sec_a"]).post(
        f"/tu-soi-tu-sua/ke-hoach/moi/?org={tree['cell_a'].pk}",
        {
            "org": tree["cell_a"].pk,
            "title": "X",
            "owner_name": "Y",
            "year": year,
            "action_1": "Việc",
            "deadline_1": "31/02/2026",
        },
    )
    assert r.status_code == 200
    assert RemediationPlan.objects.count() == 0
    # out of scope organization -> 404
    assert client_for(people["sec_b"]).get(f"/tu-soi-tu-sua/ke-hoach/moi/?org={tree['cell_a'].pk}").status_code == 404


@pytest.mark.django_db
def test_follow_up_check(people, tree, year, client_for):
    plan = services.remediation_plan_create(
        user=people["hung_user"],
        year=year,
        title="Của tôi",
        owner_name="Hùng",
        member=people["hung"],
        actions=[("Học nghị quyết", TODAY + dt.timedelta(days=2))],
    )
    action = plan.actions.get()
    with pytest.raises(ValidationError):  # not done yet -> cannot pass
        services.remediation_action_check(user=people["sec_a"], action=action, passed=True, result="Tốt")
    with pytest.raises(PermissionDenied):  # the member does not check themself
        services.remediation_action_check(user=people["hung_user"], action=action, passed=False, result="...")
    client = client_for(people["hung_user"])
    client.post(f"/tu-soi-tu-sua/ke-hoach/viec/{action.pk}/done/")
    client = client_for(people["sec_a"])
    client.post(f"/tu-soi-tu-sua/ke-hoach/viec/{action.pk}/check/", {"passed": "1", "result": "Đã chuyển biến"})
    action.refresh_from_db()
    assert (action.done_on, action.check_passed, action.check_result, action.checked_by) == (
        TODAY,
        True,
        "Đã chuyển biến",
        people["sec_a"],
    )
    # the ward cannot open a member's private plan
    assert client_for(people["ward"]).get(f"/tu-soi-tu-sua/ke-hoach/{plan.pk}/").status_code == 404
    assert client_for(people["sec_b"]).get(f"/tu-soi-tu-sua/ke-hoach/{plan.pk}/").status_code == 404


@pytest.mark.django_db
def test_commitments_logbook_rotating(people, tree, year, make_member):
    c = services.commitment_register(
        user=people["hung_user"], member=people["hung"], year=year, kind="study_follow", content="Gương mẫu, gần dân"
    )
    with pytest.raises(ValidationError):
        services.commitment_register(
            user=people["hung_user"], member=people["hung"], year=year, kind="study_follow", content="lần 2"
        )
    with pytest.raises(PermissionDenied):
        services.commitment_review(user=people["sec_b"], commitment=c, result="good")
    services.commitment_review(user=people["sec_a"], commitment=c, result="good", note="Thực hiện tốt")
    assert Commitment.objects.get().result == "good"
    services.logbook_add(
        user=people["sec_a"],
        member=people["hung"],
        date=TODAY,
        kind="shortcoming",
        source="meeting",
        content="Đến muộn",
    )
    with pytest.raises(ValidationError):
        services.logbook_add(
            user=people["sec_a"],
            member=people["hung"],
            organization=tree["cell_a"],
            date=TODAY,
            kind="shortcoming",
            source="meeting",
            content="x",
        )
    with pytest.raises(PermissionDenied):
        services.logbook_add(
            user=people["sec_b"], member=people["hung"], date=TODAY, kind="strength", source="meeting", content="x"
        )
    assert LogbookEntry.objects.count() == 1
    make_member(tree["cell_a"], "Lê Thị An")
    rows = services.rotating_schedule(user=people["sec_a"], organization=tree["cell_a"], start=dt.date(year, 1, 15))
    assert [(r.member.given_name, r.scheduled_on) for r in rows] == [
        ("An", dt.date(year, 1, 1)),
        ("Hùng", dt.date(year, 2, 1)),
    ]
    assert (
        services.rotating_schedule(user=people["sec_a"], organization=tree["cell_a"], start=dt.date(year, 3, 1)) == []
    )
    with pytest.raises(ValidationError):
        services.rotating_schedule(user=people["ward"], organization=tree["ward"], start=dt.date(year, 3, 1))
    assert RotatingReview.objects.count() == 2


@pytest.mark.django_db
def test_pages_render(people, client_for, year):
    for user in (people["hung_user"], people["sec_a"], people["ward"]):
        client = client_for(user)
        for url in (
            "/tu-soi-tu-sua/",
            "/tu-soi-tu-sua/ke-hoach/",
            "/tu-soi-tu-sua/qua-han/",
            "/tu-soi-tu-sua/cam-ket/",
            "/tu-soi-tu-sua/so-theo-doi/",
            "/tu-soi-tu-sua/doan-kiem-diem/",
            "/tu-soi-tu-sua/xoay-vong/",
        ):
            assert client.get(url).status_code == 200, (user, url)
    r = client_for(people["hung_user"]).get(f"/tu-soi-tu-sua/so-tay/{year}/")
    assert r.status_code == 200


@pytest.mark.django_db
def test_cross_boundary_writes_404_nothing_changed(people, tree, year, client_for):
    plan = services.remediation_plan_create(
        user=people["sec_a"],
        year=year,
        title="Chi bộ A",
        owner_name="Bí thư",
        organization=tree["cell_a"],
        actions=[("Bổ sung biên bản", TODAY - dt.timedelta(days=3))],
    )
    action = plan.actions.get()
    client = client_for(people["sec_b"])
    assert client.get(f"/tu-soi-tu-sua/ke-hoach/{plan.pk}/").status_code == 404
    assert client.post(f"/tu-soi-tu-sua/ke-hoach/viec/{action.pk}/done/").status_code == 404
    assert (
        client.post(
            f"/tu-soi-tu-sua/ke-hoach/viec/{plan.pk}/add/", {"action": "x", "deadline": "01/01/2030"}
        ).status_code
        == 404
    )
    action.refresh_from_db()
    assert action.done_on is None and plan.actions.count() == 1
    # the ward above sees the organization's plan and may check it
    client = client_for(people["ward"])
    assert client.get(f"/tu-soi-tu-sua/ke-hoach/{plan.pk}/").status_code == 200


@pytest.mark.django_db
def test_year_summary_shows_log_and_open_actions(people, tree, year, client_for):
    services.logbook_add(
        user=people["sec_a"],
        member=people["hung"],
        date=TODAY,
        kind="strength",
        source="meeting",
        content="Tham luận tốt",
    )
    plan = services.remediation_plan_create(
        user=people["hung_user"],
        year=year,
        title="Của tôi",
        owner_name="Hùng",
        member=people["hung"],
        actions=[("Học nghị quyết", TODAY + dt.timedelta(days=2))],
    )
    r = client_for(people["sec_a"]).get(f"/tu-soi-tu-sua/tong-hop/{people['hung'].pk}/{year}/")
    assert r.status_code == 200
    assert [e.content for e in r.context["evidence"].entries] == ["Tham luận tốt"]
    assert [a.action for a in r.context["evidence"].open_actions] == ["Học nghị quyết"]
    from apps.accountability.models import AccessRecord

    assert AccessRecord.objects.filter(kind="remediation", object_id=plan.pk, user=people["sec_a"]).count() == 1
    r = client_for(people["ward"]).get(f"/tu-soi-tu-sua/tong-hop/{people['hung'].pk}/{year}/")
    assert list(r.context["evidence"].open_actions) == []  # the member's own plan stays private
    assert r.context["evidence"].hidden_plans == 1
    assert client_for(people["sec_b"]).get(f"/tu-soi-tu-sua/tong-hop/{people['hung'].pk}/{year}/").status_code == 404
