"""`manage.py worker`: the background worker (django_tasks_db's `db_worker`) under a name that
stays the same across restarts, so that it takes back the tasks it was running when it stopped.

A worker killed mid-task (out of memory, a reboot, `kill -9`) leaves its task marked running
forever, and the page that follows it waits forever. Started again under the same name, it puts
those tasks back in the queue and runs them again; every task here is safe to run again (an
import writes all or nothing, once). Run several workers with a different `--worker-id` each.
"""

import socket

from django.db import transaction
from django_tasks.base import TaskResultStatus
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult


def resume_interrupted(worker_id: str, backend_name: str) -> int:
    """Put back in the queue the tasks this worker was running when it stopped; how many."""
    with transaction.atomic():
        running = DBTaskResult.objects.select_for_update().filter(
            status=TaskResultStatus.RUNNING, backend_name=backend_name
        )
        # The last worker to claim a task is the one running it (a JSON list: filtered here, the
        # same way on SQLite and PostgreSQL; only the running tasks are read).
        mine = [result.pk for result in running if result.worker_ids and result.worker_ids[-1] == worker_id]
        return DBTaskResult.objects.filter(pk__in=mine).update(status=TaskResultStatus.READY, started_at=None)


class Command(db_worker.Command):
    help = "Run the background worker; on start, take back the tasks it was running when it last stopped."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        for action in parser._actions:
            if action.dest == "worker_id":
                action.default = socket.gethostname()[:64]
                action.help = (
                    "This worker's name, unique among the workers and kept across restarts (default: the host's)."
                )

    def handle(self, *args, **options):
        resumed = resume_interrupted(options["worker_id"], options["backend_name"])
        if resumed and options["verbosity"]:
            self.stdout.write(f"Resumed {resumed} task(s) interrupted on worker_id={options['worker_id']}")
        return super().handle(*args, **options)
