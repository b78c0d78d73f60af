"""Demo rows for `manage.py seed_demo`: self-examinations, remediation plans, commitments, the
strengths-and-shortcomings log, a review working group and a rotating review schedule in the
Bình Thắng ward. Robust to a context that lacks some keys."""

import datetime as dt

from django.utils import timezone


def _flat_members(context):
    """The context's members (a list, or a dict of lists by cell), fresh from the database."""
    from apps.members.models import Member

    raw = context.get("members") or []
    values = raw.values() if isinstance(raw, dict) else [raw]
    pks = []
    for v in values:
        for m in v if isinstance(v, (list, tuple)) else [v]:
            if getattr(m, "pk", None):
                pks.append(m.pk)
    return list(
        Member.objects.filter(pk__in=pks).select_related("organization", "user").order_by("org_path", "sort_key", "pk")
    )


def _user(context, username):
    users = context.get("users") or {}
    if isinstance(users, dict):
        return users.get(username)
    return next((u for u in users if getattr(u, "username", None) == username), None)


def seed(context) -> None:
    from apps.members.models import CURRENT_STATUSES

    from . import selectors, services
    from .models import Degree

    admin = context.get("admin")
    ward = context.get("ward")
    log = context.get("log") or (lambda text: None)
    today = context.get("today") or timezone.localdate()
    rng = context.get("random")
    members = [m for m in _flat_members(context) if m.status in CURRENT_STATUSES]
    if admin is None or ward is None or not members:
        return
    year = today.year
    items = list(selectors.manifestations())
    completed = 0
    # Self-examinations: the members with a login write their own; others are left for them.
    for member in members[:40]:
        user = getattr(member, "user", None)
        if user is None:
            continue
        exam = services.self_examination_start(user=user, member=member, year=year)
        degrees = {m.number: Degree.NONE for m in items}
        if rng is not None and rng.random() < 0.5:
            degrees[items[4].number] = Degree.SLIGHT
        services.self_examination_save(
            user=user,
            examination=exam,
            degrees=degrees,
            self_assessment="Giữ vững lập trường, cần mạnh dạn hơn trong phê bình.",
            complete=True,
        )
        services.remediation_plan_create(
            user=user,
            year=year,
            title="Kế hoạch tự sửa năm " + str(year),
            owner_name=member.full_name,
            member=member,
            examination=exam,
            actions=[("Thẳng thắn góp ý trong sinh hoạt chi bộ", today + dt.timedelta(days=60))],
        )
        completed += 1
    # Organization plans with an overdue item, commitments and log entries in each cell.
    cells = sorted({m.organization for m in members}, key=lambda o: o.path)
    for i, cell in enumerate(cells[:6]):
        services.remediation_plan_create(
            user=admin,
            year=year,
            title="Khắc phục hạn chế sau kiểm điểm năm trước",
            owner_name="Bí thư chi bộ",
            organization=cell,
            shortcomings="Sinh hoạt chuyên đề chưa đều; biên bản chưa đầy đủ.",
            actions=[
                ("Tổ chức sinh hoạt chuyên đề mỗi quý", today - dt.timedelta(days=10 + i)),
                ("Hoàn thiện biên bản theo mẫu", today + dt.timedelta(days=30)),
            ],
        )
        cell_members = [m for m in members if m.organization_id == cell.pk][:5]
        for m in cell_members:
            services.commitment_register(
                user=admin,
                member=m,
                year=year,
                kind="study_follow",
                content="Gương mẫu, gần dân; tham gia đầy đủ sinh hoạt chi bộ.",
                registered_on=dt.date(year, 1, 15),
            )
        if cell_members:
            services.logbook_add(
                user=admin,
                member=cell_members[0],
                date=dt.date(year, 3, 10),
                kind="strength",
                source="meeting",
                source_detail="Sinh hoạt chi bộ tháng 3",
                content="Phát biểu tham luận tốt.",
            )
        services.logbook_add(
            user=admin,
            organization=cell,
            date=dt.date(year, 4, 5),
            kind="shortcoming",
            source="inspection",
            content="Chưa lưu đủ tài liệu quán triệt nghị quyết.",
        )
        try:
            services.rotating_schedule(user=admin, organization=cell, start=dt.date(year, 1, 1))
        except Exception:  # noqa: BLE001, S112 - a cell without current members
            continue
    group = services.review_group_create(
        user=admin,
        organization=ward,
        year=year,
        name="Đoàn dự, gợi ý kiểm điểm năm " + str(year),
        decision="15-QĐ/ĐU",
        composition="Đồng chí Phó Bí thư Thường trực (trưởng đoàn) và 2 đồng chí đảng ủy viên",
    )
    for cell in cells[:3]:
        services.review_target_add(
            user=admin, group=group, organization=cell, mode="in_depth", reason="Chậm khắc phục hạn chế đã chỉ ra"
        )
    for m in members[:2]:
        services.review_target_add(user=admin, group=group, member=m, mode="attend")
    log(f"  tự soi, tự sửa: {completed} sổ hoàn thành, {len(cells[:6])} kế hoạch của chi bộ")
