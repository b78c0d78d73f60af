"""The permission matrix: outside a user's organizations nothing can be read or written.

A realistic world (the demo seed: a province, the Bình Thắng ward with its cells and every app's
demo rows) plus an *outsider* ward with one cell and no data, and users whose roles are only
there. Then every URL pattern is walked, so that a URL added later is covered automatically:

* Object URLs (with path parameters). Each parameter is first mapped to the database column the
  view looks it up by: the superuser requests the URL with a sentinel value and the SQL the view
  runs is captured; where the sentinel lands (`"meetings_meeting"."id" = 900000001`) names the
  table and column. The sweep then uses real values of that column: seeded rows (foreign to the
  outsiders) and the outsiders' own rows. A parameter that cannot be mapped and has no entry in
  NON_OBJECT_PARAMS fails the test: new URLs cannot slip past.
  Every outsider then requests every URL with foreign values by GET and POST, each with and
  without `HX-Request: true` (API URLs also with token authentication). A foreign value must
  answer like a missing row (403/404/405, or exactly what the nonexistent sentinel answers, never
  2xx), and no request may write anything (captured INSERT/UPDATE/DELETE), and at the end the row
  count of every table (auditlog entries apart from access records) is what it was.
* Lists and forms without ids, with and without `?org=<Bình Thắng>`, `?q=nguyen` …: no seeded
  member's name, card number or the names of Bình Thắng's cells may appear in the body.
* Exports (xlsx, pdf, docx, svg …): refused, or an export without a foreign row.
"""

from __future__ import annotations

import io
import itertools
import json
import logging
import os
import re
import time
from dataclasses import dataclass, field
from datetime import date

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Min
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from apps.core.scoping import guard_reads

# --- Configuration: every entry needs a reason --------------------------------------------------

# Routes not swept here: login/logout, language switch and the API schema are public by design;
# obtaining a token is a login form. Django's admin is checked separately (staff only).
SKIPPED_PREFIXES = ("tai-khoan/dang-nhap/", "tai-khoan/dang-xuat/", "i18n/", "api/openapi.json", "api/auth/")
ADMIN_PREFIX = "quan-tri/"

# Path parameters that do not identify a row, with the values a view accepts for them.
# The year is not an object: the row it selects is chosen by the user's own reach or membership.
NON_OBJECT_PARAMS = {
    "year": [timezone.localdate().year - 1, timezone.localdate().year],
    "op": ["add", "done", "check"],
    "doc": ["bien-ban", "nghi-quyet"],
    "fmt": ["docx", "pdf"],
}

# URL names (namespace:name) that may answer 2xx to an outsider for a foreign value, with the
# reason. Keep this short: each entry is a hole in the wall.
ALLOWED_FOREIGN_2XX: dict[str, str] = {}

# Rows that everyone below their organization reads by design, never tried as foreign values:
# model label -> (the filter that finds them, the reason). Each entry is a kind of row private to no one.
SHARED_BY_DESIGN: dict[str, tuple[dict, str]] = {
    "library.Document": (
        {"origin__in": ("party", "state")},
        "the Party's and the State's documents entered by an organization are read by all below it (issue 12)",
    ),
}


def _triable_rows(model):
    """The rows of `model` that may be tried as foreign values (SHARED_BY_DESIGN left out)."""
    shared = SHARED_BY_DESIGN.get(model._meta.label)
    return model._base_manager.exclude(**shared[0]) if shared else model._base_manager.all()


# An export is a URL whose name says so or whose route ends in a file extension. Its body is read as
# a file (every xlsx cell, the XML of a docx) before it is searched for other organizations' rows.
EXPORT_WORDS = ("xlsx", "export", "download", "pdf", "docx", "csv", "document", "template", "qr")
EXPORT_ROUTE_RE = re.compile(r"\.(?:\w+|<\w+:\w+>)$")

SENTINEL_INT = 900_000_001
SENTINEL_STR = "zzsentinel"
MISSING_INT = 987_654_321  # a row id that does not exist: what the outsider must not tell apart
ROWS_PER_PARAM = 4  # foreign values tried per path parameter
PASSWORD = "pass-12345"
PLAN_DEBUG = os.environ.get("PLAN_DEBUG")  # PLAN_DEBUG=1 pytest -s: print what each parameter maps to


# --- The world -------------------------------------------------------------------------------------


@dataclass
class World:
    ward: object
    cells: list
    outsider_ward: object
    outsider_cell: object
    outsider_member: object
    users: dict  # key -> User
    tokens: dict  # key -> token key
    admin: object
    own_max_pk: dict = field(default_factory=dict)  # model label -> highest pk before the outsiders
    seeded_names: list = field(default_factory=list)  # full names of seeded members (a sample)
    all_seeded_names: frozenset = frozenset()
    seeded_cards: list = field(default_factory=list)
    foreign_org_names: list = field(default_factory=list)
    hung: object = None  # a seeded member with a login
    bt_cell: object = None  # a Bình Thắng cell with members
    cell_a: object = None  # the insiders' target: the seeded member's cell (Trung Thắng)
    cell_b: object = None  # a sibling cell of the same ward
    insiders: dict = field(default_factory=dict)  # key -> User inside Bình Thắng
    cell_a_member: object = None  # a member of cell A other than the seeded login

    def is_own(self, model, value) -> bool:
        """Whether `value` (a pk of `model`) is a row created for the outsiders."""
        try:
            return int(value) > self.own_max_pk.get(model._meta.label, 0)
        except (TypeError, ValueError):
            return False


def _project_models():
    return [m for m in apps.get_models() if m._meta.managed and not m._meta.proxy]


def _max_pks():
    out = {}
    for model in _project_models():
        if model._meta.pk.get_internal_type() in ("AutoField", "BigAutoField", "SmallAutoField"):
            out[model._meta.label] = model._base_manager.order_by("-pk").values_list("pk", flat=True).first() or 0
    return out


