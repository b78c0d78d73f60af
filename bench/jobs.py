"""The member import through the background job, as the product runs it: a real worker in its own
OS process (WORKER_COMMAND), the upload (`batch_create`) and the confirmation (`batch_confirm`)
called from this process, which waits for READY, then IMPORTED, polling the batch, and keeps
answering pages meanwhile (every latency recorded, per phase). Goal: total ≤ 2× parse
(`parse_workbook` of the same file, in this run) and every page under 50 ms while the job runs.

Afterwards everything the job wrote is hard-deleted (members of the sample's card numbers, their
history, name keys and audit entries, the batch, its kept file and its task rows), so that the
kept data set is as it was; leftovers of an interrupted run are deleted first. The worker is
always stopped, also on error.

`breakdown()` times the import's steps in this process (check, then the insert split by table
and the audit entries), rolled back.
"""

import gc
import os
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction

# The worker, run from the project root with this process's interpreter and environment (plus
# DJANGO_SETTINGS_MODULE below). Renaming the command (e.g. `manage.py worker`) is a change here.
WORKER_COMMAND = ["manage.py", "worker", "--no-startup-delay", "--interval", "0.1"]
WORKER_SETTINGS = "config.settings.base"
WORKER_READY_LINE = "Starting worker"  # db_worker's first log line; without it we go on after WORKER_READY_S
WORKER_READY_S = 30
JOB_TIMEOUT_S = 600  # upload to IMPORTED
POLL_S = 0.25  # the batch's status is read this often
PROBE_EVERY_S = 0.1  # one page request this often while waiting (a web process with some traffic)
IDLE_PROBE_S = 3.0  # the same pages before the worker starts: the baseline
UPLOAD_NAME = "bench-job.xlsx"
TASK_PATHS = ("apps.imports.tasks.check_batch", "apps.imports.tasks.import_batch")
GOAL_PAGE_MS = 50.0


class JobError(Exception):
    pass


class _Rollback(Exception):
    pass


def _ms_stats(values):
    if not values:
        return {"count": 0}
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]
    return {
        "count": len(ordered),
        "median_ms": statistics.median(ordered),
        "p95_ms": p95,
        "max_ms": ordered[-1],
        "over_goal": sum(1 for v in ordered if v > GOAL_PAGE_MS),
    }


class _GcClock:
    """Milliseconds this process has spent in its cycle collector (a slow page may be only that)."""

    def __init__(self):
        self.ms, self.started = 0.0, None

    def __call__(self, phase, info):
        if phase == "start":
            self.started = time.perf_counter()
        elif self.started is not None:
            self.ms += (time.perf_counter() - self.started) * 1000
            self.started = None


class Probe:
    """Calls the pages in turn, one every PROBE_EVERY_S, recording each latency under a phase (and
    the time this process spent collecting garbage during that call)."""

    def __init__(self, pages, call_view):
        self.gc = _GcClock()
        self.pages = pages  # [(label, path, params, user, headers)]
        self.call_view = call_view
        self.times = defaultdict(lambda: defaultdict(list))  # phase -> label -> [ms]
        self.samples = []  # (phase, seconds since the start, page, ms): where the slow ones fall
        self.start = time.perf_counter()
        self.next = 0
        self.due = 0.0
        for _label, path, params, user, headers in pages:  # warm: the first call of a page is not its time
            call_view(path, params, user, headers)

    def tick(self, phase):
        """One page if one is due, else a short sleep."""
        now = time.perf_counter()
        if now < self.due:
            time.sleep(min(self.due - now, 0.02))
            return
        label, path, params, user, headers = self.pages[self.next % len(self.pages)]
        self.next += 1
        gc_before = self.gc.ms
        t = time.perf_counter()
        self.call_view(path, params, user, headers)
        ms = (time.perf_counter() - t) * 1000
        self.times[phase][label].append(ms)
        self.samples.append((phase, round(t - self.start, 3), label, round(ms, 2), round(self.gc.ms - gc_before, 2)))
        self.due = t + PROBE_EVERY_S

    def run_for(self, phase, seconds):
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            self.tick(phase)

    def summary(self):
        out = {}
        for phase, by_page in self.times.items():
            every = [ms for values in by_page.values() for ms in values]
            collected = [s[4] for s in self.samples if s[0] == phase and s[4]]
            out[phase] = {
                "all": _ms_stats(every),
                "pages": {label: _ms_stats(v) for label, v in by_page.items()},
                "gc": {"calls": len(collected), "max_ms": max(collected, default=0)},
            }
        return out


