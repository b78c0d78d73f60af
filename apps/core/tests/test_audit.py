import pytest
from auditlog.models import LogEntry

from apps.core.services import audited
from apps.organizations.models import Organization


@pytest.mark.django_db
def test_nested_writes_keep_their_actor(tree, admin_user):
    ward = tree["ward"]
    with audited(admin_user):
        with audited(admin_user):
            Organization.objects.filter(pk=ward.pk).first().save()
        org = Organization.objects.get(pk=ward.pk)
        org.address = "Số 1 đường Trần Hưng Đạo"
        org.save()
    entry = LogEntry.objects.get_for_object(org).filter(action=LogEntry.Action.UPDATE).latest("pk")
    assert entry.actor == admin_user
    assert entry.changes_dict["address"] == ["", "Số 1 đường Trần Hưng Đạo"]
