"""One log of sensitive reads (issue 18): a discipline record read from the member page, the
discipline page or anywhere else lands in the one log, and the record's page lists every reading."""

import datetime as dt

import pytest
from django.utils import timezone

from apps.accountability import services as acc
from apps.accountability.models import AccessRecord
from apps.core.access import readings_of, record_read
from apps.discipline import services as discipline


@pytest.fixture
def case(tree, make_member, secretary_a):
    member = make_member(tree["cell_a"], "Nguyễn Văn Hùng")
    record = discipline.discipline_create(
        user=secretary_a,
        member=member,
        form="reprimand",
        deciding_body="Chi bộ",
        decided_on=dt.date(2025, 6, 1),
        reason="Vắng sinh hoạt ba kỳ liền",
    )
    return member, record


@pytest.mark.django_db
def test_a_discipline_read_on_the_member_page_is_listed_on_the_record(case, ward_staff, secretary_a, client_for):
    member, record = case
    r = client_for(ward_staff).get(f"/dang-vien/{member.pk}/")
    assert "Vắng sinh hoạt ba kỳ liền" in r.content.decode()
    assert list(AccessRecord.objects.values_list("user__username", "kind", "object_id", "member_id")) == [
        ("dangu_bt", "discipline", record.pk, member.pk)
    ]
    body = client_for(secretary_a).get(f"/ky-luat/{record.pk}/").content.decode()
    assert "dangu_bt" in body  # the ward's reading from the member page
    assert [a.user.username for a in readings_of(record)] == ["bithu_a", "dangu_bt"]


@pytest.mark.django_db
def test_the_member_reading_their_own_record_is_not_logged(case, make_user, client_for):
    member, record = case
    own = make_user("hung", member=member)
    assert client_for(own).get(f"/dang-vien/{member.pk}/").status_code == 200
    assert record_read(own, record) is None
    assert AccessRecord.objects.count() == 0


@pytest.mark.django_db
def test_a_remediation_plan_lists_its_readings(tree, make_member, secretary_a, client_for):
    member = make_member(tree["cell_a"], "Nguyễn Văn Hùng")
    plan = acc.remediation_plan_create(
        user=secretary_a,
        year=timezone.localdate().year,
        title="Riêng",
        owner_name="Hùng",
        member=member,
        actions=[("Việc", timezone.localdate())],
    )
    client = client_for(secretary_a)
    client.get(f"/tu-soi-tu-sua/ke-hoach/{plan.pk}/")
    body = client.get(f"/tu-soi-tu-sua/ke-hoach/{plan.pk}/").content.decode()
    assert body.count("bithu_a") >= 2
    assert AccessRecord.objects.filter(kind="remediation", object_id=plan.pk).count() == 2
