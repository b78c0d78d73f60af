"""E-mail goes out from the worker (`manage.py worker`), never inside the request."""

from django_tasks import task

from . import delivery


@task()
def send_email(to: str, subject: str, body: str) -> bool:
    return delivery.send(to, subject, body)
