import datetime as dt
import re

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from apps.core.roles import Role
from apps.quizzes import selectors, services
from apps.quizzes.models import Survey, SurveyAnswer, SurveyInvitation, SurveyResponse

pytestmark = pytest.mark.django_db

BASE = "/kiem-tra-nhan-thuc"


def _survey(world, tree, anonymous):
    now = world["now"]
    return services.survey_create(
        user=world["ward_staff"],
        organization=tree["ward"],
        title="Khảo sát trình độ lý luận chính trị của cán bộ chủ chốt",
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=3),
        anonymous=anonymous,
        questions=[
            ("Trình độ lý luận chính trị của đồng chí?", "single", ["Sơ cấp", "Trung cấp", "Cao cấp"]),
            ("Đồng chí cần bồi dưỡng thêm nội dung nào?", "multiple", ["Điều lệ Đảng", "Nghị quyết", "Kỹ năng"]),
            ("Kiến nghị khác", "text", []),
        ],
        audience_org=tree["cell_a"],
        include_subtree=False,
    )


def _answer(world, survey, i, level, needs, text=""):
    q1, q2, q3 = survey.questions.order_by("position")
    c1 = {c.text: c.pk for c in q1.choices.all()}
    c2 = {c.text: c.pk for c in q2.choices.all()}
    return services.survey_answer(
        user=world["users"][i],
        survey=survey,
        answers={q1.pk: c1[level], q2.pk: [c2[n] for n in needs], q3.pk: text},
    )


def _logged(model):
    return LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(model)).count()


def test_an_anonymous_answer_is_not_linked_to_its_member_and_a_second_one_is_refused(world, tree):
    survey = _survey(world, tree, anonymous=True)
    response = _answer(world, survey, 0, "Trung cấp", ["Nghị quyết"], "Tăng tài liệu học tập")
    response.refresh_from_db()
    assert (response.member_id, response.submitted_at) == (None, None)
    # The response row has no column that points to a member or a time, and a random key.
    assert {f.name for f in SurveyResponse._meta.concrete_fields} == {"id", "survey", "member", "submitted_at"}
    assert len(str(response.pk)) == 36
    # The change log (whose entries name their actor) holds nothing of the answer, only the invitation.
    assert (_logged(SurveyResponse), _logged(SurveyAnswer)) == (0, 0)
    invitation = SurveyInvitation.objects.get(survey=survey, member=world["members"][0])
    assert invitation.answered is True
    entry = LogEntry.objects.get(content_type=ContentType.objects.get_for_model(SurveyInvitation), action=1)
    assert entry.object_pk == str(invitation.pk) and str(response.pk) not in str(entry.changes)
    before = (SurveyResponse.objects.count(), SurveyAnswer.objects.count())
    with pytest.raises(ValidationError) as exc:
        _answer(world, survey, 0, "Cao cấp", [])
    assert exc.value.messages == ["Đồng chí đã trả lời cuộc khảo sát này; mỗi người chỉ trả lời một lần."]
    assert (SurveyResponse.objects.count(), SurveyAnswer.objects.count()) == before == (1, 3)


def test_a_named_answer_carries_its_member(world, tree):
    survey = _survey(world, tree, anonymous=False)
    response = _answer(world, survey, 1, "Cao cấp", [])
    assert response.member_id == world["members"][1].pk and response.submitted_at is not None
    assert _logged(SurveyResponse) == 1
    rows = [(r.name, r.cell, r.answers) for r in selectors.named_answers(world["ward_staff"], survey)]
    assert rows == [("Lê Văn Minh", "Chi bộ khu phố 1", ["Cao cấp", "", ""])]
    # Not for a committee above (counts only), nor for an anonymous survey.
    assert selectors.named_answers(world["users"][1], survey) == []


