"""Long work of the library, run by the worker (`manage.py worker`) outside the request."""

from django_tasks import task

from . import services


@task()
def send_document(dispatch_id: int) -> None:
    services.dispatch_run(dispatch_id)
