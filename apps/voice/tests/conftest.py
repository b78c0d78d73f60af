import datetime as dt

import pytest

from apps.core.roles import Role
from apps.notices.testing import mail, smtp_server  # noqa: F401


@pytest.fixture
def world(tree, admin_user, make_member, make_user, secretary_a, ward_staff):
    """Hùng, a member of cell A with an account and an address; the cell's secretary; the ward's
    staff; and the outsiders: cell B's secretary, ward 2's staff, another member of cell A."""
    hung = make_member(tree["cell_a"], "Nguyễn Văn Hùng")
    hung_user = make_user("hung", member=hung)
    hung_user.email = "hung@example.vn"
    hung_user.save()
    lan = make_member(tree["cell_a"], "Trần Thị Lan")
    lan_user = make_user("lan", member=lan)
    secretary_a.email = "bithu.a@example.vn"
    secretary_a.save()
    return {
        **tree,
        "hung": hung,
        "hung_user": hung_user,
        "lan_user": lan_user,
        "secretary_a": secretary_a,
        "ward_staff": ward_staff,
        "secretary_b": make_user("bithu_b", Role.CELL_SECRETARY, tree["cell_b"], include_subtree=False),
        "ward2_staff": make_user("dangu_dh", Role.COMMITTEE_STAFF, tree["ward2"]),
        "admin_user": admin_user,
        "day": dt.date.today(),
    }
