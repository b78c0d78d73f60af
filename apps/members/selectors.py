"""Reads of the registry: scoped, searched, in Vietnamese order, paged by key (not OFFSET)."""

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import AbstractUser
from django.db.models import BooleanField, Case, Count, Exists, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Cast, ExtractDay, ExtractMonth, ExtractYear, Mod, Substr
from django.utils.translation import gettext_lazy as _

from apps.core.plausibility import EARLIEST_BIRTH, MIN_ADMISSION_AGE, PARTY_FOUNDED
from apps.core.scoping import VIEW, scope_for
from apps.core.text import fold
from apps.organizations.models import Organization
from apps.organizations.selectors import subtree_ids_on

from .models import (
    CURRENT_STATUSES,
    ENDED_STATUSES,
    THEORY_ORDER,
    Award,
    AwardKind,
    Gender,
    LifecycleRuleSet,
    Member,
    MemberNameKey,
    Status,
    StatusChangeKind,
    TrainingRecord,
    TrainingResult,
    key_prefix,
)

PAGE_SIZE = 50


@dataclass
class Page:
    rows: list
    next_cursor: str | None
    organization: Organization | None


def _after(cursor: str, pk_field: str = "pk") -> Q | None:
    key, _, pk = (cursor or "").rpartition("~")
    if not key or not pk.isdigit():
        return None
    # The redundant `sort_key >= key` lets both engines start the index scan at the cursor.
    return Q(sort_key__gte=key) & (Q(sort_key__gt=key) | Q(**{f"{pk_field}__gt": int(pk)}))


def _is_name_search(text: str) -> bool:
    digits = text.replace(" ", "").replace(".", "")
    return bool(text) and not (digits.isdigit() and len(digits) >= 3)


def _scoped(model, user: AbstractUser, params, organization):
    """The model's rows in the user's reach, inside the chosen organization, by the list's status."""
    if organization is None:
        qs = model.objects.restrict(user)
    elif organization.is_cell and model is Member:
        # A cell's list walks the (organization, sort_key, id) index: already in name order.
        cell = organization.descendants(include_self=True).values_list("pk", flat=True)
        qs = model.objects.restrict(user).filter(organization__in=list(cell))
    else:
        qs = model.objects.restrict_within(user, organization)
    status = params.get("status")
    if status == "all":
        return qs
    if status:
        return qs.filter(status=status)
    return qs.filter(status__in=CURRENT_STATUSES)


def _chosen_organization(user: AbstractUser, params):
    """(organization chosen by ?org=, refused): refused when the id is not in the user's reach."""
    org_id = params.get("org")
    if not (org_id and str(org_id).isdigit()):
        return None, False
    organization = Organization.objects.restrict(user).filter(pk=org_id).first()
    return organization, organization is None


def member_queryset(user: AbstractUser, params):
    """Members the user may see, filtered by the list's parameters (org, q, status)."""
    organization, refused = _chosen_organization(user, params)
    if refused:
        return Member.objects.none(), None
    qs = _scoped(Member, user, params, organization)
    return qs.search(params.get("q", "")), organization


def member_page(user: AbstractUser, params, size: int | None = None) -> Page:
    """One page of the list, in Vietnamese order, after the cursor.

    A name search pages over the name keys first (an index range already in order and inside
    the user's reach) and then loads those members; other lists page over the members directly.
    """
    size = size or PAGE_SIZE
    text = (params.get("q") or "").strip()
    after = _after(params.get("after", ""))
    if _is_name_search(text):
        organization, refused = _chosen_organization(user, params)
        if refused:
            return Page(rows=[], next_cursor=None, organization=None)
        keys = _scoped(MemberNameKey, user, params, organization).filter(key_prefix(fold(text)))
        if after is not None:
            keys = keys.filter(_after(params["after"], pk_field="member_id"))
        ids = list(keys.order_by("sort_key", "member_id").values_list("member_id", flat=True)[: size + 1])
        qs = Member.objects.restrict(user).filter(pk__in=ids)
    else:
        qs, organization = member_queryset(user, params)
        if after is not None:
            qs = qs.filter(after)
    rows = list(qs.select_related("organization").order_by("sort_key", "pk")[: size + 1])
    next_cursor = None
    if len(rows) > size:
        rows = rows[:size]
        next_cursor = f"{rows[-1].sort_key}~{rows[-1].pk}"
    return Page(rows=rows, next_cursor=next_cursor, organization=organization)


