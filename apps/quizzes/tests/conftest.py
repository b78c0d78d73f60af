import datetime as dt

import pytest
from django.utils import timezone

from apps.core.roles import Role
from apps.quizzes import services


@pytest.fixture
def world(tree, admin_user, make_member, make_user, ward_staff):
    """A ward bank of three questions (Q1, Q2 single; Q3 multiple with A and C correct) and a test
    held by the ward for cell A's three members, open from an hour ago for a day, 30 minutes, pass at 50%."""
    now = timezone.now()
    bank = services.bank_create(user=ward_staff, organization=tree["ward"], topic="Điều lệ Đảng", title="Điều lệ")
    q1 = services.question_add(
        user=ward_staff,
        bank=bank,
        text="Đảng Cộng sản Việt Nam thành lập năm nào?",
        kind="single",
        options=[("1930", True), ("1945", False), ("1954", False)],
    )
    q2 = services.question_add(
        user=ward_staff,
        bank=bank,
        text="Thời gian dự bị của đảng viên là bao lâu?",
        kind="single",
        options=[("6 tháng", False), ("12 tháng", True), ("24 tháng", False)],
    )
    q3 = services.question_add(
        user=ward_staff,
        bank=bank,
        text="Những nguyên tắc nào là nguyên tắc tổ chức và hoạt động của Đảng?",
        kind="multiple",
        options=[("Tập trung dân chủ", True), ("Tam quyền phân lập", False), ("Tự phê bình và phê bình", True)],
    )
    members = [make_member(tree["cell_a"], name) for name in ("Trần Thị Lan", "Lê Văn Minh", "Phạm Thị Hoa")]
    users = [make_user(f"dv{i}", Role.MEMBER, tree["cell_a"], False, member=m) for i, m in enumerate(members)]
    outsider = make_member(tree["cell_b"], "Võ Văn Bình")
    outsider_user = make_user("dv_b", Role.MEMBER, tree["cell_b"], False, member=outsider)
    quiz = services.quiz_create(
        user=ward_staff,
        organization=tree["ward"],
        title="Kiểm tra nhận thức Điều lệ Đảng",
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=1),
        duration_minutes=30,
        questions=[q1, q2, q3],
        audience_org=tree["cell_a"],
        include_subtree=False,
    )
    return {
        "bank": bank,
        "questions": [q1, q2, q3],
        "members": members,
        "users": users,
        "outsider": outsider,
        "outsider_user": outsider_user,
        "quiz": quiz,
        "ward_staff": ward_staff,
        "now": now,
    }


def options(question):
    """The question's options by their text."""
    return {o.text: o.pk for o in question.options.all()}
