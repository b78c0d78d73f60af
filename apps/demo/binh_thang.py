"""The ward committee of Bình Thắng, modelled on the 2019 article (seeds/000_7de07a48f06246ed.txt).

What the article says and how the data follows it:
- 224 members meeting in 13 subordinate cells → 13 cells, 224 current members on 31/12/2018
  and again today (5 left after 2018, 5 were admitted after 2018).
- the residential-area cells ("khu phố"; "3/4 trưởng các khu phố là đảng viên" → 4 of them), one of
  them Trung Thắng, whose secretary is also head of the area's Front work committee;
  agency cells of the ward (Party–mass organizations, People's Committee), the ward police and
  military cells, the schools, the health station and one enterprise cell.
- Lê Anh Tuấn is secretary of the ward committee (2015–2020 term); the standing deputy secretary
  is also chairman of the People's Council and of the Fatherland Front committee.
- 2018 classification: 34 excellent, 135 good, 9 satisfactory, 0 unsatisfactory = 178 classified
  of 224. The other 46 are not classified: 40 exempted from party work and meetings (elderly or
  ill, mostly in the residential cells) and 6 admitted in the second half of 2018 (less than six
  months of probation at the year-end review). `plan_2018()` returns both lists and a suggested
  level for each classified member; cells: 3 excellent, 10 good.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from apps.members.models import Member, StatusChangeKind
from apps.members.services import member_change_status, member_create
from apps.organizations.models import CommitteePost, Kind, Organization, OversightAssignment, Post, Sector, Term
from apps.organizations.services import organization_create, organization_rename

from .bulk import member_fields
from .names import Identifiers, add_months, random_date

# (key, name, sector, members, excellent in 2018)
CELLS = [
    ("trung-thang", "Chi bộ khu phố Trung Thắng", Sector.RESIDENTIAL, 38, True),
    ("ngai-thang", "Chi bộ khu phố Ngãi Thắng", Sector.RESIDENTIAL, 34, False),
    ("binh-minh-1", "Chi bộ khu phố Bình Minh 1", Sector.RESIDENTIAL, 30, False),
    ("binh-minh-2", "Chi bộ khu phố Bình Minh 2", Sector.RESIDENTIAL, 28, False),
    ("dang-doan-the", "Chi bộ Cơ quan Đảng – Đoàn thể", Sector.AGENCY, 14, True),
    ("chinh-quyen", "Chi bộ Cơ quan Ủy ban nhân dân phường", Sector.AGENCY, 18, False),
    ("cong-an", "Chi bộ Công an phường", Sector.ARMED_FORCES, 16, True),
    ("quan-su", "Chi bộ Quân sự phường", Sector.ARMED_FORCES, 9, False),
    ("thcs", "Chi bộ Trường Trung học cơ sở Bình Thắng", Sector.PUBLIC_SERVICE, 10, False),
    ("tieu-hoc", "Chi bộ Trường Tiểu học Bình Thắng", Sector.PUBLIC_SERVICE, 9, False),
    ("mam-non", "Chi bộ Trường Mầm non Hoa Sen", Sector.PUBLIC_SERVICE, 7, False),
    ("y-te", "Chi bộ Trạm Y tế phường", Sector.PUBLIC_SERVICE, 6, False),
    ("doanh-nghiep", "Chi bộ Công ty Cổ phần Thương mại Bình Thắng", Sector.ENTERPRISE, 5, False),
]
TOTAL_2018 = 224
# Exempted members per cell (40 in all): the elderly of the residential areas, a few ill cadres.
EXEMPTED = {"trung-thang": 12, "ngai-thang": 11, "binh-minh-1": 9, "binh-minh-2": 6, "chinh-quyen": 1, "thcs": 1}
# Admitted in the second half of 2018 (6): not classified for 2018.
NEW_2018 = {"cong-an": 2, "thcs": 1, "chinh-quyen": 1, "trung-thang": 1, "doanh-nghiep": 1}
REVIEW_2018 = date(2018, 12, 31)
WARD_RENAMED = date(2011, 1, 13)
FOUNDED = date(
    1999, 8, 1
)  # the district of Dĩ An and its communes were set up  # the district became a town (thị xã) and the commune a ward


@dataclass
class Ward:
    ward: Organization
    cells: dict[str, Organization]
    members: dict[str, list[Member]] = field(default_factory=dict)
    not_classifiable: list[tuple[Member, str]] = field(default_factory=list)
    left_after_2018: list[Member] = field(default_factory=list)
    joined_after_2018: list[Member] = field(default_factory=list)
    named: dict[str, Member] = field(default_factory=dict)


def build(*, user, district: Organization, rng, today: date, ids: Identifiers, log=print) -> Ward:
    ward = organization_create(
        user=user,
        name="Đảng bộ xã Bình Thắng",
        short_name="Đảng ủy Bình Thắng",
        code=f"{district.code}-BT",
        kind=Kind.GRASSROOTS_COMMITTEE,
        sector=Sector.COMMUNE,
        parent=district,
        founded_on=FOUNDED,
        address="Phường Bình Thắng",
    )
    organization_rename(
        user=user, organization=ward, name="Đảng bộ phường Bình Thắng", on=WARD_RENAMED, decision="04/NQ-CP"
    )
    cells = {}
    for i, (key, name, sector, _n, _x) in enumerate(CELLS, start=1):
        cells[key] = organization_create(
            user=user,
            name=name,
            code=f"{ward.code}-{i:02d}",
            kind=Kind.CELL,
            sector=sector,
            parent=ward,
            founded_on=FOUNDED if sector != Sector.PUBLIC_SERVICE else date(2005, 8, 15),
        )
    result = Ward(ward=ward, cells=cells)
    for key, _name, sector, count, _x in CELLS:
        result.members[key] = _cell_members(user, cells[key], key, sector, count, rng, ids, today, result)
    _after_2018(user, result, rng, ids, today)
    _committees(user, result, rng, today)
    log(f"  Đảng bộ phường Bình Thắng: {len(cells)} chi bộ, {sum(len(v) for v in result.members.values())} đảng viên")
    return result


def _create(user, cell, fields) -> Member:
    return member_create(user=user, organization=cell, **fields)


def _cell_members(user, cell, key, sector, count, rng, ids, today, result) -> list[Member]:
    residence = (
        f"khu phố {cell.name.removeprefix('Chi bộ khu phố ')}, phường Bình Thắng"
        if sector == Sector.RESIDENTIAL
        else "phường Bình Thắng"
    )
    n_exempt, n_new = EXEMPTED.get(key, 0), NEW_2018.get(key, 0)
    members = []
    for i in range(count):
        fields = member_fields(rng, ids, sector, REVIEW_2018, residence=residence)
        if i < n_exempt:  # elderly members admitted long ago, exempted before 2018
            fields.update(_elderly(rng, fields))
        elif i < n_exempt + n_new:
            admitted = random_date(rng, date(2018, 7, 2), date(2018, 11, 30))
            born = random_date(rng, date(1990, 1, 1), date(1998, 12, 31))
            fields.update(birth_date=born, admission_date=admitted, full_membership_date=add_months(admitted, 12))
        elif fields["admission_date"] > date(2017, 12, 31):  # full members by the 2018 review
            fields["admission_date"] = random_date(rng, date(2005, 1, 1), date(2016, 12, 31))
            if (fields["admission_date"] - fields["birth_date"]).days < 18 * 366:
                fields["birth_date"] = random_date(rng, date(1960, 1, 1), date(1985, 12, 31))
            fields["full_membership_date"] = add_months(fields["admission_date"], 12)
        if key == "trung-thang" and i == n_exempt + n_new:
            fields.update(family_name="Nguyễn", middle_name="Văn", given_name="Hùng", gender="male")
        if key == "cong-an" and i == n_new:
            fields.update(
                family_name="Nguyễn",
                middle_name="Văn",
                given_name="Hùng",
                gender="male",
                position="Trưởng Công an phường",
            )
        if key == "dang-doan-the" and i == 0:
            fields.update(
                family_name="Lê", middle_name="Anh", given_name="Tuấn", gender="male", position="Bí thư Đảng ủy phường"
            )
            fields.update(
                birth_date=date(1968, 5, 12), admission_date=date(1992, 9, 2), full_membership_date=date(1993, 9, 2)
            )
        if fields["gender"] == "female" and fields["middle_name"] in ("Văn", "Đức"):
            fields["middle_name"] = "Thị"
        member = _create(user, cell, fields)
        members.append(member)
        if i < n_exempt:
            on = random_date(rng, date(2012, 1, 1), date(2017, 12, 31))
            if on < member.full_membership_date:
                on = member.full_membership_date
            member_change_status(
                user=user,
                member=member,
                kind=StatusChangeKind.EXEMPTED,
                on=on,
                decision="Quyết định của Đảng ủy phường",
                note="Tuổi cao, sức yếu" if member.age_on(on) >= 70 else "Bệnh dài ngày",
            )
            result.not_classifiable.append((member, "exempted"))
        elif i < n_exempt + n_new:
            result.not_classifiable.append((member, "admitted_late_2018"))
    if key == "trung-thang":
        result.named["nguyen_van_hung"] = members[n_exempt + n_new]
    if key == "dang-doan-the":
        result.named["le_anh_tuan"] = members[0]
    return members


def _elderly(rng, fields) -> dict:
    born = random_date(rng, date(1932, 1, 1), date(1950, 12, 31))
    admitted = random_date(rng, date(born.year + 20, 1, 1), date(born.year + 35, 12, 31))
    return dict(
        birth_date=born, admission_date=admitted, full_membership_date=add_months(admitted, 12), occupation="Hưu trí"
    )


def _after_2018(user, result: Ward, rng, ids, today) -> None:
    """Five members leave after 2018 and five are admitted, so the ward has 224 today too."""
    exempted = [m for m, why in result.not_classifiable if why == "exempted"]
    for member, year in zip(exempted[:3], (2020, 2022, 2024), strict=True):
        member_change_status(
            user=user,
            member=member,
            kind=StatusChangeKind.DECEASED,
            on=random_date(rng, date(year, 1, 1), date(year, 12, 31)),
        )
        result.left_after_2018.append(member)
    for key, year in (("chinh-quyen", 2021), ("cong-an", 2023)):
        member = result.members[key][-1]
        member_change_status(
            user=user,
            member=member,
            kind=StatusChangeKind.TRANSFER_OUT,
            on=random_date(rng, date(year, 1, 1), date(year, 12, 31)),
            other_organization_name="Đảng bộ Khối các cơ quan tỉnh",
            decision="Quyết định chuyển sinh hoạt đảng chính thức",
        )
        result.left_after_2018.append(member)
    recent = [("ngai-thang", date(2021, 5, 19)), ("binh-minh-1", date(2021, 9, 2)), ("tieu-hoc", date(2024, 2, 3))]
    # Two still on probation today.
    recent += [("trung-thang", today - timedelta(days=200)), ("cong-an", today - timedelta(days=60))]
    for key, admitted in recent:
        cell = result.cells[key]
        fields = member_fields(rng, ids, cell.sector, today)
        born = random_date(rng, date(admitted.year - 30, 1, 1), date(admitted.year - 20, 12, 31))
        full = add_months(admitted, 12)
        fields.update(birth_date=born, admission_date=admitted, full_membership_date=full if full <= today else None)
        member = _create(user, cell, fields)
        result.members[key].append(member)
        result.joined_after_2018.append(member)


WARD_TERMS = [
    ("2015–2020", 11, date(2015, 6, 20), date(2020, 7, 15)),
    ("2020–2025", 12, date(2020, 7, 15), date(2025, 8, 20)),
    ("2025–2030", 13, date(2025, 8, 20), None),
]
CELL_TERMS = [
    ("2015–2020", date(2015, 4, 10), date(2020, 4, 20)),
    ("2020–2025", date(2020, 4, 20), date(2025, 5, 15)),
    ("2025–2030", date(2025, 5, 15), None),
]


def _committees(user, result: Ward, rng, today) -> None:
    """Terms, secretaries and deputies of the ward and each cell, and who follows which cell."""
    cells = result.cells
    left = {m.pk for m in result.left_after_2018}
    for key, cell in cells.items():
        pool = [m for m in result.members[key] if m.pk not in left and m.status != "exempted"]
        secretary = deputy = None
        for name, starts, ends in CELL_TERMS:
            term = Term.objects.create(organization=cell, name=name, starts_on=starts, ends_on=ends)
            eligible = [m for m in pool if m.full_membership_date and m.full_membership_date <= starts]
            if secretary is None or secretary not in eligible or rng.random() < 0.3:
                secretary = rng.choice(eligible)
            if deputy is None or deputy == secretary or deputy not in eligible or rng.random() < 0.4:
                deputy = rng.choice([m for m in eligible if m != secretary])
            for member, post in ((secretary, Post.SECRETARY), (deputy, Post.DEPUTY)):
                CommitteePost.objects.create(
                    organization=cell, term=term, member=member, post=post, starts_on=starts, ends_on=ends
                )
            result.named[f"secretary:{key}:{name}"] = secretary
        if key == "trung-thang":
            secretary.position = "Bí thư chi bộ khu phố Trung Thắng kiêm Trưởng ban công tác Mặt trận khu phố"
            secretary.save(update_fields=["position"])
        result.named[f"secretary:{key}"] = secretary
    ward = result.ward
    tuan = result.named["le_anh_tuan"]
    agency = [
        m
        for k in ("dang-doan-the", "chinh-quyen", "cong-an", "quan-su")
        for m in result.members[k]
        if m.pk not in left and m != tuan
    ]
    standing = deputy = inspection = None
    for name, number, starts, ends in WARD_TERMS:
        term = Term.objects.create(organization=ward, name=name, congress_number=number, starts_on=starts, ends_on=ends)
        eligible = [m for m in agency if m.full_membership_date and m.full_membership_date <= starts]
        secretary = tuan if name == "2015–2020" else (standing or rng.choice(eligible))
        if standing is None or standing == secretary:
            standing = rng.choice([m for m in eligible if m != secretary])
        if deputy is None or deputy in (secretary, standing):
            deputy = rng.choice([m for m in eligible if m not in (secretary, standing)])
        if inspection is None or inspection in (secretary, standing, deputy):
            inspection = rng.choice([m for m in eligible if m not in (secretary, standing, deputy)])
        others = rng.sample([m for m in eligible if m not in (secretary, standing, deputy, inspection)], 4)
        others.append(result.named[f"secretary:trung-thang:{name}"])
        posts = [
            (secretary, Post.SECRETARY),
            (standing, Post.STANDING_DEPUTY),
            (deputy, Post.DEPUTY),
            (inspection, Post.INSPECTION_CHAIR),
        ]
        posts += [(m, Post.STANDING_MEMBER) for m in (secretary, standing, deputy, inspection)]
        posts += [(m, Post.COMMITTEE_MEMBER) for m in [secretary, standing, deputy, inspection, *others]]
        for member, post in posts:
            CommitteePost.objects.create(
                organization=ward, term=term, member=member, post=post, starts_on=starts, ends_on=ends
            )
        # Every committee member but the secretary follows one or two cells.
        followers = [standing, deputy, inspection, *others]
        for i, key in enumerate(cells):
            OversightAssignment.objects.create(
                organization=cells[key],
                member=followers[i % len(followers)],
                assigned_by=ward,
                starts_on=starts,
                ends_on=ends,
            )
        result.named["ward_secretary"], result.named["inspection_chair"] = secretary, inspection
    standing.position = "Phó Bí thư Thường trực Đảng ủy, Chủ tịch HĐND kiêm Chủ tịch Ủy ban MTTQ phường"
    standing.save(update_fields=["position"])


def plan_2018(result: Ward) -> dict:
    """Who is classified for 2018 and a suggested level for each (34/135/9/0), and cell levels (3/10)."""
    excluded = {m.pk for m, _why in result.not_classifiable}
    joined = {m.pk for m in result.joined_after_2018}
    classifiable = [
        m for key in result.members for m in result.members[key] if m.pk not in excluded and m.pk not in joined
    ]
    assert len(classifiable) == 178, len(classifiable)
    by_cell: dict[str, list[Member]] = {}
    for member in classifiable:
        by_cell.setdefault(_cell_key(result, member), []).append(member)
    levels = {m.pk: "good" for m in classifiable}
    # 34 excellent: most in the three excellent cells; 9 satisfactory, in the residential cells.
    quota = {"trung-thang": 12, "dang-doan-the": 9, "cong-an": 9, "chinh-quyen": 2, "thcs": 1, "y-te": 1}
    for key, n in quota.items():
        for member in by_cell[key][:n]:
            levels[member.pk] = "excellent"
    satisfactory = {"ngai-thang": 4, "binh-minh-1": 3, "binh-minh-2": 2}
    for key, n in satisfactory.items():
        for member in by_cell[key][-n:]:
            levels[member.pk] = "satisfactory"
    return {
        "year": 2018,
        "members_total": TOTAL_2018,
        "classifiable": classifiable,
        "not_classifiable": list(result.not_classifiable),
        "member_levels": levels,
        "cell_levels": {key: ("excellent" if x else "good") for key, *_rest, x in CELLS},
    }


def _cell_key(result: Ward, member) -> str:
    for key, cell in result.cells.items():
        if cell.pk == member.organization_id:
            return key
    return ""
