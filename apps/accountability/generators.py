"""A generated district whose review working groups reproduce seed 004's figures.

Seed 004 (Bình Thủy, 2017): the district's standing committee formed a group that reviewed
9 collectives and 9 individuals in depth, and attended the reviews of 9 other collectives and
1 other individual. `review_district` builds such a district through the services (so every
rule and the audit apply): grassroots cells with members admitted long before, a group of the
year with exactly those targets, a group of the following year with other figures, and members
admitted after the year (so that the year's base, counted on its last day, differs from today's).
Used by the tests of the counts; `seed_demo` may call it too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from apps.accounts.models import User
from apps.members.models import Member
from apps.members.services import member_create
from apps.organizations.models import Kind, Organization, Sector
from apps.organizations.services import organization_create

from . import services
from .models import ReviewGroup, TargetMode

FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ")
MIDDLE = ("Văn", "Thị", "Hoàng", "Minh", "Ngọc", "Thanh")
GIVEN = ("An", "Bình", "Cường", "Dũng", "Hà", "Hạnh", "Khoa", "Lan", "Mai", "Nam", "Phúc", "Quang", "Thảo", "Tuấn")


@dataclass
class ReviewDistrict:
    district: Organization
    cells: list[Organization]
    members: list[Member]
    later_members: list[Member]
    groups: dict[int, ReviewGroup] = field(default_factory=dict)
    # year -> (in-depth collectives, in-depth individuals, attended collectives, attended individuals)
    expected: dict[int, tuple[int, int, int, int]] = field(default_factory=dict)


def _name(i: int) -> dict:
    return {
        "family_name": FAMILY[i % len(FAMILY)],
        "middle_name": MIDDLE[(i // len(FAMILY)) % len(MIDDLE)],
        "given_name": GIVEN[(i * 7) % len(GIVEN)],
    }


def review_district(
    *,
    user: User,
    parent: Organization,
    year: int = 2017,
    in_depth: tuple[int, int] = (9, 9),
    attended: tuple[int, int] = (9, 1),
    following: tuple[int, int, int, int] = (2, 3, 1, 0),
    members_per_cell: int = 3,
    later_members: int = 5,
    name: str = "Đảng bộ quận Bình Thủy (số liệu mẫu)",
    code: str = "BT-2017",
) -> ReviewDistrict:
    """Build the district under `parent` (which `user` may change). `in_depth` and `attended` are
    (collectives, individuals) of `year`; `following` the four figures of `year + 1`, taken from
    the same cells and members."""
    collectives = in_depth[0] + attended[0]
    individuals = in_depth[1] + attended[1]
    cell_count = max(collectives, following[0] + following[2], -(-individuals // members_per_cell), 1)
    founded = dt.date(year - 15, 1, 1)
    district = organization_create(
        user=user,
        name=name,
        code=code,
        kind=Kind.DISTRICT_COMMITTEE,
        sector=Sector.OTHER,
        parent=parent,
        founded_on=founded,
    )
    cells, members = [], []
    for c in range(cell_count):
        cell = organization_create(
            user=user,
            name=f"Chi bộ khu vực {c + 1} ({code})",
            code=f"{code}-{c + 1:02d}",
            kind=Kind.GRASSROOTS_CELL,
            sector=Sector.RESIDENTIAL,
            parent=district,
            founded_on=founded,
        )
        cells.append(cell)
        for m in range(members_per_cell):
            i = c * members_per_cell + m
            members.append(
                member_create(
                    user=user,
                    organization=cell,
                    gender="female" if i % 3 == 0 else "male",
                    birth_date=dt.date(1970 + i % 20, 1 + i % 12, 1 + i % 28),
                    admission_date=dt.date(year - 8, 5, 19),
                    full_membership_date=dt.date(year - 7, 5, 19),
                    **_name(i),
                )
            )
    later = [
        member_create(
            user=user,
            organization=cells[i % len(cells)],
            gender="male",
            birth_date=dt.date(1995, 2, 1 + i),
            admission_date=dt.date(year + 3, 3, 26),
            full_membership_date=dt.date(year + 4, 3, 26),
            **_name(1000 + i),
        )
        for i in range(later_members)
    ]
    result = ReviewDistrict(district=district, cells=cells, members=members, later_members=later)

    def group_of(y: int, deep: tuple[int, int], attend: tuple[int, int], offset: int) -> ReviewGroup:
        group = services.review_group_create(
            user=user,
            organization=district,
            year=y,
            name=f"Đoàn dự, gợi ý kiểm điểm năm {y}",
            decision=f"{offset + 12}-QĐ/QU",
            composition="Ban Thường vụ Quận ủy",
        )
        orgs = iter(cells[offset:] + cells[:offset])
        people = iter(members[offset:] + members[:offset])
        day = dt.date(y, 12, 20)
        for mode, (n_orgs, n_people) in ((TargetMode.IN_DEPTH, deep), (TargetMode.ATTEND, attend)):
            for k in range(n_orgs):
                # Some targets carry the review's date, others only their group's year.
                services.review_target_add(
                    user=user, group=group, organization=next(orgs), mode=mode, review_on=day if k % 2 else None
                )
            for k in range(n_people):
                services.review_target_add(
                    user=user, group=group, member=next(people), mode=mode, review_on=day if k % 2 == 0 else None
                )
        result.groups[y] = group
        result.expected[y] = (deep[0], deep[1], attend[0], attend[1])
        return group

    group_of(year, in_depth, attended, 0)
    group_of(year + 1, following[:2], following[2:], 1)
    return result
