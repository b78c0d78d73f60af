"""Writes to the organization tree. Each is dated, audited and keeps the tree's history."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.services import audited, require_org

from .models import EventKind, Organization, OrganizationEvent, OrganizationVersion, path_segment


def _close_version(organization: Organization, on: date) -> None:
    OrganizationVersion.objects.filter(organization=organization, valid_to__isnull=True).update(valid_to=on)


def _open_version(organization: Organization, on: date | None) -> None:
    OrganizationVersion.objects.create(
        organization=organization, name=organization.name, parent=organization.parent, valid_from=on
    )


def organization_create(
    *,
    user,
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


def organization_rename(*, user, organization: Organization, name: str, on: date, decision: str = "") -> None:
    require_org(user, organization)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Tên mới không được để trống.")})
    with audited(user):
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


def organization_move(*, user, organization: Organization, new_parent: Organization, on: date, decision: str = ""):
    """Put an organization (and its subtree, and their members) under a new parent."""
    require_org(user, organization)
    require_org(user, new_parent)
    if new_parent.path.startswith(organization.path):
        raise ValidationError(
            {"new_parent": _("Không thể chuyển một tổ chức vào chính nó hoặc tổ chức trực thuộc nó.")}
        )
    if new_parent.ended_on:
        raise ValidationError({"new_parent": _("Tổ chức cấp trên mới đã kết thúc hoạt động.")})
    from apps.members.models import Member

    old_path, old_parent = organization.path, organization.parent
    new_path = new_parent.path + path_segment(organization.pk)
    depth_shift = new_parent.depth + 1 - organization.depth
    with audited(user):
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
        Organization.objects.filter(path__startswith=old_path).update(
            path=Concat(Value(new_path), Substr("path", cut)), depth=F("depth") + depth_shift
        )
        Member.objects.filter(org_path__startswith=old_path).update(
            org_path=Concat(Value(new_path), Substr("org_path", cut))
        )
    organization.refresh_from_db()
    return event


def organization_end(*, user, organization: Organization, on: date, kind=EventKind.DISSOLVED, decision: str = ""):
    """End an organization. Its record and history stay; it must have no current members left."""
    require_org(user, organization)
    if organization.ended_on:
        raise ValidationError(_("Tổ chức này đã kết thúc hoạt động."))
    if organization.descendants().current().exists():
        raise ValidationError(_("Còn tổ chức trực thuộc đang hoạt động: hãy chuyển hoặc kết thúc chúng trước."))
    from apps.members.models import Member

    if Member.objects.filter(organization=organization).current().exists():
        raise ValidationError(_("Còn đảng viên đang sinh hoạt: hãy chuyển đảng viên trước."))
    with audited(user):
        event = OrganizationEvent.objects.create(organization=organization, kind=kind, date=on, decision=decision)
        _close_version(organization, on)
        organization.ended_on = on
        organization.save(update_fields=["ended_on"])
    return event


def organization_merge(
    *, user, sources: list[Organization], into: Organization, on: date, decision: str = ""
) -> OrganizationEvent:
    """Merge organizations into `into` (existing or newly created): their children and members move
    there, they end on `on`, and the event links predecessors and successor."""
    from apps.members.services import member_move_all

    sources = [s for s in sources if s.pk != into.pk]
    if not sources:
        raise ValidationError(_("Chọn ít nhất một tổ chức để hợp nhất."))
    with audited(user):
        for source in sources:
            require_org(user, source)
            for child in source.children.current():
                organization_move(user=user, organization=child, new_parent=into, on=on, decision=decision)
            member_move_all(user=user, source=source, target=into, on=on, decision=decision)
            organization_end(user=user, organization=source, on=on, kind=EventKind.MERGED, decision=decision)
        event = OrganizationEvent.objects.create(organization=into, kind=EventKind.MERGED, date=on, decision=decision)
        event.predecessors.set(sources)
        event.successors.set([into])
        for source in sources:
            source.events.filter(kind=EventKind.MERGED, date=on).first().successors.set([into])
    return event


def organization_split(
    *, user, source: Organization, parts: list[tuple[Organization, list]], on: date, decision: str = ""
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
