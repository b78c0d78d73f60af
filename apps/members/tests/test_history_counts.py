"""A report for a past date counts the tree and the members as they were on that date."""

import datetime as dt

import pytest

from apps.members.selectors import status_counts
from apps.members.services import member_change_status
from apps.organizations.models import Kind, Sector
from apps.organizations.services import organization_create, organization_end, organization_move


@pytest.mark.django_db
def test_2019_report_counts_the_2019_tree_after_the_2025_reform(tree, make_member, admin_user, client_for):
    province = tree["province"]
    district = organization_create(
        user=admin_user,
        name="Đảng bộ thị xã Dĩ An",
        code="T-DA",
        kind=Kind.DISTRICT_COMMITTEE,
        sector=Sector.OTHER,
        parent=province,
        founded_on=dt.date(2000, 1, 1),
    )
    ward = organization_create(
        user=admin_user,
        name="Đảng bộ phường An Bình",
        code="T-DA-AB",
        kind=Kind.GRASSROOTS_COMMITTEE,
        sector=Sector.COMMUNE,
        parent=district,
        founded_on=dt.date(2000, 1, 1),
    )
    cell = organization_create(
        user=admin_user,
        name="Chi bộ khu phố Nội Hóa",
        code="T-DA-AB-1",
        kind=Kind.CELL,
        sector=Sector.RESIDENTIAL,
        parent=ward,
        founded_on=dt.date(2000, 1, 1),
    )
    a = make_member(cell, "Nguyễn Văn An", admission_date=dt.date(2010, 1, 1), full_membership_date=dt.date(2011, 1, 1))
    make_member(cell, "Trần Thị Bích", admission_date=dt.date(2012, 1, 1), full_membership_date=dt.date(2013, 1, 1))
    make_member(cell, "Lê Văn Cường", admission_date=dt.date(2020, 3, 1), full_membership_date=None)  # after 2019
    member_change_status(user=admin_user, member=a, kind="deceased", on=dt.date(2021, 5, 2))
    # The two-tier reform: the ward goes directly under the province, the district ends.
    organization_move(user=admin_user, organization=ward, new_parent=province, on=dt.date(2025, 7, 1))
    organization_end(user=admin_user, organization=district, on=dt.date(2025, 7, 1))

    counts, current = status_counts(admin_user, district, dt.date(2019, 12, 31))
    assert {c["status"]: c["n"] for c in counts} == {"full": 2}
    assert current == 2
    # Today the district holds nothing; the ward holds the living members.
    assert status_counts(admin_user, district) == ([], 0)
    counts, current = status_counts(admin_user, ward)
    assert {c["status"]: c["n"] for c in counts} == {"full": 1, "probationary": 1, "deceased": 1}
    assert current == 2
    # 2022: An has died, Cường is probationary, and the ward was still under the district.
    counts, current = status_counts(admin_user, district, dt.date(2022, 1, 1))
    assert {c["status"]: c["n"] for c in counts} == {"full": 1, "probationary": 1, "deceased": 1}
    assert current == 2

    page = client_for(admin_user).get(f"/to-chuc/{district.pk}/", {"on": "31/12/2019"}).content.decode()
    assert "tại ngày 31/12/2019" in page and "Đảng bộ thị xã Dĩ An" in page
    bad = client_for(admin_user).get(f"/to-chuc/{district.pk}/", {"on": "31/02/2019"}).content.decode()
    assert "Ngày không hợp lệ" in bad
