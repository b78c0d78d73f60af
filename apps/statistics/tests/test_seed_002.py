"""Seed 002 (Kiến Tường, 2020): the figures the town committee published, rebuilt from generated
members with dated histories and read back through the API and the statistics page.

24 grassroots organizations (20 committees: 8 commune/ward and 12 agency; 4 agency cells), 135
subordinate cells; 1.985 members of whom 882 women; 1.564 members in 2015; 379 admitted in the
term. The 1.564 of 2015 lose 20 deceased (2017) and 30 transferred out (2018); 92 members come in
by transfer (2016–2019) and 379 are admitted (2016–2019): 1.564 − 50 + 92 + 379 = 1.985."""

import datetime as dt
import random

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from apps.core.roles import Role
from apps.demo.bulk import MemberWriter, OrganizationWriter, reset_sequences
from apps.members.models import Member, MemberNameKey, Status, StatusChange, StatusChangeKind
from apps.organizations.models import Kind, Organization, Sector
from apps.organizations.services import organization_create

END_OF_TERM = dt.date(2019, 12, 31)
TERM = (dt.date(2016, 1, 1), dt.date(2020, 6, 30))


def _day(rng, start, end):
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def _fields(rng, n, gender, admitted):
    return {
        "family_name": "Nguyễn",
        "middle_name": "Văn" if gender == "male" else "Thị",
        "given_name": f"Kiến{n}",
        "gender": gender,
        "birth_date": admitted.replace(year=admitted.year - 25),
        "admission_date": admitted,
        "full_membership_date": admitted.replace(year=admitted.year + 1)
        if admitted.replace(year=admitted.year + 1) <= dt.date(2020, 8, 5)
        else None,
        "political_theory": rng.choice(("", "elementary", "intermediate", "advanced")),
    }


@pytest.fixture
def kien_tuong(admin_user):
    rng = random.Random(2)
    province = organization_create(
        user=admin_user,
        name="Đảng bộ tỉnh Long An",
        code="LA",
        kind=Kind.PROVINCIAL_COMMITTEE,
        sector=Sector.OTHER,
        parent=None,
        founded_on=dt.date(1976, 1, 1),
    )
    town = organization_create(
        user=admin_user,
        name="Đảng bộ thị xã Kiến Tường",
        code="LA-KT",
        kind=Kind.DISTRICT_COMMITTEE,
        sector=Sector.OTHER,
        parent=province,
        founded_on=dt.date(2013, 1, 1),
    )
    ow = OrganizationWriter()
    founded = dt.date(2013, 1, 1)
    units = []  # where members sit: the subordinate cells and the grassroots cells
    for i in range(20):
        commune = i < 8
        committee = ow.add(
            parent=town,
            name=f"Đảng bộ {'phường' if commune else 'cơ quan'} {i + 1}",
            code=f"LA-KT-G{i + 1:02d}",
            kind=Kind.GRASSROOTS_COMMITTEE,
            sector=Sector.COMMUNE if commune else Sector.AGENCY,
            founded_on=founded,
        )
        cells = (11 if i < 7 else 10) if commune else 4  # 7×11 + 10 + 12×4 = 135
        for c in range(cells):
            units.append(
                ow.add(
                    parent=committee,
                    name=f"Chi bộ {i + 1}.{c + 1}",
                    code=f"LA-KT-G{i + 1:02d}-{c + 1:02d}",
                    kind=Kind.CELL,
                    sector=Sector.RESIDENTIAL if commune else Sector.AGENCY,
                    founded_on=founded,
                )
            )
    for i in range(4):
        units.append(
            ow.add(
                parent=town,
                name=f"Chi bộ cơ quan {i + 1}",
                code=f"LA-KT-C{i + 1}",
                kind=Kind.GRASSROOTS_CELL,
                sector=Sector.AGENCY,
                founded_on=founded,
            )
        )
    ow.flush()
    reset_sequences(Organization)  # explicit keys: PostgreSQL's sequences move past them

    mw = MemberWriter()
    women_left = 882
    n = 0

    def gender_for(stays: bool) -> str:
        nonlocal women_left
        if stays and women_left:
            women_left -= 1
            return "female"
        return "male"

    for i in range(1564):  # members before the term; the first 50 leave during it
        n += 1
        admitted = _day(rng, dt.date(1985, 1, 1), dt.date(2014, 12, 31))
        end = None
        if i < 20:
            end = (StatusChangeKind.DECEASED, Status.DECEASED, _day(rng, dt.date(2017, 1, 1), dt.date(2017, 12, 31)))
        elif i < 50:
            end = (
                StatusChangeKind.TRANSFER_OUT,
                Status.TRANSFERRED_OUT,
                _day(rng, dt.date(2018, 1, 1), dt.date(2018, 12, 31)),
            )
        mw.add(units[i % len(units)], _fields(rng, n, gender_for(end is None), admitted), end=end)
    for i in range(379):  # admitted in the term
        n += 1
        admitted = _day(rng, dt.date(2016, 1, 1), dt.date(2019, 12, 31))
        mw.add(units[(i * 7) % len(units)], _fields(rng, n, gender_for(True), admitted))
    mw.flush()
    reset_sequences(Member, StatusChange, MemberNameKey)
    transferred = []
    for i in range(92):  # transferred in from elsewhere in the term: their history starts here
        n += 1
        unit = units[(i * 11) % len(units)]
        fields = _fields(rng, n, gender_for(True), _day(rng, dt.date(2000, 1, 1), dt.date(2010, 12, 31)))
        member = Member(
            organization_id=unit.pk,
            org_path=unit.path,
            status=Status.FULL,
            status_since=fields["full_membership_date"],
            **fields,
        )
        member.refresh_derived()
        transferred.append(member)
    Member.objects.bulk_create(transferred)
    for member in Member.objects.filter(given_name__in=[m.given_name for m in transferred]):
        StatusChange.objects.create(
            member=member,
            kind=StatusChangeKind.TRANSFER_IN,
            date=_day(rng, dt.date(2016, 1, 1), dt.date(2019, 12, 31)),
            status=Status.FULL,
            organization_id=member.organization_id,
            other_organization_name="Đảng bộ tỉnh khác",
        )
    assert women_left == 0
    return {"province": province, "town": town}


