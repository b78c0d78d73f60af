"""Fixtures of the API tests: clients that authenticate with a real token, a member's own account."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from apps.core.roles import Role


@pytest.fixture
def api_for(db):
    """An API client sending `Authorization: Token …` for `user` (or nothing for None)."""

    def make(user=None):
        client = APIClient()
        if user is not None:
            token, _ = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


@pytest.fixture
def cells(tree, make_member):
    """Two members in each of cells A, B (ward Bình Thắng) and C (ward Đông Hòa)."""
    return {
        "a1": make_member(tree["cell_a"], "Nguyễn Văn Hùng", citizen_id="079080000001", phone="0903000001"),
        "a2": make_member(tree["cell_a"], "Trần Thị An"),
        "b1": make_member(tree["cell_b"], "Lê Văn Bình", citizen_id="079080000002", email="binh@example.com"),
        "b2": make_member(tree["cell_b"], "Đặng Thị Dung"),
        "c1": make_member(tree["cell_c"], "Phạm Văn Đạt"),
        "c2": make_member(tree["cell_c"], "Nguyễn Văn Hưng"),
    }


@pytest.fixture
def member_user(cells, make_user):
    """The account of member a1, holding only the member role."""
    return make_user("dangvien_a1", Role.MEMBER, cells["a1"].organization, member=cells["a1"])


@pytest.fixture
def inspector(tree, make_user):
    """The inspection committee of the ward: sees the ward's members, may not change them."""
    return make_user("ubkt_bt", Role.INSPECTION, tree["ward"])
