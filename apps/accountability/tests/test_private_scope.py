"""Privacy inside the one door (issue 18): who may read a private record is answered by the
request's one `Scope`, computed once, with no query per row."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.accountability import selectors, services
from apps.accountability.models import Degree, RemediationPlan, SelfExamination
from apps.core.scoping import scope_for

TODAY = timezone.localdate()


def _exam(user, member, year):
    exam = services.self_examination_start(user=user, member=member, year=year)
    services.self_examination_save(user=user, examination=exam, degrees={1: Degree.NONE})
    return exam


def _plans(people, tree, make_member, make_user, year, n):
    """n members of cell A, each with their own (private) plan with an overdue action."""
    for i in range(n):
        member = make_member(tree["cell_a"], f"Phạm Văn Số{i}")
        services.remediation_plan_create(
            user=people["sec_a"],
            year=year,
            title=f"Kế hoạch riêng {i}",
            owner_name=member.full_name,
            member=member,
            actions=[("Việc quá hạn", TODAY - dt.timedelta(days=2))],
        )


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/tu-soi-tu-sua/ke-hoach/", "/tu-soi-tu-sua/qua-han/", "/tu-soi-tu-sua/"])
def test_private_reading_costs_no_query_per_row(people, tree, make_member, make_user, client_for, year, url):
    _plans(people, tree, make_member, make_user, year, 2)
    few_sec = _queries(client_for(people["sec_a"]), url)
    few_ward = _queries(client_for(people["ward"]), url)
    _plans(people, tree, make_member, make_user, year, 6)
    assert _queries(client_for(people["sec_a"]), url) == few_sec
    assert _queries(client_for(people["ward"]), url) == few_ward


@pytest.mark.django_db
def test_the_scope_answers_private_reading(people, tree, year):
    exam = _exam(people["hung_user"], people["hung"], year)
    for user, basis in [
        (people["hung_user"], "own"),
        (people["sec_a"], "cell_committee"),
        (people["sec_b"], ""),
        (people["ward"], ""),
        (people["ubkt"], ""),
    ]:
        access = scope_for(user).may_read_private(exam)
        assert (access.allowed, access.basis) == (bool(basis), basis)
    assert list(SelfExamination.objects.restrict_private(people["sec_a"])) == [exam]
    assert list(SelfExamination.objects.restrict_private(people["ward"])) == []
    group = services.review_group_create(user=people["ward"], organization=tree["ward"], year=year, name="Đoàn 1")
    target = services.review_target_add(user=people["ward"], group=group, member=people["hung"], mode="in_depth")
    opening = services.opening_create(
        user=people["ward"], examination=exam, reason="Đoàn dự kiểm điểm cuối năm", review_target=target
    )
    people["ward"].__dict__.pop("_scope_cache", None)  # a new request
    access = scope_for(people["ward"]).may_read_private(exam)
    assert (access.allowed, access.basis, access.opening) == (True, "opening", opening)
    assert list(SelfExamination.objects.restrict_private(people["ward"])) == [exam]
    # one query for the openings, once per request, whatever the number of rows asked about
    people["ward"].__dict__.pop("_scope_cache", None)
    scope = scope_for(people["ward"])
    with CaptureQueriesContext(connection) as ctx:
        for _ in range(5):
            scope.may_read_private(exam)
    assert len(ctx.captured_queries) == 1
    assert selectors.content_access(people["ward"], exam).basis == "opening"


@pytest.mark.django_db
def test_plans_of_organizations_are_read_by_scope_and_of_members_privately(people, tree, year):
    org_plan = services.remediation_plan_create(
        user=people["sec_a"],
        year=year,
        title="Chi bộ",
        owner_name="Bí thư",
        organization=tree["cell_a"],
        actions=[("Việc", TODAY)],
    )
    own_plan = services.remediation_plan_create(
        user=people["sec_a"],
        year=year,
        title="Riêng",
        owner_name="Hùng",
        member=people["hung"],
        actions=[("Việc", TODAY)],
    )
    assert scope_for(people["ward"]).may_read_private(org_plan).basis == "scope"
    assert not scope_for(people["ward"]).may_read_private(own_plan).allowed
    assert scope_for(people["sec_a"]).may_read_private(own_plan).basis == "cell_committee"
    assert scope_for(people["hung_user"]).may_read_private(own_plan).basis == "own"
    assert list(RemediationPlan.objects.restrict_private(people["ward"])) == [org_plan]
    assert set(RemediationPlan.objects.restrict_private(people["sec_a"])) == {org_plan, own_plan}
    assert list(RemediationPlan.objects.restrict_private(people["sec_b"])) == []