def _complete_seed(admin, ward, cells):
    """Rows of the models that URLs name but the demo seed leaves empty (an import, a document)."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from apps.imports.models import BatchStatus, ImportBatch
    from apps.meetings.models import Meeting, MeetingDocument

    cell = next(c for c in cells if c.members.exists())
    for status in (BatchStatus.READY, BatchStatus.IMPORTED):
        ImportBatch.objects.create(
            organization=cell,
            user=admin,
            file=ContentFile(b"PK", name="dang-vien.xlsx"),
            file_name="dang-vien.xlsx",
            status=status,
            row_count=1,
            preview=[{"row": 2, "name": "Trịnh Văn Bímật"}],
        )
    meeting = Meeting.objects.filter(organization=cell).order_by("pk").first()
    MeetingDocument.objects.create(
        meeting=meeting,
        title="Báo cáo mật",
        file=ContentFile(b"%PDF-1.4 secret", name="bao-cao.pdf"),
        posted_at=timezone.now(),
        posted_by=admin,
    )
    # The documents of plans, inspections, complaints and discipline decisions (issue 16 #13).
    from apps.accountability.models import PlanAttachment, RemediationPlan
    from apps.discipline.models import Discipline, DisciplineAttachment
    from apps.inspections.models import Complaint, ComplaintAttachment, Inspection, InspectionAttachment

    owners = [
        (PlanAttachment, "plan", RemediationPlan.objects.order_by("pk").first()),
        (DisciplineAttachment, "discipline", Discipline.objects.order_by("pk").first()),
        (InspectionAttachment, "inspection", Inspection.objects.order_by("pk").first()),
        (ComplaintAttachment, "complaint", Complaint.objects.order_by("pk").first()),
    ]
    for model, owner_field, owner in owners:
        model.objects.create(
            title="Tài liệu mật",
            file=ContentFile(b"%PDF-1.4 secret", name="tai-lieu.pdf"),
            file_name="tai-lieu.pdf",
            attached_by=admin,
            **{owner_field: owner},
        )


def _build_world():
    from rest_framework.authtoken.models import Token

    from apps.accounts.models import RoleAssignment, User
    from apps.core.roles import Role
    from apps.members.models import Member
    from apps.members.services import member_create, member_link_user
    from apps.organizations.models import Kind, Organization, Sector
    from apps.organizations.services import organization_create

    call_command("seed_demo", stdout=io.StringIO(), stderr=io.StringIO())
    if connection.vendor == "postgresql":
        # The seed is one uncommitted transaction: without statistics PostgreSQL plans the
        # history queries of every page as over empty tables (0,5 s each instead of 1 ms).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    admin = User.objects.get(username="admin")
    ward = Organization.objects.get(name__contains="Bình Thắng", kind=Kind.GRASSROOTS_COMMITTEE)
    cells = list(Organization.objects.filter(path__startswith=ward.path).exclude(pk=ward.pk))
    _complete_seed(admin, ward, cells)
    own_max_pk = _max_pks()
    province = Organization.objects.get(parent=None)

    outsider_ward = organization_create(
        user=admin,
        name="Đảng bộ xã Ngoài Phạm Vi",
        code="ZZ-NPV",
        kind=Kind.GRASSROOTS_COMMITTEE,
        sector=Sector.COMMUNE,
        parent=province,
        founded_on=date(2001, 1, 1),
    )
    outsider_cell = organization_create(
        user=admin,
        name="Chi bộ ấp Biệt Lập",
        code="ZZ-NPV-1",
        kind=Kind.CELL,
        sector=Sector.RESIDENTIAL,
        parent=outsider_ward,
        founded_on=date(2001, 1, 1),
    )
    outsider_member = member_create(
        user=admin,
        organization=outsider_cell,
        family_name="Khổng",
        middle_name="Thị",
        given_name="Ngoạiz",
        gender="female",
        birth_date=date(1985, 3, 4),
        admission_date=date(2010, 5, 19),
        full_membership_date=date(2011, 5, 19),
        card_number="99999901",
    )

    def make(username, role, org, subtree, member=None):
        user = User.objects.create_user(username, password=PASSWORD)
        RoleAssignment.objects.create(user=user, role=role, organization=org, include_subtree=subtree)
        if member is not None:
            member_link_user(user=admin, member=member, account=user)
        return user

    users = {
        "cell_secretary": make("zz_bithu", Role.CELL_SECRETARY, outsider_cell, False),
        "committee_staff": make("zz_danguy", Role.COMMITTEE_STAFF, outsider_ward, True),
        "inspection": make("zz_kiemtra", Role.INSPECTION, outsider_ward, True),
        "member": make("zz_dangvien", Role.MEMBER, outsider_cell, False, member=outsider_member),
    }
    tokens = {key: Token.objects.create(user=user).key for key, user in users.items()}

    seeded = Member.objects.filter(pk__lte=own_max_pk["members.Member"])
    bt_members = list(seeded.filter(organization__path__startswith=ward.path).order_by("pk"))
    sample = bt_members[:: max(1, len(bt_members) // 16)][:16] + list(
        seeded.exclude(pk__in=[m.pk for m in bt_members]).order_by("pk")[:4]
    )
    hung = Member.objects.get(user__username="dangvien")
    sample.append(hung)
    all_names = frozenset(m.full_name for m in seeded.only("family_name", "middle_name", "given_name"))
    cell_a = hung.organization
    cell_b = next(c for c in cells if c.pk != cell_a.pk and c.is_cell and c.members.exists())
    insiders = _make_insiders(admin, cell_a, cell_b, ward)
    return World(
        ward=ward,
        cells=cells,
        outsider_ward=outsider_ward,
        outsider_cell=outsider_cell,
        outsider_member=outsider_member,
        users=users,
        tokens=tokens,
        admin=admin,
        own_max_pk=own_max_pk,
        seeded_names=sorted({m.full_name for m in sample} - {outsider_member.full_name}),
        all_seeded_names=all_names,
        seeded_cards=[m.card_number for m in sample if m.card_number],
        foreign_org_names=sorted({c.name for c in cells}),
        hung=hung,
        bt_cell=next(c for c in cells if c.members.exists()),
        cell_a=cell_a,
        cell_b=cell_b,
        insiders=insiders,
        cell_a_member=Member.objects.filter(organization=cell_a).exclude(pk=hung.pk).order_by("pk").first(),
    )


def _make_insiders(admin, cell_a, cell_b, ward):
    """Users inside the ward whose reach stops short of (or was just taken from) cell A."""
    from apps.accounts.models import RoleAssignment, User
    from apps.accounts.services import role_end
    from apps.core.roles import Role

    def make(username, role, org, subtree, **dates):
        user = User.objects.create_user(username, password=PASSWORD)
        RoleAssignment.objects.create(user=user, role=role, organization=org, include_subtree=subtree, **dates)
        return user

    # Cell A's secretary whose role a manager ended today, through the service every page uses.
    lost_role = make("zz_het_han", Role.CELL_SECRETARY, cell_a, False, starts_on=date(2020, 1, 1))
    role_end(user=admin, assignment=lost_role.role_assignments.get())
    return {
        # Cell B's secretary against cell A's rows: same ward, no reach.
        "sibling_secretary": make("zz_bithu_b", Role.CELL_SECRETARY, cell_b, False),
        # An inspection user of cell A alone: sees it, may change nothing.
        "view_only": make("zz_xem_a", Role.INSPECTION, cell_a, False),
        # A plain member of cell A against the other members' records (the seeded login).
        "member": User.objects.get(username="dangvien"),
        # The ward's inspection commission (seeded): view and inspect, no change.
        "inspection": User.objects.get(username="kiemtra"),
        # Cell A's secretary whose role ended today: reaches nothing any more.
        "lost_role": lost_role,
    }


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The seeded world, built once for this module inside a transaction rolled back at the end."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        # Like Django's TestCase atomics: durable blocks inside the tests stay usable.
        connection.atomic_blocks[-1]._from_testcase = True
        try:
            yield _build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


# --- URL walking -----------------------------------------------------------------------------------

PARAM_RE = re.compile(r"<(?:(\w+):)?(\w+)>")


def _walk(resolver, prefix="", namespace=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), f"{namespace}{entry.name}"


@dataclass(frozen=True)
class Route:
    route: str
    name: str

    @property
    def params(self) -> list[tuple[str, str]]:
        return [(conv or "str", name) for conv, name in PARAM_RE.findall(self.route)]

    @property
    def is_api(self) -> bool:
        return self.route.startswith("api/")

    def url(self, values: dict) -> str:
        return "/" + PARAM_RE.sub(lambda m: str(values[m.group(2)]), self.route)


def _routes():
    routes = []
    for route, name in _walk(get_resolver()):
        if route.startswith(SKIPPED_PREFIXES) or route.startswith(ADMIN_PREFIX) or "(?P<" in route:
            continue
        if "media/" in route or "static/" in route:
            continue
        routes.append(Route(route, name))
    return routes


# --- SQL capture -----------------------------------------------------------------------------------

WRITE_RE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b[^\"]*\"?(\w+)\"?", re.I)
# Sessions, and the records of exports and out-of-reach identifier probes (apps.safeguards): those
# are written on purpose by a download or a probe, and hold nothing of the row asked for.
IGNORED_WRITE_TABLES = {"django_session", "safeguards_exportrecord", "safeguards_identityprobe"}
LOOKUP_RE = re.compile(r'"(\w+)"\."(\w+)"\s*(?:=|IN\s*\(|>=|<=|>|<)[\s%s,]*$', re.I)


class Capture:
    def __init__(self):
        self.calls = []

    def __call__(self, execute, sql, params, many, context):
        self.calls.append((sql, params, many))
        return execute(sql, params, many, context)

    def writes(self):
        out = []
        for sql, _params, _many in self.calls:
            m = WRITE_RE.match(sql)
            if m and m.group(2) not in IGNORED_WRITE_TABLES:
                out.append(f"{m.group(1).upper()} {m.group(2)}")
        return out

    def lookups(self, sentinel):
        """(table, column) pairs the sentinel value was compared with, in query order."""
        found = []
        for sql, params, many in self.calls:
            if many or not params or not isinstance(params, list | tuple):
                continue
            pieces = sql.split("%s")
            for i, value in enumerate(params):
                if value != sentinel or i + 1 >= len(pieces):
                    continue
                m = LOOKUP_RE.search("%s".join(pieces[: i + 1])[-300:])
                if m and (m.group(1), m.group(2)) not in found:
                    found.append((m.group(1), m.group(2)))
        return found


def _request(client, method, url, htmx=False, api=False, token=None, data=None):
    """One request, its SQL captured and its reads guarded (scoping fails loud: every
    organization-owned queryset a view, form or API module evaluates must have come through the
    door; see apps.core.scoping.guard_reads). `capture.unscoped` lists what did not."""
    headers = {}
    if htmx:
        headers["HX-Request"] = "true"
    if token:
        headers["Authorization"] = f"Token {token}"
    capture = Capture()
    with connection.execute_wrapper(capture), guard_reads() as capture.unscoped:
        if method == "get":
            response = client.get(url, headers=headers)
        elif api:
            response = client.post(url, data=json.dumps(data or {}), content_type="application/json", headers=headers)
        else:
            response = client.post(url, data=data or {}, headers=headers)
    return response, capture


def _body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def _excerpt(response, size=160) -> str:
    """The visible text of a page's main part (or the start of a JSON/file body)."""
    text = _body(response).decode("utf-8", "ignore")
    if "<main" in text:
        text = text[text.index("<main") :]
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", text).split())[:size]