PICKER_LIMIT = 300
INDENT = "\u00a0\u00a0"  # two no-break spaces a level


def org_picker(user: AbstractUser, organization: Organization | None) -> list[tuple]:
    """A bounded list of organizations for the list's filter: the chosen one's ancestors in reach,
    itself and its current children (at most PICKER_LIMIT); without a choice, the top of the
    user's reach and its children. Rows are (organization, indent), the organization an instance
    or a light row with its pk, name, code and depth; the indent is the string of
    no-break spaces to print before the name, computed here once rather than looped over in the
    template. Two queries, whatever the tree's size."""
    visible = Organization.objects.restrict(user)
    if organization is None:
        tops = _scope_tops(user)
        if not tops:
            return []
        if len(tops) > 1:
            return [(o, "") for o in tops]
        organization = tops[0]
    chain = [*organization.ancestors().restrict(user), organization]
    children = _options(visible.current().filter(parent=organization))
    base = chain[0].depth
    if not children and len(chain) > 1:
        # A leaf (a cell): offer its siblings beside it instead.
        siblings = _options(visible.current().filter(parent_id=organization.parent_id))
        if organization.pk not in {s.pk for s in siblings}:
            siblings.append(organization)
        indent = INDENT * (organization.depth - base)
        return [(o, INDENT * (o.depth - base)) for o in chain[:-1]] + [(s, indent) for s in siblings]
    indent = INDENT * (organization.depth + 1 - base)
    return [(o, INDENT * (o.depth - base)) for o in chain] + [(c, indent) for c in children]


def _options(qs) -> list:
    """Up to PICKER_LIMIT organizations by name, as light rows (pk, name, code, depth): a province
    offers some 250 grassroots committees, and building model instances for them costs more than
    the query."""
    return list(qs.order_by("sort_key").values_list("pk", "name", "code", "depth", named=True)[:PICKER_LIMIT])


def _scope_tops(user: AbstractUser) -> list[Organization]:
    """The highest current organizations the user reaches (one indexed query)."""
    scope = scope_for(user)
    if scope.is_admin:
        qs = Organization.objects.filter(parent__isnull=True)
    else:
        paths, ids = scope.subtrees.get(VIEW, ()), scope.orgs.get(VIEW, ())
        if not paths and not ids:
            return []
        qs = Organization.objects.filter(Q(path__in=paths) | Q(pk__in=ids))
    found = list(qs.current().order_by("path")[:50])
    tops = [o for o in found if not any(o.path.startswith(t.path) and o.pk != t.pk for t in found)]
    return sorted(tops, key=lambda o: o.name)


def status_counts(user: AbstractUser, organization: Organization, on: date | None = None) -> tuple[list[dict], int]:
    """Members of an organization's subtree by status, and how many are current.

    Without a date: today's registry. With a date: the tree as it stood that day (moves, merges
    and splits since then undone) and each member's state and organization that day, from the
    dated history — so a report for 2019 still counts the 2019 tree.
    """
    if on is None:
        members = Member.objects.restrict_within(user, organization)
        found = dict(members.values_list("status").annotate(n=Count("pk")).order_by())
    else:
        members = Member.objects.restrict(user).in_organizations_on(subtree_ids_on(organization, on), on)
        found = dict(members.values_list("status_on").annotate(n=Count("pk")).order_by())
    counts = [{"status": s.value, "label": s.label, "n": found[s.value]} for s in Status if found.get(s.value)]
    return counts, sum(n for status, n in found.items() if status in CURRENT_STATUSES)


