"""The statistics page, its exports and its boundaries: whoever may view an organization sees its
figures; another ward's staff and a sibling cell's secretary get 404, and a bad date a message."""

import datetime as dt
import io
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.roles import Role
from apps.organizations.models import Kind, Sector
from apps.organizations.services import organization_create


@pytest.fixture
def small(tree, make_member):
    """Cell A: a man and two women (one Tày); cell B: a woman; cell C (other ward): a man."""
    make_member(tree["cell_a"], "Nguyễn Văn Hùng")
    make_member(tree["cell_a"], "Trần Thị An", gender="female", ethnicity="Tày")
    make_member(tree["cell_a"], "Lê Thị Bình", gender="female", political_theory="intermediate")
    make_member(
        tree["cell_b"],
        "Phạm Thị Cúc",
        gender="female",
        admission_date=dt.date(2016, 3, 2),
        full_membership_date=dt.date(2017, 3, 2),
    )
    make_member(tree["cell_c"], "Đỗ Văn Đạt")
    return tree


def _url(org, **params):
    from urllib.parse import urlencode

    return reverse("statistics:organization", args=[org.pk]) + ("?" + urlencode(params) if params else "")


@pytest.mark.django_db
def test_ward_staff_sees_the_ward_figures(small, ward_staff, client_for):
    client = client_for(ward_staff)
    response = client.get(_url(small["ward"], on="31/12/2020"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Tổng số 4 đảng viên, trong đó 3 nữ, 1 người dân tộc thiểu số, 0 theo tôn giáo." in text
    assert "0 tổ chức cơ sở đảng (0 đảng bộ cơ sở, 0 chi bộ cơ sở); 2 chi bộ trực thuộc." in text
    assert text.count("<svg") == 5  # growth, gender, age, theory, attendance (no classification yet)
    assert "<title" in text and "style=" not in text
    # On 31/12/2015 cell B's member was not admitted yet.
    text = client.get(_url(small["ward"], on="31/12/2015")).content.decode()
    assert "Tổng số 3 đảng viên, trong đó 2 nữ" in text


@pytest.mark.django_db
def test_two_dates_side_by_side(small, ward_staff, client_for):
    text = client_for(ward_staff).get(_url(small["ward"], on="31/12/2019", compare_on="31/12/2015")).content.decode()
    assert "Ngày 31/12/2015: 3 đảng viên, 2 nữ." in text
    assert '<th class="num">31/12/2019</th><th class="num">31/12/2015</th>' in text
    # Meetings by subordinate cell, each linking to its own statistics.
    assert 'id="meetings-by-child"' in text
    assert reverse("statistics:organization", args=[small["cell_b"].pk]) in text


@pytest.mark.django_db
def test_reachable_from_the_organization_page_and_the_menu(small, ward_staff, client_for):
    client = client_for(ward_staff)
    page = client.get(reverse("organizations:detail", args=[small["ward"].pk])).content.decode()
    assert reverse("statistics:organization", args=[small["ward"].pk]) in page
    assert reverse("statistics:index") in page
    response = client.get(reverse("statistics:index"))
    assert response.status_code == 302
    assert response["Location"] == reverse("statistics:organization", args=[small["ward"].pk])


@pytest.mark.django_db
def test_boundaries(small, secretary_a, make_user, client_for):
    other_staff = make_user("dangu_dh", Role.COMMITTEE_STAFF, small["ward2"])
    client = client_for(other_staff)
    assert client.get(_url(small["ward"])).status_code == 404
    assert client.get(reverse("statistics:export_xlsx", args=[small["ward"].pk])).status_code == 404
    assert client.get(reverse("statistics:export_pdf", args=[small["ward"].pk])).status_code == 404
    client = client_for(secretary_a)
    assert client.get(_url(small["cell_b"])).status_code == 404
    assert client.get(_url(small["ward"])).status_code == 404
    text = client.get(_url(small["cell_a"])).content.decode()
    assert "Tổng số 3 đảng viên, trong đó 2 nữ" in text
    response = client.get(reverse("statistics:index"))
    assert response["Location"] == reverse("statistics:organization", args=[small["cell_a"].pk])


@pytest.mark.django_db
def test_a_bad_date_is_refused_with_a_message(small, ward_staff, client_for):
    text = client_for(ward_staff).get(_url(small["ward"], on="31/13/2020", start="01/06/2020", end="01/01/2020"))
    body = text.content.decode()
    assert text.status_code == 200
    assert "Ngày không hợp lệ: hãy nhập theo dạng dd/mm/yyyy." in body
    assert "Ngày cuối kỳ phải từ ngày đầu kỳ trở đi." in body


@pytest.mark.django_db
def test_exports_name_the_date_and_the_unconfirmed_layout(small, ward_staff, client_for):
    client = client_for(ward_staff)
    response = client.get(reverse("statistics:export_xlsx", args=[small["ward"].pk]) + "?on=31/12/2020")
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        xml = "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xml"))
    assert "Số liệu tại ngày 31/12/2020" in xml
    assert "chưa được đối chiếu với biểu mẫu thống kê chính thức" in xml
    assert "Đảng viên nữ" in xml
    response = client.get(reverse("statistics:export_pdf", args=[small["ward"].pk]) + "?on=31/12/2020")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert "thong-ke-dang-vien-T-BT-20201231.pdf" in response["Content-Disposition"]


def _add_cells(admin_user, ward, n, make_member):
    for i in range(n):
        cell = organization_create(
            user=admin_user,
            name=f"Chi bộ thêm {i}",
            code=f"T-BT-X{i}",
            kind=Kind.CELL,
            sector=Sector.RESIDENTIAL,
            parent=ward,
            founded_on=dt.date(2000, 1, 1),
        )
        make_member(cell, "Nguyễn Văn Thêm")
        make_member(cell, "Trần Thị Thêm", gender="female")


@pytest.mark.django_db
def test_queries_do_not_grow_with_the_cells(small, ward_staff, client_for, admin_user, make_member):
    client = client_for(ward_staff)
    url = _url(small["ward"], on="31/12/2020", compare_on="31/12/2018")
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _add_cells(admin_user, small["ward"], 12, make_member)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert "Tổng số 28 đảng viên" in response.content.decode()
    assert len(many) == len(few)
    api = reverse("statistics_api:members") + f"?organization={small['ward'].pk}&on=2020-12-31"
    with CaptureQueriesContext(connection) as api_queries:
        assert client.get(api).json()["total"] == 28
    assert len(api_queries) <= 8