def _summary(findings) -> str:
    """One line per URL name and kind of finding (with its first example), then every finding."""
    groups: dict[tuple[str, str], list[str]] = {}
    for finding in findings:
        kind, name = finding.split(" ", 1)[0], re.search(r"\[([^\]]+)\]", finding).group(1)
        groups.setdefault((kind, name), []).append(finding)
    lines = [f"{len(findings)} findings; by URL:"]
    lines += [f"  {kind} {name}: {len(items)}× e.g. {items[0]}" for (kind, name), items in groups.items()]
    return "\n".join(lines + ["all:"] + findings)


# --- Mapping path parameters to columns -----------------------------------------------------------


@dataclass
class Param:
    name: str
    model: object = None  # model whose rows the value names (None: not an object)
    values: list = field(default_factory=list)  # (value, own: bool)

    def is_own_value(self, value):
        return any(v == value and own for v, own in self.values)


def _table_models():
    return {m._meta.db_table: m for m in _project_models()}


def _column_field(model, column):
    for f in model._meta.concrete_fields:
        if f.column == column:
            return f
    return None


def _spread(values, k):
    values = list(values)
    if len(values) <= k:
        return values
    step = (len(values) - 1) / (k - 1)
    return sorted({values[round(i * step)] for i in range(k)})


