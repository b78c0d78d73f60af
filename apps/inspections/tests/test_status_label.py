"""Issue 16 #14: an unscheduled inspection read "in the plan" (Trong kế hoạch)."""

from apps.core.roles import Role
from apps.inspections import services
from apps.inspections.models import InspectionPlan


def test_an_inspection_outside_any_plan_does_not_read_in_the_plan(tree, make_member, make_user, client_for):
    member = make_member(tree["cell_a"], "Nguyễn Văn Hùng")
    ubkt = make_user("ubkt", Role.INSPECTION, tree["ward"])
    plan = InspectionPlan.objects.create(
        organization=tree["ward"], org_path=tree["ward"].path, year=2025, title="Kế hoạch năm 2025"
    )
    unscheduled = services.inspection_create(
        user=ubkt, organization=tree["ward"], kind="signs", title="Kiểm tra dấu hiệu", subject_member=member
    )
    planned = services.inspection_create(
        user=ubkt, organization=tree["ward"], kind="periodic", title="Định kỳ", subject_member=member, plan=plan
    )
    assert unscheduled.get_status_display() == "Chưa tiến hành (ngoài kế hoạch)"
    assert planned.get_status_display() == "Trong kế hoạch"
    page = client_for(ubkt).get(f"/kiem-tra/{unscheduled.pk}/").content.decode()
    assert '<strong id="insp-status">Chưa tiến hành (ngoài kế hoạch)</strong>' in page
    services.inspection_start(user=ubkt, inspection=unscheduled)
    assert unscheduled.get_status_display() == "Đang tiến hành"
