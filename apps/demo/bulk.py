"""Bulk writers for large demo and benchmark data sets.

The services in apps.organizations and apps.members write one row at a time with validation and
an audit trail; that is right for users and for the small Bình Thắng ward, and far too slow for
150.000 members. These writers produce the same rows the services would (paths, depths, stored
search/sort keys, versions, events, status history) with `bulk_create` in batches and explicit
primary keys, so that paths can be computed before the rows are written.
"""

import random
from datetime import date

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Max

from apps.core.text import fold, name_sort_key, title_sort_key
from apps.members.models import Member, MemberNameKey, Status, StatusChange, StatusChangeKind
from apps.members.services import name_key_rows
from apps.organizations.models import (
    EventKind,
    Kind,
    Organization,
    OrganizationEvent,
    OrganizationVersion,
    Sector,
    path_segment,
)

from .names import (
    ETHNICITY,
    HOMETOWN_PROVINCES,
    RELIGION,
    Identifiers,
    add_months,
    add_years,
    person_name,
    place_names,
    random_date,
)

BATCH = 5000
REFORM_DAY = date(2025, 7, 1)  # district committees ended; their grassroots moved under the province
REFORM_DECISION = "15-QĐ/TU"


class Allocator:
    """Hands out primary keys above the current maximum of a model."""

    def __init__(self, model):
        self.next = (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1

    def take(self) -> int:
        pk, self.next = self.next, self.next + 1
        return pk


def reset_sequences(*models) -> None:
    """After explicit primary keys, move PostgreSQL sequences past them (SQLite needs nothing)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


_NAME_KEYS: dict[tuple[str, str, str], tuple[str, str]] = {}


def name_keys(family: str, middle: str, given: str) -> tuple[str, str]:
    """(search_name, sort_key) exactly as Member.refresh_derived() computes them, memoized."""
    key = (family, middle, given)
    found = _NAME_KEYS.get(key)
    if found is None:
        full = " ".join(p for p in key if p)
        found = (" " + fold(full), name_sort_key(family, middle, given))
        _NAME_KEYS[key] = found
    return found


# What a cell of each sector looks like: birth years, age at admission, share of women,
# occupations by age (under 60 / 60 and over).
PROFILES = {
    Sector.RESIDENTIAL: dict(
        born=(1938, 1992),
        admit_age=(19, 45),
        women=0.38,
        work=["Kinh doanh", "Công nhân", "Lao động tự do", "Nội trợ"],
        retired="Hưu trí",
    ),
    Sector.COMMUNE: dict(
        born=(1965, 1997), admit_age=(20, 35), women=0.40, work=["Cán bộ, công chức"], retired="Hưu trí"
    ),
    Sector.AGENCY: dict(
        born=(1965, 1997), admit_age=(21, 35), women=0.42, work=["Cán bộ, công chức"], retired="Hưu trí"
    ),
    Sector.PUBLIC_SERVICE: dict(
        born=(1966, 1998), admit_age=(22, 38), women=0.70, work=["Viên chức"], retired="Hưu trí"
    ),
    Sector.ARMED_FORCES: dict(
        born=(1968, 2001), admit_age=(19, 28), women=0.08, work=["Lực lượng vũ trang"], retired="Hưu trí"
    ),
    Sector.ENTERPRISE: dict(
        born=(1970, 2000),
        admit_age=(21, 38),
        women=0.35,
        work=["Công nhân", "Nhân viên văn phòng", "Kỹ sư"],
        retired="Hưu trí",
    ),
    Sector.OTHER: dict(born=(1960, 1998), admit_age=(20, 40), women=0.38, work=["Lao động tự do"], retired="Hưu trí"),
}
EDUCATION_BY_SECTOR = {
    Sector.RESIDENTIAL: ["upper_secondary", "upper_secondary", "lower_secondary", "vocational", "university"],
    Sector.PUBLIC_SERVICE: ["university", "university", "master", "vocational"],
}
THEORY = ["", "", "elementary", "elementary", "intermediate", "intermediate", "advanced", "bachelor"]


def member_fields(rng: random.Random, ids: Identifiers, sector: str, today: date, *, residence: str = "") -> dict:
    """A plausible, valid member sheet for a member of a cell of `sector`."""
    p = PROFILES.get(sector, PROFILES[Sector.OTHER])
    gender = "female" if rng.random() < p["women"] else "male"
    family, middle, given = person_name(rng, gender)
    birth = random_date(rng, date(p["born"][0], 1, 1), date(p["born"][1], 12, 31))
    admit_age = rng.randint(*p["admit_age"])
    admission = random_date(rng, add_years(birth, admit_age), add_years(birth, admit_age + 1))
    latest = today.replace(day=1) if today.day > 1 else today
    if admission >= latest:
        admission = random_date(rng, add_years(birth, 18), latest)
    full = add_months(admission, 12)
    age = today.year - birth.year
    occupation = p["retired"] if age >= 60 else rng.choice(p["work"])
    if occupation == "Nội trợ" and gender == "male":
        occupation = "Kinh doanh"
    education = rng.choice(
        EDUCATION_BY_SECTOR.get(sector, ["university", "university", "vocational", "upper_secondary"])
    )
    return dict(
        family_name=family,
        middle_name=middle,
        given_name=given,
        gender=gender,
        birth_date=birth,
        ethnicity=ETHNICITY.pick(rng),
        religion=RELIGION.pick(rng),
        hometown=rng.choice(HOMETOWN_PROVINCES),
        residence=residence,
        citizen_id=ids.citizen_id(rng, gender, birth),
        phone=ids.phone_number(rng),
        email="",
        education=education,
        general_education="12/12",
        political_theory=rng.choice(THEORY),
        occupation=occupation,
        position="",
        admission_date=admission,
        full_membership_date=full if full <= today else None,
        card_number=ids.card_number(),
    )


class MemberWriter:
    """Collects members and their history and writes them in batches."""

    def __init__(self):
        self.ids = Allocator(Member)
        self.members: list[Member] = []
        self.changes: list[StatusChange] = []
        self.count = 0

    def add(self, organization: Organization, fields: dict, *, end: tuple[str, str, date] | None = None) -> Member:
        """Add a member; `end` = (StatusChangeKind, Status, date) for one later change (exemption, death…)."""
        search_name, sort_key = name_keys(fields["family_name"], fields["middle_name"], fields["given_name"])
        full = fields.get("full_membership_date")
        member = Member(
            id=self.ids.take(),
            organization_id=organization.pk,
            org_path=organization.path,
            search_name=search_name,
            sort_key=sort_key,
            status=Status.FULL if full else Status.PROBATIONARY,
            status_since=full or fields["admission_date"],
            **fields,
        )
        self.changes.append(
            StatusChange(
                member_id=member.id,
                kind=StatusChangeKind.ADMITTED,
                date=member.admission_date,
                status=Status.PROBATIONARY,
                organization_id=organization.pk,
            )
        )
        if full:
            self.changes.append(
                StatusChange(
                    member_id=member.id,
                    kind=StatusChangeKind.RECOGNIZED,
                    date=full,
                    status=Status.FULL,
                    organization_id=organization.pk,
                )
            )
        if end is not None:
            kind, status, day = end
            member.status, member.status_since = status, day
            self.changes.append(
                StatusChange(
                    member_id=member.id,
                    kind=kind,
                    date=day,
                    status=status,
                    organization_id=organization.pk,
                    other_organization_name="Ngoài tỉnh" if kind == StatusChangeKind.TRANSFER_OUT else "",
                )
            )
        self.members.append(member)
        self.count += 1
        if len(self.members) >= BATCH:
            self.flush()
        return member

    def flush(self) -> None:
        if self.members:
            Member.objects.bulk_create(self.members, batch_size=BATCH)
            MemberNameKey.objects.bulk_create(
                [row for member in self.members for row in name_key_rows(member)], batch_size=BATCH
            )
            self.members = []
        if self.changes:
            StatusChange.objects.bulk_create(self.changes, batch_size=BATCH)
            self.changes = []


class OrganizationWriter:
    """Builds organizations with explicit keys so that their paths are known before writing."""

    def __init__(self):
        self.ids = Allocator(Organization)
        self.orgs: list[Organization] = []
        self.versions: list[OrganizationVersion] = []
        self.events: list[OrganizationEvent] = []

    def add(
        self,
        *,
        parent: Organization,
        name: str,
        code: str,
        kind: str,
        sector: str,
        founded_on=None,
        short_name="",
        history_parent=None,
        ended_on=None,
    ) -> Organization:
        """Add an organization under `parent`. With `history_parent`, it sat under that (ended)
        district committee until REFORM_DAY and moved under `parent` that day."""
        pk = self.ids.take()
        org = Organization(
            id=pk,
            name=name,
            sort_key=title_sort_key(name),
            short_name=short_name,
            code=code,
            kind=kind,
            sector=sector,
            parent_id=parent.pk,
            path=parent.path + path_segment(pk),
            depth=parent.depth + 1,
            founded_on=founded_on,
            ended_on=ended_on,
        )
        self.orgs.append(org)
        self.events.append(
            OrganizationEvent(organization_id=pk, kind=EventKind.FOUNDED, date=founded_on or date(1976, 1, 1))
        )
        if history_parent is not None:
            self.versions.append(
                OrganizationVersion(
                    organization_id=pk,
                    name=name,
                    parent_id=history_parent.pk,
                    valid_from=founded_on,
                    valid_to=REFORM_DAY,
                )
            )
            self.versions.append(
                OrganizationVersion(organization_id=pk, name=name, parent_id=parent.pk, valid_from=REFORM_DAY)
            )
            self.events.append(
                OrganizationEvent(
                    organization_id=pk,
                    kind=EventKind.MOVED,
                    date=REFORM_DAY,
                    decision=REFORM_DECISION,
                    old_parent_id=history_parent.pk,
                    new_parent_id=parent.pk,
                )
            )
        else:
            self.versions.append(
                OrganizationVersion(
                    organization_id=pk, name=name, parent_id=parent.pk, valid_from=founded_on, valid_to=ended_on
                )
            )
        if ended_on is not None:
            self.events.append(
                OrganizationEvent(organization_id=pk, kind=EventKind.DISSOLVED, date=ended_on, decision=REFORM_DECISION)
            )
        return org

    def flush(self) -> None:
        Organization.objects.bulk_create(self.orgs, batch_size=BATCH)
        OrganizationVersion.objects.bulk_create(self.versions, batch_size=BATCH)
        OrganizationEvent.objects.bulk_create(self.events, batch_size=BATCH)
        self.orgs, self.versions, self.events = [], [], []


CELL_MIX = [
    (Sector.RESIDENTIAL, "Chi bộ ấp {place}", 0.45),
    (Sector.RESIDENTIAL, "Chi bộ khu phố {n}", 0.15),
    (Sector.AGENCY, "Chi bộ Cơ quan {unit}", 0.12),
    (Sector.PUBLIC_SERVICE, "Chi bộ Trường {school} {place}", 0.12),
    (Sector.PUBLIC_SERVICE, "Chi bộ Trạm Y tế {place}", 0.04),
    (Sector.ARMED_FORCES, "Chi bộ {force}", 0.08),
    (Sector.ENTERPRISE, "Chi bộ Công ty {company}", 0.04),
]
UNITS = ["Đảng – Đoàn thể", "Ủy ban nhân dân", "Mặt trận và các đoàn thể"]
SCHOOLS = ["Tiểu học", "Trung học cơ sở", "Mầm non"]
FORCES = ["Công an", "Quân sự"]
COMPANIES = ["TNHH Thương mại {place}", "Cổ phần Xây dựng {place}", "TNHH May mặc {place}", "Cổ phần Cấp nước {place}"]


def build_synthetic(
    *,
    province: Organization,
    size: int,
    rng: random.Random,
    today: date,
    ids: Identifiers,
    history_parents=(),
    cell_size: int = 50,
    log=print,
) -> dict:
    """Fill `province` with about `size` members in size/cell_size cells, under grassroots committees
    that sat in historical district committees until 30/06/2025. Returns counts."""
    if size <= 0:
        return {"members": 0, "cells": 0, "grassroots": 0}
    n_cells = max(1, round(size / cell_size))
    n_grassroots = max(1, round(n_cells / 12))
    n_districts = max(1, round(n_grassroots / 25))
    ow = OrganizationWriter()
    places = place_names(rng, n_grassroots + n_districts)
    districts = list(history_parents)
    for i in range(n_districts):
        name = places[n_grassroots + i]
        districts.append(
            ow.add(
                parent=province,
                name=f"Đảng bộ huyện {name}",
                short_name=f"Huyện ủy {name}",
                code=f"{province.code}-H{i + 1:02d}",
                kind=Kind.DISTRICT_COMMITTEE,
                sector=Sector.OTHER,
                founded_on=date(1976, 1, 1),
                ended_on=REFORM_DAY,
            )
        )
    cells: list[tuple[Organization, str]] = []
    per = [n_cells // n_grassroots + (1 if i < n_cells % n_grassroots else 0) for i in range(n_grassroots)]
    counter = 0
    for g in range(n_grassroots):
        place = places[g]
        commune = rng.random() < 0.8
        grassroots = ow.add(
            parent=province,
            name=f"Đảng bộ {'xã' if rng.random() < 0.6 else 'phường'} {place}"
            if commune
            else f"Đảng bộ Trung tâm {place}",
            code=f"{province.code}-G{g + 1:04d}",
            kind=Kind.GRASSROOTS_COMMITTEE,
            sector=Sector.COMMUNE if commune else Sector.PUBLIC_SERVICE,
            founded_on=date(1980 + rng.randint(0, 30), 1, 1),
            history_parent=districts[g % len(districts)],
        )
        village = place_names(rng, per[g])
        for c in range(per[g]):
            counter += 1
            sector, pattern, _w = rng.choices(CELL_MIX, weights=[w for *_x, w in CELL_MIX])[0]
            name = pattern.format(
                place=village[c],
                n=c + 1,
                unit=rng.choice(UNITS),
                school=rng.choice(SCHOOLS),
                force=rng.choice(FORCES),
                company=rng.choice(COMPANIES).format(place=village[c]),
            )
            cell = ow.add(
                parent=grassroots,
                name=name,
                code=f"{grassroots.code}-{c + 1:03d}",
                kind=Kind.CELL,
                sector=sector,
                founded_on=grassroots.founded_on,
            )
            cells.append((cell, sector))
    ow.flush()
    log(f"  {len(districts)} huyện ủy (đã kết thúc), {n_grassroots} đảng bộ cơ sở, {len(cells)} chi bộ")

    mw = MemberWriter()
    base, extra = divmod(size, len(cells))
    for i, (cell, sector) in enumerate(cells):
        residence = f"{cell.name.removeprefix('Chi bộ ')}"
        for _ in range(base + (1 if i < extra else 0)):
            fields = member_fields(rng, ids, sector, today, residence=residence if sector == Sector.RESIDENTIAL else "")
            end, r = None, rng.random()
            age = today.year - fields["birth_date"].year
            if fields["full_membership_date"] and r < 0.03 and age >= 70:
                end = (
                    StatusChangeKind.EXEMPTED,
                    Status.EXEMPTED,
                    random_date(rng, max(fields["full_membership_date"], date(2015, 1, 1)), today),
                )
            elif fields["full_membership_date"] and r < 0.012:
                end = (
                    StatusChangeKind.DECEASED if age >= 65 else StatusChangeKind.TRANSFER_OUT,
                    Status.DECEASED if age >= 65 else Status.TRANSFERRED_OUT,
                    random_date(rng, max(fields["full_membership_date"], date(2018, 1, 1)), today),
                )
            mw.add(cell, fields, end=end)
        if mw.count // 50000 != (mw.count - base - 1) // 50000 and mw.count >= 50000:
            log(f"  … {mw.count // 50000 * 50000} đảng viên")
    mw.flush()
    reset_sequences(Organization, Member)
    return {"members": mw.count, "cells": len(cells), "grassroots": n_grassroots}