class Worker:
    """The worker subprocess; `stop()` is safe to call whatever happened."""

    def __init__(self, root: Path, log_path: Path):
        self.root, self.log_path = root, log_path
        self.proc = None
        self.log = None
        self.killed = False

    def start(self):
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": WORKER_SETTINGS, "PYTHONUNBUFFERED": "1"}
        self.log = self.log_path.open("w")
        self.proc = subprocess.Popen(
            [sys.executable, *WORKER_COMMAND], cwd=self.root, env=env, stdout=self.log, stderr=subprocess.STDOUT
        )
        t = time.perf_counter()
        while time.perf_counter() - t < WORKER_READY_S:
            if self.proc.poll() is not None:
                raise JobError(f"worker exited at start (code {self.proc.returncode}): {self.tail()}")
            if WORKER_READY_LINE in self.log_path.read_text(errors="replace"):
                return time.perf_counter() - t
            time.sleep(0.05)
        return None  # no ready line seen: go on (another worker command may log differently)

    def check_alive(self):
        if self.proc is not None and self.proc.poll() is not None:
            raise JobError(f"worker exited (code {self.proc.returncode}): {self.tail()}")

    def tail(self, lines=15):
        try:
            return " | ".join(self.log_path.read_text(errors="replace").strip().splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()  # graceful: the worker finishes its task first…
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:  # …so a task still running is cut short
                self.killed = True
                self.proc.kill()
                self.proc.wait()
        if self.log is not None:
            self.log.close()
            self.log = None


def _card_range(first_card, n):
    lo, hi = str(first_card), str(first_card + n - 1)
    assert len(lo) == len(hi), "the sample's card numbers must all have the same length"
    return lo, hi


def cleanup(cell, first_card, n, batch_ids=()):
    """Hard-delete what the job wrote (and what an interrupted run left): the members of the
    sample's card numbers in `cell`, their history, name keys and audit entries; the bench's
    batches (named UPLOAD_NAME) in `cell`, their kept files, audit entries and task rows."""
    from auditlog.models import LogEntry
    from django_tasks_db.models import DBTaskResult

    from apps.imports.models import ImportBatch
    from apps.members.models import Member, StatusChange

    lo, hi = _card_range(first_card, n)
    members = (
        "SELECT id FROM members_member WHERE organization_id = %s AND length(card_number) = %s "
        "AND card_number BETWEEN %s AND %s"
    )
    mp = [cell.pk, len(lo), lo, hi]
    ct = ContentType.objects.get_for_models(Member, StatusChange, ImportBatch)
    batches = list(ImportBatch.objects.filter(organization=cell, file_name=UPLOAD_NAME).values_list("pk", flat=True))
    batches = sorted({*batches, *batch_ids})
    t = time.perf_counter()
    deleted = {}
    with transaction.atomic(), connection.cursor() as cursor:

        def run(label, sql, params):
            cursor.execute(sql, params)
            deleted[label] = cursor.rowcount

        run(
            "log entries (history)",
            f"DELETE FROM auditlog_logentry WHERE content_type_id = %s AND object_id IN "
            f"(SELECT id FROM members_statuschange WHERE member_id IN ({members}))",
            [ct[StatusChange].pk, *mp],
        )
        run(
            "log entries (members)",
            f"DELETE FROM auditlog_logentry WHERE content_type_id = %s AND object_id IN ({members})",
            [ct[Member].pk, *mp],
        )
        run("history", f"DELETE FROM members_statuschange WHERE member_id IN ({members})", mp)
        run("name keys", f"DELETE FROM members_membernamekey WHERE member_id IN ({members})", mp)
        run("members", f"DELETE FROM members_member WHERE id IN ({members})", mp)
        if batches:
            deleted["log entries (batch)"] = LogEntry.objects.filter(
                content_type=ct[ImportBatch], object_id__in=batches
            )._raw_delete(LogEntry.objects.db)
            tasks = [
                r.pk
                for r in DBTaskResult.objects.filter(task_path__in=TASK_PATHS).only("pk", "args_kwargs")
                if (r.args_kwargs.get("args") or [None])[0] in batches
            ]
            deleted["task results"] = DBTaskResult.objects.filter(pk__in=tasks)._raw_delete(DBTaskResult.objects.db)
            for batch in ImportBatch.objects.filter(pk__in=batches):
                if batch.file:
                    batch.file.delete(save=False)
            deleted["batches"] = ImportBatch.objects.filter(pk__in=batches)._raw_delete(ImportBatch.objects.db)
        if connection.vendor == "sqlite":
            # The next ids as before the job (bulk.insert allocates after max(id, sqlite_sequence)).
            for table in (
                "members_member",
                "members_statuschange",
                "members_membernamekey",
                "auditlog_logentry",
                "imports_importbatch",
            ):
                cursor.execute(
                    f"UPDATE sqlite_sequence SET seq = (SELECT COALESCE(MAX(id), 0) FROM {table}) WHERE name = %s",
                    [table],
                )
    return {"s": time.perf_counter() - t, "rows": {k: v for k, v in deleted.items() if v}}


def breakdown(sheet, admin, cell, source="bench"):
    """check_rows, then services._insert split by step (ids, rows per table, audit entries), on
    the parsed sheet, in one transaction rolled back, with the cycle collector paused as the
    import's task has it. Times in seconds."""
    from apps.imports.parsing import gc_paused

    return gc_paused(_breakdown)(sheet, admin, cell, source)


def _breakdown(sheet, admin, cell, source):
    from apps.core import bulk
    from apps.core.services import audited
    from apps.imports import services
    from apps.imports.checking import check_rows

    spent, rows = defaultdict(float), defaultdict(int)
    originals = {name: getattr(bulk, name) for name in ("_allocate_ids", "_write", "_log_created")}

    def timed(name, label):
        original = originals[name]

        def wrapper(model, *args, **kwargs):
            t = time.perf_counter()
            try:
                return original(model, *args, **kwargs)
            finally:
                spent[f"{label} {model.__name__}"] += time.perf_counter() - t
                if name == "_write":
                    rows[model.__name__] += len(args[1])

        return wrapper

    result = {}
    for name, label in (("_allocate_ids", "ids"), ("_write", "write"), ("_log_created", "audit")):
        setattr(bulk, name, timed(name, label))
    try:
        with transaction.atomic(), audited(admin):
            t = time.perf_counter()
            check = check_rows(sheet, user=admin, organization=cell)
            result["check_s"] = time.perf_counter() - t
            if not check.ok:
                result["error"] = f"check found {len(check.error_rows)} bad rows"
                raise _Rollback
            t = time.perf_counter()
            services._insert(check.rows, user=admin, source=source)
            result["insert_s"] = time.perf_counter() - t
            raise _Rollback
    except _Rollback:
        pass
    finally:
        for name, original in originals.items():
            setattr(bulk, name, original)
    if "insert_s" in result:
        # The audit entries' own insert (ids + write LogEntry) runs inside "audit <model>".
        logentry = spent.pop("ids LogEntry", 0) + spent.pop("write LogEntry", 0)
        audit = sum(v for k, v in spent.items() if k.startswith("audit "))
        top = sum(spent.values())
        result["parts"] = dict(sorted(spent.items()))
        result["audit_s"] = audit
        result["audit_build_s"] = audit - logentry
        result["audit_write_s"] = logentry
        result["python_s"] = result["insert_s"] - top  # refresh_derived, history steps, name keys
        result["rows"] = dict(rows)
    return result


def run(province, cell, user, admin, call_view, *, path, rows, first_card, parse_s, probe_cell, root, log_path):
    """The import of the `rows`-row workbook at `path` into `cell` through the worker."""
    from apps.imports.models import BatchStatus, ImportBatch

    result = {"rows": rows, "parse_s": parse_s, "worker_command": " ".join(WORKER_COMMAND), "load": {}}
    result["load"]["start"] = os.getloadavg()
    pages = [
        ("Danh sách một chi bộ", "/dang-vien/", {"org": probe_cell.pk}, user, None),
        ("Danh sách tỉnh, trang 1", "/dang-vien/", {"org": province.pk}, user, None),
    ]
    before = cleanup(cell, first_card, rows)
    if before["rows"]:
        print(f"  removed what an earlier run left: {before['rows']}", flush=True)
    probe = Probe(pages, call_view)
    worker = Worker(root, log_path)
    batch = None
    seen = {}
    gc.collect()  # the idle baseline starts from a clean heap, not with the steps' garbage
    gc.callbacks.append(probe.gc)
    try:
        probe.run_for("idle", IDLE_PROBE_S)
        ready = worker.start()
        result["worker_ready_s"] = ready
        print(f"  worker started ({f'ready after {ready:.1f} s' if ready else 'no ready line seen'})", flush=True)

        def wait(phase, until, start):
            last_poll = 0.0
            while True:
                probe.tick(phase)
                now = time.perf_counter()
                if now - last_poll < POLL_S:
                    continue
                last_poll = now
                status, progress = ImportBatch.objects.filter(pk=batch.pk).values_list("status", "progress").get()
                seen.setdefault(status, now - t0)
                if status == until:
                    return now - start
                if status in (BatchStatus.INVALID, BatchStatus.FAILED):
                    b = ImportBatch.objects.get(pk=batch.pk)
                    raise JobError(
                        f"batch {status} while {phase}: {b.failure or ''} {str(b.errors)[:300]} (worker: {worker.tail(5)})"
                    )
                if now - t0 > JOB_TIMEOUT_S:
                    raise JobError(f"still {status} ({progress} rows) after {JOB_TIMEOUT_S} s")
                worker.check_alive()
                _task_failed(batch.pk)

        with path.open("rb") as handle:
            upload = UploadedFile(
                handle,
                name=UPLOAD_NAME,
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                size=path.stat().st_size,
            )
            t0 = time.perf_counter()
            batch = _batch_create(admin, cell, upload)
            result["upload_s"] = time.perf_counter() - t0
        print(f"  batch_create (the upload request): {result['upload_s']:.2f} s", flush=True)
        t = time.perf_counter()
        result["check_s"] = wait("checking", BatchStatus.READY, t)
        result["load"]["ready"] = os.getloadavg()
        print(f"  … READY after {result['check_s']:.2f} s", flush=True)
        t = time.perf_counter()
        _batch_confirm(admin, batch)
        result["confirm_s"] = time.perf_counter() - t
        result["import_s"] = wait("importing", BatchStatus.IMPORTED, t)
        result["total_s"] = time.perf_counter() - t0
        result["load"]["imported"] = os.getloadavg()
        done = ImportBatch.objects.get(pk=batch.pk)
        result["imported"] = done.imported_count
        result["ratio"] = result["total_s"] / parse_s
        result["tasks"] = _task_times(batch.pk, worker)
        print(
            f"  … IMPORTED ({done.imported_count}) after {result['import_s']:.2f} s; total {result['total_s']:.2f} s, "
            f"ratio {result['ratio']:.2f} (goal ≤ 2)",
            flush=True,
        )
    except Exception as exc:
        result["error"] = f"{type(exc).__name__}: {exc}"
        print(f"  JOB ERROR: {result['error']}", flush=True)
    finally:
        worker.stop()
        gc.callbacks.remove(probe.gc)
        result["worker_killed"] = worker.killed
        result["status_seen_s"] = seen
        result["pages"] = probe.summary()
        result["samples"] = probe.samples
        result["upload_at_s"] = round(t0 - probe.start, 3) if batch else None  # on the samples' clock
        result["cleanup"] = cleanup(cell, first_card, rows, [batch.pk] if batch else [])
    for phase, data in result["pages"].items():
        a = data["all"]
        print(
            f"  pages while {phase:<9}: {a['count']:4d} calls, median {a['median_ms']:6.2f} ms, p95 {a['p95_ms']:6.2f}, "
            f"max {a['max_ms']:7.2f}, {a['over_goal']} over {GOAL_PAGE_MS:.0f} ms "
            f"(collector ran in {data['gc']['calls']} calls, up to {data['gc']['max_ms']:.1f} ms)",
            flush=True,
        )
    print(f"  cleanup {result['cleanup']['s']:.1f} s: {result['cleanup']['rows']}", flush=True)
    return result


def _batch_create(admin, cell, upload):
    from apps.imports.services import batch_create

    return batch_create(user=admin, organization=cell, upload=upload)


def _batch_confirm(admin, batch):
    from apps.imports.services import batch_confirm

    batch.refresh_from_db()
    batch_confirm(user=admin, batch=batch)


def _tasks(batch_id):
    from django_tasks_db.models import DBTaskResult

    return [
        r
        for r in DBTaskResult.objects.filter(task_path__in=TASK_PATHS).order_by("enqueued_at")
        if (r.args_kwargs.get("args") or [None])[0] == batch_id
    ]


def _task_failed(batch_id):
    for r in _tasks(batch_id):
        if r.status == "FAILED":
            raise JobError(f"task {r.task_path} failed: {r.exception_class_path}: {r.traceback.strip()[-400:]}")


def _task_times(batch_id, worker, wait_s=10):
    """Per task, from its row: waiting in the queue and running, in seconds. The worker marks a task
    done just after its last commit: wait for that a little."""
    end = time.perf_counter() + wait_s
    while any(r.finished_at is None for r in _tasks(batch_id)) and time.perf_counter() < end:
        worker.check_alive()
        time.sleep(0.05)
    out = {}
    for r in _tasks(batch_id):
        name = r.task_path.rsplit(".", 1)[-1]
        out[name] = {
            "queued_s": (r.started_at - r.enqueued_at).total_seconds() if r.started_at else None,
            "run_s": (r.finished_at - r.started_at).total_seconds() if r.finished_at and r.started_at else None,
        }
    return out
