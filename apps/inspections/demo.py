"""Demo rows for `manage.py seed_demo`: the ward's yearly inspection plans, a few inspections with
conclusions and remedies, a complaint, and one discipline decision."""

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


def seed(context) -> None:
    from apps.discipline.services import discipline_create

    from . import services

    admin = context.get("admin")
    ward = context.get("ward")
    log = context.get("log") or (lambda text: None)
    today = context.get("today") or timezone.localdate()
    cells = list(context.get("cells") or [])
    if admin is None or ward is None or not cells:
        return
    year = today.year
    start = dt.date(year, 1, 1)
    plan = services.plan_create(
        user=admin,
        organization=ward,
        year=year,
        body="committee",
        title=f"Chương trình kiểm tra, giám sát năm {year} của Đảng ủy",
    )
    services.plan_create(
        user=admin,
        organization=ward,
        year=year,
        body="commission",
        title=f"Kế hoạch kiểm tra, giám sát năm {year} của Ủy ban Kiểm tra",
    )
    kinds = ["periodic", "thematic", "self", "sup_continuous", "unscheduled"]
    for i, cell in enumerate(cells[:5]):
        insp = services.inspection_create(
            user=admin,
            organization=ward,
            plan=plan,
            kind=kinds[i % len(kinds)],
            title="Kiểm tra việc thực hiện quy định sinh hoạt chi bộ",
            subject_organization=cell,
            team="Đồng chí Chủ nhiệm UBKT và 2 ủy viên",
            period_start=min(start + dt.timedelta(days=30 * (i + 1)), today),
        )
        if i < 3:
            services.inspection_start(user=admin, inspection=insp)
            services.inspection_conclude(
                user=admin,
                inspection=insp,
                findings="Chi bộ duy trì sinh hoạt đều; biên bản còn sơ sài.",
                conclusion="shortcomings" if i else "good",
                conclusion_text="Cơ bản thực hiện đúng quy định.",
                concluded_on=insp.period_start,
                remedies=[("Hoàn thiện biên bản sinh hoạt", insp.period_start + dt.timedelta(days=45))] if i else [],
            )
    services.complaint_receive(
        user=admin,
        organization=ward,
        kind="complaint",
        received_on=max(start, today - dt.timedelta(days=20)),
        content="Phản ánh việc thu đảng phí chưa công khai.",
        sender="Đảng viên chi bộ",
    )
    members = _flat_members(context)
    full = [m for m in members if getattr(m, "full_membership_date", None) and m.status == "full"]
    if full:
        discipline_create(
            user=admin,
            member=full[-1],
            form="reprimand",
            deciding_body="Chi bộ",
            decided_on=max(start, today - dt.timedelta(days=40)),
            reason="Vắng sinh hoạt không lý do nhiều lần.",
        )
    log("  kiểm tra, giám sát: 2 kế hoạch, 5 cuộc, 1 đơn, 1 kỷ luật")
