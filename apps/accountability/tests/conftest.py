import pytest
from django.utils import timezone

from apps.core.roles import Role


@pytest.fixture
def people(tree, make_member, make_user):
    """A member of cell A with a login, the cell A secretary, a cell B secretary, ward staff."""
    hung = make_member(tree["cell_a"], "Nguyễn Văn Hùng")
    lan = make_member(tree["cell_b"], "Trần Thị Lan")
    return {
        "hung": hung,
        "lan": lan,
        "hung_user": make_user("hung", member=hung),
        "sec_a": make_user("bithu_a", Role.CELL_SECRETARY, tree["cell_a"], include_subtree=False),
        "sec_b": make_user("bithu_b", Role.CELL_SECRETARY, tree["cell_b"], include_subtree=False),
        "ward": make_user("dangu_bt", Role.COMMITTEE_STAFF, tree["ward"]),
        "ward2": make_user("dangu_dh", Role.COMMITTEE_STAFF, tree["ward2"]),
        "ubkt": make_user("ubkt_bt", Role.INSPECTION, tree["ward"]),
    }


@pytest.fixture
def year():
    return timezone.localdate().year
