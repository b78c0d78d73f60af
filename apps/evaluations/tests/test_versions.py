"""Finding 7 (lost updates): a self-review or a cell's review saved from a stale page is refused."""

import pytest

from apps.evaluations import services
from apps.evaluations.models import Campaign, Evaluation, State

from .conftest import dates

STALE = "Hồ sơ này đã được sửa sau khi đồng chí mở trang"


@pytest.fixture
def members(tree, admin_user, cell_of):
    members = cell_of(tree["cell_a"], 4)
    services.campaign_open(user=admin_user, organization=tree["ward"], year=2018, **dates(2018))
    assert Campaign.objects.filter(organization=tree["ward"]).exists()
    return members


def ev(member):
    return Evaluation.objects.get(member=member, year=2018)


def test_second_self_review_from_a_stale_page_is_refused(members, make_user, client_for):
    a = members[0]
    user = make_user("dv_a", member=a)
    first, second = client_for(user), client_for(user)  # two tabs
    url = f"/danh-gia/ket-qua/{ev(a).pk}/tu-kiem-diem/"
    opened = ev(a).version
    page = first.get(url)
    assert f'name="version" value="{opened}"' in page.content.decode()
    assert second.get(url).status_code == 200
    body = {"shortcomings": "Không", "remediation": "", "proposed_level": "2", "version": opened}
    assert first.post(url, {**body, "strengths": "Gương mẫu"}).status_code == 302

    response = second.post(url, {**body, "strengths": "Bản cũ"})

    assert response.status_code == 200
    text = response.content.decode()
    assert STALE in text
    assert "Ưu điểm: (trống) → Gương mẫu, sửa bởi" in text
    e = ev(a)
    assert (e.strengths, e.state, e.version) == ("Gương mẫu", State.SELF_REVIEWED, opened + 1)


def test_second_cell_review_from_a_stale_page_is_refused(members, secretary_a, ward_staff, client_for):
    a = members[0]
    first, second = client_for(secretary_a), client_for(ward_staff)
    url = f"/danh-gia/ket-qua/{ev(a).pk}/chi-bo/"
    opened = ev(a).version
    assert f'name="version" value="{opened}"' in first.get(url).content.decode()
    assert second.get(url).status_code == 200
    votes = {"votes_1": "0", "votes_2": "4", "votes_3": "", "votes_4": "", "proposed_level": "2", "version": opened}
    assert first.post(url, {**votes, "comments": "Hoàn thành tốt"}).status_code == 302

    response = second.post(url, {**votes, "comments": "Ý kiến cũ", "proposed_level": "3"})

    assert STALE in response.content.decode()
    e = ev(a)
    assert (e.review_comments, e.review_level.code, e.version) == ("Hoàn thành tốt", 2, opened + 1)