def picker_search(user: AbstractUser, text: str, actions) -> list[Member]:
    """Current members the user reaches by any of `actions` whose name (without diacritics) or card
    number matches `text`, for a member picker: at most pickers.LIMIT + 1, so the picker can say
    there are more. Through the scoping door, so a cell's secretary finds no one outside the cell."""
    from apps.core.pickers import LIMIT

    first, *others = actions
    qs = Member.objects.restrict(user, first)
    for action in others:
        qs = qs | Member.objects.restrict(user, action)
    found = (
        qs.filter(status__in=CURRENT_STATUSES)
        .search(text)
        .distinct()
        .select_related("organization")
        .order_by("sort_key", "pk")
    )
    return list(found[: LIMIT + 1])


def picker_describe(member: Member) -> str:
    """A member as a picker shows them: name, cell, birth year, so namesakes are told apart."""
    parts = [member.full_name, member.organization.name]
    if member.birth_date:
        parts.append(str(member.birth_date.year))
    return " · ".join(parts)


# --- Party seniority and badges ------------------------------------------------------------------


def seniority_start(member: Member, rules: LifecycleRuleSet, steps=None) -> date | None:
    """The day party seniority counts from: the admission decision; for a readmitted member the
    first admission, moved later by the time out of the Party when the rule set says so [?].

    Reads `status_changes.all()` (prefetch for many members) only when `steps` is not given."""
    if steps is None:
        steps = sorted(member.status_changes.all(), key=lambda c: (c.date, c.pk))
    if not any(c.kind == StatusChangeKind.READMITTED for c in steps):
        return member.admission_date
    first = next((c.date for c in steps if c.kind == StatusChangeKind.ADMITTED), member.admission_date)
    if not rules.seniority_excludes_gaps:
        return first
    out_days, left = 0, None
    for change in steps:
        if change.status in ENDED_STATUSES and left is None:
            left = change.date
        elif change.kind == StatusChangeKind.READMITTED and left is not None:
            out_days += (change.date - left).days
            left = None
    return first + relativedelta(days=out_days)


def previous_occasion(rules: LifecycleRuleSet, occasion: date) -> date:
    """The presentation occasion before `occasion`."""
    candidates = rules.occasions_after(date(occasion.year - 1, 1, 1), len(rules.badge_occasions) * 2 + 1)
    return max(d for d in candidates if d < occasion)


