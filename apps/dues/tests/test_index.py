import datetime as dt

import pytest

from apps.core.roles import Role
from apps.dues import services

pytestmark = pytest.mark.django_db


def test_index_lists_the_children_with_their_month(client_for, ward_staff, tree, cell_of_n, admin_user, make_user):
    cell_of_n(2)
    services.pay_all(
        user=admin_user, organization=tree["cell_a"], month=dt.date(2026, 3, 1), paid_on=dt.date(2026, 3, 5)
    )
    page = client_for(ward_staff).get("/dang-phi/?thang=2026-03")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Chi bộ khu phố 1" in body and "100.000" in body and "Đông Hòa" not in body
    inspector = make_user("kt", Role.INSPECTION, tree["ward2"])
    assert client_for(inspector).get("/dang-phi/").status_code == 200
