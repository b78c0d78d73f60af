"""The replica router: statistics reads go to the replica when one is configured, writes never;
without one every query stays on "default". The last test runs against a real streaming replica
(scripts/test.sh starts one with `scripts/pg.sh replica` for the PostgreSQL run)."""

import os
import time

import pytest
from django.conf import settings
from django.db import DatabaseError, OperationalError, connections
from django.test.utils import CaptureQueriesContext
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


def _replica_sql(sql, params=(), timeout=10.0):
    """One answer from the replica, waiting (bounded) for the test database to reach it."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with connections[REPLICA].cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchone()[0]
        except OperationalError:  # the test database's creation not replayed yet
            connections[REPLICA].close()
            if time.monotonic() > deadline:
                raise


def _wait_for_replay(timeout=10.0):
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        lsn = cursor.fetchone()[0]
    deadline = time.monotonic() + timeout
    while not _replica_sql("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn]):
        if time.monotonic() > deadline:
            pytest.fail(f"the replica did not replay the primary's WAL up to {lsn} within {timeout:g} s")
        time.sleep(0.05)


@pytest.fixture
def real_replica():
    if REPLICA not in settings.DATABASES:
        if os.environ.get("REPLICA_REQUIRED"):
            pytest.fail("REPLICA_REQUIRED is set but DATABASE_REPLICA_URL gave no 'replica' database")
        pytest.skip("needs a real streaming replica: DATABASE_REPLICA_URL (scripts/pg.sh replica DIR)")
    assert _replica_sql("SELECT pg_is_in_recovery()"), "DATABASE_REPLICA_URL is not a standby"
    primary, replica = settings.DATABASES["default"], settings.DATABASES[REPLICA]
    assert (primary["HOST"], primary["PORT"]) != (replica["HOST"], replica["PORT"])
    assert connections[REPLICA].settings_dict["NAME"] == connections["default"].settings_dict["NAME"]


# Without the alias Django refuses the test before `real_replica` can skip (or fail) it.
@pytest.mark.django_db(transaction=True, databases=["default", *([REPLICA] if REPLICA in settings.DATABASES else [])])
def test_statistics_read_through_a_real_replica(real_replica, tree, make_member, ward_staff, client_for):
    for name in ("Nguyễn Văn Hùng", "Trần Thị An", "Lê Văn Bình"):
        make_member(tree["cell_a"], name)
    _wait_for_replay()
    client = client_for(ward_staff)
    url = f"/api/statistics/members/?organization={tree['ward'].pk}"
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        assert client.get(url).json()["total"] == 3
        assert client.get(reverse("statistics:organization", args=[tree["ward"].pk])).status_code == 200
    assert any("members_member" in q["sql"] for q in on_replica.captured_queries)

    # Replay paused, a fourth member committed on the primary: the figures are the replica's.
    _replica_sql("SELECT pg_wal_replay_pause()::text")
    try:
        deadline = time.monotonic() + 10
        while _replica_sql("SELECT pg_get_wal_replay_pause_state()") != "paused":
            assert time.monotonic() < deadline, "the replica's replay did not pause"
            time.sleep(0.05)
        with replica_reads():
            make_member(tree["cell_b"], "Phạm Thị Cúc")  # a write inside goes to the primary
        assert Member.objects.filter(organization__in=[tree["cell_a"], tree["cell_b"]]).count() == 4
        assert client.get(url).json()["total"] == 3
    finally:
        _replica_sql("SELECT pg_wal_replay_resume()::text")
    _wait_for_replay()
    assert client.get(url).json()["total"] == 4

    with pytest.raises(DatabaseError, match="read-only"):
        _replica_sql("UPDATE members_member SET given_name = 'X'")
    connections[REPLICA].close()
