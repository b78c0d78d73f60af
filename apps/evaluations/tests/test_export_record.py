"""The classification table's downloads are recorded like every export (issue 18, finding 10)."""

import pytest

from apps.evaluations import services
from apps.evaluations.exports import table_rows
from apps.evaluations.selectors import classification_table
from apps.safeguards.models import ExportRecord

from .conftest import dates

pytestmark = pytest.mark.django_db


def test_table_downloads_write_one_record_each(tree, cell_of, admin_user, ward_staff, client_for):
    cell_of(tree["cell_a"], 2)
    services.campaign_open(user=admin_user, organization=tree["ward"], year=2018, **dates(2018))
    client = client_for(ward_staff)
    query = {"org": tree["ward"].pk, "years": "2018"}
    assert client.get("/danh-gia/bang-tong-hop.xlsx", query).status_code == 200
    assert client.get("/danh-gia/bang-tong-hop.pdf", query).status_code == 200
    rows = len(table_rows(classification_table(tree["ward"], [2018])))
    assert list(
        ExportRecord.objects.order_by("pk").values_list(
            "user__username", "kind", "file_format", "organization", "row_count", "personal_columns", "filters"
        )
    ) == [
        ("dangu_bt", "classification", fmt, tree["ward"].pk, rows, [], {"org": str(tree["ward"].pk), "years": "2018"})
        for fmt in ("xlsx", "pdf")
    ]
