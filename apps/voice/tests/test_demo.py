import pytest
from django.core.management import call_command

from apps.voice.models import Dialogue, DialogueIssue, Petition, PetitionStatus


@pytest.mark.django_db
def test_the_demo_has_petitions_in_every_state_and_a_dialogue_with_follow_ups():
    call_command("seed_demo", size=0, seed=1, stdout=open("/dev/null", "w"))
    states = {status: Petition.objects.filter(status=status).count() for status in PetitionStatus.values}
    assert states == {"new": 3, "assigned": 2, "answered": 1}
    assert Petition.objects.overdue().count() == 2
    dialogue = Dialogue.objects.get()
    assert dialogue.issues.count() == 3
    assert DialogueIssue.objects.overdue().count() == 1
    assert sum(i.follow_ups.count() for i in dialogue.issues.all()) == 3
