"""Member imports run in the worker, not in the request: the page follows the task."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from apps.imports import services
from apps.imports.checking import check_rows
from apps.imports.models import BatchStatus, ImportBatch
from apps.imports.parsing import parse_workbook
from apps.members.models import Member

from .conftest import HEADINGS

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue(settings, monkeypatch):
    """The real queue (in the database), worked through by `manage.py worker` when the test says so.

    The worker closes stale connections between tasks; here the test's own transaction holds the
    connection (PostgreSQL would lose it), so that step is skipped."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)


def _work():
    call_command("worker", "--batch", "--no-startup-delay", stdout=io.StringIO(), stderr=io.StringIO())


def test_the_check_and_the_import_run_in_the_worker_and_the_page_follows(
    queue, xlsx, good_rows, tree, secretary_a, client_for
):
    from django_tasks_db.models import DBTaskResult

    client = client_for(secretary_a)
    response = client.post(f"/excel/to-chuc/{tree['cell_a'].pk}/nhap-dang-vien/", {"file": xlsx(good_rows)})
    batch = ImportBatch.objects.get()
    assert (batch.status, batch.row_count) == (BatchStatus.QUEUED, 0)  # the rows are read by the check
    page = client.get(response["Location"]).content.decode()
    assert 'id="batch-progress"' in page and 'hx-trigger="every 1s"' in page
    assert "xac-nhan" not in page  # nothing to confirm before the check
    listed = client.get(f"/excel/to-chuc/{tree['cell_a'].pk}/nhap-dang-vien/").content.decode()
    assert 'data-label="Số dòng">…</td>' in listed  # not "0": the rows are not read yet
    progress_url = f"/excel/nhap/{batch.pk}/tien-do/"
    waiting = client.get(progress_url, HTTP_HX_REQUEST="true").content.decode()
    assert "Đang chờ kiểm tra" in waiting and "quản trị" not in waiting
    # No worker picks it up: after two minutes the page says whom to call.
    ImportBatch.objects.filter(pk=batch.pk).update(updated_at=timezone.now() - dt.timedelta(minutes=3))
    late = client.get(progress_url, HTTP_HX_REQUEST="true").content.decode()
    assert "bộ xử lý nền (manage.py worker) có lẽ chưa chạy" in late and 'hx-trigger="every 1s"' in late

    _work()
    batch.refresh_from_db()
    assert (batch.status, batch.row_count, batch.progress) == (BatchStatus.READY, 3, 3)
    assert client.get(progress_url, HTTP_HX_REQUEST="true")["HX-Refresh"] == "true"

    client.post(f"/excel/nhap/{batch.pk}/xac-nhan/")
    again = client.post(f"/excel/nhap/{batch.pk}/xac-nhan/", follow=True)
    assert "đang được nhập" in again.content.decode()  # the second click queues nothing
    batch.refresh_from_db()
    assert batch.status == BatchStatus.IMPORTING and Member.objects.count() == 0
    assert DBTaskResult.objects.count() == 2  # one check, one import

    _work()
    batch.refresh_from_db()
    assert (batch.status, batch.imported_count, Member.objects.count()) == (BatchStatus.IMPORTED, 3, 3)
    assert "Đã nhập 3 đảng viên lúc" in client.get(f"/excel/nhap/{batch.pk}/").content.decode()
    # A task run again (a worker restarted mid-way) changes nothing.
    services.batch_check(batch.pk)
    services.batch_import(batch.pk, secretary_a.pk)
    assert Member.objects.count() == 3


def test_a_failed_import_says_why_changes_nothing_and_can_be_tried_again(
    queue, monkeypatch, xlsx, good_rows, tree, secretary_a, client_for
):
    client = client_for(secretary_a)
    client.post(f"/excel/to-chuc/{tree['cell_a'].pk}/nhap-dang-vien/", {"file": xlsx(good_rows)})
    _work()
    batch = ImportBatch.objects.get()

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    with monkeypatch.context() as broken_disk:
        broken_disk.setattr(services, "_insert", broken)
        client.post(f"/excel/nhap/{batch.pk}/xac-nhan/")
        _work()
    batch.refresh_from_db()
    assert batch.status == BatchStatus.FAILED and Member.objects.count() == 0
    page = client.get(f"/excel/nhap/{batch.pk}/").content.decode()
    assert "Lỗi khi nhập; chưa ghi đảng viên nào" in page and "disk full" not in page
    assert "xac-nhan" in page  # it can be tried again
    client.post(f"/excel/nhap/{batch.pk}/xac-nhan/")
    _work()
    batch.refresh_from_db()
    assert (batch.status, Member.objects.count()) == (BatchStatus.IMPORTED, 3)


def test_the_check_reports_rows_checked_as_it_goes(xlsx, tree, secretary_a):
    rows = [HEADINGS] + [[n, f"Nguyễn Văn Số{n}", "Nam", "01/01/1980", "19/05/2010", "", "", ""] for n in range(4001)]
    sheet = parse_workbook(xlsx(rows))
    seen = []
    check_rows(sheet, user=secretary_a, organization=tree["cell_a"], on_progress=seen.append)
    assert seen == [2000, 4000]


@pytest.mark.parametrize("phase", ["check", "import"])
def test_a_worker_killed_mid_task_takes_it_back_when_it_starts_again(
    phase, queue, xlsx, good_rows, tree, secretary_a, client_for
):
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    client = client_for(secretary_a)
    client.post(f"/excel/to-chuc/{tree['cell_a'].pk}/nhap-dang-vien/", {"file": xlsx(good_rows)})
    batch = ImportBatch.objects.get()
    if phase == "import":
        _work()
        client.post(f"/excel/nhap/{batch.pk}/xac-nhan/")
    # Worker "may-1" claimed the task and was killed: the task stays "running", the page waits.
    task = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    task.claim("may-1")
    other = DBTaskResult.objects.create(
        task_path=task.task_path, args_kwargs=task.args_kwargs, backend_name=task.backend_name, queue_name="default"
    )
    other.claim("may-2")  # another worker's task, still running there: left alone
    if phase == "check":
        ImportBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.CHECKING)  # it had begun reading
    _work()  # a worker of another name finds nothing to do
    task.refresh_from_db()
    assert task.status == TaskResultStatus.RUNNING

    out = io.StringIO()
    call_command("worker", "--worker-id", "may-1", "--batch", "--no-startup-delay", stdout=out, stderr=io.StringIO())
    assert "Resumed 1 task" in out.getvalue()
    task.refresh_from_db()
    other.refresh_from_db()
    batch.refresh_from_db()
    assert (task.status, other.status) == (TaskResultStatus.SUCCESSFUL, TaskResultStatus.RUNNING)
    if phase == "check":
        assert (batch.status, batch.row_count, Member.objects.count()) == (BatchStatus.READY, 3, 0)
    else:
        assert (batch.status, batch.imported_count, Member.objects.count()) == (BatchStatus.IMPORTED, 3, 3)
