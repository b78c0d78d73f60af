"""The replica router: statistics reads go to the replica when one is configured, writes never;
without one every query stays on "default"."""

import pytest
from django.conf import settings
from django.urls import reverse

from apps.members.models import Member
from apps.statistics import routers, selectors
from apps.statistics.routers import REPLICA, ReplicaRouter, replica_reads


@pytest.fixture
def with_replica(monkeypatch):
    monkeypatch.setattr(routers, "replica_configured", lambda: True)


def test_reads_inside_go_to_the_replica_writes_never(with_replica):
    router = ReplicaRouter()
    assert router.db_for_read(Member) is None
    with replica_reads():
        assert router.db_for_read(Member) == REPLICA
        assert router.db_for_write(Member) == "default"
        with replica_reads():
            assert router.db_for_read(Member) == REPLICA
        assert router.db_for_read(Member) == REPLICA
    assert router.db_for_read(Member) is None
    assert router.db_for_write(Member) == "default"
    assert router.allow_migrate(REPLICA, "members") is False
    assert router.allow_migrate("default", "members") is None


def test_without_a_replica_nothing_changes():
    assert "apps.statistics.routers.ReplicaRouter" in settings.DATABASE_ROUTERS
    if "replica" in settings.DATABASES:
        pytest.skip("a replica is configured for this run")
    router = ReplicaRouter()
    with replica_reads():
        assert router.db_for_read(Member) is None


@pytest.mark.django_db
def test_the_page_the_exports_and_the_api_read_inside(tree, ward_staff, client_for, monkeypatch, with_replica):
    seen = []
    real = selectors.member_figures

    def spy(org, day):
        seen.append(routers.reading_from_replica())
        return real(org, day)

    monkeypatch.setattr(selectors, "member_figures", spy)
    # The router would send these reads to a "replica" alias this run does not have: answer
    # "default" for it so that the request still runs, and record that the router was asked.
    asked = []

    def db_for_read(self, model, **hints):
        asked.append(model)

    monkeypatch.setattr(ReplicaRouter, "db_for_read", db_for_read)
    client = client_for(ward_staff)
    ward = tree["ward"].pk
    assert client.get(reverse("statistics:organization", args=[ward])).status_code == 200
    assert client.get(reverse("statistics:export_pdf", args=[ward])).status_code == 200
    assert client.get(f"/api/statistics/members/?organization={ward}").status_code == 200
    assert seen == [True, True, True]
    assert asked  # the router was consulted for the reads
    assert routers.reading_from_replica() is False
