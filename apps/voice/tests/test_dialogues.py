import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from apps.voice import services
from apps.voice.models import Dialogue, DialogueIssue, FollowUp

pytestmark = pytest.mark.django_db


@pytest.fixture
def dialogue(world):
    return services.dialogue_create(
        user=world["ward_staff"],
        organization=world["ward"],
        held_on=dt.date.today() - dt.timedelta(days=40),
        place="Hội trường UBND phường Bình Thắng",
        chair="Đồng chí Lê Văn Tâm, Bí thư Đảng ủy phường",
        participants="Thường trực Đảng ủy, UBND phường, 60 hộ dân khu phố 1 và 2",
        participant_count=75,
    )


def test_issues_with_deadlines_answers_and_follow_up(world, dialogue, client_for):
    staff = world["ward_staff"]
    late = services.issue_add(
        user=staff,
        dialogue=dialogue,
        raised_by="Bà Phạm Thị Mai, khu phố 1",
        content="Rác thải ở bờ kênh chưa được thu gom.",
        responsible="UBND phường",
        due_on=dt.date.today() - dt.timedelta(days=10),
    )
    done = services.issue_add(
        user=staff,
        dialogue=dialogue,
        raised_by="Ông Võ Văn Ba, khu phố 2",
        content="Đèn chiếu sáng hẻm 12 hỏng.",
        responsible="Điện lực phường",
        due_on=dt.date.today() - dt.timedelta(days=20),
    )
    services.issue_answer(
        user=staff,
        issue=done,
        answer="Đã thay bóng đèn.",
        answered_on=dt.date.today() - dt.timedelta(days=25),
        resolved=True,
    )
    services.follow_up_add(user=staff, issue=late, on=dt.date.today(), note="Nhắc UBND phường lần hai.")
    assert list(DialogueIssue.objects.restrict(staff).overdue().values_list("pk", flat=True)) == [late.pk]
    assert FollowUp.objects.filter(issue=late).count() == 1
    client = client_for(staff)
    home = client.get(reverse("home:index")).content.decode()
    assert "Rác thải ở bờ kênh" in home
    assert "Đèn chiếu sáng hẻm 12" not in home
    detail = client.get(reverse("voice:dialogue", args=[dialogue.pk])).content.decode()
    assert "Nhắc UBND phường lần hai." in detail


def test_bad_input_changes_nothing(world, dialogue):
    with pytest.raises(ValidationError) as exc:
        services.issue_add(
            user=world["ward_staff"],
            dialogue=dialogue,
            raised_by="",
            content="Nội dung",
            responsible="UBND phường",
            due_on=dialogue.held_on - dt.timedelta(days=1),
        )
    assert "không được trước ngày đối thoại" in str(exc.value)
    with pytest.raises(ValidationError):
        services.dialogue_create(
            user=world["ward_staff"],
            organization=world["ward"],
            held_on=dt.date.today() + dt.timedelta(days=1),
            place="",
            chair="",
        )
    assert DialogueIssue.objects.count() == 0
    assert Dialogue.objects.count() == 1


def test_outsiders_neither_see_nor_write(world, dialogue, client_for):
    for name in ("ward2_staff", "secretary_b", "lan_user"):
        client = client_for(world[name])
        assert client.get(reverse("voice:dialogue", args=[dialogue.pk])).status_code == 404, name
        answer = client.post(
            reverse("voice:issue_add", args=[dialogue.pk]),
            {"content": "Giả", "responsible": "Ai đó", "due_on": "01/01/2030"},
        )
        assert answer.status_code == 404, name
    with pytest.raises(PermissionDenied):
        services.dialogue_create(
            user=world["ward2_staff"], organization=world["ward"], held_on=dt.date.today(), place="X", chair="Y"
        )
    assert DialogueIssue.objects.count() == 0
    assert Dialogue.objects.count() == 1


def test_the_pages_work(world, dialogue, client_for):
    client = client_for(world["ward_staff"])
    assert client.get(reverse("voice:dialogues")).status_code == 200
    assert client.get(reverse("voice:dialogue_create")).status_code == 200
    created = client.post(
        reverse("voice:dialogue_create"),
        {
            "organization": world["ward"].pk,
            "held_on": dt.date.today().strftime("%d/%m/%Y"),
            "place": "Nhà văn hóa khu phố 2",
            "chair": "Đồng chí Lê Văn Tâm",
        },
    )
    assert created.status_code == 302
    new = Dialogue.objects.latest("pk")
    client.post(
        reverse("voice:issue_add", args=[new.pk]),
        {"raised_by": "Ông Tư", "content": "Đường ngập khi mưa", "responsible": "UBND phường", "due_on": "31/12/2030"},
    )
    issue = new.issues.get()
    client.post(
        reverse("voice:issue_answer", args=[new.pk, issue.pk]),
        {"answer": "Đã nạo vét cống.", "answered_on": dt.date.today().strftime("%d/%m/%Y")},
    )
    issue.refresh_from_db()
    assert issue.answer == "Đã nạo vét cống."
