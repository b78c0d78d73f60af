"""Ghi bổ sung: a committee opens closed past months so a cell can bring in its paper records."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError

from apps.core.periods import Period
from apps.meetings import selectors, services
from apps.meetings.models import Backfill, Kind, Meeting, Presence
from apps.organizations.models import Organization

pytestmark = pytest.mark.django_db

PAPER_2020 = "Đưa sổ sinh hoạt giấy năm 2020 vào hệ thống để so sánh với năm 2024."


def _open(user, organization, today, **overrides):
    fields = {
        "starts_on": dt.date(2020, 1, 1),
        "ends_on": dt.date(2020, 12, 31),
        "open_until": today + dt.timedelta(days=30),
        "reason": PAPER_2020,
        **overrides,
    }
    return services.backfill_open(user=user, organization=organization, **fields)


def _hold_2020(secretary, cell, member, day):
    meeting = services.meeting_create(user=secretary, organization=cell, kind=Kind.REGULAR, date=day)
    services.meeting_start(user=secretary, meeting=meeting)
    services.attendance_mark(user=secretary, meeting=meeting, member=member, presence=Presence.PRESENT)
    return meeting


def test_a_2020_meeting_is_refused_until_the_ward_opens_the_year_then_counts_in_rates(
    tree, make_member, secretary_a, ward_staff, rule_set, today
):
    cell = tree["cell_a"]
    an = make_member(cell, "Nguyễn Văn An", admission_date=dt.date(2010, 1, 1))
    with pytest.raises(ValidationError) as refused:
        services.meeting_create(user=secretary_a, organization=cell, kind=Kind.REGULAR, date=dt.date(2020, 3, 10))
    assert "cấp ủy cấp trên mở ghi bổ sung" in refused.value.message_dict["date"][0]
    assert Meeting.objects.count() == 0

    opening = _open(ward_staff, tree["ward"], today)
    meeting = _hold_2020(secretary_a, cell, an, dt.date(2020, 3, 10))
    assert meeting.backfill == opening
    entry = LogEntry.objects.get_for_object(opening).get()
    assert (entry.actor, entry.action) == (ward_staff, LogEntry.Action.CREATE)
    # A meeting of this year's open months carries no mark.
    assert services.meeting_create(user=secretary_a, organization=cell, kind=Kind.REGULAR, date=today).backfill is None

    services.meeting_finish(user=secretary_a, meeting=meeting)
    rates = selectors.rates(ward_staff, tree["ward"], Period(2020, 1))
    assert (rates["total"].present, rates["total"].base) == (1, 1)
    march = selectors.compliance(ward_staff, tree["ward"], Period(2020, 1, 3), today)
    assert [cell.name for cell in march.no_regular] == ["Chi bộ khu phố 2"]  # cell A has its March now


def test_only_the_committee_above_opens_and_only_for_its_own_cells(
    tree, make_member, make_user, secretary_a, ward_staff, rule_set, today
):
    from apps.core.roles import Role

    with pytest.raises(PermissionDenied):
        _open(secretary_a, tree["cell_a"], today)  # a secretary cannot open their own cell
    other_ward = make_user("dangu_khac", Role.COMMITTEE_STAFF, tree["ward2"])
    with pytest.raises(PermissionDenied):
        _open(other_ward, tree["cell_a"], today)
    with pytest.raises(PermissionDenied):
        _open(other_ward, tree["ward"], today)
    assert Backfill.objects.count() == 0
    # The ward opens one cell: the sibling cell stays closed.
    _open(ward_staff, tree["cell_a"], today)
    bao = make_member(tree["cell_b"], "Lê Văn Bảo")
    secretary_b = make_user("bithu_b", Role.CELL_SECRETARY, tree["cell_b"], include_subtree=False)
    with pytest.raises(ValidationError):
        _hold_2020(secretary_b, tree["cell_b"], bao, dt.date(2020, 3, 10))


def test_an_opening_ends_on_its_deadline(tree, make_member, secretary_a, ward_staff, rule_set, today):
    an = make_member(tree["cell_a"], "Nguyễn Văn An", admission_date=dt.date(2010, 1, 1))
    opening = _open(ward_staff, tree["ward"], today)
    Backfill.objects.filter(pk=opening.pk).update(open_until=today - dt.timedelta(days=1))
    with pytest.raises(ValidationError):
        _hold_2020(secretary_a, tree["cell_a"], an, dt.date(2020, 3, 10))
    assert Meeting.objects.count() == 0


def test_bad_input_names_the_field_and_opens_nothing(tree, ward_staff, today):
    cases = [
        ({"reason": "  "}, "reason", "Hãy ghi lý do ghi bổ sung"),
        ({"ends_on": dt.date(2019, 12, 31)}, "ends_on", "Ngày kết thúc phải từ ngày bắt đầu trở đi."),
        ({"ends_on": today}, "ends_on", "Ghi bổ sung chỉ dành cho ngày đã qua."),
        ({"open_until": today + dt.timedelta(days=91)}, "open_until", "tối đa 90 ngày"),
        ({"open_until": today - dt.timedelta(days=1)}, "open_until", "tối đa 90 ngày"),
        ({"starts_on": dt.date(1999, 1, 1)}, "starts_on", "thành lập ngày 01/01/2000"),
    ]
    for overrides, field, message in cases:
        with pytest.raises(ValidationError) as refused:
            _open(ward_staff, tree["ward"], today, **overrides)
        assert message in refused.value.message_dict[field][0], (overrides, refused.value.message_dict)
    assert Backfill.objects.count() == 0


def test_the_compliance_page_opens_it_keeps_bad_input_and_the_meeting_shows_the_mark(
    tree, make_member, secretary_a, ward_staff, client_for, rule_set, today
):
    client = client_for(ward_staff)
    url = f"/sinh-hoat/canh-bao/{tree['ward'].pk}/ghi-bo-sung/"
    page = client.get("/sinh-hoat/canh-bao/", {"org": tree["ward"].pk, "year": 2020, "period": ""})
    assert 'id="backfill-form"' in page.content.decode()
    bad = client.post(url, {"starts_on": "2020-01-01", "ends_on": "2020-12-31", "open_until": "", "reason": "Sổ giấy"})
    assert bad.status_code == 400
    assert "Sổ giấy" in bad.content.decode() and Backfill.objects.count() == 0
    until = (today + dt.timedelta(days=20)).isoformat()
    ok = client.post(
        url, {"starts_on": "2020-01-01", "ends_on": "2020-12-31", "open_until": until, "reason": PAPER_2020}
    )
    assert ok.status_code == 302
    html = client.get(ok["Location"]).content.decode()
    assert "Đã mở ghi bổ sung sinh hoạt từ 01/01/2020 đến 31/12/2020" in html and PAPER_2020 in html
    # The cell secretary sees no opening form on the cell's page, and cannot post one.
    secretary = client_for(secretary_a)
    cell_page = secretary.get("/sinh-hoat/canh-bao/", {"org": tree["cell_a"].pk}).content.decode()
    assert 'id="backfill-form"' not in cell_page
    assert secretary.post(f"/sinh-hoat/canh-bao/{tree['cell_a'].pk}/ghi-bo-sung/", {"reason": "x"}).status_code in (
        403,
        404,
    )
    an = make_member(tree["cell_a"], "Nguyễn Văn An", admission_date=dt.date(2010, 1, 1))
    meeting = _hold_2020(secretary_a, tree["cell_a"], an, dt.date(2020, 5, 12))
    detail = secretary.get(f"/sinh-hoat/{meeting.pk}/").content.decode()
    assert 'id="backfilled"' in detail and "Đảng bộ phường Bình Thắng mở" in detail
    assert Organization.objects.filter(pk=tree["cell_a"].pk).exists()
