import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from apps.notices.models import Notice, Topic
from apps.notices.services import preferences_set
from apps.voice import services
from apps.voice.deadlines import add_days
from apps.voice.models import Petition, PetitionRuleSet, PetitionStatus
from apps.voice.selectors import petition_counts

pytestmark = pytest.mark.django_db


def _submit(world, org=None, title="Đèn đường khu phố 1 hỏng", user=None):
    return services.petition_submit(
        user=user or world["hung_user"],
        organization=org or world["cell_a"],
        kind="petition",
        title=title,
        content="Đề nghị chi bộ kiến nghị phường sửa đèn đường ngõ 5.",
    )


def _snapshot(petition):
    petition.refresh_from_db()
    return (petition.status, petition.handler_id, petition.answer, petition.answered_at, petition.version)


# --- deadlines -----------------------------------------------------------------------------------


def test_deadline_in_working_days_skips_weekends_and_tet():
    # Thursday 12/02/2026; Tết holidays 16–20/02. Working days after it: 13/02 (1), 23–27/02 (2–6),
    # 02–06/03 (7–11), 09–12/03 (12–15).
    assert add_days(dt.date(2026, 2, 12), 15, working=True) == dt.date(2026, 3, 12)
    assert add_days(dt.date(2026, 2, 12), 15, working=False) == dt.date(2026, 2, 27)
    # Friday 24/04/2026: 27/04 (Giỗ Tổ, observed) off, 28/04 (1), 29/04 (2), 30/04 and 01/05 off,
    # the weekend, 04/05 (3).
    assert add_days(dt.date(2026, 4, 24), 3, working=True) == dt.date(2026, 5, 4)


def test_the_shipped_rule_set_is_marked_unconfirmed():
    rule_set = PetitionRuleSet.objects.get(code="11-2019")
    assert (rule_set.answer_days, rule_set.working_days) == (15, True)
    assert set(rule_set.unconfirmed) == {"answer_days", "working_days"}
    assert "11-QĐi/TW" in rule_set.source


def test_submission_takes_its_deadline_from_the_rule_set(world, monkeypatch):
    monkeypatch.setattr(services, "_today", lambda: dt.date(2026, 2, 12))
    petition = _submit(world)
    assert petition.submitted_on == dt.date(2026, 2, 12)
    assert petition.due_on == dt.date(2026, 3, 12)
    assert petition.status == PetitionStatus.NEW
    assert petition.org_path == world["cell_a"].path
    PetitionRuleSet.objects.filter(code="11-2019").update(answer_days=10, working_days=False)
    assert _submit(world, title="Lần hai").due_on == dt.date(2026, 2, 22)


# --- where a member may send -----------------------------------------------------------------------


def test_a_member_sends_to_their_cell_or_a_committee_above(world):
    targets = {o.pk for o in services.petition_targets(world["hung"])}
    assert targets == {world["cell_a"].pk, world["ward"].pk, world["province"].pk}
    assert _submit(world, org=world["ward"]).organization == world["ward"]


@pytest.mark.parametrize("org", ["cell_b", "cell_c", "ward2"])
def test_a_petition_out_of_the_members_line_is_refused(world, org):
    with pytest.raises(ValidationError) as exc:
        _submit(world, org=world[org])
    assert "chi bộ của mình hoặc cấp ủy cấp trên" in str(exc.value)
    assert Petition.objects.count() == 0


def test_an_account_without_a_member_record_cannot_submit(world):
    with pytest.raises(ValidationError):
        _submit(world, user=world["ward_staff"])
    assert Petition.objects.count() == 0


def test_the_form_refuses_another_cell_with_a_message(world, client_for):
    client = client_for(world["hung_user"])
    page = client.post(
        reverse("voice:submit"),
        {"organization": world["cell_b"].pk, "kind": "petition", "title": "Thử", "content": "Nội dung"},
    )
    assert page.status_code == 200
    assert Petition.objects.count() == 0


def test_the_officers_of_the_receiving_cell_are_told(world):
    petition = _submit(world)
    notice = Notice.objects.get(recipient=world["secretary_a"])
    assert notice.topic == Topic.ASSIGNED
    assert notice.url == reverse("voice:detail", args=[petition.pk])
    assert not Notice.objects.filter(recipient=world["ward_staff"]).exists()


# --- privacy -----------------------------------------------------------------------------------


