"""Members sent to training and awards in a term. Training as seed 002 publishes it: "39 ĐV được cử đi đào tạo cao
cấp LLCTHC; trung cấp 145; hoàn chỉnh kiến thức cao cấp 4; sơ cấp 116; nghiên cứu sinh tiến sĩ 1;
thạc sĩ 11; đại học và văn bằng 2 28"."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from apps.core.roles import Role
from apps.members.models import Award, AwardKind, TrainingKind, TrainingRecord
from apps.members.services import member_transfer_internal

TERM = (dt.date(2016, 1, 1), dt.date(2020, 6, 30))
PUBLISHED = [  # (kind, title, count) as the seed lists them
    (TrainingKind.ADVANCED, "Cao cấp lý luận chính trị - hành chính", 39),
    (TrainingKind.ADVANCED, "Hoàn chỉnh kiến thức cao cấp lý luận chính trị - hành chính", 4),
    (TrainingKind.INTERMEDIATE, "Trung cấp lý luận chính trị - hành chính", 145),
    (TrainingKind.ELEMENTARY, "Sơ cấp lý luận chính trị", 116),
    (TrainingKind.DEGREE, "Tiến sĩ", 1),
    (TrainingKind.DEGREE, "Thạc sĩ", 11),
    (TrainingKind.DEGREE, "Đại học, văn bằng 2", 28),
]


@pytest.fixture
def term(tree, make_member, admin_user):
    """344 courses over the term for 40 members of the ward's two cells, and what must not count:
    a course before the term, and one a member took in the other ward before moving in."""
    members = [make_member(tree["cell_a" if i % 2 else "cell_b"], f"Trần Văn Học{i}") for i in range(40)]
    records, n = [], 0
    for kind, title, count in PUBLISHED:
        for _ in range(count):
            starts = TERM[0] + dt.timedelta(days=(n * 5) % 1600)
            records.append(
                TrainingRecord(
                    member=members[n % 40],
                    kind=kind,
                    title=f" {title} ",
                    institution="Trường Chính trị tỉnh",
                    starts_on=starts,
                    ends_on=starts + dt.timedelta(days=60),
                    result="passed",
                )
            )
            n += 1
    records.append(
        TrainingRecord(
            member=members[0],
            kind=TrainingKind.ELEMENTARY,
            institution="Trung tâm chính trị",
            starts_on=dt.date(2015, 6, 1),
        )
    )
    mover = make_member(tree["cell_c"], "Lê Thị Chuyển")
    records.append(
        TrainingRecord(
            member=mover,
            kind=TrainingKind.ADVANCED,
            title="Cao cấp lý luận chính trị - hành chính",
            institution="Học viện",
            starts_on=dt.date(2017, 3, 1),
        )
    )
    TrainingRecord.objects.bulk_create(records)
    member_transfer_internal(user=admin_user, member=mover, target=tree["cell_a"], on=dt.date(2018, 1, 2))
    # A member who leaves the ward after the course still counts where they were sent from.
    member_transfer_internal(user=admin_user, member=members[1], target=tree["cell_c"], on=dt.date(2020, 1, 2))
    return tree


@pytest.mark.django_db
def test_the_terms_training_through_the_api(term, make_user, client_for):
    client = client_for(make_user("thiuy_bt", Role.COMMITTEE_STAFF, term["ward"]))
    url = f"/api/statistics/training/?organization={term['ward'].pk}&from={TERM[0]}&to={TERM[1]}"
    body = client.get(url).json()
    assert body["by_kind"] == {"elementary": 116, "intermediate": 145, "advanced": 43, "degree": 40}
    courses = {(c["kind"], c["title"]): c["count"] for c in body["courses"]}
    assert courses == {(str(kind), title): count for kind, title, count in PUBLISHED}
    # The other ward counts the mover's 2017 course, taken while there.
    other = client_for(make_user("thiuy_dh", Role.COMMITTEE_STAFF, term["ward2"]))
    url = f"/api/statistics/training/?organization={term['ward2'].pk}&from={TERM[0]}&to={TERM[1]}"
    assert other.get(url).json()["by_kind"] == {"advanced": 1}


@pytest.mark.django_db
def test_the_terms_training_on_the_page(term, make_user, client_for):
    client = client_for(make_user("thiuy_bt", Role.COMMITTEE_STAFF, term["ward"]))
    page = reverse("statistics:organization", args=[term["ward"].pk])
    text = client.get(page, {"start": "01/01/2016", "end": "30/06/2020"}).content.decode()
    assert (
        '<th scope="row">Lý luận chính trị cao cấp</th><td class="num" data-label="01/01/2016 – 30/06/2020">43</td>'
        in text
    )
    assert "<td>– Hoàn chỉnh kiến thức cao cấp lý luận chính trị - hành chính</td>" in text
    assert '<td>– Thạc sĩ</td><td class="num" data-label="01/01/2016 – 30/06/2020">11</td>' in text
    text = client.get(page, {"start": "01/01/2010", "end": "31/12/2014"}).content.decode()
    assert "Không có đảng viên nào được cử đi đào tạo, bồi dưỡng trong kỳ." in text
    # The exported table carries the same lines.
    export = reverse("statistics:export_xlsx", args=[term["ward"].pk])
    response = client.get(export, {"start": "01/01/2016", "end": "30/06/2020"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = {tuple(r[:3]) for r in sheet.iter_rows(values_only=True)}
    assert ("Đào tạo, bồi dưỡng trong kỳ", "Lý luận chính trị cao cấp", 43) in rows
    assert ("Đào tạo, bồi dưỡng trong kỳ", "– Thạc sĩ", 11) in rows


@pytest.mark.django_db
def test_another_wards_training_is_out_of_reach(term, make_user, client_for):
    client = client_for(make_user("thiuy_dh", Role.COMMITTEE_STAFF, term["ward2"]))
    response = client.get(f"/api/statistics/training/?organization={term['ward'].pk}")
    assert response.status_code == 404
    assert "Trần Văn" not in response.content.decode()


@pytest.mark.django_db
def test_awards_and_badges_decided_in_the_term(tree, make_member, make_user, client_for):
    a, b = make_member(tree["cell_a"], "Phạm Văn Khen"), make_member(tree["cell_b"], "Đỗ Thị Thưởng")
    other = make_member(tree["cell_c"], "Vũ Văn Ngoài")

    def award(member, name, on, years=None):
        kind = AwardKind.BADGE if years else AwardKind.AWARD
        return Award(member=member, kind=kind, badge_years=years, name=name, date=on, proposed_on=dt.date(2016, 1, 5))

    Award.objects.bulk_create(
        [
            award(a, "Huy hiệu 40 năm tuổi Đảng", dt.date(2017, 2, 3), 40),
            award(b, "Huy hiệu 30 năm tuổi Đảng", dt.date(2018, 9, 2), 30),
            award(a, "Huy hiệu 30 năm tuổi Đảng", dt.date(2019, 5, 19), 30),
            *(award(m, "Giấy khen", dt.date(2018, 12, 20)) for m in (a, b, b)),
            award(a, " Bằng khen ", dt.date(2019, 1, 10)),
            award(b, "Giấy khen", None),  # proposed, not decided
            award(a, "Giấy khen", dt.date(2015, 12, 1)),  # before the term
            award(other, "Giấy khen", dt.date(2018, 1, 1)),  # the other ward
        ]
    )
    client = client_for(make_user("thiuy_bt", Role.COMMITTEE_STAFF, tree["ward"]))
    url = f"/api/statistics/awards/?organization={tree['ward'].pk}&from={TERM[0]}&to={TERM[1]}"
    assert client.get(url).json()["awards"] == [
        {"name": "Huy hiệu 30 năm tuổi Đảng", "count": 2},
        {"name": "Huy hiệu 40 năm tuổi Đảng", "count": 1},
        {"name": "Giấy khen", "count": 3},
        {"name": "Bằng khen", "count": 1},
    ]
    page = reverse("statistics:organization", args=[tree["ward"].pk])
    text = client.get(page, {"start": "01/01/2016", "end": "30/06/2020"}).content.decode()
    assert '<th scope="row">Giấy khen</th><td class="num" data-label="01/01/2016 – 30/06/2020">3</td>' in text
    text = client.get(page, {"start": "01/01/2021", "end": "31/12/2021"}).content.decode()
    assert "Không có quyết định khen thưởng, tặng huy hiệu nào trong kỳ." in text
