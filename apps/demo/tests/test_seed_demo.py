from collections import Counter
from datetime import date

import pytest
from django.core.management import call_command

from apps.accounts.models import User
from apps.members.models import Member, Status
from apps.organizations.models import CommitteePost, Kind, Organization, OversightAssignment
from apps.organizations.selectors import name_on, parents_on


@pytest.fixture
def seeded(db):
    call_command("seed_demo", size=600, seed=1, no_hooks=True, stdout=open("/dev/null", "w"))


def test_binh_thang_has_224_members_in_13_cells(seeded):
    ward = Organization.objects.get(name="Đảng bộ phường Bình Thắng")
    assert ward.children.filter(kind=Kind.CELL).count() == 13
    members = Member.objects.in_subtree(ward)
    assert members.current().count() == 224
    assert members.filter(admission_date__lte=date(2018, 12, 31)).count() == 224
    assert members.filter(family_name="Nguyễn", middle_name="Văn", given_name="Hùng").exists()
    assert Member.objects.in_subtree(ward).search("nguyen van hung").exists()
    statuses = Counter(members.values_list("status", flat=True))
    assert statuses[Status.PROBATIONARY] == 2
    assert statuses[Status.EXEMPTED] == 37


def test_every_member_is_consistent(seeded):
    for m in Member.objects.all():
        assert m.age_on(m.admission_date) >= 18
        if m.full_membership_date:
            assert m.full_membership_date >= m.admission_date.replace(year=m.admission_date.year + 1) or (
                m.admission_date.month == 2 and m.admission_date.day == 29
            )
        org = m.organization
        assert m.org_path == org.path
        assert m.search_name.startswith(" ")
        assert m.status_changes.first().kind == "admitted"
    assert Member.objects.count() > 224 + 500


def test_district_history_and_reform(seeded):
    district = Organization.objects.get(code="BDG-DA")
    ward = Organization.objects.get(name="Đảng bộ phường Bình Thắng")
    province = Organization.objects.get(code="BDG")
    assert district.ended_on == date(2025, 7, 1)
    assert parents_on(date(2019, 4, 19))[ward.pk] == district.pk
    assert parents_on(date(2025, 7, 1))[ward.pk] == province.pk
    assert name_on(ward, date(2005, 1, 1)) == "Đảng bộ xã Bình Thắng"
    assert name_on(district, date(2019, 1, 1)) == "Đảng bộ thị xã Dĩ An"
    assert ward.path.startswith(province.path) and ward.depth == 1
    for org in Organization.objects.filter(kind=Kind.GRASSROOTS_COMMITTEE):
        assert org.parent_id == province.pk
        assert org.path == province.path + org.path[len(province.path) :]
    for cell in Organization.objects.filter(kind=Kind.CELL):
        assert cell.path.startswith(cell.parent.path) and cell.depth == cell.parent.depth + 1


def test_posts_oversight_and_logins(seeded):
    ward = Organization.objects.get(name="Đảng bộ phường Bình Thắng")
    for cell in ward.children.all():
        assert CommitteePost.objects.filter(organization=cell, post="secretary", ends_on__isnull=True).count() == 1
        assert CommitteePost.objects.filter(organization=cell, post="deputy", ends_on__isnull=True).count() == 1
        assert OversightAssignment.objects.filter(organization=cell, ends_on__isnull=True).count() == 1
    assert ward.terms.count() == 3
    for username in ("admin", "bantochuc", "binhthang", "bithu.trungthang", "kiemtra", "dangvien"):
        assert User.objects.get(username=username).check_password("demo12345")
    assert User.objects.get(username="dangvien").member.full_name == "Nguyễn Văn Hùng"
    assert User.objects.get(username="bithu.trungthang").member.organization.name == "Chi bộ khu phố Trung Thắng"


def test_if_empty_does_nothing_the_second_time(seeded):
    before = Member.objects.count()
    call_command("seed_demo", if_empty=True, stdout=open("/dev/null", "w"))
    assert Member.objects.count() == before


def test_classification_plan_2018(db):
    from apps.demo.management.commands import seed_demo

    command = seed_demo.Command(stdout=open("/dev/null", "w"))
    import random

    context = command.build(rng=random.Random(3), today=date(2026, 11, 28), size=0)
    plan = context["classification_2018"]
    assert len(plan["classifiable"]) == 178
    assert len(plan["not_classifiable"]) == 46
    assert Counter(plan["member_levels"].values()) == {"excellent": 34, "good": 135, "satisfactory": 9}
    assert Counter(plan["cell_levels"].values()) == {"excellent": 3, "good": 10}
    assert Counter(why for _m, why in plan["not_classifiable"]) == {"exempted": 40, "admitted_late_2018": 6}
