import datetime as dt

from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from apps.core.periods import Period
from apps.core.roles import Role
from apps.resolutions import services


def api(user):
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def test_api_scoped_like_the_pages(ward_staff, secretary_a, make_user, tree, congress, new_members, split, make_member):
    a, b = split
    services.result_enter(user=ward_staff, target=a, period=Period(2024, 1), value=3)
    hung = make_member(tree["cell_a"], "Nguyễn Văn Hùng")
    task = services.task_create(user=ward_staff, content="Việc", deadline=dt.date(2024, 1, 1), owner_member=hung)
    other = make_user("dangu_dh", Role.COMMITTEE_STAFF, tree["ward2"])

    ward = api(ward_staff)
    targets = ward.get("/api/targets/", {"resolution": congress.pk}).json()["results"]
    assert sorted(t["id"] for t in targets) == sorted([new_members.pk, a.pk, b.pk])
    row = next(t for t in targets if t["id"] == a.pk)
    assert [(r["year"], r["quarter"], r["value"]) for r in row["results"]] == [(2024, 1, "3.00")]
    assert ward.get(f"/api/resolutions/{congress.pk}/").json()["number"] == "01-NQ/ĐH"
    assert ward.get(f"/api/tasks/{task.pk}/").json()["overdue"] is True

    cell = api(secretary_a)
    assert [t["id"] for t in cell.get("/api/targets/").json()["results"]] == [a.pk]
    assert cell.get(f"/api/targets/{b.pk}/").status_code == 404
    assert [t["id"] for t in cell.get("/api/tasks/").json()["results"]] == [task.pk]

    outsider = api(other)
    assert outsider.get("/api/targets/").json()["results"] == []
    assert outsider.get(f"/api/resolutions/{congress.pk}/").status_code == 404
    assert outsider.get(f"/api/tasks/{task.pk}/").status_code == 404