@pytest.mark.django_db
def test_the_published_figures_through_the_api(kien_tuong, make_user, client):
    staff = make_user("thiuy_kt", Role.COMMITTEE_STAFF, kien_tuong["town"])
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {Token.objects.create(user=staff).key}"
    town = kien_tuong["town"].pk
    end = client.get(f"/api/statistics/members/?organization={town}&on={END_OF_TERM}").json()
    assert end["total"] == 1985
    assert end["by_gender"] == {"male": 1103, "female": 882}
    assert sum(end["by_theory_level"].values()) == 1985
    assert client.get(f"/api/statistics/members/?organization={town}&on=2015-12-31").json()["total"] == 1564
    assert client.get(f"/api/statistics/members/?organization={town}&on=2020-08-05").json()["total"] == 1985
    orgs = client.get(f"/api/statistics/organizations/?organization={town}&on=2020-08-05").json()
    assert orgs["grassroots"]["total"] == 24
    assert orgs["grassroots"]["committees"] == 20
    assert orgs["grassroots"]["cells"] == 4
    assert orgs["grassroots"]["committees_by_sector"]["commune"] == 8
    assert orgs["grassroots"]["committees_by_sector"]["agency"] == 12
    assert orgs["grassroots"]["cells_by_sector"]["agency"] == 4
    assert orgs["subordinate_cells"] == 135
    moves = client.get(f"/api/statistics/movement/?organization={town}&from={TERM[0]}&to={TERM[1]}").json()
    assert moves["admitted"] == 379
    assert moves["transferred_in"] == 92
    assert moves["transferred_out"] == 30
    assert moves["deceased"] == 20
    assert 1564 + moves["admitted"] + moves["transferred_in"] - moves["transferred_out"] - moves["deceased"] == 1985


@pytest.mark.django_db
def test_the_published_figures_on_the_page(kien_tuong, make_user, client_for):
    staff = make_user("thiuy_kt", Role.COMMITTEE_STAFF, kien_tuong["town"])
    url = reverse("statistics:organization", args=[kien_tuong["town"].pk])
    params = "?on=31/12/2019&compare_on=31/12/2015&start=01/01/2016&end=30/06/2020"
    text = client_for(staff).get(url + params).content.decode()
    assert "Tổng số 1.985 đảng viên, trong đó 882 nữ" in text
    assert "Ngày 31/12/2015: 1.564 đảng viên" in text
    assert "24 tổ chức cơ sở đảng (20 đảng bộ cơ sở, 4 chi bộ cơ sở); 135 chi bộ trực thuộc." in text
    assert '<th scope="row">Kết nạp</th><td class="num" data-label="01/01/2016 – 30/06/2020">379</td>' in text