def test_survey_refusals_change_nothing(world, tree):
    survey = _survey(world, tree, anonymous=True)
    with pytest.raises(PermissionDenied):
        services.survey_answer(user=world["outsider_user"], survey=survey, answers={})
    survey.closes_at = timezone.now() - dt.timedelta(minutes=1)
    survey.save()
    with pytest.raises(ValidationError) as exc:
        _answer(world, survey, 0, "Sơ cấp", [])
    assert exc.value.messages == ["Cuộc khảo sát đã đóng."]
    q1 = survey.questions.order_by("position").first()
    survey.closes_at = timezone.now() + dt.timedelta(days=1)
    survey.save()
    with pytest.raises(ValidationError):  # two choices on a single-choice question
        services.survey_answer(user=world["users"][0], survey=survey, answers={q1.pk: [c.pk for c in q1.choices.all()]})
    assert (SurveyResponse.objects.count(), SurveyAnswer.objects.count()) == (0, 0)
    assert SurveyInvitation.objects.filter(answered=True).count() == 0
    with pytest.raises(ValidationError) as exc:
        services.survey_create(
            user=world["ward_staff"],
            organization=tree["ward"],
            title="Thiếu phương án",
            opens_at=timezone.now(),
            closes_at=timezone.now() + dt.timedelta(days=1),
            anonymous=True,
            questions=[("Chọn gì?", "single", ["Một"])],
            audience_org=tree["cell_a"],
        )
    assert exc.value.message_dict["questions"] == ["Câu hỏi “Chọn gì?” cần ít nhất hai phương án."]
    assert Survey.objects.count() == 1


def test_the_summary_draws_bar_charts_with_titles_and_tables(world, tree, client_for):
    survey = _survey(world, tree, anonymous=True)
    _answer(world, survey, 0, "Trung cấp", ["Nghị quyết", "Kỹ năng"], "Tăng tài liệu học tập")
    _answer(world, survey, 1, "Trung cấp", ["Nghị quyết"])
    _answer(world, survey, 2, "Cao cấp", [])
    page = client_for(world["ward_staff"]).get(f"{BASE}/khao-sat/{survey.pk}/").content.decode()
    assert 'id="response-count">3/3 người đã trả lời (100,00%)' in page
    assert page.count("<svg") == 2 and page.count('<title id="chart-') == 2
    assert "style=" not in page
    # Q1: Sơ cấp 0, Trung cấp 2, Cao cấp 1 → bars 0, 300 and 150 wide (the largest fills 300).
    widths = re.findall(r'<rect x="0" y="\d+" width="(\d+)" height="16" class="chart-bar"', page)
    assert widths[:3] == ["0", "300", "150"]
    # Q2, of the 2 who chose something: Nghị quyết 2 (100%), Kỹ năng 1 (50%).
    assert widths[3:] == ["0", "300", "150"]
    assert "<details><summary>Bảng số liệu</summary>" in page
    assert "66,67%" in page and "33,33%" in page and "50,00%" in page
    assert "Tăng tài liệu học tập" in page
    for name in ("Trần Thị Lan", "Lê Văn Minh", "Phạm Thị Hoa"):
        assert name not in page


def test_surveys_out_of_reach_answer_404(world, tree, make_user, client_for):
    survey = _survey(world, tree, anonymous=True)
    sibling = make_user("bithu_b", Role.CELL_SECRETARY, tree["cell_b"], include_subtree=False)
    other_ward = make_user("danguy_dh", Role.COMMITTEE_STAFF, tree["ward2"])
    for user in (sibling, other_ward, world["users"][0]):
        assert client_for(user).get(f"{BASE}/khao-sat/{survey.pk}/").status_code == 404
    for user in (sibling, other_ward, world["outsider_user"]):
        client = client_for(user)
        assert client.get(f"{BASE}/khao-sat/{survey.pk}/tra-loi/").status_code == 404
        assert client.post(f"{BASE}/khao-sat/{survey.pk}/tra-loi/", {}).status_code == 404
    assert SurveyResponse.objects.count() == 0


def test_a_member_answers_through_the_page(world, tree, client_for):
    survey = _survey(world, tree, anonymous=True)
    client = client_for(world["users"][0])
    assert survey.title in client.get(f"{BASE}/cua-toi/").content.decode()
    q1, q2, q3 = survey.questions.order_by("position")
    data = {f"q{q1.pk}": q1.choices.first().pk, f"q{q2.pk}": [c.pk for c in q2.choices.all()], f"q{q3.pk}": "Không"}
    assert client.post(f"{BASE}/khao-sat/{survey.pk}/tra-loi/", data).status_code == 302
    assert SurveyResponse.objects.get().member_id is None
    page = client.get(f"{BASE}/khao-sat/{survey.pk}/tra-loi/").content.decode()
    assert "Đồng chí đã trả lời cuộc khảo sát này." in page
    response = client.post(f"{BASE}/khao-sat/{survey.pk}/tra-loi/", data, follow=True)
    assert "mỗi người chỉ trả lời một lần" in response.content.decode()
    assert SurveyResponse.objects.count() == 1