def badges_due(members, occasion: date, rules: LifecycleRuleSet, *, early: bool = False) -> list[dict]:
    """Current members of `members` (a scoped queryset) who reach a badge milestone for
    `occasion`: since the previous occasion and on or before this one; with `early`, those who
    reach it within the early-presentation months after it (for the gravely ill: 12, 24 from the
    age in the rule set). A badge already proposed or given is not due again.

    One query for the members (indexed ranges of admission dates) and one for readmitted members,
    whose seniority is counted from their history.
    """
    since = previous_occasion(rules, occasion)
    years = sorted(rules.badge_years)
    if early:
        # Due after the occasion, within the longest early window (age decides per member below).
        top = max(rules.badge_early_months, rules.badge_early_months_elderly)
        windows = {
            y: (occasion - relativedelta(years=y), occasion + relativedelta(months=top) - relativedelta(years=y))
            for y in years
        }
        windows = {y: (low, high) for y, (low, high) in windows.items()}
    else:
        windows = {y: (since - relativedelta(years=y), occasion - relativedelta(years=y)) for y in years}
    # Admitted after `low` (exclusive) and on or before `high`; early: after the occasion's day.
    in_window = Q()
    milestone = []
    for y, (low, high) in windows.items():
        cond = Q(admission_date__gt=low, admission_date__lte=high)
        in_window |= cond
        milestone.append(When(cond, then=Value(y)))
    base = members.filter(status__in=CURRENT_STATUSES)
    rows = list(
        base.filter(in_window)
        .annotate(milestone=Case(*milestone, output_field=IntegerField()))
        .exclude(
            Exists(
                Award.objects.filter(
                    member=OuterRef("pk"), kind=AwardKind.BADGE, badge_years__gte=OuterRef("milestone")
                )
            )
        )
        .select_related("organization")
        .order_by("org_path", "sort_key", "pk")
    )
    # Readmitted members: their seniority does not start at their (re)admission date.
    readmitted = list(
        base.filter(status_changes__kind=StatusChangeKind.READMITTED)
        .distinct()
        .prefetch_related("status_changes", "awards")
    )
    readmitted_ids = {m.pk for m in readmitted}
    rows = [m for m in rows if m.pk not in readmitted_ids]
    for member in readmitted:
        start = seniority_start(member, rules)
        if start is None:
            continue
        for y, (low, high) in windows.items():
            if low < start <= high and not any(
                a.kind == AwardKind.BADGE and (a.badge_years or 0) >= y for a in member.awards.all()
            ):
                member.milestone = y
                rows.append(member)
                break
    out = []
    for member in rows:
        start = (
            seniority_start(member, rules, steps=[])
            if member.pk not in readmitted_ids
            else seniority_start(member, rules)
        )
        if start is None:
            continue
        due = start + relativedelta(years=member.milestone)
        age = relativedelta(occasion, member.birth_date).years
        if early and due - relativedelta(months=rules.early_months_for(age)) > occasion:
            continue
        out.append({"member": member, "years": member.milestone, "due": due, "age": age, "early": due > occasion})
    out.sort(key=lambda r: (r["member"].org_path, r["member"].sort_key, r["member"].pk))
    return out


# --- Member file checks (seed 003: "kiểm tra hồ sơ đảng viên") -----------------------------------

# Each check: (code, label, group). The conditions are in `_file_check_conditions`.
FILE_CHECKS = (
    ("no_hometown", _("Thiếu quê quán"), "missing"),
    ("no_residence", _("Thiếu nơi cư trú"), "missing"),
    ("no_citizen_id", _("Thiếu số CCCD"), "missing"),
    ("no_general_education", _("Thiếu trình độ giáo dục phổ thông"), "missing"),
    ("no_education", _("Thiếu trình độ chuyên môn"), "missing"),
    ("no_card", _("Đảng viên chính thức chưa có số thẻ"), "missing"),
    ("impossible_dates", _("Ngày tháng không thể đúng (sinh, vào Đảng, chính thức)"), "dates"),
    ("full_date_mismatch", _("Ngày chính thức không khớp ngày vào Đảng cộng 12 tháng, hoặc với tình trạng"), "dates"),
    ("card_malformed", _("Số thẻ đảng viên sai định dạng"), "identifiers"),
    ("citizen_id_malformed", _("Số CCCD sai định dạng"), "identifiers"),
    ("citizen_id_mismatch", _("Số CCCD không khớp năm sinh, giới tính"), "identifiers"),
    ("theory_unbacked", _("Trình độ lý luận chính trị không có quá trình đào tạo tương ứng"), "training"),
)
FILE_CHECK_GROUPS = {
    "missing": _("Thiếu thông tin phiếu đảng viên (mẫu 2-HSĐV)"),
    "dates": _("Ngày tháng mâu thuẫn"),
    "identifiers": _("Số thẻ, số CCCD"),
    "training": _("Đào tạo"),
}


