"""Long work on uploaded files, run by the worker (`manage.py worker`) outside the request."""

from django_tasks import task

from . import services


@task()
def check_batch(batch_id: int) -> None:
    services.batch_check(batch_id)


@task()
def import_batch(batch_id: int, user_id: int) -> None:
    services.batch_import(batch_id, user_id)
