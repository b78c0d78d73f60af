"""History values keep their types: null is null (auditlog writes "None"), numbers are numbers."""

import pytest

from apps.members.services import member_update


@pytest.mark.django_db
def test_history_keeps_null_apart_from_text_and_numbers_typed(cells, secretary_a, admin_user, api_for, tree):
    member = cells["a2"]  # created without a citizen ID: null
    member_update(user=admin_user, member=member, citizen_id="079080000009", religion="None")
    log = api_for(secretary_a).get(f"/api/members/{member.pk}/history/").json()
    changes = log[0]["changes"]
    assert changes["citizen_id"] == [None, "079080000009"]  # was null, not the text "None"
    assert changes["religion"] == ["Không", "None"]  # text that reads "None" stays text
    created = log[-1]["changes"]
    assert created["organization"] == [None, tree["cell_a"].pk]  # an id is a number
    assert created["version"] == [None, 1]
