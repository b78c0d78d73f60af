"""Insert many rows of any model fast, with the audit entries that `save()` would have left.

`bulk_create` compiles SQL for every batch (35 rows at a time on SQLite) and prepares every value
through its field; for 100.000 members and 200.000 history rows that costs more than reading the
file. Here one statement is prepared and run many times by the driver (COPY on PostgreSQL), and
only the values that need it (dates on SQLite) are converted, by the field's own database rules.
"""

from __future__ import annotations

from datetime import UTC

from auditlog.cid import get_cid
from auditlog.context import auditlog_disabled, auditlog_value
from auditlog.diff import get_mask_function
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
from django.db import connections
from django.db.models import DateTimeField
from django.utils import timezone

from apps.core.timestamps import auto_time_fields

CHUNK = 10_000  # rows per executemany on SQLite; the portable path's bulk_create batch

# Field types whose Python values (str, int, bool, None) go to the driver unchanged.
_PLAIN_TYPES = {
    "CharField",
    "TextField",
    "EmailField",
    "SlugField",
    "URLField",
    "ForeignKey",
    "OneToOneField",
    "IntegerField",
    "BigIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SmallIntegerField",
    "BooleanField",
}


def insert(model, attnames: list[str], rows: list[tuple], constants: dict | None = None) -> list[int]:
    """Insert rows (tuples in `attnames` order; `constants` the same for every row); returns their ids.

    A model registered with auditlog gets one creation entry per row, attributed to the actor of the
    enclosing `audited()` block, as its post_save receiver would have written (bulk inserts send no
    signals).
    """
    constants = dict(constants or {})
    rows = _with_times(model, attnames, rows, constants)
    ids = _allocate_ids(model, len(rows))
    if ids is None:  # another database engine: the portable path
        objs = [model(**dict(zip(attnames, row, strict=True)), **constants) for row in rows]
        ids = [obj.pk for obj in model.objects.bulk_create(objs, batch_size=CHUNK)]
    else:
        _write(model, attnames, rows, constants, ids)
    if rows and auditlog.contains(model) and not auditlog_disabled.get():
        _log_created(model, attnames, rows, constants, ids)
    return ids


def _with_times(model, attnames: list[str], rows: list[tuple], constants: dict) -> list[tuple]:
    """Fill `auto_now` / `auto_now_add` fields (`created_at`, `updated_at`) as `save()` would: now."""
    auto = auto_time_fields(model)
    if not auto:
        return rows
    now = timezone.now()
    for name in auto:
        if name not in attnames and constants.get(name) is None:
            constants[name] = now
    places = [attnames.index(name) for name in auto if name in attnames]
    if not places:
        return rows
    filled = []
    for row in rows:
        values = list(row)
        for i in places:
            if values[i] is None:
                values[i] = now
        filled.append(tuple(values))
    return filled


def _allocate_ids(model, count: int) -> list[int] | None:
    """Primary keys for `count` new rows, taken before inserting so that other rows can point at them.

    PostgreSQL hands them out from the table's sequence (safe with concurrent writers); SQLite has
    one writer at a time and the caller holds the write lock (BEGIN IMMEDIATE) from its first
    statement, so the next ids are simply the ones after the largest ever used.
    """
    conn = connections[model.objects.db]
    table, column = model._meta.db_table, model._meta.pk.column
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, column, count]
            )
            return [row[0] for row in cursor.fetchall()]
        if conn.vendor == "sqlite":
            qn = conn.ops.quote_name
            cursor.execute(f"SELECT MAX({qn(column)}) FROM {qn(table)}")  # noqa: S608 - quoted model names
            largest = cursor.fetchone()[0] or 0
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            largest = max(largest, row[0] if row else 0)
            return list(range(largest + 1, largest + 1 + count))
    return None


def _write(model, attnames: list[str], rows: list[tuple], constants: dict, ids: list[int]) -> None:
    conn = connections[model.objects.db]
    qn = conn.ops.quote_name
    by_attname = {f.attname: f for f in model._meta.concrete_fields if not f.primary_key}
    rest = [name for name in by_attname if name not in attnames and name not in constants]
    tail = tuple(
        by_attname[name].get_db_prep_save(
            constants[name] if name in constants else by_attname[name].get_default(), conn
        )
        for name in (*constants, *rest)
    )
    names = [*attnames, *constants, *rest]
    columns = ", ".join([qn(model._meta.pk.column), *(qn(by_attname[name].column) for name in names)])
    convert = [
        (position + 1, by_attname[name])
        for position, name in enumerate(attnames)
        if by_attname[name].get_internal_type() not in _PLAIN_TYPES
    ]
    params = []
    for pk, row in zip(ids, rows, strict=True):
        values = [pk, *row, *tail]
        for position, model_field in convert:
            values[position] = model_field.get_db_prep_save(values[position], conn)
        params.append(values)
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            # COPY is PostgreSQL's bulk path: one stream instead of a statement per row.
            with cursor.cursor.copy(f"COPY {qn(model._meta.db_table)} ({columns}) FROM STDIN") as copy:
                for values in params:
                    copy.write_row(values)
        else:
            placeholders = ", ".join(["%s"] * (len(names) + 1))
            sql = f"INSERT INTO {qn(model._meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608
            for start in range(0, len(params), CHUNK):
                cursor.executemany(sql, params[start : start + CHUNK])


def _log_created(model, attnames: list[str], rows: list[tuple], constants: dict, ids: list[int]) -> None:
    """One LogEntry (CREATE) per row, its changes ["None", value] for every audited field with a value."""
    fields = model._meta.concrete_fields
    position = {f.attname: i for i, f in enumerate(fields)}
    template = [f.get_default() for f in fields]
    for name, value in constants.items():
        template[position[name]] = value
    places = [position[model._meta.pk.attname], *(position[name] for name in attnames)]
    registered = auditlog.get_model_fields(model)
    include, exclude = registered["include_fields"], registered["exclude_fields"]
    audited = [
        (f.name, position[f.attname], isinstance(f, DateTimeField), f.name in registered["mask_fields"])
        for f in fields
        if f.name not in exclude and (not include or f.name in include)
    ]
    mask = get_mask_function(registered["mask_callable"])
    entries = []
    for pk, row in zip(ids, rows, strict=True):
        args = template.copy()
        for place, value in zip(places, (pk, *row), strict=True):
            args[place] = value
        changes = {}
        for name, place, naive, masked in audited:
            value = args[place]
            if value is None:  # "None" before and after: auditlog records no change
                continue
            if naive:  # as auditlog compares datetimes: naive, in UTC
                value = timezone.make_naive(value, UTC) if timezone.is_aware(value) else value
            changes[name] = ["None", mask(str(value)) if masked else str(value)]
        entries.append((str(pk), pk, str(model(*args)), changes))
    context = auditlog_value.get(None) or {}
    actor = context.get("actor")
    insert(
        LogEntry,
        ["object_pk", "object_id", "object_repr", "changes"],
        entries,
        {
            "content_type_id": ContentType.objects.get_for_model(model).pk,
            "action": LogEntry.Action.CREATE,
            "actor_id": getattr(actor, "pk", None),
            "actor_email": getattr(actor, "email", None),
            "cid": get_cid(),
            "remote_addr": context.get("remote_addr"),
            "remote_port": context.get("remote_port"),
            "timestamp": timezone.now(),
        },
    )