def test_who_reads_a_petition_to_a_cell(world, client_for):
    petition = _submit(world)
    url = reverse("voice:detail", args=[petition.pk])
    for name in ("hung_user", "secretary_a"):
        assert client_for(world[name]).get(url).status_code == 200, name
    for name in ("secretary_b", "ward2_staff", "lan_user", "ward_staff", "admin_user"):
        user = world[name]
        page = client_for(user).get(url)
        assert page.status_code == 404, name
        assert "Đèn đường" not in client_for(user).get(reverse("voice:index")).content.decode()


def test_outsiders_cannot_assign_or_answer_and_nothing_changes(world, client_for):
    petition = _submit(world)
    services.petition_assign(user=world["secretary_a"], petition=petition, handler=world["secretary_a"])
    before = _snapshot(petition)
    for name in ("secretary_b", "ward2_staff", "lan_user", "ward_staff"):
        client = client_for(world[name])
        assert client.post(reverse("voice:assign", args=[petition.pk]), {"handler": world[name].pk}).status_code == 404
        assert client.post(reverse("voice:answer", args=[petition.pk]), {"answer": "Trả lời giả"}).status_code == 404
        assert _snapshot(petition) == before, name


def test_the_ward_sees_counts_only(world, client_for):
    _submit(world)
    page = client_for(world["ward_staff"]).get(reverse("voice:index"))
    body = page.content.decode()
    assert "Đèn đường" not in body
    assert [(c.name, c.received, c.answered, c.overdue) for c in page.context["counts"]] == [
        ("Chi bộ khu phố 1", 1, 0, 0)
    ]


def test_a_petition_to_the_ward_is_read_by_the_wards_staff_not_the_cell(world, client_for):
    petition = _submit(world, org=world["ward"])
    url = reverse("voice:detail", args=[petition.pk])
    assert client_for(world["ward_staff"]).get(url).status_code == 200
    assert client_for(world["secretary_a"]).get(url).status_code == 404
    assert client_for(world["ward2_staff"]).get(url).status_code == 404


# --- assignment and answer ----------------------------------------------------------------------


def test_an_answer_by_someone_not_assigned_is_refused(world, make_user):
    from apps.core.roles import Role

    committee = make_user("chiuy_a", Role.CELL_COMMITTEE, world["cell_a"], include_subtree=False)
    petition = _submit(world)
    services.petition_assign(user=world["secretary_a"], petition=petition, handler=committee)
    before = _snapshot(petition)
    with pytest.raises(PermissionDenied) as exc:
        services.petition_answer(user=world["secretary_a"], petition=petition, answer="Trả lời")
    assert "người được giao xử lý" in str(exc.value)
    assert _snapshot(petition) == before


def test_an_unassigned_petition_cannot_be_answered(world, client_for):
    petition = _submit(world)
    before = _snapshot(petition)
    client = client_for(world["secretary_a"])
    page = client.post(reverse("voice:answer", args=[petition.pk]), {"answer": "Trả lời"}, follow=True)
    assert "Chỉ người được giao xử lý" in page.content.decode()
    assert _snapshot(petition) == before


def test_the_handler_must_be_able_to_change_the_organization(world):
    petition = _submit(world)
    with pytest.raises(ValidationError):
        services.petition_assign(user=world["secretary_a"], petition=petition, handler=world["secretary_b"])
    with pytest.raises(ValidationError):
        services.petition_assign(user=world["secretary_a"], petition=petition, handler=world["lan_user"])
    assert _snapshot(petition)[:2] == (PetitionStatus.NEW, None)
    # the ward's staff change the cell (subtree): they may be given it
    services.petition_assign(user=world["secretary_a"], petition=petition, handler=world["ward_staff"])
    assert petition.handler == world["ward_staff"]


