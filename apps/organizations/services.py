"""Writes to the organization tree. Each is dated, audited and keeps the tree's history."""

from datetime import date

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db.models import F, Model, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.services import audited, require_org
from apps.core.timestamps import touch
from apps.core.versioning import check_version

from .models import (
    CELL_KINDS,
    CommitteePost,
    Departure,
    DepartureKind,
    EventKind,
    Organization,
    OrganizationEvent,
    OrganizationVersion,
    OversightAssignment,
    Term,
    path_segment,
)


def _fmt(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _check_event_date(organization: Organization, on: date | None) -> None:
    """A dated change to the tree must fall inside the organization's life and after its last change."""
    if on is None:
        raise ValidationError({"on": _("Hãy nhập ngày.")})
    if organization.ended_on:
        raise ValidationError(
            _("Tổ chức “%(name)s” đã kết thúc hoạt động ngày %(day)s.")
            % {"name": organization.name, "day": _fmt(organization.ended_on)}
        )
    if organization.founded_on and on < organization.founded_on:
        raise ValidationError(
            {"on": _("Ngày phải từ ngày thành lập (%(day)s) trở đi.") % {"day": _fmt(organization.founded_on)}}
        )
    last = (
        OrganizationVersion.objects.filter(organization=organization, valid_to__isnull=True, valid_from__isnull=False)
        .order_by("-valid_from")
        .first()
    )
    if last and last.valid_from and on < last.valid_from:
        raise ValidationError(
            {"on": _("Ngày phải từ %(day)s trở đi (sau thay đổi gần nhất).") % {"day": _fmt(last.valid_from)}}
        )


def _close_version(organization: Organization, on: date) -> None:
    OrganizationVersion.objects.filter(organization=organization, valid_to__isnull=True).update(valid_to=on)


def _open_version(organization: Organization, on: date | None) -> None:
    OrganizationVersion.objects.create(
        organization=organization, name=organization.name, parent=organization.parent, valid_from=on
    )


def organization_create(
    *,
    user: AbstractUser,
    name: str,
    code: str,
    kind: str,
    sector: str,
    parent: Organization | None,
    founded_on: date | None = None,
    short_name: str = "",
    address: str = "",
) -> Organization:
    if parent is None:
        if not user.is_superuser:
            raise ValidationError(_("Chỉ quản trị hệ thống được tạo tổ chức cấp cao nhất."))
    else:
        require_org(user, parent)
        if parent.ended_on:
            raise ValidationError(_("Tổ chức cấp trên đã kết thúc hoạt động."))
    if Organization.objects.filter(code=code).exists():
        raise ValidationError({"code": _("Mã tổ chức “%(code)s” đã được dùng.") % {"code": code}})
    with audited(user):
        org = Organization(
            name=name,
            code=code,
            kind=kind,
            sector=sector,
            parent=parent,
            founded_on=founded_on,
            short_name=short_name,
            address=address,
            path="",
        )
        org.full_clean(exclude=["path"])
        org.save()
        org.path = (parent.path if parent else "") + path_segment(org.pk)
        org.depth = parent.depth + 1 if parent else 0
        org.save(update_fields=["path", "depth"])
        _open_version(org, founded_on)
        OrganizationEvent.objects.create(
            organization=org, kind=EventKind.FOUNDED, date=founded_on or timezone.localdate()
        )
    return org


def organization_rename(
    *, user: AbstractUser, organization: Organization, name: str, on: date, decision: str = "", expected_version=None
) -> OrganizationEvent:
    require_org(user, organization)
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": _("Tên mới không được để trống.")})
    if name == organization.name:
        raise ValidationError({"name": _("Tên mới trùng với tên hiện tại.")})
    _check_event_date(organization, on)
    with audited(user):
        check_version(organization, expected_version)
        event = OrganizationEvent.objects.create(
            organization=organization,
            kind=EventKind.RENAMED,
            date=on,
            decision=decision,
            old_name=organization.name,
            new_name=name,
        )
        _close_version(organization, on)
        organization.name = name
        organization.save(update_fields=["name"])
        _open_version(organization, on)
    return event


def path_copies() -> list[tuple[type[Model], str]]:
    """(model, field) of every scoped model that keeps its own copy of an organization's path.

    Found from the scoping door itself (`scope_path` naming a local field), so a model added
    later is kept in step when the tree changes without touching this service.
    """
    from django.apps import apps

    from apps.core.scoping import ScopedQuerySet

    copies = []
    for model in apps.get_models():
        queryset = model._default_manager.all()
        if model is Organization or not isinstance(queryset, ScopedQuerySet):
            continue
        if "__" not in queryset.scope_path:
            copies.append((model, queryset.scope_path))
    return copies


def record_departures(old_path: str, now) -> None:
    """Every organization and member under `old_path` leaves it now (the API's removal feed)."""
    from apps.members.models import Member

    rows = [
        Departure(kind=DepartureKind.ORGANIZATION, object_id=pk, old_organization_id=pk, old_path=path, at=now)
        for pk, path in Organization.objects.filter(path__startswith=old_path).values_list("pk", "path").iterator()
    ]
    rows += [
        Departure(kind=DepartureKind.MEMBER, object_id=pk, old_organization_id=org_id, old_path=path, at=now)
        for pk, org_id, path in Member._base_manager.filter(org_path__startswith=old_path)
        .values_list("pk", "organization_id", "org_path")
        .iterator()
    ]
    Departure.objects.bulk_create(rows, batch_size=5000)


def organization_move(
    *,
    user: AbstractUser,
    organization: Organization,
    new_parent: Organization,
    on: date,
    decision: str = "",
    expected_version=None,
):
    """Put an organization (and its subtree, and their members) under a new parent."""
    require_org(user, organization)
    require_org(user, new_parent)
    if new_parent.path.startswith(organization.path):
        raise ValidationError(
            {"new_parent": _("Không thể chuyển một tổ chức vào chính nó hoặc tổ chức trực thuộc nó.")}
        )
    if new_parent.ended_on:
        raise ValidationError({"new_parent": _("Tổ chức cấp trên mới đã kết thúc hoạt động.")})
    if new_parent.pk == organization.parent_id:
        raise ValidationError({"new_parent": _("Tổ chức đã trực thuộc tổ chức này.")})
    _check_event_date(organization, on)
    old_path, old_parent = organization.path, organization.parent
    new_path = new_parent.path + path_segment(organization.pk)
    depth_shift = new_parent.depth + 1 - organization.depth
    with audited(user):
        check_version(organization, expected_version)
        event = OrganizationEvent.objects.create(
            organization=organization,
            kind=EventKind.MOVED,
            date=on,
            decision=decision,
            old_parent=old_parent,
            new_parent=new_parent,
        )
        _close_version(organization, on)
        organization.parent = new_parent
        organization.save(update_fields=["parent"])
        _open_version(organization, on)
        cut = len(old_path) + 1
        now = timezone.now()
        record_departures(old_path, now)
        Organization.objects.filter(path__startswith=old_path).update(
            path=Concat(Value(new_path), Substr("path", cut)),
            depth=F("depth") + depth_shift,
            **touch(Organization, now),
        )
        for model, field in path_copies():
            model._base_manager.filter(**{f"{field}__startswith": old_path}).update(
                **{field: Concat(Value(new_path), Substr(field, cut))}, **touch(model, now)
            )
    organization.refresh_from_db()
    return event


def organization_end(
    *,
    user: AbstractUser,
    organization: Organization,
    on: date,
    kind=EventKind.DISSOLVED,
    decision: str = "",
    expected_version=None,
):
    """End an organization. Its record and history stay; it must have no current members left."""
    require_org(user, organization)
    if organization.ended_on:
        raise ValidationError(_("Tổ chức này đã kết thúc hoạt động."))
    _check_event_date(organization, on)
    if organization.descendants().current().exists():
        raise ValidationError(_("Còn tổ chức trực thuộc đang hoạt động: hãy chuyển hoặc kết thúc chúng trước."))
    from apps.members.models import Member

    if Member.objects.filter(organization=organization).current().exists():
        raise ValidationError(_("Còn đảng viên đang sinh hoạt: hãy chuyển đảng viên trước."))
    with audited(user):
        check_version(organization, expected_version)
        event = OrganizationEvent.objects.create(organization=organization, kind=kind, date=on, decision=decision)
        _close_version(organization, on)
        organization.ended_on = on
        organization.save(update_fields=["ended_on"])
    return event


def organization_merge(
    *, user: AbstractUser, sources: list[Organization], into: Organization, on: date, decision: str = ""
) -> OrganizationEvent:
    """Merge organizations into `into` (existing or newly created): their children and members move
    there, they end on `on`, and the event links predecessors and successor."""
    from apps.members.services import member_move_all

    sources = [s for s in sources if s.pk != into.pk]
    if not sources:
        raise ValidationError(_("Chọn ít nhất một tổ chức để hợp nhất."))
    require_org(user, into)
    if into.ended_on:
        raise ValidationError({"into": _("Tổ chức nhận hợp nhất đã kết thúc hoạt động.")})
    for source in sources:
        require_org(user, source)
        if into.path.startswith(source.path):
            raise ValidationError(
                {"into": _("Không thể hợp nhất “%(name)s” vào tổ chức trực thuộc nó.") % {"name": source.name}}
            )
    with audited(user):
        for source in sources:
            for child in source.children.current():
                organization_move(user=user, organization=child, new_parent=into, on=on, decision=decision)
            member_move_all(user=user, source=source, target=into, on=on, decision=decision)
            organization_end(user=user, organization=source, on=on, kind=EventKind.MERGED, decision=decision)
        event = OrganizationEvent.objects.create(organization=into, kind=EventKind.MERGED, date=on, decision=decision)
        event.predecessors.set(sources)
        event.successors.set([into])
        for source in sources:
            source.events.filter(kind=EventKind.MERGED, date=on).latest("pk").successors.set([into])
    return event


def organization_split(
    *, user: AbstractUser, source: Organization, parts: list[tuple[Organization, list]], on: date, decision: str = ""
) -> OrganizationEvent:
    """Split `source`: each part is (new organization, members to move there). The source ends."""
    from apps.members.services import member_transfer_internal

    require_org(user, source)
    with audited(user):
        for target, members in parts:
            for member in members:
                member_transfer_internal(user=user, member=member, target=target, on=on, decision=decision)
        event = OrganizationEvent.objects.create(organization=source, kind=EventKind.SPLIT, date=on, decision=decision)
        event.successors.set([target for target, _ in parts])
        for target, _ in parts:
            e = OrganizationEvent.objects.create(organization=target, kind=EventKind.SPLIT, date=on, decision=decision)
            e.predecessors.set([source])
        organization_end(user=user, organization=source, on=on, kind=EventKind.SPLIT, decision=decision)
    return event


def organization_merge_into_new(
    *, user: AbstractUser, sources: list[Organization], name: str, code: str, on: date, decision: str = ""
) -> OrganizationEvent:
    """Merge organizations into a new one founded on `on` under the first source's parent, with its kind
    and sector (e.g. the 2025 ward mergers)."""
    if len(sources) < 2:
        raise ValidationError(_("Chọn ít nhất hai tổ chức để hợp nhất thành tổ chức mới."))
    first = sources[0]
    for source in sources:
        require_org(user, source)
    with audited(user):
        into = organization_create(
            user=user,
            name=" ".join((name or "").split()),
            code=(code or "").strip(),
            kind=first.kind,
            sector=first.sector,
            parent=first.parent,
            founded_on=on,
        )
        return organization_merge(user=user, sources=sources, into=into, on=on, decision=decision)


def organization_split_into_new(
    *, user: AbstractUser, source: Organization, parts: list[dict], on: date, decision: str = ""
) -> OrganizationEvent:
    """Split `source` into new organizations founded on `on` beside it. Each part is a dict with
    `name`, `code`, `members` and `children` (organizations moved under it). Every current member
    and current child must go to some part; the source then ends."""
    from apps.members.models import Member

    require_org(user, source)
    _check_event_date(source, on)
    if len(parts) < 2:
        raise ValidationError(_("Chia tách cần ít nhất hai tổ chức mới."))
    member_ids = [m.pk for part in parts for m in part.get("members", ())]
    child_ids = [c.pk for part in parts for c in part.get("children", ())]
    if len(member_ids) != len(set(member_ids)) or len(child_ids) != len(set(child_ids)):
        raise ValidationError(_("Mỗi đảng viên, mỗi tổ chức trực thuộc chỉ được chia về một tổ chức mới."))
    left = Member.objects.filter(organization=source).current().exclude(pk__in=member_ids).count()
    if left:
        raise ValidationError(_("Còn %(n)s đảng viên chưa được chia về tổ chức mới nào.") % {"n": left})
    if source.children.current().exclude(pk__in=child_ids).exists():
        raise ValidationError(_("Còn tổ chức trực thuộc chưa được chia về tổ chức mới nào."))
    with audited(user):
        built = []
        for part in parts:
            target = organization_create(
                user=user,
                name=" ".join((part.get("name") or "").split()),
                code=(part.get("code") or "").strip(),
                kind=source.kind,
                sector=source.sector,
                parent=source.parent,
                founded_on=on,
            )
            for child in part.get("children", ()):
                organization_move(user=user, organization=child, new_parent=target, on=on, decision=decision)
            built.append((target, list(part.get("members", ()))))
        return organization_split(user=user, source=source, parts=built, on=on, decision=decision)


# --- Terms of office, committee posts, oversight -------------------------------------------------


def term_create(
    *,
    user: AbstractUser,
    organization: Organization,
    name: str,
    starts_on: date,
    ends_on: date | None = None,
    congress_number=None,
) -> Term:
    require_org(user, organization)
    name = " ".join((name or "").split())
    errors = {}
    if not name:
        errors["name"] = _("Hãy ghi tên nhiệm kỳ, ví dụ 2025–2030.")
    if starts_on is None:
        errors["starts_on"] = _("Hãy nhập ngày bắt đầu.")
    elif ends_on and ends_on <= starts_on:
        errors["ends_on"] = _("Ngày kết thúc phải sau ngày bắt đầu.")
    if errors:
        raise ValidationError(errors)
    with audited(user):
        return Term.objects.create(
            organization=organization, name=name, starts_on=starts_on, ends_on=ends_on, congress_number=congress_number
        )


def committee_post_create(
    *, user: AbstractUser, organization: Organization, member, post: str, starts_on: date, term: Term | None = None
) -> CommitteePost:
    """Give a member a post in an organization's committee. One person may hold several posts."""
    require_org(user, organization)
    errors = {}
    if organization.ended_on:
        raise ValidationError(_("Tổ chức này đã kết thúc hoạt động."))
    if not member.is_current:
        errors["member"] = _("Đảng viên này không còn sinh hoạt.")
    elif not member.org_path.startswith(organization.path):
        errors["member"] = _("Đảng viên phải sinh hoạt trong tổ chức này hoặc tổ chức trực thuộc.")
    if term is not None and term.organization_id != organization.pk:
        errors["term"] = _("Nhiệm kỳ không thuộc tổ chức này.")
    if starts_on is None:
        errors["starts_on"] = _("Hãy nhập ngày bắt đầu.")
    elif not errors and (
        CommitteePost.objects.filter(organization=organization, member=member, post=post).active_on(starts_on).exists()
    ):
        errors["post"] = _("Đảng viên đang giữ chức vụ này.")
    if errors:
        raise ValidationError(errors)
    with audited(user):
        return CommitteePost.objects.create(
            organization=organization, member=member, post=post, starts_on=starts_on, term=term
        )


def committee_post_end(*, user: AbstractUser, post: CommitteePost, on: date) -> CommitteePost:
    require_org(user, post.organization)
    if post.ends_on:
        raise ValidationError(_("Chức vụ này đã kết thúc ngày %(day)s.") % {"day": _fmt(post.ends_on)})
    if on is None or on < post.starts_on:
        raise ValidationError({"on": _("Ngày kết thúc phải từ %(day)s trở đi.") % {"day": _fmt(post.starts_on)}})
    with audited(user):
        post.ends_on = on
        post.save(update_fields=["ends_on"])
    return post


def oversight_assign(
    *, user: AbstractUser, assigned_by: Organization, cell: Organization, member, starts_on: date
) -> OversightAssignment:
    """Assign a committee member of `assigned_by` to follow a cell under it."""
    require_org(user, assigned_by)
    errors = {}
    if cell.kind not in CELL_KINDS or cell.pk == assigned_by.pk or not cell.path.startswith(assigned_by.path):
        errors["cell"] = _("Chỉ phân công phụ trách chi bộ trực thuộc tổ chức này.")
    elif cell.ended_on:
        errors["cell"] = _("Chi bộ này đã kết thúc hoạt động.")
    if starts_on is None:
        errors["starts_on"] = _("Hãy nhập ngày bắt đầu.")
    elif not CommitteePost.objects.filter(organization=assigned_by, member=member).active_on(starts_on).exists():
        errors["member"] = _("Người được phân công phải là cấp ủy viên của tổ chức này vào ngày bắt đầu.")
    if (
        not errors
        and OversightAssignment.objects.filter(organization=cell, member=member).active_on(starts_on).exists()
    ):
        errors["member"] = _("Đồng chí này đang phụ trách chi bộ này.")
    if errors:
        raise ValidationError(errors)
    with audited(user):
        return OversightAssignment.objects.create(
            organization=cell, member=member, assigned_by=assigned_by, starts_on=starts_on
        )


def oversight_end(*, user: AbstractUser, assignment: OversightAssignment, on: date) -> OversightAssignment:
    require_org(user, assignment.assigned_by)
    if assignment.ends_on:
        raise ValidationError(_("Phân công này đã kết thúc."))
    if on is None or on < assignment.starts_on:
        raise ValidationError({"on": _("Ngày kết thúc phải từ %(day)s trở đi.") % {"day": _fmt(assignment.starts_on)}})
    with audited(user):
        assignment.ends_on = on
        assignment.save(update_fields=["ends_on"])
    return assignment
