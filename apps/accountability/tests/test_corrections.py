"""Records can be corrected (issue 16, finding 11): log entries, remediation plans (actions added
later), inspections and conclusions (remedies added later) are corrected with the history kept in
the audit log; approval locks them as the meetings app locks approved minutes (apps.core.locking),
and a later change needs its reason."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.utils import timezone

from apps.accountability import services
from apps.accountability.models import LogbookEntry, RemediationAction, RemediationPlan
from apps.core.roles import Role
from apps.inspections import services as insp_services
from apps.inspections.models import Conclusion, Inspection, Remedy, Status

TODAY = timezone.localdate()
D = "%d/%m/%Y"


@pytest.fixture
def entry(tree, secretary_a, make_member):
    hung = make_member(tree["cell_a"], "Nguyễn Văn Hùng")
    return services.logbook_add(
        user=secretary_a,
        member=hung,
        date=TODAY - dt.timedelta(days=3),
        kind="shortcoming",
        source="meeting",
        content="Vắng sinh hoạt hai kỳ",
    )


@pytest.mark.django_db
def test_log_entry_is_corrected_with_history_then_locked_once_confirmed(entry, secretary_a, client_for):
    client = client_for(secretary_a)
    page = f"/tu-soi-tu-sua/so-theo-doi/{entry.pk}/"
    assert f'href="{page}"' in client.get("/tu-soi-tu-sua/so-theo-doi/").content.decode()
    body = client.get(page).content.decode()
    assert "Vắng sinh hoạt hai kỳ</textarea>" in body
    data = {
        "op": "save",
        "version": entry.version,
        "date": entry.date.strftime(D),
        "kind": "shortcoming",
        "source": "meeting",
        "content": "Vắng sinh hoạt ba kỳ không lý do",
    }
    assert client.post(page, data).status_code == 302
    entry.refresh_from_db()
    assert entry.content == "Vắng sinh hoạt ba kỳ không lý do"
    body = client.get(page).content.decode()
    assert "Vắng sinh hoạt hai kỳ → Vắng sinh hoạt ba kỳ không lý do" in body
    # A stale page is refused.
    r = client.post(page, {**data, "content": "Khác"})
    assert r.status_code == 400
    # Confirmed: locked; a change without a reason is refused and nothing changes.
    assert client.post(page, {"op": "approve"}).status_code == 302
    entry.refresh_from_db()
    assert entry.is_locked and entry.approved_by == secretary_a
    r = client.post(page, {**data, "version": entry.version, "content": "Sửa sau khi khóa"})
    assert r.status_code == 400
    assert "Hồ sơ đã được duyệt và khóa: chỉ sửa khi ghi rõ lý do sửa đổi." in r.content.decode()
    entry.refresh_from_db()
    assert entry.content == "Vắng sinh hoạt ba kỳ không lý do"
    r = client.post(
        page, {**data, "version": entry.version, "content": "Vắng ba kỳ", "correction_reason": "Ghi nhầm số kỳ"}
    )
    assert r.status_code == 302
    entry.refresh_from_db()
    assert (entry.content, entry.correction_reason) == ("Vắng ba kỳ", "Ghi nhầm số kỳ")
    assert LogEntry.objects.get_for_object(entry).count() == 4


@pytest.mark.django_db
def test_another_cells_secretary_cannot_confirm_the_log(entry, make_user, client_for):
    other = make_user(
        "bithu_b", Role.CELL_SECRETARY, entry.subject_org.parent.children.exclude(pk=entry.subject_org_id).first()
    )
    r = client_for(other).post(f"/tu-soi-tu-sua/so-theo-doi/{entry.pk}/", {"op": "approve"})
    assert r.status_code == 404
    entry.refresh_from_db()
    assert not entry.is_locked


@pytest.fixture
def plan(tree, ward_staff):
    return services.remediation_plan_create(
        user=ward_staff,
        year=TODAY.year,
        title="Khắc phục hạn chế",
        owner_name="Bí thư chi bộ",
        organization=tree["cell_a"],
        actions=[("Sinh hoạt đúng kỳ", TODAY + dt.timedelta(days=30))],
    )


@pytest.mark.django_db
def test_plan_takes_actions_later_and_is_locked_after_approval(plan, ward_staff, client_for):
    client = client_for(ward_staff)
    add = f"/tu-soi-tu-sua/ke-hoach/viec/{plan.pk}/add/"
    deadline = (TODAY + dt.timedelta(days=60)).strftime(D)
    for i in range(2, 5):  # more than the three of the creation form
        client.post(add, {"action": f"Việc {i}", "deadline": deadline})
    assert plan.actions.count() == 4
    edit = f"/tu-soi-tu-sua/ke-hoach/{plan.pk}/sua/"
    assert f'href="{edit}"' in client.get(f"/tu-soi-tu-sua/ke-hoach/{plan.pk}/").content.decode()
    r = client.post(
        edit, {"op": "save", "version": plan.version, "title": "Khắc phục hạn chế năm", "owner_name": "Bí thư"}
    )
    assert r.status_code == 302
    assert client.post(edit, {"op": "approve"}).status_code == 302
    plan.refresh_from_db()
    assert plan.is_locked and plan.title == "Khắc phục hạn chế năm"
    client.post(add, {"action": "Việc thêm sau khi duyệt", "deadline": deadline})
    assert plan.actions.count() == 4
    client.post(add, {"action": "Việc thêm sau khi duyệt", "deadline": deadline, "correction_reason": "Theo hậu kiểm"})
    assert plan.actions.count() == 5
    plan.refresh_from_db()
    assert plan.correction_reason == "Theo hậu kiểm"
    action = plan.actions.order_by("pk").first()
    r = client.post(
        f"/tu-soi-tu-sua/ke-hoach/viec/{action.pk}/sua/",
        {"op": "save", "version": action.version, "text": "Sinh hoạt đúng kỳ, đủ nội dung", "deadline": deadline},
    )
    assert r.status_code == 400 and "chỉ sửa khi ghi rõ lý do sửa đổi" in r.content.decode()
    assert RemediationAction.objects.get(pk=action.pk).action == "Sinh hoạt đúng kỳ"
    assert RemediationPlan.objects.get(pk=plan.pk).approved_by == ward_staff


@pytest.fixture
def concluded(tree, make_user):
    ubkt = make_user("ubkt_bt", Role.INSPECTION, tree["ward"])
    insp = insp_services.inspection_create(
        user=ubkt,
        organization=tree["ward"],
        kind="thematic",
        title="Kiểm tra chuyên đề",
        subject_organization=tree["cell_a"],
        period_start=TODAY - dt.timedelta(days=20),
    )
    insp_services.inspection_start(user=ubkt, inspection=insp)
    insp_services.inspection_conclude(
        user=ubkt,
        inspection=insp,
        findings="Thu đảng phí chưa đủ",
        conclusion=Conclusion.SHORTCOMINGS,
        conclusion_text="Có hạn chế",
        concluded_on=TODAY - dt.timedelta(days=1),
        remedies=[("Thu đủ", TODAY + dt.timedelta(days=10)), ("Báo cáo", TODAY + dt.timedelta(days=20))],
    )
    insp.refresh_from_db()
    return ubkt, insp


@pytest.mark.django_db
def test_conclusion_is_corrected_takes_remedies_later_and_locks_when_issued(concluded, client_for):
    ubkt, insp = concluded
    client = client_for(ubkt)
    page = f"/kiem-tra/{insp.pk}/"
    assert f'href="/kiem-tra/{insp.pk}/sua/"' in client.get(page).content.decode()
    deadline = (TODAY + dt.timedelta(days=30)).strftime(D)
    client.post(f"/kiem-tra/{insp.pk}/khac-phuc/them/", {"requirement": "Kiểm điểm thủ quỹ", "deadline": deadline})
    assert insp.remedies.count() == 3
    edit = f"/kiem-tra/{insp.pk}/sua/"
    data = {
        "version": Inspection.objects.get(pk=insp.pk).version,
        "title": "Kiểm tra chuyên đề đảng phí",
        "conclusion": "shortcomings",
        "conclusion_text": "Có hạn chế trong thu, nộp đảng phí",
        "concluded_on": insp.concluded_on.strftime(D),
        "findings": "Thu đảng phí chưa đủ 3 tháng",
    }
    assert client.post(edit, data).status_code == 302
    body = client.get(edit).content.decode()
    assert "Có hạn chế → Có hạn chế trong thu, nộp đảng phí" in body
    assert client.post(edit, {"op": "approve"}).status_code == 302
    insp.refresh_from_db()
    assert insp.is_locked
    r = client.post(edit, {**data, "version": insp.version, "conclusion_text": "Đổi sau khi ban hành"})
    assert r.status_code == 400
    assert Inspection.objects.get(pk=insp.pk).conclusion_text == "Có hạn chế trong thu, nộp đảng phí"
    client.post(f"/kiem-tra/{insp.pk}/khac-phuc/them/", {"requirement": "Thêm nữa", "deadline": deadline})
    assert insp.remedies.count() == 3
    remedy = Remedy.objects.filter(inspection=insp).order_by("pk").first()
    r = client.post(
        f"/kiem-tra/khac-phuc/{remedy.pk}/sua/",
        {
            "version": remedy.version,
            "requirement": "Thu đủ đảng phí",
            "deadline": deadline,
            "correction_reason": "Rõ hơn",
        },
    )
    assert r.status_code == 302
    remedy.refresh_from_db()
    assert remedy.requirement == "Thu đủ đảng phí"
    assert Inspection.objects.get(pk=insp.pk).correction_reason == "Rõ hơn"
    assert Inspection.objects.get(pk=insp.pk).status == Status.CONCLUDED


@pytest.mark.django_db
def test_meetings_minutes_lock_through_the_same_piece():
    from apps.core.locking import Approvable
    from apps.meetings.models import Minutes

    assert issubclass(Minutes, Approvable)
    assert issubclass(LogbookEntry, Approvable) and issubclass(RemediationPlan, Approvable)
    assert issubclass(Inspection, Approvable)
