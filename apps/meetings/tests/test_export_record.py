"""Meeting documents downloaded are recorded like every export (issue 18, finding 10)."""

import pytest

from apps.safeguards.models import ExportRecord

from .test_views import held_and_approved, setup  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def test_minutes_and_resolution_downloads_are_recorded(setup, secretary_a, client_for):  # noqa: F811
    meeting = held_and_approved(secretary_a, setup["meeting_a"], [setup["an"], setup["binh"]])
    client = client_for(secretary_a)
    assert client.get(f"/sinh-hoat/{meeting.pk}/tai/bien-ban.docx").status_code == 200
    assert client.get(f"/sinh-hoat/{meeting.pk}/tai/nghi-quyet.pdf").status_code == 200
    assert client_for(setup["member_b"]).get(f"/sinh-hoat/{meeting.pk}/tai/bien-ban.pdf").status_code == 404
    assert list(
        ExportRecord.objects.order_by("pk").values_list("user__username", "kind", "file_format", "organization")
    ) == [
        ("bithu_a", "minutes", "docx", meeting.organization_id),
        ("bithu_a", "resolution", "pdf", meeting.organization_id),
    ]
