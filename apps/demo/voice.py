"""Demo rows for members' petitions and dialogues with citizens (apps/voice).

Petitions of Nguyễn Văn Hùng (the `dangvien` login) and of his neighbours in khu phố Trung Thắng,
in every state: new, assigned, answered, overdue; one to the ward committee. A dialogue the ward
committee's secretary held with the residents of khu phố Trung Thắng and Ngãi Thắng, with issues
answered, followed up, and one overdue.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from apps.voice import services
from apps.voice.models import Petition, PetitionKind, PetitionRuleSet, PetitionStatus


def _petition(member, organization, title, content, *, days_ago, kind=PetitionKind.PETITION):
    """A petition filed `days_ago` days ago, with the deadline its rule set gave it then."""
    day = timezone.localdate() - timedelta(days=days_ago)
    rule_set = PetitionRuleSet.objects.in_force(day).first()
    return Petition.objects.create(
        organization=organization,
        member=member,
        kind=kind,
        title=title,
        content=content,
        created_at=timezone.now() - timedelta(days=days_ago),
        submitted_on=day,
        due_on=services.due_date(rule_set, day),
        rule_set=rule_set,
    )


def seed(context):
    users = context["users"]
    cell = context["cells_by_key"]["trung-thang"]
    ward = context["ward"]
    hung_user = users["member"]
    secretary = users["cell_secretary"]
    staff = users["committee_staff"]
    neighbours = [m for m in context["members"]["trung-thang"] if m.user_id is None and m.is_current][:3]

    # New, just now, through the service (the secretary is told).
    services.petition_submit(
        user=hung_user,
        organization=cell,
        kind=PetitionKind.PETITION,
        title="Đề nghị lắp thêm đèn chiếu sáng hẻm 5",
        content="Hẻm 5 khu phố Trung Thắng tối, nhiều người đi làm về muộn. Đề nghị chi bộ kiến nghị phường "
        "lắp thêm hai bóng đèn.",
    )
    # Assigned, within its deadline.
    assigned = _petition(
        hung_user.member,
        cell,
        "Đề nghị sinh hoạt chuyên đề về chuyển đổi số",
        "Đề nghị chi bộ dành một kỳ sinh hoạt chuyên đề hướng dẫn đảng viên cài đặt, sử dụng Sổ tay đảng viên.",
        days_ago=3,
        kind=PetitionKind.OPINION,
    )
    services.petition_assign(user=secretary, petition=assigned, handler=secretary)
    # Answered.
    answered = _petition(
        hung_user.member,
        cell,
        "Phản ánh việc thu gom rác ở đầu hẻm 12",
        "Điểm tập kết rác ở đầu hẻm 12 thường bị để quá ngày, gây mùi.",
        days_ago=20,
        kind=PetitionKind.FEEDBACK,
    )
    services.petition_assign(user=secretary, petition=answered, handler=secretary)
    services.petition_answer(
        user=secretary,
        petition=answered,
        answer="Chi bộ đã trao đổi với Ban điều hành khu phố và tổ thu gom: từ tuần này rác được thu trong ngày.",
    )
    # Overdue: filed six weeks ago, assigned, not answered.
    overdue = _petition(
        neighbours[0] if neighbours else hung_user.member,
        cell,
        "Kiến nghị sửa đoạn cống thoát nước trước nhà văn hóa",
        "Mưa lớn là nước ngập trước nhà văn hóa khu phố; đề nghị chi bộ kiến nghị phường sửa cống.",
        days_ago=42,
    )
    services.petition_assign(user=secretary, petition=overdue, handler=secretary)
    # Overdue and never assigned, from another neighbour.
    if len(neighbours) > 1:
        _petition(
            neighbours[1],
            cell,
            "Đề nghị công khai danh sách hộ nghèo của khu phố",
            "Đề nghị chi bộ nhắc Ban điều hành khu phố niêm yết danh sách hộ nghèo, cận nghèo năm nay.",
            days_ago=35,
        )
    # To the ward committee, new.
    services.petition_submit(
        user=hung_user,
        organization=ward,
        kind=PetitionKind.PETITION,
        title="Kiến nghị mở lớp bồi dưỡng lý luận chính trị cho đảng viên mới",
        content="Khu phố có hai đảng viên mới kết nạp chưa học lớp bồi dưỡng; đề nghị Đảng ủy mở lớp trong quý.",
    )
    assert Petition.objects.filter(status=PetitionStatus.NEW).exists()

    today = timezone.localdate()
    dialogue = services.dialogue_create(
        user=staff,
        organization=ward,
        held_on=today - timedelta(days=50),
        place="Hội trường khu phố Trung Thắng",
        chair=f"Đồng chí {context['named']['ward_secretary'].full_name}, Bí thư Đảng ủy phường",
        participants="Thường trực Đảng ủy, lãnh đạo UBND phường, Ủy ban MTTQ phường, Ban điều hành khu phố "
        "Trung Thắng và Ngãi Thắng, đại diện các hộ dân",
        participant_count=86,
        summary="Đối thoại định kỳ với nhân dân khu phố Trung Thắng và Ngãi Thắng về trật tự đô thị, môi "
        "trường và thủ tục hành chính.",
    )
    road = services.issue_add(
        user=staff,
        dialogue=dialogue,
        raised_by="Ông Trần Văn Bảy, khu phố Trung Thắng",
        content="Đường vào khu phố xuống cấp, nhiều ổ gà.",
        responsible="UBND phường (Phòng Kinh tế, Hạ tầng và Đô thị)",
        due_on=today - timedelta(days=20),
    )
    services.issue_answer(
        user=staff,
        issue=road,
        answer="Đã đưa vào kế hoạch duy tu quý này; đã vá tạm các ổ gà.",
        answered_on=today - timedelta(days=25),
        resolved=True,
    )
    services.follow_up_add(user=staff, issue=road, on=today - timedelta(days=10), note="Kiểm tra thực địa: đã vá xong.")
    papers = services.issue_add(
        user=staff,
        dialogue=dialogue,
        raised_by="Bà Nguyễn Thị Hoa, khu phố Ngãi Thắng",
        content="Thủ tục cấp giấy chứng nhận quyền sử dụng đất kéo dài.",
        responsible="UBND phường (bộ phận một cửa)",
        due_on=today - timedelta(days=15),
    )
    services.issue_answer(
        user=staff,
        issue=papers,
        answer="Hồ sơ thiếu trích đo địa chính; bộ phận một cửa đã hướng dẫn bổ sung.",
        answered_on=today - timedelta(days=18),
    )
    services.follow_up_add(
        user=staff, issue=papers, on=today - timedelta(days=5), note="Gia đình đã nộp bổ sung; chờ kết quả."
    )
    lights = services.issue_add(
        user=staff,
        dialogue=dialogue,
        raised_by="Ông Lê Văn Năm, khu phố Trung Thắng",
        content="Tụ tập gây ồn ào ban đêm ở công viên khu phố.",
        responsible="Công an phường",
        due_on=today - timedelta(days=7),
    )
    services.follow_up_add(
        user=staff, issue=lights, on=today - timedelta(days=2), note="Đã nhắc Công an phường; chưa có trả lời."
    )
    context["log"]("  ý kiến, kiến nghị và đối thoại mẫu: 6 ý kiến, 1 buổi đối thoại, 3 vấn đề")
