import datetime as dt

import pytest

from apps.dues.models import Category
from apps.dues.services import basis_add


@pytest.fixture
def basis(admin_user):
    def make(member, category=Category.INSURED, amount=6_000_000, since=dt.date(2025, 1, 1), **kw):
        return basis_add(user=admin_user, member=member, category=category, amount=amount, since=since, **kw)

    return make


@pytest.fixture
def cell_of_n(tree, make_member, basis):
    """A cell with n members, each on an insured salary of 5.000.000 đ (dues 50.000 đ)."""

    def make(n, cell=None):
        cell = cell or tree["cell_a"]
        members = []
        for i in range(n):
            m = make_member(cell, f"Trần Văn Tên{i:03d}")
            basis(m, amount=5_000_000)
            members.append(m)
        return members

    return make