def test_answered_petition_is_emailed_to_the_member(world, mail, client_for):
    petition = _submit(world)
    mail.messages.clear()  # the secretary's notice of a new petition
    client = client_for(world["secretary_a"])
    client.post(reverse("voice:assign", args=[petition.pk]), {"handler": world["secretary_a"].pk})
    page = client.post(
        reverse("voice:answer", args=[petition.pk]),
        {"answer": "Chi bộ đã kiến nghị phường; đèn sẽ được thay trong tuần.", "version": petition.version + 1},
    )
    assert page.status_code == 302
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.ANSWERED
    assert petition.answered_by == world["secretary_a"]
    assert [m["to"] for m in mail.messages] == [["hung@example.vn"]]
    assert mail.subjects() == ["Chi bộ khu phố 1 đã trả lời: Đèn đường khu phố 1 hỏng"]
    assert "đèn sẽ được thay trong tuần" in mail.bodies()[0]
    assert Notice.objects.filter(recipient=world["hung_user"], topic=Topic.ANSWER).count() == 1
    member_page = client_for(world["hung_user"]).get(reverse("voice:detail", args=[petition.pk]))
    assert "đèn sẽ được thay trong tuần" in member_page.content.decode()


def test_no_email_when_the_member_turned_answers_off(world, mail):
    preferences_set(user=world["hung_user"], email="hung@example.vn", topics=[Topic.INVITATION])
    petition = _submit(world)
    services.petition_assign(user=world["secretary_a"], petition=petition, handler=world["secretary_a"])
    mail.messages.clear()
    services.petition_answer(user=world["secretary_a"], petition=petition, answer="Đã xử lý.")
    assert mail.messages == []
    assert Notice.objects.filter(recipient=world["hung_user"], topic=Topic.ANSWER).count() == 1


def test_a_second_answer_is_refused(world):
    petition = _submit(world)
    services.petition_assign(user=world["secretary_a"], petition=petition, handler=world["secretary_a"])
    services.petition_answer(user=world["secretary_a"], petition=petition, answer="Lần một")
    with pytest.raises(ValidationError):
        services.petition_answer(user=world["secretary_a"], petition=petition, answer="Lần hai")
    petition.refresh_from_db()
    assert petition.answer == "Lần một"


# --- counts --------------------------------------------------------------------------------------


def test_counts_per_organization(world):
    day = dt.date(2026, 6, 15)
    a1 = _submit(world, title="A1")
    a2 = _submit(world, title="A2")
    a3 = _submit(world, title="A3")
    _submit(world, title="A4")
    w1 = _submit(world, org=world["ward"], title="W1")
    w2 = _submit(world, org=world["ward"], title="W2")
    # A1 answered (late, still counted answered, not overdue); A2, A3 open past the deadline;
    # A4 open within it. W1 open past the deadline; W2 answered.
    Petition.objects.filter(pk__in=[a1.pk, a2.pk, a3.pk, w1.pk]).update(due_on=dt.date(2026, 6, 1))
    Petition.objects.exclude(pk__in=[a1.pk, a2.pk, a3.pk, w1.pk]).update(due_on=dt.date(2026, 6, 30))
    Petition.objects.filter(pk__in=[a1.pk, w2.pk]).update(status=PetitionStatus.ANSWERED)
    counts = petition_counts(Petition.objects.restrict(world["ward_staff"]), day)
    assert [(c.name, c.received, c.answered, c.open, c.overdue) for c in counts] == [
        ("Đảng bộ phường Bình Thắng", 2, 1, 1, 1),
        ("Chi bộ khu phố 1", 4, 1, 3, 2),
    ]
    assert petition_counts(Petition.objects.restrict(world["secretary_b"]), day) == []
    assert Petition.objects.overdue(day).count() == 3
    assert a2.pk in set(Petition.objects.overdue(day).values_list("pk", flat=True))


def test_overdue_reminders_go_to_the_handler_or_the_officers(world, mail):
    assigned = _submit(world, title="Đã giao")
    services.petition_assign(user=world["secretary_a"], petition=assigned, handler=world["ward_staff"])
    _submit(world, title="Chưa giao")
    _submit(world, title="Còn hạn")
    Petition.objects.exclude(title="Còn hạn").update(due_on=dt.date(2026, 1, 5))
    Petition.objects.filter(title="Còn hạn").update(due_on=dt.date(2026, 1, 20))
    mail.messages.clear()
    assert services.overdue_remind(day=dt.date(2026, 1, 10)) == 2
    overdue = Notice.objects.filter(topic=Topic.OVERDUE)
    assert sorted((n.recipient.username, n.subject) for n in overdue) == [
        ("bithu_a", "Quá hạn trả lời: Chưa giao"),
        ("dangu_bt", "Quá hạn trả lời: Đã giao"),
    ]
    assert mail.subjects() == ["Quá hạn trả lời: Chưa giao"]  # the ward's staff have no address
