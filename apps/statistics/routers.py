"""Statistics read from a streaming replica when one is configured; writes never go there.

With `DATABASE_REPLICA_URL` set, settings add a "replica" database. Code that reads statistics
(the statistics pages, their exports and the statistics API) runs inside `replica_reads()`; every
read inside it goes to the replica, every write (and every read outside it) to the primary.
Without a replica the router answers None and Django uses "default" as always.

A replica lags the primary by the streaming delay (milliseconds on a healthy link): figures
may miss a change made a moment before, which a statistics page can tolerate and a form cannot.
"""

from __future__ import annotations

import contextvars
from contextlib import ContextDecorator

from django.conf import settings

REPLICA = "replica"
_reading = contextvars.ContextVar("statistics_replica_reads", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


class replica_reads(ContextDecorator):  # noqa: N801 (used like a function: `with replica_reads():`)
    """Send the reads of the block (or the decorated view) to the replica."""

    def _recreate_cm(self):
        return type(self)()  # one token per call: a decorated view runs in many threads at once

    def __enter__(self):
        self._token = _reading.set(True)
        return self

    def __exit__(self, *exc):
        _reading.reset(self._token)
        return False


def reading_from_replica() -> bool:
    return _reading.get() and replica_configured()


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return REPLICA if reading_from_replica() else None

    def db_for_write(self, model, **hints):
        # Always the primary, even for a row read from the replica (whose hint would say "replica").
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the same rows as the primary: relations between them are one database.
        if {obj1._state.db, obj2._state.db} <= {"default", REPLICA, None}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return False if db == REPLICA else None
