"""Demo rows: the Bình Thắng ward's 2018 classification as the 2019 article published it.

Cells 3 excellent and 10 good; members 34 (19,1%), 135 (75,8%), 9 (5,1%), 0 of the 178 classified;
46 not classified (40 exempted from party work and meetings, computed from their status history,
and 6 admitted in the second half of 2018, recorded with their reason). The ward's targets for 2019
("100% chi bộ, 100% đảng viên đạt mức hoàn thành nhiệm vụ trở lên") are set too.
"""

from datetime import date

from apps.organizations.models import Organization

from . import services
from .models import Evaluation, NotClassifiedReason, State, Subject, TargetSubject

CODES = {"excellent": 1, "good": 2, "satisfactory": 3, "unsatisfactory": 4}
PUBLISHED = "Nhập lại theo kết quả đã công bố (báo Bình Dương, 19/04/2019)."


def seed(context) -> None:
    admin = context["admin"]
    ward: Organization = context["ward"]
    plan = context.get("classification_2018")
    log = context.get("log", print)
    if plan is None:
        return
    year = plan["year"]
    campaign = services.campaign_open(
        user=admin,
        organization=ward,
        year=year,
        self_review_due=date(year, 12, 5),
        review_due=date(year, 12, 15),
        decision_due=date(year, 12, 31),
    )
    evaluations = {
        e.member_id: e
        for e in Evaluation.objects.filter(campaign=campaign, subject=Subject.MEMBER).select_related(
            "rule_set", "organization", "group", "decider", "member"
        )
    }
    for member, _why in plan["not_classifiable"]:
        e = evaluations[member.pk]
        if e.state == State.NOT_CLASSIFIED:
            continue  # exempted: found from the status history
        services.evaluation_mark_not_classified(
            user=admin,
            evaluation=e,
            reason=NotClassifiedReason.NEWLY_ADMITTED,
            note=f"Kết nạp ngày {member.admission_date:%d/%m/%Y}, chưa đủ 6 tháng đến kỳ đánh giá.",
        )
    decisions = [(evaluations[pk], CODES[level], False) for pk, level in plan["member_levels"].items()]
    services.evaluations_decide(user=admin, decisions=decisions, note=PUBLISHED, exception_reason=PUBLISHED)
    by_org = {
        e.organization_id: e
        for e in Evaluation.objects.filter(campaign=campaign, subject=Subject.ORGANIZATION).select_related(
            "rule_set", "organization", "group", "decider"
        )
    }
    cells = context["cells_by_key"]
    decisions = [(by_org[cells[key].pk], CODES[level], False) for key, level in plan["cell_levels"].items()]
    services.evaluations_decide(user=admin, decisions=decisions, note=PUBLISHED, exception_reason=PUBLISHED)
    # "liên tiếp 5 năm liền ... trong sạch, vững mạnh tiêu biểu, hoàn thành xuất sắc nhiệm vụ"
    services.evaluations_decide(
        user=admin, decisions=[(by_org[ward.pk], 1, False)], note=PUBLISHED, exception_reason=PUBLISHED
    )
    for subject in (TargetSubject.ORGANIZATIONS, TargetSubject.MEMBERS):
        services.target_set(user=admin, organization=ward, year=year + 1, subject=subject, level_code=3, percent=100)
    log(f"  xếp loại năm {year} của {ward.name}: {len(plan['member_levels'])} đảng viên, {len(cells)} chi bộ")