def _file_check_conditions(today: date, rules: LifecycleRuleSet) -> dict[str, Q]:
    """{code: Q} over the annotations of `_file_check_annotations`, all computed in the database."""
    adult = MIN_ADMISSION_AGE
    under_age = (
        Q(_ay__lt=F("_by") + adult)
        | Q(_ay=F("_by") + adult, _am__lt=F("_bm"))
        | Q(_ay=F("_by") + adult, _am=F("_bm"), _ad__lt=F("_bd"))
    )
    impossible = (
        Q(birth_date__lt=EARLIEST_BIRTH)
        | Q(birth_date__gt=today)
        | Q(admission_date__gt=today)
        | Q(admission_date__lt=PARTY_FOUNDED)
        | Q(full_membership_date__gt=today)
        | Q(full_membership_date__lt=F("admission_date"))
        | under_age
    )
    # Full membership dates from the end of the 12 months (a 29/2 admission: 28/2 next year).
    twelve = Q(_fy=F("_ay") + 1, _fm=F("_am")) & (Q(_fd=F("_ad")) | Q(_am=2, _ad=29, _fd=28))
    mismatch = (
        (Q(full_membership_date__isnull=False) & ~twelve)
        | Q(status=Status.FULL, full_membership_date__isnull=True)
        | Q(status=Status.PROBATIONARY, full_membership_date__isnull=False)
    )
    card_ok = Q()
    for n in rules.card_digits or [8]:
        card_ok |= Q(card_number__regex=rf"^[0-9]{{{int(n)}}}$")
    id_ok = Q(citizen_id__regex=r"^[0-9]{12}$") | Q(citizen_id__regex=r"^[0-9]{9}$")
    # A 12-digit CCCD: digit 4 is gender and century (0/1 male/female born 19xx, 2/3 in 20xx),
    # digits 5–6 the last two digits of the birth year.
    century_ok = (
        Q(gender=Gender.MALE, _by__lt=2000, _cid_code=0)
        | Q(gender=Gender.FEMALE, _by__lt=2000, _cid_code=1)
        | Q(gender=Gender.MALE, _by__gte=2000, _cid_code=2)
        | Q(gender=Gender.FEMALE, _by__gte=2000, _cid_code=3)
    )
    id_mismatch = Q(citizen_id__regex=r"^[0-9]{12}$") & ~(century_ok & Q(_cid_year=F("_by_mod")))
    # The stated level against the best passed course (one subquery, only for a stated level).
    theory_unbacked = Q()
    for position, level in enumerate(THEORY_ORDER):
        theory_unbacked |= Q(political_theory=level) & (Q(_theory_rank__isnull=True) | Q(_theory_rank__lt=position))
    return {
        "no_hometown": Q(hometown=""),
        "no_residence": Q(residence=""),
        "no_citizen_id": Q(citizen_id__isnull=True) | Q(citizen_id=""),
        "no_general_education": Q(general_education=""),
        "no_education": Q(education=""),
        "no_card": Q(full_membership_date__isnull=False) & (Q(card_number__isnull=True) | Q(card_number="")),
        "impossible_dates": impossible,
        "full_date_mismatch": mismatch,
        "card_malformed": Q(card_number__isnull=False) & ~Q(card_number="") & ~card_ok,
        "citizen_id_malformed": Q(citizen_id__isnull=False) & ~Q(citizen_id="") & ~id_ok,
        "citizen_id_mismatch": id_mismatch,
        "theory_unbacked": theory_unbacked,
    }


def _file_check_annotations(qs):
    return qs.annotate(
        _by=ExtractYear("birth_date"),
        _bm=ExtractMonth("birth_date"),
        _bd=ExtractDay("birth_date"),
        _ay=ExtractYear("admission_date"),
        _am=ExtractMonth("admission_date"),
        _ad=ExtractDay("admission_date"),
        _fy=ExtractYear("full_membership_date"),
        _fm=ExtractMonth("full_membership_date"),
        _fd=ExtractDay("full_membership_date"),
        _cid_code=Case(
            When(citizen_id__regex=r"^[0-9]{12}$", then=Cast(Substr("citizen_id", 4, 1), IntegerField())),
            default=Value(-1),
        ),
        _cid_year=Case(
            When(citizen_id__regex=r"^[0-9]{12}$", then=Cast(Substr("citizen_id", 5, 2), IntegerField())),
            default=Value(-1),
        ),
        _by_mod=Mod(ExtractYear("birth_date"), 100),
        _theory_rank=Case(
            When(political_theory="", then=Value(None)),
            default=Subquery(
                TrainingRecord.objects.filter(
                    member=OuterRef("pk"), kind__in=THEORY_ORDER, result=TrainingResult.PASSED
                )
                .annotate(
                    rank=Case(
                        *(When(kind=k, then=Value(i)) for i, k in enumerate(THEORY_ORDER)), output_field=IntegerField()
                    )
                )
                .order_by("-rank")
                .values("rank")[:1]
            ),
            output_field=IntegerField(),
        ),
    )


