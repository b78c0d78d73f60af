"""Issue 16, findings 4-8: after a review, a plan and its follow-up checks; a failed check reopens
the action; the follow-up form keeps the suggestions; overdue inspection remedies counted with
the rest; the reviewed cell sees the suggestions addressed to it and its members."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.accountability import selectors, services
from apps.accountability.models import RemediationAction, RemediationPlan, ReviewTarget

TODAY = timezone.localdate()


@pytest.fixture
def review(people, tree, year):
    ward = people["ward"]
    group = services.review_group_create(user=ward, organization=tree["ward"], year=year, name="Đoàn kiểm điểm")
    cell = services.review_target_add(user=ward, group=group, organization=tree["cell_a"], mode="in_depth")
    hung = services.review_target_add(user=ward, group=group, member=people["hung"], mode="in_depth")
    other = services.review_target_add(user=ward, group=group, organization=tree["cell_b"], mode="attend")
    return {"group": group, "cell": cell, "hung": hung, "other": other}


# --- 4. target → plan → follow-up check; the slow ones --------------------------------------------


@pytest.mark.django_db
def test_a_review_target_leads_to_a_plan_and_its_checks(people, tree, year, review, client_for):
    target = review["cell"]
    client = client_for(people["sec_a"])
    page = client.get(f"/tu-soi-tu-sua/ke-hoach/moi/?target={target.pk}")
    assert page.status_code == 200
    assert page.context["form"].initial["title"] == "Khắc phục hạn chế sau kiểm điểm (Đoàn kiểm điểm)"
    r = client.post(
        "/tu-soi-tu-sua/ke-hoach/moi/",
        {
            "target": target.pk,
            "title": "Khắc phục sau kiểm điểm",
            "owner_name": "Bí thư chi bộ",
            "year": year,
            "action_1": "Sinh hoạt chuyên đề hằng quý",
            "deadline_1": (TODAY + dt.timedelta(days=20)).strftime("%d/%m/%Y"),
        },
    )
    plan = RemediationPlan.objects.get()
    assert r.status_code == 302
    assert (plan.review_target, plan.organization, plan.member) == (target, tree["cell_a"], None)
    # The target's page, as the group's committee sees it, lists the plan and its progress.
    detail = client_for(people["ward"]).get(f"/tu-soi-tu-sua/doan-kiem-diem/doi-tuong/{target.pk}/")
    assert detail.status_code == 200
    assert [(p["plan"], p["total"], p["done"], p["failed"]) for p in detail.context["plans"]] == [(plan, 1, 0, 0)]
    assert "Khắc phục sau kiểm điểm" in detail.content.decode()
    assert (
        f"/tu-soi-tu-sua/doan-kiem-diem/doi-tuong/{target.pk}/"
        in client.get(f"/tu-soi-tu-sua/ke-hoach/{plan.pk}/").content.decode()
    )


@pytest.mark.django_db
def test_a_plan_from_a_target_must_be_the_targets_subject(people, tree, year, review):
    with pytest.raises(ValidationError) as e:
        services.remediation_plan_create(
            user=people["ward"],
            year=year,
            title="Sai đối tượng",
            owner_name="X",
            organization=tree["cell_b"],
            review_target=review["cell"],
            actions=[("Việc", TODAY)],
        )
    assert e.value.message_dict == {"review_target": ["Kế hoạch phải của đúng đối tượng đã được kiểm điểm."]}
    assert RemediationPlan.objects.count() == 0


@pytest.mark.django_db
def test_slow_to_remediate_lists_collectives_and_individuals(people, tree, year, review, client_for):
    late = services.remediation_plan_create(
        user=people["sec_a"],
        year=year,
        title="Chi bộ A",
        owner_name="Bí thư",
        organization=tree["cell_a"],
        review_target=review["cell"],
        actions=[("Bổ sung biên bản", TODAY - dt.timedelta(days=5)), ("Việc còn hạn", TODAY + dt.timedelta(days=5))],
    )
    mine = services.remediation_plan_create(
        user=people["hung_user"],
        year=year,
        title="Của tôi",
        owner_name="Hùng",
        member=people["hung"],
        actions=[("Học nghị quyết", TODAY - dt.timedelta(days=1))],
    )
    data = selectors.slow_to_remediate(people["sec_a"])
    assert [(r.subject, r.overdue, r.failed, r.oldest) for r in data["collectives"]] == [
        (tree["cell_a"], 1, 0, TODAY - dt.timedelta(days=5))
    ]
    assert [(r.subject, r.overdue) for r in data["individuals"]] == [(people["hung"], 1)]
    # The ward reads the cell's plan but only counts the member's private one.
    ward = client_for(people["ward"]).get("/tu-soi-tu-sua/cham-khac-phuc/")
    assert ward.status_code == 200
    assert [r.subject for r in ward.context["data"]["collectives"]] == [tree["cell_a"]]
    assert ward.context["data"]["individuals"] == []
    assert ward.context["data"]["hidden"] == [(tree["cell_a"], 1)]
    assert "Nguyễn Văn Hùng" not in ward.content.decode()
    assert f"/tu-soi-tu-sua/ke-hoach/{late.pk}/" in ward.content.decode()
    assert f"/tu-soi-tu-sua/ke-hoach/{mine.pk}/" not in ward.content.decode()
    assert client_for(people["sec_b"]).get("/tu-soi-tu-sua/cham-khac-phuc/").context["data"]["collectives"] == []
    assert (
        "/tu-soi-tu-sua/cham-khac-phuc/" in client_for(people["ward"]).get("/tu-soi-tu-sua/qua-han/").content.decode()
    )


# --- 5. a failed check reopens the action --------------------------------------------------------------


@pytest.mark.django_db
def test_a_failed_check_reopens_the_action_with_a_new_deadline(people, tree, year, client_for):
    plan = services.remediation_plan_create(
        user=people["sec_a"],
        year=year,
        title="Chi bộ A",
        owner_name="Bí thư",
        organization=tree["cell_a"],
        actions=[("Bổ sung biên bản", TODAY - dt.timedelta(days=3))],
    )
    action = plan.actions.get()
    services.remediation_action_done(user=people["sec_a"], action=action)
    client = client_for(people["ward"])
    url = f"/tu-soi-tu-sua/ke-hoach/viec/{action.pk}/check/"
    # Without a new deadline the failed check is refused and nothing changes.
    client.post(url, {"passed": "0", "result": "Biên bản vẫn thiếu chữ ký", "version": 2})
    action.refresh_from_db()
    assert (action.done_on, action.check_passed, action.failed_checks) == (TODAY, None, 0)
    new_deadline = TODAY + dt.timedelta(days=15)
    client.post(
        url,
        {
            "passed": "0",
            "result": "Biên bản vẫn thiếu chữ ký",
            "new_deadline": new_deadline.strftime("%d/%m/%Y"),
            "version": 2,
        },
    )
    action.refresh_from_db()
    assert (action.done_on, action.deadline, action.check_passed, action.failed_checks) == (
        None,
        new_deadline,
        False,
        1,
    )
    figures = selectors.remediation_figures(people["ward"], year)
    assert (figures["open"], figures["closed"], figures["failed"], figures["overdue"]) == (1, 0, 1, 0)
    # Once the new deadline passes it is overdue again.
    later = new_deadline + dt.timedelta(days=1)
    assert list(RemediationAction.objects.overdue(later)) == [action]
    assert selectors.overdue_summary(people["ward"], later)["total"] == 1
    assert selectors.remediation_figures(people["ward"], year, today=later)["overdue"] == 1
    # Reported done again and checked: passed.
    services.remediation_action_done(user=people["sec_a"], action=action)
    services.remediation_action_check(user=people["ward"], action=action, passed=True, result="Đã đủ")
    figures = selectors.remediation_figures(people["ward"], year)
    assert (figures["open"], figures["closed"], figures["failed"]) == (0, 1, 0)
    assert (
        "1 lần chưa đạt, đã mở lại với thời hạn mới"
        in client.get(f"/tu-soi-tu-sua/ke-hoach/{plan.pk}/").content.decode()
    )


@pytest.mark.django_db
def test_a_new_deadline_must_follow_the_check(people, tree, year):
    plan = services.remediation_plan_create(
        user=people["sec_a"],
        year=year,
        title="Chi bộ A",
        owner_name="Bí thư",
        organization=tree["cell_a"],
        actions=[("Bổ sung biên bản", TODAY)],
    )
    action = plan.actions.get()
    with pytest.raises(ValidationError) as e:
        services.remediation_action_check(
            user=people["ward"], action=action, passed=False, result="Chưa làm", new_deadline=TODAY
        )
    assert e.value.message_dict == {"new_deadline": ["Thời hạn mới phải sau ngày hậu kiểm tra."]}
    action.refresh_from_db()
    assert (action.deadline, action.check_passed, action.version) == (TODAY, None, 1)


# --- 6. the follow-up form keeps the suggestions ------------------------------------------------------


@pytest.mark.django_db
def test_saving_the_follow_up_keeps_the_suggestions(people, review, client_for):
    target = review["hung"]
    services.review_target_record(user=people["ward"], target=target, suggestions="Làm rõ trách nhiệm nêu gương")
    client = client_for(people["ward"])
    page = client.get(f"/tu-soi-tu-sua/doan-kiem-diem/doi-tuong/{target.pk}/")
    form = page.context["record_form"]
    assert form.initial["suggestions"] == "Làm rõ trách nhiệm nêu gương"
    assert "\nLàm rõ trách nhiệm nêu gương</textarea>" in page.content.decode()
    # A browser sends what the form shows; a client that sends only the follow-up keeps the rest.
    client.post(f"/tu-soi-tu-sua/doan-kiem-diem/doi-tuong/{target.pk}/ghi/", {"follow_up": "Đã lập kế hoạch"})
    target.refresh_from_db()
    assert (target.suggestions, target.follow_up) == ("Làm rõ trách nhiệm nêu gương", "Đã lập kế hoạch")
    services.review_target_record(user=people["ward"], target=target, follow_up_done=True)
    target.refresh_from_db()
    assert (target.suggestions, target.follow_up, target.follow_up_done) == (
        "Làm rõ trách nhiệm nêu gương",
        "Đã lập kế hoạch",
        True,
    )
    # The reviewed cell reads the target but does not record the group's suggestions.
    r = client_for(people["sec_a"]).post(
        f"/tu-soi-tu-sua/doan-kiem-diem/doi-tuong/{target.pk}/ghi/", {"suggestions": "Xóa"}
    )
    assert r.status_code == 404
    target.refresh_from_db()
    assert target.suggestions == "Làm rõ trách nhiệm nêu gương"


# --- 7. overdue inspection remedies with the other overdue items ------------------------------------


@pytest.mark.django_db
def test_overdue_inspection_remedies_join_the_overdue_list_and_figures(people, tree, year, client_for):
    from apps.inspections import services as insp
    from apps.inspections.models import Inspection

    inspection = insp.inspection_create(
        user=people["ubkt"],
        organization=tree["ward"],
        kind="periodic",
        title="Kiểm tra đảng phí",
        subject_organization=tree["cell_a"],
    )
    insp.inspection_start(user=people["ubkt"], inspection=inspection, period_start=TODAY - dt.timedelta(days=40))
    inspection.refresh_from_db()
    insp.inspection_conclude(
        user=people["ubkt"],
        inspection=inspection,
        findings="Nộp chậm",
        conclusion="shortcomings",
        conclusion_text="Chưa đôn đốc",
        remedies=[("Thu đủ đảng phí", TODAY - dt.timedelta(days=2))],
        concluded_on=TODAY - dt.timedelta(days=30),
    )
    remedy = Inspection.objects.get().remedies.get()
    for user in (people["ward"], people["sec_a"], people["ubkt"]):
        summary = selectors.overdue_summary(user)
        assert (summary["remedies"], summary["total"]) == ([remedy], 1), user
    assert selectors.overdue_summary(people["sec_b"])["total"] == 0
    page = client_for(people["sec_a"]).get("/tu-soi-tu-sua/qua-han/").content.decode()
    assert "Thu đủ đảng phí" in page and f"/kiem-tra/{inspection.pk}/" in page
    assert selectors.remediation_figures(people["ward"], year)["remedies_overdue"] == 1
    figures = client_for(people["ubkt"]).get("/kiem-tra/so-lieu/").content.decode()
    assert "Yêu cầu khắc phục sau kiểm tra quá hạn: 1." in figures
    home = client_for(people["ward"]).get("/")
    assert home.context["overdue"] == 1
    # A remedy whose re-check failed is not done: still overdue.
    insp.remedy_done(user=people["sec_a"], remedy=remedy)
    remedy.refresh_from_db()
    assert selectors.overdue_summary(people["ward"])["total"] == 0
    insp.remedy_check(user=people["ubkt"], remedy=remedy, passed=False, result="Còn thiếu")
    assert selectors.overdue_summary(people["ward"])["total"] == 1


# --- 8. the reviewed cell sees the suggestions --------------------------------------------------------


@pytest.mark.django_db
def test_the_reviewed_cell_sees_the_suggestions_to_it_and_its_members(people, tree, year, review, client_for):
    services.review_target_record(user=people["ward"], target=review["cell"], suggestions="Chi bộ: sinh hoạt đều")
    services.review_target_record(user=people["ward"], target=review["hung"], suggestions="Đ/c Hùng: gương mẫu hơn")
    services.review_target_record(user=people["ward"], target=review["other"], suggestions="Chi bộ B: lưu hồ sơ")
    page = client_for(people["sec_a"]).get(f"/tu-soi-tu-sua/goi-y-kiem-diem/?year={year}")
    assert page.status_code == 200
    assert list(page.context["rows"]) == [review["cell"], review["hung"]]
    html = page.content.decode()
    assert "Chi bộ: sinh hoạt đều" in html and "Đ/c Hùng: gương mẫu hơn" in html and "Chi bộ B" not in html
    for target in (review["cell"], review["hung"]):
        r = client_for(people["sec_a"]).get(f"/tu-soi-tu-sua/doan-kiem-diem/doi-tuong/{target.pk}/")
        assert (r.status_code, r.context["record_form"]) == (200, None)
    assert (
        client_for(people["sec_b"]).get(f"/tu-soi-tu-sua/doan-kiem-diem/doi-tuong/{review['cell'].pk}/").status_code
        == 404
    )
    # The member sees what is addressed to them, not to the cell.
    mine = client_for(people["hung_user"]).get(f"/tu-soi-tu-sua/goi-y-kiem-diem/?year={year}")
    assert list(mine.context["rows"]) == [review["hung"]]
    assert list(client_for(people["ward2"]).get("/tu-soi-tu-sua/goi-y-kiem-diem/").context["rows"]) == []
    assert ReviewTarget.objects.get(pk=review["cell"].pk).suggestions == "Chi bộ: sinh hoạt đều"