def _diverse_pks(model, k):
    """Up to k pks of a model, one per value of its choice fields first (statuses, kinds …)."""
    manager = _triable_rows(model)
    picks = []
    for f in model._meta.concrete_fields:
        if f.choices and not f.primary_key:
            for _value, pk in manager.values_list(f.attname).annotate(first=Min("pk")).order_by():
                if pk not in picks:
                    picks.append(pk)
    all_pks = list(manager.order_by("pk").values_list("pk", flat=True))
    picks = picks[: k // 2 + 1]
    for pk in _spread(all_pks, k):
        if len(picks) >= k:
            break
        if pk not in picks:
            picks.append(pk)
    return picks


def _map_param(route, index, fixed, admin_client, tables):
    """Find what route's index-th parameter names, by where a sentinel lands in the SQL."""
    conv, name = route.params[index]
    sentinel = SENTINEL_INT + index if conv in ("int", "signedint") else f"{SENTINEL_STR}{index}"
    values = dict(fixed)
    for i, (c, n) in enumerate(route.params):
        if n not in values:
            values[n] = (SENTINEL_INT + i) if c in ("int", "signedint") else f"{SENTINEL_STR}{i}"
    lookups = []
    url = route.url(values)
    for method in ("get", "post"):
        with transaction.atomic():
            try:
                _response, capture = _request(admin_client, method, url, api=route.is_api)
            except Exception:  # noqa: BLE001 - a crash on a sentinel says nothing about the mapping
                capture = None
            transaction.set_rollback(True)
        if capture:
            lookups = [lk for lk in capture.lookups(sentinel) if lk[0] in tables]
        if lookups:
            break
    return lookups


def _param_plan(world, route, admin_client):
    """For each path parameter: the model it names and the values to try (foreign and own)."""
    tables = _table_models()
    fixed = {}
    plan = []
    unmapped = []
    for index, (_conv, name) in enumerate(route.params):
        lookups = _map_param(route, index, fixed, admin_client, tables)
        param = Param(name)
        if lookups:
            table, column = lookups[0]
            model = tables[table]
            f = _column_field(model, column)
            if f is not None and f.primary_key:
                param.model = model
                foreign = _diverse_pks(model, ROWS_PER_PARAM)
                column_values = list(model._base_manager.values_list("pk", flat=True))
            elif f is not None and f.is_relation:
                param.model = f.related_model
                column_values = list(
                    model._base_manager.exclude(**{f"{f.attname}__isnull": True})
                    .values_list(f.attname, flat=True)
                    .distinct()
                    .order_by(f.attname)
                )
                foreign = _spread(column_values, ROWS_PER_PARAM)
            elif f is not None and f.unique:  # a secret or a natural key: identifies a row
                param.model = model
                column_values = list(model._base_manager.values_list(f.attname, flat=True).order_by("pk"))
                diverse = _diverse_pks(model, ROWS_PER_PARAM)  # one row per status first, as for ids
                foreign = list(model._base_manager.filter(pk__in=diverse).values_list(f.attname, flat=True))
            else:
                column_values = list(
                    model._base_manager.values_list(f.attname, flat=True).distinct().order_by(f.attname)
                )
                foreign = _spread(column_values, ROWS_PER_PARAM)
            if param.model is not None and param.model._meta.label in SHARED_BY_DESIGN:
                triable = set(_triable_rows(param.model).values_list("pk", flat=True))
                foreign = [v for v in foreign if v in triable]
            if param.model is not None and (f.primary_key or f.is_relation):
                own_model = param.model
                own = [v for v in own_model._base_manager.values_list("pk", flat=True) if world.is_own(own_model, v)]
                param.values = [(v, True) for v in own] + [
                    (v, False) for v in foreign if not world.is_own(own_model, v)
                ]
            elif param.model is not None:
                param.values = [(v, False) for v in foreign]
            else:
                param.values = [(v, True) for v in foreign]
            if param.model is not None and not any(not own for _v, own in param.values):
                unmapped.append(f"{name}: no seeded row of {param.model._meta.label} to try")
        elif name in NON_OBJECT_PARAMS:
            param.values = [(v, True) for v in NON_OBJECT_PARAMS[name]]
        else:
            unmapped.append(name)
            param.values = []
        plan.append(param)
        if PLAN_DEBUG:
            print("PLAN", route.route, name, lookups[:2], param.model and param.model._meta.label, param.values)
        # A real row for this parameter lets the next one be mapped past the first lookup.
        real = [v for v, own in param.values if not own] or [v for v, _own in param.values]
        if real:
            fixed[name] = real[0]
    return plan, unmapped


def _combinations(plan):
    """Value tuples to try, each with at least one foreign value: the outsider's own rows combined
    with foreign ones, foreign ones together, and related pairs (a meeting and its document)."""
    lists = [p.values for p in plan]
    if any(not values for values in lists):
        return []
    combos = []
    capped = [values[:4] for values in lists]
    for combo in itertools.product(*capped):
        if not all(own for _v, own in combo) and combo not in combos:
            combos.append(combo)
    for j, param in enumerate(plan):
        if param.model is None:
            continue
        for i, other in enumerate(plan):
            if i == j or other.model is None:
                continue
            fks = [f for f in param.model._meta.concrete_fields if f.is_relation and f.related_model is other.model]
            for fk in fks[:1]:
                for value, own in param.values:
                    if own:
                        continue
                    parent = param.model._base_manager.filter(pk=value).values_list(fk.attname, flat=True).first()
                    if parent is None:
                        continue
                    combo = [vals[0] for vals in capped]
                    combo[j] = (value, False)
                    combo[i] = (parent, other.is_own_value(parent))
                    if tuple(combo) not in combos:
                        combos.append(tuple(combo))
    return combos


# --- Shared sweep state ---------------------------------------------------------------------------


def _clients(world):
    session, token = {}, {}
    for key, user in world.users.items():
        c = Client(raise_request_exception=False)
        c.force_login(user)
        session[key] = c
        token[key] = Client(raise_request_exception=False)
    return session, token


def _row_counts():
    from auditlog.models import LogEntry

    counts = {}
    for model in _project_models():
        if model._meta.db_table in IGNORED_WRITE_TABLES:
            continue
        qs = model._base_manager.all()
        if model is LogEntry:
            qs = qs.exclude(action=LogEntry.Action.ACCESS)
        counts[model._meta.label] = qs.count()
    return counts


@pytest.fixture
def quiet():
    """Crashes are collected as findings; keep their tracebacks out of the test output."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    yield
    logger.setLevel(level)


# --- Sanity: the outsiders are real users who reach their own rows --------------------------------


@pytest.mark.django_db
def test_outsiders_reach_their_own_rows_and_insiders_see_theirs(world):
    session, _token = _clients(world)
    cell = world.outsider_cell.pk
    assert session["cell_secretary"].get(f"/to-chuc/{cell}/").status_code == 200
    assert session["committee_staff"].get(f"/to-chuc/{world.outsider_ward.pk}/").status_code == 200
    assert session["inspection"].get(f"/to-chuc/{cell}/").status_code == 200
    assert session["cell_secretary"].get(f"/dang-vien/{world.outsider_member.pk}/").status_code == 200
    assert session["member"].get(f"/dang-vien/{world.outsider_member.pk}/").status_code == 200
    response = Client().get("/api/members/", headers={"Authorization": f"Token {world.tokens['cell_secretary']}"})
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [world.outsider_member.pk]
    # ... and the seeded users do see the seeded rows, so the sweeps below are not vacuous: the
    # checks they make would catch these very pages.
    from apps.accounts.models import User

    member = Client()
    member.force_login(world.hung.user)
    assert member.get(f"/dang-vien/{world.hung.pk}/").status_code == 200
    staff = Client()
    staff.force_login(User.objects.get(username="binhthang"))
    page = staff.get(f"/dang-vien/?org={world.bt_cell.pk}")
    assert page.status_code == 200 and _secrets_in(world, page.content.decode()) != []
    export = staff.get(f"/excel/dang-vien.xlsx?org={world.ward.pk}")
    assert export.status_code == 200 and len(_foreign_names(world, _export_texts(export))) > 20


# --- 1. Object URLs ----------------------------------------------------------------------------------

OK_REFUSALS = {403, 404, 405}


@pytest.mark.django_db
def test_no_object_url_answers_an_outsider(world, quiet):
    admin = Client(raise_request_exception=False)
    admin.force_login(world.admin)
    session, token_clients = _clients(world)
    before = _row_counts()

    unmapped, findings, tried = [], [], 0
    for route in _routes():
        if not route.params:
            continue
        plan, missing = _param_plan(world, route, admin)
        if missing:
            unmapped.append((route.route, missing))
            continue
        combos = _combinations(plan)
        missing_values = {p.name: (MISSING_INT if p.model is not None else p.values[0][0]) for p in plan}
        baseline_url = route.url(missing_values)
        for values in combos:
            url = route.url({p.name: v for p, (v, _own) in zip(plan, values, strict=True)})
            modes = [("session", key) for key in world.users]
            if route.is_api:
                modes += [("token", key) for key in world.users]
            for kind, key in modes:
                client = session[key] if kind == "session" else token_clients[key]
                token = world.tokens[key] if kind == "token" else None
                for method, htmx in (("get", False), ("get", True), ("post", False), ("post", True)):
                    tried += 1
                    response, capture = _request(client, method, url, htmx, route.is_api, token)
                    status = response.status_code
                    where = f"{method.upper()}{' htmx' if htmx else ''} {url} as {key} ({kind}) [{route.name}]"
                    writes = capture.writes()
                    if writes:
                        findings.append(f"WRITE {where}: {status}, {sorted(set(writes))}")
                    findings += [f"UNSCOPED {where}: {u}" for u in capture.unscoped]
                    if 200 <= status < 300:
                        if route.name not in ALLOWED_FOREIGN_2XX:
                            findings.append(f"LEAK {where}: {status}, shows “{_excerpt(response)}”")
                    elif status >= 500:
                        findings.append(f"CRASH {where}: {status}")
                    elif status not in OK_REFUSALS:
                        base, _c = _request(client, method, baseline_url, htmx, route.is_api, token)
                        if base.status_code != status:
                            findings.append(
                                f"DIFFERS-FROM-MISSING {where}: {status} "
                                f"({response.get('Location', '')}) vs {base.status_code} for a missing row"
                            )
    after = _row_counts()
    changed = {label: (before[label], after[label]) for label in before if before[label] != after[label]}
    print(f"\nobject sweep: {tried} requests on foreign values")
    assert unmapped == [], (
        f"path parameters that name no column (add them to NON_OBJECT_PARAMS with a reason): {unmapped}"
    )
    assert changed == {}
    assert findings == [], _summary(findings)


# --- 2. Lists, forms and exports without ids --------------------------------------------------------

GET_PARAM_RE = re.compile(r"""(?:GET|params|query|data)\.get(?:list)?\(\s*["'](\w+)["']""")


def _view_query_names(route):
    """GET parameter names a list view reads (from its source and its API filter set)."""
    import inspect

    from django.urls import resolve

    match = resolve(route.url({}))
    names = set()
    func = match.func
    for target in (func, getattr(func, "cls", None), getattr(func, "view_class", None)):
        if target is None:
            continue
        try:
            names.update(GET_PARAM_RE.findall(inspect.getsource(inspect.unwrap(target))))
        except (TypeError, OSError):
            pass
        filterset = getattr(target, "filterset_class", None)
        if filterset is not None:
            names.update(filterset.base_filters)
    return sorted(names)


def _query_strings(world, route):
    """The list as is, pointed at Bình Thắng, at one of its cells, searched, and about a member."""
    ward, cell, member = world.ward.pk, world.bt_cell.pk, world.hung.pk
    year = timezone.localdate().year
    named = "&".join(f"{name}={ward}" for name in _view_query_names(route) if name not in ("q", "status", "after"))
    return [
        "",
        f"?org={ward}&organization={ward}&within={ward}&parent={ward}&status=all&years={year - 1},{year}"
        + (f"&{named}" if named else ""),
        f"?org={cell}&organization={cell}&cell={cell}&member={member}&about_member={member}&status=all",
        "?q=nguyen&status=all&search=nguyen",
    ]


def _secrets_in(world, text: str) -> list[str]:
    found = [name for name in world.seeded_names if name in text]
    found += [card for card in world.seeded_cards if card in text]
    found += [name for name in world.foreign_org_names if name in text]
    return found


def _foreign_names(world, texts) -> list[str]:
    """Full names of seeded members (all of them, not a sample) found in an export's texts."""
    return sorted({name for name in world.all_seeded_names if any(name in text for text in texts)})


def _is_export(route) -> bool:
    return any(word in route.name.lower() for word in EXPORT_WORDS) or bool(EXPORT_ROUTE_RE.search(route.route))


def _export_texts(response) -> list[str]:
    """The strings of an export: every cell of an xlsx, the text of a docx, else the raw body."""
    import zipfile

    body = _body(response)
    content_type = response.get("Content-Type", "")
    if body[:2] == b"PK":
        archive = zipfile.ZipFile(io.BytesIO(body))
        if "spreadsheet" in content_type or any(n.startswith("xl/") for n in archive.namelist()):
            import openpyxl

            book = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
            # One text per row, cells joined: family, middle and given names sit in adjacent cells.
            return [
                " ".join(str(v) for v in row if v not in (None, ""))
                for sheet in book.worksheets
                for row in sheet.iter_rows(values_only=True)
            ]
        return [archive.read(n).decode("utf-8", "ignore") for n in archive.namelist() if n.endswith(".xml")]
    return [body.decode("utf-8", "ignore")]


@pytest.mark.django_db
def test_lists_forms_and_exports_show_outsiders_nothing_of_others(world, quiet):
    session, token_clients = _clients(world)
    before = _row_counts()
    findings, tried = [], 0
    for route in _routes():
        if route.params:
            continue
        started = time.monotonic()
        for n, query in enumerate(_query_strings(world, route)):
            url = route.url({}) + query
            modes = [("session", key) for key in world.users]
            if route.is_api:
                modes += [("token", key) for key in world.users]
            for kind, key in modes:
                client = session[key] if kind == "session" else token_clients[key]
                token = world.tokens[key] if kind == "token" else None
                # The htmx partial with and without the foreign organization (partials take the
                # same parameters as their page; searching and the cell are covered by the page).
                for htmx in (False, True) if n < 2 else (False,):
                    tried += 1
                    response, capture = _request(client, "get", url, htmx, route.is_api, token)
                    status = response.status_code
                    where = f"GET{' htmx' if htmx else ''} {url} as {key} ({kind}) [{route.name}]"
                    if capture.writes():
                        findings.append(f"WRITE {where}: {status}, {sorted(set(capture.writes()))}")
                    findings += [f"UNSCOPED {where}: {u}" for u in capture.unscoped]
                    if status >= 500:
                        findings.append(f"CRASH {where}: {status}")
                    if not 200 <= status < 300:
                        continue
                    texts = (
                        _export_texts(response) if _is_export(route) else [_body(response).decode("utf-8", "ignore")]
                    )
                    text = "\n".join(texts)
                    secrets = _secrets_in(world, text)
                    if _is_export(route):
                        secrets += _foreign_names(world, texts)
                    if secrets:
                        findings.append(f"LEAK {where}: {status}, shows {sorted(set(secrets))[:6]}")
        if PLAN_DEBUG:
            print(f"LIST {route.route}: {time.monotonic() - started:.2f} s")
    after = _row_counts()
    changed = {label: (before[label], after[label]) for label in before if before[label] != after[label]}
    print(f"\nlist sweep: {tried} requests")
    assert changed == {}
    assert findings == [], _summary(findings)


@pytest.mark.django_db
def test_every_export_is_refused_or_empty_for_outsiders(world, quiet):
    """Exports with ids are in the object sweep; here the lists' exports, read as files."""
    session, _token = _clients(world)
    exports = [r for r in _routes() if _is_export(r) and not r.params]
    assert exports, "no export URL found: has EXPORT_WORDS gone stale?"
    findings = []
    for route in exports:
        for key, client in session.items():
            for query in ("", f"?org={world.outsider_ward.pk}"):
                response = client.get(route.url({}) + query)
                if response.status_code in OK_REFUSALS:
                    continue
                assert response.status_code == 200, (route.route, key, response.status_code)
                texts = _export_texts(response)
                if response.get("Content-Type", "").startswith("application/pdf"):
                    continue  # subset-font PDFs hide their text; the ?org=<foreign> refusal is checked above
                foreign = _foreign_names(world, texts) + _secrets_in(world, "\n".join(texts))
                if foreign:
                    findings.append(f"{route.name} as {key}{query}: {foreign[:6]}")
    assert findings == []


@pytest.mark.django_db
def test_the_admin_site_is_closed_to_outsiders(world):
    session, _token = _clients(world)
    for route, _name in _walk(get_resolver()):
        if (
            not route.startswith(ADMIN_PREFIX)
            or "(?P<" in route
            or route.startswith(("quan-tri/login", "quan-tri/logout"))
        ):
            continue
        url = "/" + PARAM_RE.sub("1", route)
        for key, client in session.items():
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                assert response.status_code == 302 and "/quan-tri/login/" in response["Location"], (url, key, method)


# --- 3. Insiders: the same ward, short of the target ------------------------------------------------
#
# Cell B's secretary, an inspection user of cell A alone (view, no change), a plain member of cell
# A, the ward's inspection commission, and cell A's secretary whose role ended today, each against
# cell A's rows: every object URL by GET and by POST with a *valid-looking* form (the fields of the
# form the superuser is shown there, filled with plausible values, so the request would succeed if
# it were allowed). Nothing may be written outside the user's change reach (inspection rights
# apart), nothing outside view reach may answer 2xx, and no response body (errors included), file
# or export may carry the name, citizen ID, phone or card number of a member outside their reach.

INSIDER_ROWS = 2  # cell A rows tried per path parameter
# Tables a read may write to: the session, records of who opened a sensitive record.
READ_WRITE_TABLES = {"django_session", "accountability_accessrecord", "auditlog_logentry"}
# Namespaces where the inspect action writes (an inspection commission opens cases there).
INSPECT_NAMESPACES = ("inspections:", "discipline:")
# Routes where an insider writes their own record (not the target's), with the reason.
OWN_RECORD_ROUTES = {
    "accountability:my_exam": "the user's own self-examination of the year",
    "library:detail": "a member opening a document sent to them records the opening on their own receipt",
    "library:confirm": "a member confirms their own study of a document sent to them",
    "library:bookmark": "a member's own bookmark",
    "library:reflection_submit": "a member's own written reflection",
    "api:quiz_start": "the member's own attempt at a test they are invited to",
    "notices:preferences": "the user's own e-mail address and the topics they receive by e-mail",
    "notices:read": "the user's own notice (filtered by recipient), marked read",
    "accounts:api_tokens": "the user's own API tokens: anyone signed in makes them for themself only",
    "accounts:api_token_revoke": "the user's own API token (another's answers 404)",
    "accounts:api_token_legacy_revoke": "the user's own single API token",
}
# Routes that show an insider a row outside restrict(VIEW) by design, with the reason.
ALLOWED_INSIDER_2XX = {
    "inspections:detail": "an inspection's subject (the organization inspected) sees it: inspections.selectors",
    "inspections:attachment": "an inspection's documents go with it to its subject: inspections.selectors.inspections_for",
    "inspections:remedy_update": "remedies are the subject's to report on: inspections.selectors.remedies_for",
    "quizzes:take": "a member takes the tests they are invited to: quizzes.selectors.quizzes_for_taker",
    "quizzes:survey_answer": "a member answers the surveys they are invited to: quizzes.selectors.surveys_for_taker",
    "api:quiz_start": "a member starts the tests they are invited to: quizzes.selectors.quizzes_for_taker",
}
ORG_FIELDS = {"organization", "org", "cell", "parent", "subject_organization", "new_parent"}
MEMBER_FIELDS = {"member", "subject_member"}
_PLANS: dict = {}


class _FormFields(__import__("html.parser").parser.HTMLParser):
    """The fields of the page's first POST form (in <main>), with plausible values."""

    def __init__(self):
        super().__init__()
        self.data, self.in_form, self.done, self.select, self.textarea = {}, False, False, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if self.done:
            return
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self.in_form = True
        if not self.in_form:
            return
        name = a.get("name")
        if tag == "input" and name and name != "csrfmiddlewaretoken":
            kind = (a.get("type") or "text").lower()
            if kind == "file" or (kind in ("checkbox", "radio") and name in self.data):
                return
            self.data[name] = a.get("value") or _plausible(kind, name)
        elif tag == "select" and name:
            self.select = name
        elif tag == "option" and self.select:
            value = a.get("value")
            if value and (self.select not in self.data or "selected" in a):
                self.data[self.select] = value
        elif tag == "textarea" and name:
            self.textarea = name
            self.data[name] = "Nội dung thử nghiệm của ma trận quyền."

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "form" and self.in_form:
            self.in_form, self.done = False, True


def _plausible(kind, name):
    today = timezone.localdate()
    if kind == "date" or name.endswith(("date", "_on", "ngay")):
        return today.isoformat() if kind == "date" else today.strftime("%d/%m/%Y")
    if kind == "number" or name in ("year", "month", "score", "count"):
        return str(today.year) if name == "year" else "1"
    return {
        "email": "thu.nghiem@example.com",
        "tel": "0903123456",
        "checkbox": "on",
        "radio": "on",
        "password": "Mat-khau-12345",
    }.get(kind, "Thử nghiệm")


def _form_data(admin_client, url):
    response = admin_client.get(url)
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        return {}
    parser = _FormFields()
    text = _body(response).decode("utf-8", "ignore")
    parser.feed(text[text.index("<main") :] if "<main" in text else text)
    return parser.data


def _secret_values(world, user, reach_nothing=False):
    """Names, citizen IDs, phones and card numbers of seeded members outside the user's reach.

    A plain member sees their cellmates' names (meeting rolls) but not their numbers."""
    from apps.members.models import Member

    seeded = Member.objects.filter(pk__lte=world.own_max_pk["members.Member"])
    reach = set() if reach_nothing else set(Member.objects.restrict(user).values_list("pk", flat=True))
    names_ok = set(reach)
    if user.username == "dangvien":
        names_ok |= set(seeded.filter(organization=world.cell_a).values_list("pk", flat=True))
    in_reach_names = {m.full_name for m in seeded.filter(pk__in=names_ok)}
    secrets = set()
    rows = seeded.exclude(pk__in=reach).filter(organization__path__startswith=world.ward.path)
    for m in list(rows.order_by("pk")[:60]) + list(seeded.exclude(pk__in=reach).order_by("-pk")[:5]):
        if m.pk not in names_ok and m.full_name not in in_reach_names:
            secrets.add(m.full_name)
        secrets |= {v for v in (m.citizen_id, m.phone, m.card_number) if v and len(v) >= 8}
    return sorted(secrets)


def _cell_a_values(world, param):
    """Rows of cell A for a path parameter (its plan's values when the model is not scoped)."""
    from apps.core.scoping import ScopedQuerySet

    model = param.model
    if model is None:
        return [v for v, _own in param.values][:1]
    qs = model._default_manager.all()
    if isinstance(qs, ScopedQuerySet) and param.values and isinstance(param.values[0][0], int):
        picks = list(qs.in_subtree(world.cell_a).order_by("pk").values_list("pk", flat=True)[:INSIDER_ROWS])
        if picks:
            return picks
    return [v for v, own in param.values if not own][:INSIDER_ROWS]


def _reach_of(user, model, value, action, reach_nothing=False):
    from apps.core.scoping import ScopedQuerySet

    if reach_nothing:  # the user's only role ended: whatever restrict() says, nothing is theirs
        return False if isinstance(value, int) and model is not None else None
    qs = model._default_manager.all() if model is not None else None
    if not isinstance(qs, ScopedQuerySet) or not isinstance(value, int):
        return None  # not an organization-owned row (or a secret key, not an id): the view decides
    return qs.restrict(user, action).filter(pk=value).exists()


def _insider_sweep(world, keys, reach_nothing=False):
    from apps.core.scoping import CHANGE, INSPECT, scope_for

    admin = Client(raise_request_exception=False)
    admin.force_login(world.admin)
    clients = {}
    for key in keys:
        clients[key] = Client(raise_request_exception=False)
        clients[key].force_login(world.insiders[key])
    secrets = {key: _secret_values(world, world.insiders[key], reach_nothing) for key in keys}
    findings, tried = [], 0
    started = time.monotonic()
    for route in _routes():
        if route.params:
            if route.route not in _PLANS:
                _PLANS[route.route] = _param_plan(world, route, admin)
            plan, missing = _PLANS[route.route]
            if missing:
                continue
            choices = [_cell_a_values(world, p) for p in plan]
            if not all(choices):
                continue
            combos = list(itertools.product(*choices))[:1]
        else:
            plan, combos = [], [()]
        for combo in combos:
            values = {p.name: v for p, v in zip(plan, combo, strict=True)}
            url = route.url(values)
            with transaction.atomic():
                data = {} if route.is_api else _form_data(admin, url)
                transaction.set_rollback(True)
            path_rows = [(p.model, v) for p, v in zip(plan, combo, strict=True) if p.model is not None]
            targets = list(zip(plan, combo, strict=True))
            # A form without ids names its target in fields: point them at cell A and its member.
            for name in ORG_FIELDS & set(data):
                data[name] = str(world.cell_a.pk)
                targets.append((Param(name, model=type(world.cell_a)), world.cell_a.pk))
            for name in MEMBER_FIELDS & set(data):
                data[name] = str(world.cell_a_member.pk)
            for key in keys:
                user = world.insiders[key]
                rows = [(p.model, v) for p, v in targets if p.model is not None]
                view = [_reach_of(user, m, v, "view", reach_nothing) for m, v in path_rows]
                change = [_reach_of(user, m, v, CHANGE, reach_nothing) for m, v in rows]
                inspect = [_reach_of(user, m, v, INSPECT, reach_nothing) for m, v in rows]
                scope = scope_for(user)
                if reach_nothing:
                    may_change = False
                elif rows:
                    may_change = all(c is not False for c in change) and any(change)
                else:  # a form about no organization (a new account): any change reach will do
                    may_change = bool(scope.subtrees.get(CHANGE) or scope.orgs.get(CHANGE))
                may_change = may_change or route.name in OWN_RECORD_ROUTES
                may_inspect = route.name.startswith(INSPECT_NAMESPACES) and all(i is not False for i in inspect)
                sees = all(v is not False for v in view)
                for method in ("get", "post"):
                    tried += 1
                    with transaction.atomic():
                        response, capture = _request(clients[key], method, url, api=route.is_api, data=data)
                        transaction.set_rollback(True)
                    status = response.status_code
                    where = f"{method.upper()} {url} as {key} [{route.name}]"
                    writes = [w for w in capture.writes() if w.split(" ", 1)[1] not in READ_WRITE_TABLES]
                    if writes and not (may_change or may_inspect):
                        findings.append(f"WRITE {where}: {status}, {sorted(set(writes))}")
                    if status >= 500:
                        findings.append(f"CRASH {where}: {status}")
                    allowed_2xx = route.name in ALLOWED_FOREIGN_2XX or route.name in ALLOWED_INSIDER_2XX
                    if path_rows and not sees and 200 <= status < 300 and not allowed_2xx:
                        findings.append(f"LEAK {where}: {status}, shows “{_excerpt(response)}”")
                    findings += [f"UNSCOPED {where}: {u}" for u in capture.unscoped]
                    texts = (
                        _export_texts(response)
                        if _is_export(route) and status == 200
                        else [_body(response).decode("utf-8", "ignore")]
                    )
                    text = "\n".join(texts)
                    shown = [value for value in secrets[key] if value in text]
                    if shown:
                        findings.append(f"LEAK {where}: {status}, shows {shown[:6]}")
    print(f"\ninsider sweep {keys}: {tried} requests in {time.monotonic() - started:.0f} s")
    return findings


INSIDERS_NOW = ["sibling_secretary", "view_only", "member", "inspection"]


@pytest.mark.django_db
def test_insiders_reach_nothing_beyond_their_rights(world, quiet):
    findings = _insider_sweep(world, INSIDERS_NOW)
    assert findings == [], _summary(findings)


@pytest.mark.django_db
def test_a_role_ended_today_reaches_nothing(world, quiet):
    findings = _insider_sweep(world, ["lost_role"], reach_nothing=True)
    assert findings == [], _summary(findings)


# --- 4. Nobody grants themself a role ---------------------------------------------------------------


def _grant_self(world, user):
    """POST the role form of the user's own account: a cell-committee role where they work."""
    from apps.accounts.models import RoleAssignment
    from apps.core.roles import Role
    from apps.core.scoping import CHANGE, scope_for

    client = Client(raise_request_exception=False)
    client.force_login(user)
    scope = scope_for(user)
    org = next(iter(scope.orgs.get(CHANGE, ())), None) or world.cell_a.pk
    before = sorted(RoleAssignment.objects.filter(user=user).values_list("role", "organization_id", "include_subtree"))
    attempts = []
    for role in (Role.CELL_COMMITTEE, Role.COMMITTEE_STAFF, Role.INSPECTION):
        response = client.post(f"/tai-khoan/{user.pk}/", {"organization": org, "role": role, "include_subtree": "on"})
        attempts.append(response.status_code)
    after = sorted(RoleAssignment.objects.filter(user=user).values_list("role", "organization_id", "include_subtree"))
    return before, after, attempts


@pytest.mark.django_db
def test_users_without_change_rights_cannot_grant_themselves_a_role(world):
    for key in ("view_only", "member", "inspection"):
        with transaction.atomic():
            before, after, attempts = _grant_self(world, world.insiders[key])
            transaction.set_rollback(True)
        assert (key, after, attempts) == (key, before, [403, 403, 403])


@pytest.mark.django_db
def test_no_one_grants_themself_a_role(world):
    from apps.accounts.models import User

    users = [world.insiders["sibling_secretary"], User.objects.get(username="bithu.trungthang")]
    users.append(User.objects.get(username="binhthang"))
    for user in users:
        with transaction.atomic():
            before, after, _attempts = _grant_self(world, user)
            transaction.set_rollback(True)
        assert (user.username, after) == (user.username, before)


# --- Every link every demo role is shown opens for them ------------------------------------------

DEMO_USERNAMES = ("admin", "bantochuc", "binhthang", "bithu.trungthang", "kiemtra", "dangvien")
_HREF = re.compile(r"<a\b[^>]*?\bhref=\"([^\"]+)\"", re.IGNORECASE)
_NOT_WALKED = ("/static/", "/media/", "/admin/", "/api/", "/tai-khoan/dang-xuat/", "mailto:", "tel:", "http")
WALK_PAGES = 250  # per role; one URL per shape (ids and query values set aside)


def _shape(url: str) -> str:
    path, _, query = url.partition("?")
    keys = sorted(part.split("=", 1)[0] for part in query.split("&") if part)
    return re.sub(r"\d+", "N", path) + "?" + "&".join(keys)


def _links(html: str, base: str) -> list[str]:
    from html import unescape
    from urllib.parse import urljoin

    out = []
    for raw in _HREF.findall(html):
        href = unescape(raw).split("#", 1)[0]
        if not href or href.startswith(_NOT_WALKED):
            continue
        out.append(urljoin(base, href))
    return out


_HIDDEN = re.compile(r"<(script|style|textarea)\b.*?</\1>|<[^>]+>", re.IGNORECASE | re.DOTALL)
# A count or amount of four digits or more printed without the dot that groups thousands. Years
# (1900–2099), times (19:30), dates, ranges and identifiers (card numbers, citizen ids, codes:
# eight digits or more, or glued to letters such as "ZZ-NPV-1000") are not counts.
_UNGROUPED = re.compile(r"(?<![\w.,/:\-])(\d{4,7})(?![\w.,/:\-])")


def _text(html: str) -> str:
    """The page's visible text, one line per text node (two names in adjacent cells are not one name)."""
    from html import unescape

    nodes = (" ".join(unescape(node).split()) for node in _HIDDEN.split(html)[::2])
    return "\n".join(node for node in nodes if node)


def _western_names() -> re.Pattern:
    """Every demo name written given name last-but-family (\u201cVăn Hùng Nguyễn\u201d), as one pattern."""
    from apps.accounts.models import User
    from apps.members.models import Member

    names = set()
    for family, middle, given in Member.objects.values_list("family_name", "middle_name", "given_name"):
        names.add(" ".join(part for part in (middle, given, family) if part))
    for first, last in User.objects.exclude(first_name="").exclude(last_name="").values_list("first_name", "last_name"):
        names.add(f"{first} {last}")
    return re.compile("|".join(re.escape(name) for name in sorted(names, key=len, reverse=True)))


def _misformatted(text: str, western: re.Pattern) -> list[str]:
    numbers = [n for n in _UNGROUPED.findall(text) if int(n) >= 1000 and not 1900 <= int(n) <= 2099]
    return [f"số {n}" for n in numbers] + [f"tên {name}" for name in western.findall(text)]


def _walk_as(client, western: re.Pattern) -> tuple[list[tuple[str, str, int]], list[str], int]:
    """Breadth-first from the home page: (page, link, status) for every link that does not open,
    what each page prints unformatted, and how many pages were opened."""
    dead, misformatted, shapes, queue = [], [], set(), [("/", "")]
    visited = 0
    while queue and visited < WALK_PAGES:
        url, referrer = queue.pop(0)
        response = client.get(url, follow=True)
        visited += 1
        final = response.redirect_chain[-1][0] if response.redirect_chain else url
        if response.status_code in (403, 404) or "/dang-nhap/" in final:
            dead.append((referrer, url, response.status_code))
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        if not url.startswith("/quan-tri/"):  # Django's own admin prints its own way
            misformatted += [f"{url}: {finding}" for finding in _misformatted(_text(html), western)]
        for link in _links(html, url):
            if link.startswith("/") and _shape(link) not in shapes:
                shapes.add(_shape(link))
                queue.append((link, url))
    return dead, misformatted, visited


def test_formatting_check_finds_what_it_looks_for():
    western = re.compile("Văn Hùng Nguyễn")
    assert _misformatted("Tổng 2133 đảng viên, 1889 dự họp; Văn Hùng Nguyễn", western) == [
        "số 2133",
        "số 1889",
        "tên Văn Hùng Nguyễn",
    ]
    fine = "Tổng 2.133 đảng viên, 94,87%, năm 2024, 19:30, 01/02/2020, thẻ 10000001, mã ZZ-NPV-1000, Nguyễn Văn Hùng"
    assert _misformatted(fine, western) == []


@pytest.mark.django_db
def test_every_page_a_demo_role_reaches_opens_its_links_and_prints_vietnamese_numbers_and_names(world, quiet):
    """Menus, breadcrumbs, buttons and list links show only what the user can use: no page offers
    a link that answers 403 or 404 (or sends a logged-in user back to the login page). And every
    page those links reach prints counts with the thousands dot and names family name first."""
    from apps.accounts.models import User

    western = _western_names()
    findings, misformatted, opened = [], [], {}
    for username in DEMO_USERNAMES:
        client = Client()
        client.force_login(User.objects.get(username=username))
        dead, wrong, opened[username] = _walk_as(client, western)
        findings += [f"{username}: {page or '(start)'} → {link} ({status})" for page, link, status in dead]
        misformatted += [f"{username}: {finding}" for finding in wrong]
    assert not findings, "links that do not open:\n" + "\n".join(findings)
    assert not misformatted, "printed unformatted:\n" + "\n".join(sorted(set(misformatted)))
    # The walk reached well past the home page for every role (a plain member sees the fewest pages).
    assert min(opened.values()) >= 15 and opened["binhthang"] >= 100, opened
