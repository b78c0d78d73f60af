"""Issue 16, finding 3 and seed 004's figures: review targets counted by mode and subject, for a
period and an organization subtree (page, .xlsx, API), each target on a group's list once."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from apps.accountability import selectors, services
from apps.accountability.generators import review_district
from apps.accountability.models import ReviewTarget
from apps.api.tests.shapes import legacy
from apps.core.periods import Period
from apps.core.roles import Role


@pytest.fixture
def district(admin_user, tree):
    return review_district(user=admin_user, parent=tree["province"])


def _figures(counts):
    return (
        counts.in_depth_collectives,
        counts.in_depth_individuals,
        counts.attended_collectives,
        counts.attended_individuals,
    )


@pytest.mark.django_db
def test_seed_2017_figures_come_out_of_the_generated_district(district, admin_user):
    counts = selectors.review_counts(admin_user, Period(2017), district.district)
    assert _figures(counts) == (9, 9, 9, 1)
    # Another year gives its own figures, not 2017's.
    assert _figures(selectors.review_counts(admin_user, Period(2018), district.district)) == (2, 3, 1, 0)
    assert _figures(selectors.review_counts(admin_user, Period(2019), district.district)) == (0, 0, 0, 0)
    # The base is the district on 31/12/2017: 18 cells × 3 members, not today's 59 members.
    assert len(district.members) + len(district.later_members) == 59
    assert (counts.members, counts.organizations) == (54, 19)
    assert counts.individuals_percent == 10 * 100 / 54
    # A quarter counts only the dated reviews (20/12) and says how many had no date.
    q4 = selectors.review_counts(admin_user, Period(2017, 4), district.district)
    assert (_figures(q4), q4.undated) == ((4, 5, 4, 1), 14)
    assert _figures(selectors.review_counts(admin_user, Period(2017, 1), district.district)) == (0, 0, 0, 0)


@pytest.mark.django_db
def test_counts_page_export_and_api_show_the_2017_figures(district, admin_user, make_user, client_for):
    staff = make_user("quanuy_bt", Role.COMMITTEE_STAFF, district.district)
    client = client_for(staff)
    page = client.get(f"/tu-soi-tu-sua/doan-kiem-diem/so-lieu/?org={district.district.pk}&year=2017&period=")
    assert page.status_code == 200
    counts = page.context["counts"]
    assert _figures(counts) == (9, 9, 9, 1)
    html = page.content.decode()
    assert "31/12/2017: 19 tổ chức đảng, 54 đảng viên đang sinh hoạt" in html
    assert "18,52%" in html  # 10 individuals of 54 members
    xlsx = client.get(f"/tu-soi-tu-sua/doan-kiem-diem/so-lieu/xlsx/?org={district.district.pk}&year=2017&period=")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    rows = [tuple(c.value for c in row) for row in sheet.iter_rows(min_row=3, max_row=5)]
    assert rows == [
        ("Kiểm điểm sâu (gợi ý kiểm điểm)", 9, 9, 18),
        ("Dự kiểm điểm", 9, 1, 10),
        ("Cộng", 18, 10, 28),
    ]
    api = client.get(f"/api/review-counts/?organization={district.district.pk}&year=2017")
    assert api.status_code == 200
    assert api.json() == {
        "organization": district.district.pk,
        "year": 2017,
        "period": "",
        "start": "2017-01-01",
        "end": "2017-12-31",
        "in_depth": {"collectives": 9, "individuals": 9},
        "attended": {"collectives": 9, "individuals": 1},
        "undated": 0,
        "members": 54,
        "organizations": 19,
    }
    bad = client.get(f"/api/review-counts/?organization={district.district.pk}&year=2018&period=q9")
    assert bad.status_code == 400


@pytest.mark.django_db
def test_counts_stay_within_reach(district, tree, make_user, client_for):
    other = make_user("dangu_khac", Role.COMMITTEE_STAFF, tree["ward"])
    url = f"/tu-soi-tu-sua/doan-kiem-diem/so-lieu/?org={district.district.pk}&year=2017"
    assert client_for(other).get(url).status_code == 404
    assert client_for(other).get(url.replace("so-lieu/", "so-lieu/xlsx/")).status_code == 404
    api = client_for(other).get(f"/api/review-counts/?organization={district.district.pk}&year=2017")
    assert (api.status_code, legacy(api)) == (
        400,
        {"organization": [f"Không tìm thấy tổ chức đảng có mã số {district.district.pk}."]},
    )
    # The cell reviewed sees its own count (the suggestions addressed to it).
    cell = district.cells[0]
    secretary = make_user("bithu_kv1", Role.CELL_SECRETARY, cell, include_subtree=False)
    page = client_for(secretary).get(f"/tu-soi-tu-sua/doan-kiem-diem/so-lieu/?org={cell.pk}&year=2017&period=")
    assert page.status_code == 200
    assert _figures(page.context["counts"]) == (1, 3, 0, 0)


@pytest.mark.django_db
def test_a_target_cannot_be_added_twice(people, tree, year, client_for):
    ward = people["ward"]
    group = services.review_group_create(user=ward, organization=tree["ward"], year=year, name="Đoàn năm nay")
    first = services.review_target_add(user=ward, group=group, organization=tree["cell_a"], mode="in_depth")
    services.review_target_add(user=ward, group=group, member=people["hung"], mode="attend")
    assert (first.subject_kind, group.targets.get(member=people["hung"]).subject_kind) == ("collective", "individual")
    with pytest.raises(ValidationError) as e:
        services.review_target_add(user=ward, group=group, organization=tree["cell_a"], mode="attend")
    assert e.value.message_dict == {
        "organization": ["Chi bộ khu phố 1 đã có trong danh sách của đoàn (Kiểm điểm sâu (gợi ý kiểm điểm))."]
    }
    r = client_for(ward).post(
        f"/tu-soi-tu-sua/doan-kiem-diem/{group.pk}/", {"member": people["hung"].pk, "mode": "in_depth"}
    )
    assert r.status_code == 200
    assert "đã có trong danh sách của đoàn" in r.content.decode()
    assert ReviewTarget.objects.count() == 2
    assert [(t.mode, t.subject_kind) for t in ReviewTarget.objects.order_by("pk")] == [
        ("in_depth", "collective"),
        ("attend", "individual"),
    ]


@pytest.mark.django_db
def test_review_date_outside_the_group_year_is_refused(people, tree, year):
    group = services.review_group_create(user=people["ward"], organization=tree["ward"], year=year, name="Đoàn")
    with pytest.raises(ValidationError) as e:
        services.review_target_add(
            user=people["ward"],
            group=group,
            organization=tree["cell_a"],
            mode="in_depth",
            review_on=dt.date(year - 1, 12, 1),
        )
    assert e.value.message_dict == {"review_on": [f"Ngày kiểm điểm phải trong năm {year} của đoàn."]}
    assert ReviewTarget.objects.count() == 0


@pytest.mark.django_db
def test_migration_sets_kinds_and_reopens_actions_closed_by_a_failed_check(people, tree, year):
    import importlib

    from django.apps import apps as django_apps

    from apps.accountability.models import RemediationAction

    migration = importlib.import_module("apps.accountability.migrations.0910_review_counts_plans_and_reopened_checks")
    group = services.review_group_create(user=people["ward"], organization=tree["ward"], year=year, name="Đoàn")
    target = services.review_target_add(user=people["ward"], group=group, member=people["hung"], mode="in_depth")
    ReviewTarget.objects.filter(pk=target.pk).update(subject_kind="collective")  # as an old row: unset
    plan = services.remediation_plan_create(
        user=people["sec_a"],
        year=year,
        title="Chi bộ",
        owner_name="Bí thư",
        organization=tree["cell_a"],
        actions=[("Bổ sung biên bản", dt.date(year, 1, 10))],
    )
    # The old code closed an action whose check failed.
    RemediationAction.objects.filter(plan=plan).update(done_on=dt.date(year, 1, 5), check_passed=False)
    migration.forwards(django_apps, None)
    target.refresh_from_db()
    action = plan.actions.get()
    assert target.subject_kind == "individual"
    assert (action.done_on, action.check_passed, action.failed_checks) == (None, False, 1)
