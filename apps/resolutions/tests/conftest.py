import datetime as dt

import pytest

from apps.organizations.models import Term
from apps.resolutions import services
from apps.resolutions.models import Level


@pytest.fixture
def term(tree):
    return Term.objects.create(
        organization=tree["ward"],
        name="2020–2025",
        congress_number=5,
        starts_on=dt.date(2020, 7, 1),
        ends_on=dt.date(2025, 6, 30),
    )


@pytest.fixture
def congress(admin_user, tree, term):
    return services.resolution_create(
        user=admin_user,
        organization=tree["ward"],
        level=Level.CONGRESS,
        term=term,
        number="01-NQ/ĐH",
        title="Nghị quyết Đại hội Đảng bộ phường lần thứ V, nhiệm kỳ 2020–2025",
        issued_on=dt.date(2020, 7, 20),
        issuer="Đại hội Đảng bộ phường Bình Thắng",
        plan_due=dt.date(2020, 9, 30),
    )


@pytest.fixture
def new_members(admin_user, congress):
    """Admitted members a quarter: higher is better, summed; 40 in 2024, 200 over the term."""
    return services.target_create(
        user=admin_user,
        resolution=congress,
        indicator="Kết nạp đảng viên mới",
        unit="đảng viên",
        frequency="quarter",
        direction="higher",
        rollup="sum",
        term_value=200,
        yearly={2023: 40, 2024: 40},
    )


@pytest.fixture
def split(admin_user, tree, new_members):
    """The target broken down: cell A 25 a year, cell B 15 a year."""
    a, b = services.target_break_down(
        user=admin_user,
        target=new_members,
        parts=[
            {"organization": tree["cell_a"], "yearly": {2024: 25, 2023: 25}, "term_value": 120},
            {"organization": tree["cell_b"], "yearly": {2024: 15, 2023: 15}, "term_value": 80},
        ],
    )
    return a, b
