"""Demo rows of tests and surveys: a question bank on the Party Charter (Điều lệ Đảng, 2011) with ten
questions, a test held by the Bình Thắng committee for khu phố Trung Thắng (open, with the results of
twelve members; the `dangvien` login has not taken it yet), a named survey of the cell secretaries'
qualifications and an anonymous survey of Trung Thắng's members on their cell's meetings.

The organizers' writes go through the services; the members' answers (members without accounts)
are written as the services would write them, scored by `services.score`."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from .binh_thang import CELLS

S, M = "single", "multiple"

CHARTER = [
    (
        "Đảng Cộng sản Việt Nam được thành lập ngày, tháng, năm nào?",
        S,
        [("03/02/1930", True), ("19/05/1930", False), ("02/09/1945", False), ("06/01/1946", False)],
    ),
    (
        "Theo Điều lệ Đảng, người vào Đảng phải từ đủ bao nhiêu tuổi trở lên?",
        S,
        [("16 tuổi", False), ("18 tuổi", True), ("20 tuổi", False), ("21 tuổi", False)],
    ),
    (
        "Thời gian dự bị của đảng viên là bao lâu?",
        S,
        [("6 tháng", False), ("9 tháng", False), ("12 tháng", True), ("24 tháng", False)],
    ),
    (
        "Nền tảng tư tưởng, kim chỉ nam cho hành động của Đảng là gì?",
        M,
        [("Chủ nghĩa Mác – Lênin", True), ("Tư tưởng Hồ Chí Minh", True), ("Chủ nghĩa duy tâm", False)],
    ),
    (
        "Nguyên tắc tổ chức cơ bản của Đảng là nguyên tắc nào?",
        S,
        [("Tập trung dân chủ", True), ("Tập thể lãnh đạo", False), ("Thiểu số phục tùng đa số", False)],
    ),
    (
        "Cơ quan lãnh đạo cao nhất của Đảng là cơ quan nào?",
        S,
        [("Ban Chấp hành Trung ương", False), ("Bộ Chính trị", False), ("Đại hội đại biểu toàn quốc", True)],
    ),
    (
        "Chi bộ sinh hoạt thường kỳ bao lâu một lần?",
        S,
        [("Mỗi tháng một lần", True), ("Mỗi quý một lần", False), ("Sáu tháng một lần", False)],
    ),
    (
        "Chi bộ có từ bao nhiêu đảng viên chính thức trở lên thì bầu chi ủy?",
        S,
        [("5 đảng viên", False), ("7 đảng viên", False), ("9 đảng viên", True), ("12 đảng viên", False)],
    ),
    (
        "Đảng viên dự bị KHÔNG có những quyền nào sau đây?",
        M,
        [
            ("Biểu quyết", True),
            ("Ứng cử cơ quan lãnh đạo của Đảng", True),
            ("Bầu cử cơ quan lãnh đạo của Đảng", True),
            ("Được thông tin và thảo luận các vấn đề về Cương lĩnh, Điều lệ Đảng", False),
        ],
    ),
    (
        "Đảng viên có những quyền nào sau đây theo Điều lệ Đảng?",
        M,
        [
            ("Được thông tin và thảo luận các vấn đề về Cương lĩnh chính trị, Điều lệ Đảng", True),
            ("Phê bình, chất vấn về hoạt động của tổ chức đảng và đảng viên trong phạm vi tổ chức", True),
            ("Công bố quan điểm riêng trái với nghị quyết của Đảng", False),
            (
                "Trình bày ý kiến khi tổ chức đảng nhận xét, quyết định công tác hoặc thi hành kỷ luật đối với mình",
                True,
            ),
        ],
    ),
]

LEVELS = ["Sơ cấp", "Trung cấp", "Cao cấp", "Cử nhân"]
NEEDS = ["Nghiệp vụ công tác đảng", "Kỹ năng chủ trì sinh hoạt chi bộ", "Chuyển đổi số", "Công tác dân vận"]
SUGGESTIONS = [
    "Đề nghị mở lớp bồi dưỡng nghiệp vụ cho bí thư chi bộ mới.",
    "Cần thêm tài liệu hướng dẫn ghi biên bản sinh hoạt.",
    "Tổ chức trao đổi kinh nghiệm giữa các chi bộ khu phố.",
]


def seed(context) -> None:
    from apps.quizzes import services
    from apps.quizzes.models import Attempt, AttemptAnswer, SurveyInvitation

    ward, rng = context["ward"], context["random"]
    log = context.get("log") or (lambda text: None)
    staff = context["users"]["committee_staff"]
    cell = context["cells_by_key"]["trung-thang"]
    hung = context["named"]["nguyen_van_hung"]
    now = timezone.now().replace(second=0, microsecond=0)

    bank = services.bank_create(
        user=staff,
        organization=ward,
        topic="Điều lệ Đảng",
        title="Ngân hàng câu hỏi tìm hiểu Điều lệ Đảng",
        description="Điều lệ Đảng Cộng sản Việt Nam (Đại hội XI thông qua ngày 19/01/2011).",
    )
    questions = [services.question_add(user=staff, bank=bank, text=t, kind=k, options=o) for t, k, o in CHARTER]
    quiz = services.quiz_create(
        user=staff,
        organization=ward,
        title="Kiểm tra nhận thức về Điều lệ Đảng năm " + str(context["today"].year),
        description="Mười câu trắc nghiệm; câu nhiều đáp án chỉ được điểm khi chọn đủ và đúng các phương án.",
        opens_at=now - dt.timedelta(days=2),
        closes_at=now + dt.timedelta(days=5),
        duration_minutes=20,
        pass_percent=50,
        questions=questions,
        audience_org=cell,
        include_subtree=False,
    )

    # Twelve members of the cell have taken it (not the demo login, who still can).
    keys = {q.pk: {o.pk for o in q.options.all() if o.is_correct} for q in questions}
    wrong = {q.pk: [o.pk for o in q.options.all() if not o.is_correct] for q in questions}
    invited = quiz.invitations.exclude(member=hung).select_related("member").order_by("pk")
    takers = [inv.member for inv in invited][:12]
    for i, member in enumerate(takers):
        started = now - dt.timedelta(days=1, hours=i)
        skill = 0.2 + 0.7 * rng.random()
        answers = {q.pk: sorted(keys[q.pk]) if rng.random() < skill else [rng.choice(wrong[q.pk])] for q in questions}
        correct, by_question = services.score(questions, answers)
        percent = (Decimal(100 * correct) / len(questions)).quantize(Decimal("0.01"), ROUND_HALF_UP)
        attempt = Attempt.objects.create(
            quiz=quiz,
            member=member,
            organization=ward,
            org_path=ward.path,
            cell=cell,
            number=1,
            started_at=started,
            deadline_at=started + dt.timedelta(minutes=20),
            submitted_at=started + dt.timedelta(minutes=8 + i % 10),
            correct=correct,
            total=len(questions),
            percent=percent,
            passed=percent >= quiz.pass_percent,
        )
        AttemptAnswer.objects.bulk_create(
            [
                AttemptAnswer(attempt=attempt, question=q, chosen=answers[q.pk], is_correct=by_question[q.pk])
                for q in questions
            ]
        )

    # A named survey of the cell secretaries' qualifications, answered by most of them.
    secretaries = [context["named"][f"secretary:{key}"] for key, *_rest in CELLS]
    named = services.survey_create(
        user=staff,
        organization=ward,
        title="Khảo sát trình độ, năng lực của bí thư chi bộ",
        description="Phục vụ xây dựng kế hoạch bồi dưỡng cán bộ chủ chốt của chi bộ.",
        opens_at=now - dt.timedelta(days=3),
        closes_at=now + dt.timedelta(days=10),
        anonymous=False,
        questions=[
            ("Trình độ lý luận chính trị hiện nay của đồng chí?", "single", LEVELS),
            ("Đồng chí cần bồi dưỡng thêm nội dung nào?", "multiple", NEEDS),
            ("Đề xuất khác của đồng chí", "text", []),
        ],
        card_numbers=[m.card_number for m in secretaries if m.card_number],
    )
    _answers(named, secretaries[: len(secretaries) - 3], rng, anonymous=False)

    # An anonymous survey of Trung Thắng's members (the demo login has not answered yet).
    anonymous = services.survey_create(
        user=staff,
        organization=ward,
        title="Lấy ý kiến đảng viên về chất lượng sinh hoạt chi bộ",
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=7),
        anonymous=True,
        questions=[
            (
                "Đồng chí đánh giá chất lượng sinh hoạt chi bộ thường kỳ thế nào?",
                "single",
                ["Tốt", "Khá", "Trung bình", "Chưa đạt"],
            ),
            ("Nội dung nào nên được sinh hoạt chuyên đề nhiều hơn?", "multiple", NEEDS),
            ("Góp ý để sinh hoạt chi bộ tốt hơn", "text", []),
        ],
        audience_org=cell,
        include_subtree=False,
    )
    members = [
        inv.member
        for inv in SurveyInvitation.objects.filter(survey=anonymous).exclude(member=hung).select_related("member")
    ]
    _answers(anonymous, members[:15], rng, anonymous=True)
    log(
        f"  kiểm tra nhận thức: 1 ngân hàng, {len(questions)} câu hỏi, 1 bài kiểm tra ({len(takers)} bài làm), 2 khảo sát"
    )


def _answers(survey, members, rng, *, anonymous: bool) -> None:
    """Answers of members without accounts, written as `services.survey_answer` writes them."""
    from auditlog.context import disable_auditlog

    from apps.quizzes.models import SurveyAnswer, SurveyInvitation, SurveyResponse

    questions = list(survey.questions.prefetch_related("choices"))
    rows = []
    for member in members:
        answers = []
        for q in questions:
            choices = [c.pk for c in q.choices.all()]
            if q.kind == "single":
                answers.append((q, [rng.choice(choices[:3])], ""))
            elif q.kind == "multiple":
                answers.append((q, sorted(rng.sample(choices, rng.randint(1, 2))), ""))
            else:
                answers.append((q, [], rng.choice(SUGGESTIONS) if rng.random() < 0.4 else ""))
        rows.append((member, answers))
    SurveyInvitation.objects.filter(survey=survey, member__in=[m for m, _a in rows]).update(answered=True)
    if anonymous:
        rng.shuffle(rows)
    with disable_auditlog():
        for member, answers in rows:
            response = SurveyResponse.objects.create(
                survey=survey,
                member=None if anonymous else member,
                submitted_at=None if anonymous else survey.opens_at + dt.timedelta(hours=rng.randint(1, 48)),
            )
            SurveyAnswer.objects.bulk_create(
                [SurveyAnswer(response=response, question=q, choices=ids, text=text) for q, ids, text in answers]
            )