def file_checks(members, today: date, rules: LifecycleRuleSet, *, check: str = "", limit: int | None = 200):
    """Current members of `members` (scoped) whose file fails a check: (counts by check, total
    with any failure, rows annotated `fc_<code>` booleans). Two queries whatever the size."""
    conditions = _file_check_conditions(today, rules)
    qs = _file_check_annotations(members.filter(status__in=CURRENT_STATUSES))
    counts = qs.aggregate(
        **{f"n_{code}": Count("pk", filter=cond) for code, cond in conditions.items()},
        n_any=Count("pk", filter=_any(conditions.values())),
    )
    chosen = conditions[check] if check in conditions else _any(conditions.values())
    rows = (
        qs.filter(chosen)
        .annotate(
            **{
                f"fc_{code}": Case(When(cond, then=Value(True)), default=Value(False), output_field=BooleanField())
                for code, cond in conditions.items()
            }
        )
        .select_related("organization")
        .order_by("org_path", "sort_key", "pk")
    )
    if limit is not None:
        rows = rows[:limit]
    return {code: counts[f"n_{code}"] for code in conditions}, counts["n_any"], rows


def _any(conditions) -> Q:
    out = Q()
    for cond in conditions:
        out |= cond
    return out


def failed_checks(row) -> list[str]:
    """The labels of the checks a row of `file_checks` fails."""
    return [str(label) for code, label, _group in FILE_CHECKS if getattr(row, f"fc_{code}", False)]


# --- The member's timeline ---------------------------------------------------------------------


def member_timeline(member: Member) -> list[dict]:
    """Every dated stage of the member's life on their page: history steps, training, badges and
    awards, oldest first. Three queries."""
    from .models import AwardKind, TrainingKind, TrainingResult

    items: list[dict] = []
    for change in member.status_changes.select_related("organization").order_by("date", "pk"):
        items.append(
            {
                "date": change.date,
                "label": change.get_kind_display(),
                "detail": change.organization.name,
                "decision": change.decision,
            }
        )
    for record in member.training_records.order_by("starts_on", "pk"):
        items.append(
            {
                "date": record.starts_on,
                "label": str(TrainingKind(record.kind).label),
                "detail": ", ".join(
                    p for p in (record.title, record.institution, str(TrainingResult(record.result).label)) if p
                ),
                "decision": record.certificate,
            }
        )
    for award in member.awards.order_by("pk"):
        if award.kind == AwardKind.BADGE:
            for day, label in (
                (award.proposed_on, _("Đề nghị tặng")),
                (award.date, _("Quyết định tặng")),
                (award.presented_on, _("Trao")),
            ):
                if day:
                    items.append(
                        {
                            "date": day,
                            "label": f"{label} {award.name}",
                            "detail": award.issued_by,
                            "decision": award.decision if label == _("Quyết định tặng") else "",
                        }
                    )
        elif award.date:
            items.append(
                {"date": award.date, "label": award.name, "detail": award.issued_by, "decision": award.decision}
            )
    items.sort(key=lambda i: i["date"])
    return items


def failed_codes(row) -> list[str]:
    """The codes of the checks a row of `file_checks` fails, in the checklist's order."""
    return [code for code, _label, _group in FILE_CHECKS if getattr(row, f"fc_{code}", False)]
