import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError

from apps.discipline.models import Discipline
from apps.evaluations import services
from apps.evaluations.models import (
    Campaign,
    Evaluation,
    EvaluationRevision,
    NotClassifiedReason,
    RuleSet,
    State,
    Subject,
)
from apps.members.models import StatusChangeKind
from apps.members.services import member_change_status

from .conftest import dates


def open_campaign(user, org, year):
    return services.campaign_open(user=user, organization=org, year=year, **dates(year))


def member_eval(member, year=2018):
    return Evaluation.objects.select_related("rule_set", "organization", "group", "decider", "member").get(
        member=member, year=year
    )


def org_eval(org, year=2018):
    return Evaluation.objects.select_related("rule_set", "organization", "group", "decider").get(
        organization=org, subject=Subject.ORGANIZATION, year=year
    )


def test_open_campaign_lists_members_and_organizations(tree, cell_of, admin_user, make_member):
    members = cell_of(tree["cell_a"], 3)
    exempted = make_member(tree["cell_b"], "Trần Văn Miễn")
    member_change_status(user=admin_user, member=exempted, kind=StatusChangeKind.EXEMPTED, on=dt.date(2016, 3, 1))
    suspended = make_member(tree["cell_b"], "Lê Văn Đình")
    member_change_status(user=admin_user, member=suspended, kind=StatusChangeKind.SUSPENDED, on=dt.date(2018, 6, 1))
    member_change_status(
        user=admin_user, member=suspended, kind=StatusChangeKind.SUSPENSION_END, on=dt.date(2018, 9, 1)
    )
    later = make_member(tree["cell_b"], "Phạm Văn Sau", admission_date=dt.date(2019, 3, 1), full_membership_date=None)
    other_ward = make_member(tree["cell_c"], "Võ Văn Khác")
    campaign = open_campaign(admin_user, tree["ward"], 2018)
    assert campaign.member_rule_set.regulation == "132-QĐ/TW"
    evals = Evaluation.objects.filter(campaign=campaign)
    assert set(evals.members().values_list("member_id", flat=True)) == {m.pk for m in members} | {
        exempted.pk,
        suspended.pk,
    }
    assert later.pk not in evals.values_list("member_id", flat=True)
    assert other_ward.pk not in evals.values_list("member_id", flat=True)
    assert member_eval(exempted).state == State.NOT_CLASSIFIED
    assert member_eval(exempted).not_classified_reason == NotClassifiedReason.EXEMPTED
    # Suspended during the year, even if the suspension ended before the review.
    assert member_eval(suspended).not_classified_reason == NotClassifiedReason.SUSPENDED
    assert member_eval(members[0]).state == State.PENDING
    assert member_eval(members[0]).decider == tree["ward"] == member_eval(members[0]).group
    assert set(evals.organizations().values_list("organization_id", flat=True)) == {
        tree["ward"].pk,
        tree["cell_a"].pk,
        tree["cell_b"].pk,
    }
    assert org_eval(tree["cell_a"]).decider == tree["ward"]
    assert org_eval(tree["ward"]).decider == tree["province"]


def test_not_classified_cases_follow_the_rule_set(tree, make_member, admin_user):
    new = make_member(tree["cell_a"], "Ngô Thị Mới", admission_date=dt.date(2018, 9, 1), full_membership_date=None)
    early = make_member(tree["cell_a"], "Ngô Thị Sớm", admission_date=dt.date(2018, 2, 1), full_membership_date=None)
    away = make_member(tree["cell_a"], "Đỗ Văn Xa")
    member_change_status(
        user=admin_user,
        member=away,
        kind=StatusChangeKind.TEMP_OUT,
        on=dt.date(2018, 5, 1),
        other_organization_name="Đảng bộ Trường Chính trị tỉnh",
    )
    # Newly admitted and temporarily away are [?]: classified under the shipped 2018 set...
    open_campaign(admin_user, tree["ward"], 2018)
    assert [member_eval(m).state for m in (new, early, away)] == [State.PENDING] * 3
    # ...and not classified when an administrator enables them.
    rs = RuleSet.objects.for_year(Subject.MEMBER, 2019).get()
    rs.not_classified = ["exempted", "suspended", "newly_admitted", "temp_out"]
    rs.save()
    open_campaign(admin_user, tree["ward"], 2019) if False else None
    campaign = services.campaign_open(user=admin_user, organization=tree["cell_a"], year=2019, **dates(2019))
    reasons = dict(campaign.evaluations.members().values_list("member_id", "not_classified_reason"))
    assert reasons[new.pk] == ""  # admitted 09/2018: more than 6 months by 31/12/2019
    assert reasons[away.pk] == NotClassifiedReason.TEMP_OUT


def test_newly_admitted_within_months(tree, make_member, admin_user):
    rs = RuleSet.objects.for_year(Subject.MEMBER, 2018).get()
    rs.not_classified = ["exempted", "suspended", "newly_admitted"]
    rs.save()
    new = make_member(tree["cell_a"], "Ngô Thị Mới", admission_date=dt.date(2018, 9, 1), full_membership_date=None)
    early = make_member(tree["cell_a"], "Ngô Thị Sớm", admission_date=dt.date(2018, 2, 1), full_membership_date=None)
    open_campaign(admin_user, tree["ward"], 2018)
    assert member_eval(new).not_classified_reason == NotClassifiedReason.NEWLY_ADMITTED
    assert member_eval(early).state == State.PENDING


def test_mark_not_classified_needs_a_basis(tree, cell_of, secretary_a, admin_user):
    m = cell_of(tree["cell_a"], 1)[0]
    open_campaign(admin_user, tree["ward"], 2018)
    e = member_eval(m)
    with pytest.raises(ValidationError) as err:
        services.evaluation_mark_not_classified(user=secretary_a, evaluation=e, reason="newly_admitted", note="")
    assert "hãy ghi rõ căn cứ" in str(err.value)
    assert member_eval(m).state == State.PENDING
    services.evaluation_mark_not_classified(user=secretary_a, evaluation=e, reason="exempted")
    assert member_eval(m).state == State.NOT_CLASSIFIED
    services.evaluation_include(user=secretary_a, evaluation=member_eval(m))
    assert member_eval(m).state == State.PENDING


@pytest.mark.parametrize(
    "year, kwargs, message",
    [
        (2099, {}, "Năm đánh giá phải từ"),
        (2018, {"review_due": dt.date(2018, 12, 1)}, "theo thứ tự"),
        (1985, {}, "Năm đánh giá phải từ"),
    ],
)
def test_bad_campaign_input_changes_nothing(tree, admin_user, year, kwargs, message):
    with pytest.raises(ValidationError) as err:
        services.campaign_open(user=admin_user, organization=tree["ward"], year=year, **{**dates(2018), **kwargs})
    assert message in str(err.value)
    assert Campaign.objects.count() == 0 and Evaluation.objects.count() == 0


def test_overlapping_campaign_refused(tree, admin_user, cell_of):
    cell_of(tree["cell_a"], 2)
    open_campaign(admin_user, tree["ward"], 2018)
    before = Evaluation.objects.count()
    with pytest.raises(ValidationError) as err:
        open_campaign(admin_user, tree["cell_a"], 2018)
    assert "đã có đợt đánh giá" in str(err.value)
    assert Evaluation.objects.count() == before and Campaign.objects.count() == 1


def test_campaign_outside_reach_refused(tree, secretary_a):
    with pytest.raises(PermissionDenied):
        open_campaign(secretary_a, tree["ward"], 2018)
    assert Campaign.objects.count() == 0


def _self_review(user, e, level=2, **kw):
    return services.evaluation_self_review(
        user=user,
        evaluation=e,
        strengths="Gương mẫu",
        shortcomings="Chưa mạnh dạn phê bình",
        remediation="Đã khắc phục",
        proposed_level=level,
        **kw,
    )


def test_self_review_by_the_member_only(tree, cell_of, admin_user, make_user):
    a, b = cell_of(tree["cell_a"], 2)
    user_a = make_user("dv_a", member=a)
    open_campaign(admin_user, tree["ward"], 2018)
    _self_review(user_a, member_eval(a))
    assert member_eval(a).state == State.SELF_REVIEWED
    assert member_eval(a).self_reviewed_by == user_a
    with pytest.raises(PermissionDenied):
        _self_review(user_a, member_eval(b))
    assert member_eval(b).state == State.PENDING and member_eval(b).strengths == ""


def test_self_review_scores_2025(tree, cell_of, admin_user, make_user):
    a = cell_of(tree["cell_a"], 1)[0]
    user_a = make_user("dv_a", member=a)
    open_campaign(admin_user, tree["ward"], 2025)
    e = member_eval(a, 2025)
    for scores, field_msg in (
        ({"general": "31", "task": "60"}, "phải từ 0 đến 30"),
        ({"general": "abc", "task": "60"}, "không phải là số"),
        ({"general": "25"}, "Hãy chấm điểm"),
    ):
        with pytest.raises(ValidationError) as err:
            _self_review(user_a, e, level=2, frame_code="member", scores=scores)
        assert field_msg in str(err.value)
    with pytest.raises(ValidationError) as err:
        _self_review(user_a, e, level=1, frame_code="member", scores={"general": "28", "task": "60"})
    assert "Tổng điểm 88 chỉ đạt mức “Hoàn thành tốt nhiệm vụ”" in str(err.value)
    assert member_eval(a, 2025).state == State.PENDING
    _self_review(user_a, member_eval(a, 2025), level=1, frame_code="member", scores={"general": "29", "task": "62,5"})
    e = member_eval(a, 2025)
    assert (e.self_points, e.proposed_level.code, e.frame.code) == (91.5, 1, "member")


def test_review_votes(tree, cell_of, admin_user, secretary_a):
    members = cell_of(tree["cell_a"], 4)
    open_campaign(admin_user, tree["ward"], 2018)
    e = member_eval(members[0])
    for votes, msg in (
        ({"1": 3, "2": 2}, "Tổng số phiếu (5) vượt quá số đảng viên được xếp loại của chi bộ (4)"),
        ({"1": -1}, "không được âm"),
        ({"1": "x"}, "số nguyên"),
        ({}, "Hãy nhập kết quả biểu quyết"),
    ):
        with pytest.raises(ValidationError) as err:
            services.evaluation_review(user=secretary_a, evaluation=e, comments="Tốt", votes=votes, proposed_level=1)
        assert msg in str(err.value)
    assert member_eval(members[0]).state == State.PENDING
    services.evaluation_review(
        user=secretary_a, evaluation=e, comments="Hoàn thành tốt", votes={"1": 1, "2": 3}, proposed_level=2
    )
    e = member_eval(members[0])
    assert (e.state, e.votes, e.review_level.code, e.reviewed_by) == (
        State.REVIEWED,
        {"1": 1, "2": 3, "3": 0, "4": 0},
        2,
        secretary_a,
    )


def test_cap_refused_unless_exception(tree, cell_of, admin_user, ward_staff):
    members = cell_of(tree["cell_a"], 10)
    open_campaign(admin_user, tree["ward"], 2018)
    decisions = [(member_eval(m), 1 if i < 3 else 2, False) for i, m in enumerate(members)]
    with pytest.raises(services.RulesRefused) as err:
        services.evaluations_decide(user=ward_staff, decisions=decisions)
    (warning,) = err.value.warnings
    assert "vượt 1 người so với mức tối đa 20% (2 người)" in warning
    assert "132-QĐ/TW và 21-HD/BTCTW" in warning
    assert Evaluation.objects.filter(state=State.DECIDED).count() == 0
    services.evaluations_decide(user=ward_staff, decisions=decisions, exception_reason="Đơn vị có thành tích đột xuất")
    decided = Evaluation.objects.filter(state=State.DECIDED)
    assert decided.count() == 10
    assert decided.filter(level__code=1).count() == 3
    assert all(e.exception_reason == "Đơn vị có thành tích đột xuất" and "vượt 1 người" in e.warnings for e in decided)
    assert decided.first().decided_by == ward_staff
    # Every change is audited with its actor.
    assert LogEntry.objects.get_for_object(decided.first()).filter(actor=ward_staff).exists()


def test_cap_counts_decisions_already_made(tree, cell_of, admin_user, ward_staff):
    a = cell_of(tree["cell_a"], 5, prefix="Chi Bộ A")
    b = cell_of(tree["cell_b"], 5, prefix="Chi Bộ B")
    open_campaign(admin_user, tree["ward"], 2018)
    services.evaluations_decide(user=ward_staff, decisions=[(member_eval(m), 2, False) for m in a[1:] + b[1:]])
    services.evaluations_decide(user=ward_staff, decisions=[(member_eval(a[0]), 1, False)])
    # Cell B's excellent member would be the second of 10 rated good or better: allowed 2.
    services.evaluations_decide(user=ward_staff, decisions=[(member_eval(b[0]), 1, False)])
    assert Evaluation.objects.filter(level__code=1).count() == 2


def test_no_cap_before_2018(tree, cell_of, admin_user, ward_staff):
    members = cell_of(tree["cell_a"], 3)
    open_campaign(admin_user, tree["ward"], 2017)
    services.evaluations_decide(user=ward_staff, decisions=[(member_eval(m, 2017), 1, False) for m in members])
    assert Evaluation.objects.filter(year=2017, level__code=1).count() == 3


def test_cap_2025(tree, cell_of, admin_user, ward_staff):
    members = cell_of(tree["cell_a"], 5)
    open_campaign(admin_user, tree["ward"], 2025)
    with pytest.raises(services.RulesRefused) as err:
        services.evaluations_decide(
            user=ward_staff, decisions=[(member_eval(m, 2025), 1 if i < 2 else 2, False) for i, m in enumerate(members)]
        )
    assert "vượt 1 người so với mức tối đa 20% (1 người)" in err.value.warnings[0]
    assert "366-QĐ/TW và 43-HD/BTCTW" in err.value.warnings[0]


def test_discipline_is_never_waived_by_an_exception_reason(tree, cell_of, admin_user, ward_staff):
    """Issue 16 #1: an exception reason passed the discipline condition like the 20 % cap."""
    members = cell_of(tree["cell_a"], 10)
    m = members[0]
    Discipline.objects.create(
        member=m,
        subject_org=tree["cell_a"],
        subject_path=tree["cell_a"].path,
        form="reprimand",
        deciding_body="Chi bộ khu phố 1",
        decision="12-QĐ/CB",
        decided_on=dt.date(2018, 4, 2),
        reason="Vi phạm",
    )
    open_campaign(admin_user, tree["ward"], 2018)
    for level in (1, 2, 3):
        with pytest.raises(ValidationError) as err:
            services.evaluations_decide(
                user=ward_staff,
                decisions=[(member_eval(m), level, False)] + [(member_eval(x), 2, False) for x in members[1:]],
                exception_reason="Kỷ luật đã được xóa bỏ theo kết luận phúc tra",
            )
        assert not isinstance(err.value, services.RulesRefused)
        assert err.value.messages[0].startswith(
            f"Không thể xếp {m.full_name} mức “{member_eval(m).rule_set.level(level).label}”: {m.full_name} bị kỷ "
            "luật “Khiển trách” theo quyết định kỷ luật số 12-QĐ/CB ngày 02/04/2018 của Chi bộ khu phố 1; theo "
            "132-QĐ/TW và 21-HD/BTCTW bị kỷ luật trong năm"
        )
        assert "Lý do ngoại lệ không áp dụng cho điều kiện này." in err.value.messages[0]
    assert Evaluation.objects.filter(state=State.DECIDED).count() == 0
    # The collective: a discipline inside the cell keeps it from "excellent", exception or not.
    with pytest.raises(ValidationError) as err:
        services.evaluations_decide(
            user=ward_staff,
            decisions=[(org_eval(tree["cell_a"]), 1, False), (org_eval(tree["cell_b"]), 2, False)],
            exception_reason="Lý do bất kỳ",
        )
    assert "trong tổ chức có Nguyễn Đảng Viên AA bị kỷ luật" in err.value.messages[0]
    assert Evaluation.objects.filter(state=State.DECIDED).count() == 0
    services.evaluations_decide(
        user=ward_staff, decisions=[(member_eval(m), 4, False)] + [(member_eval(x), 2, False) for x in members[1:]]
    )
    assert member_eval(m).level.label == "Không hoàn thành nhiệm vụ"
    # A revision cannot lift it either.
    with pytest.raises(ValidationError):
        services.evaluation_revise(
            user=ward_staff, evaluation=member_eval(m), level=2, reason="Xem lại", exception_reason="Ngoại lệ"
        )
    assert member_eval(m).level.code == 4
    assert not EvaluationRevision.objects.exists()


def test_disciplined_member_cannot_propose_a_higher_level(tree, cell_of, admin_user, secretary_a):
    members = cell_of(tree["cell_a"], 3)
    Discipline.objects.create(
        member=members[0],
        subject_org=tree["cell_a"],
        subject_path=tree["cell_a"].path,
        form="warning",
        deciding_body="Đảng ủy phường",
        decided_on=dt.date(2018, 6, 1),
        reason="Vi phạm",
    )
    open_campaign(admin_user, tree["ward"], 2018)
    e = member_eval(members[0])
    with pytest.raises(ValidationError) as err:
        services.evaluation_review(
            user=secretary_a, evaluation=e, comments="Nhận xét", votes={"3": 2}, proposed_level=3
        )
    assert "quyết định kỷ luật ngày 01/06/2018 của Đảng ủy phường" in err.value.message_dict["proposed_level"][0]
    assert member_eval(members[0]).state == State.PENDING


def test_discipline_in_another_year_does_not_block(tree, cell_of, admin_user, ward_staff):
    members = cell_of(tree["cell_a"], 5)
    Discipline.objects.create(
        member=members[0],
        subject_org=tree["cell_a"],
        subject_path=tree["cell_a"].path,
        form="reprimand",
        deciding_body="Chi bộ",
        decided_on=dt.date(2017, 4, 2),
        reason="Vi phạm",
    )
    open_campaign(admin_user, tree["ward"], 2018)
    services.evaluations_decide(
        user=ward_staff, decisions=[(member_eval(m), 1 if i == 0 else 2, False) for i, m in enumerate(members)]
    )
    assert member_eval(members[0]).level.code == 1


def test_decided_result_is_locked_and_revised_with_reason(tree, cell_of, admin_user, ward_staff, secretary_a):
    members = cell_of(tree["cell_a"], 10)
    open_campaign(admin_user, tree["ward"], 2018)
    services.evaluations_decide(user=ward_staff, decisions=[(member_eval(m), 2, False) for m in members])
    e = member_eval(members[0])
    for call in (
        lambda: _self_review(admin_user, e),
        lambda: services.evaluation_review(
            user=secretary_a, evaluation=e, comments="x", votes={"1": 1}, proposed_level=1
        ),
        lambda: services.evaluations_decide(user=ward_staff, decisions=[(e, 3, False)]),
        lambda: services.evaluation_mark_not_classified(user=secretary_a, evaluation=e, reason="exempted"),
    ):
        with pytest.raises(ValidationError) as err:
            call()
        assert "đã được quyết định và khóa" in str(err.value)
    with pytest.raises(ValidationError) as err:
        services.evaluation_revise(user=ward_staff, evaluation=e, level=3, reason="  ")
    assert "Hãy ghi lý do điều chỉnh" in str(err.value)
    with pytest.raises(PermissionDenied):
        services.evaluation_revise(user=secretary_a, evaluation=e, level=3, reason="Sai sót")
    assert member_eval(members[0]).level.code == 2 and EvaluationRevision.objects.count() == 0
    revision = services.evaluation_revise(
        user=ward_staff, evaluation=e, level=3, reason="Phát hiện vi phạm sau kỳ đánh giá", decision="15-QĐ/ĐU"
    )
    assert (revision.old_level.code, revision.new_level.code, revision.revised_by) == (2, 3, ward_staff)
    assert member_eval(members[0]).level.code == 3
    # Raising to excellent over the cap is refused without an exception reason.
    services.evaluation_revise(
        user=ward_staff, evaluation=member_eval(members[1]), level=1, reason="Bổ sung thành tích"
    )
    with pytest.raises(services.RulesRefused):
        services.evaluation_revise(user=ward_staff, evaluation=member_eval(members[2]), level=1, reason="Bổ sung")
    assert member_eval(members[2]).level.code == 2 and EvaluationRevision.objects.count() == 2


def test_organizations_decided_by_the_higher_committee(tree, admin_user, ward_staff, make_user):
    from apps.core.roles import Role

    open_campaign(admin_user, tree["ward"], 2018)
    with pytest.raises(PermissionDenied):  # the ward's own level belongs to the province
        services.evaluations_decide(user=ward_staff, decisions=[(org_eval(tree["ward"]), 2, False)])
    services.evaluations_decide(
        user=ward_staff, decisions=[(org_eval(tree["cell_a"]), 2, False), (org_eval(tree["cell_b"]), 2, False)]
    )
    province_staff = make_user("tinh", Role.ORGANIZATION_BOARD, tree["province"])
    services.evaluations_decide(user=province_staff, decisions=[(org_eval(tree["ward"]), 2, False)])
    assert org_eval(tree["ward"]).decided_by == province_staff


def test_distinction_only_where_the_set_has_one(tree, admin_user, ward_staff):
    open_campaign(admin_user, tree["ward"], 2018)
    with pytest.raises(ValidationError):
        services.evaluations_decide(user=ward_staff, decisions=[(org_eval(tree["cell_a"]), 1, True)])
    assert org_eval(tree["cell_a"]).state == State.PENDING


def test_rule_set_copy(admin_user, secretary_a):
    source = RuleSet.objects.for_year(Subject.MEMBER, 2026).get()
    with pytest.raises(PermissionDenied):
        services.rule_set_copy(
            user=secretary_a, source=source, name="X", regulation="1-QĐ/TW", effective_from=dt.date(2027, 1, 1)
        )
    with pytest.raises(ValidationError):
        services.rule_set_copy(
            user=admin_user, source=source, name="X", regulation="", effective_from=dt.date(2027, 1, 1)
        )
    assert RuleSet.objects.count() == 8
    copy = services.rule_set_copy(
        user=admin_user,
        source=source,
        name="Từ 2027 – đảng viên",
        regulation="1-QĐ/TW",
        effective_from=dt.date(2027, 1, 1),
    )
    assert RuleSet.objects.for_year(Subject.MEMBER, 2026).get() == source
    assert RuleSet.objects.for_year(Subject.MEMBER, 2027).get() == copy
    assert copy.levels.count() == 4 and copy.frames.count() == 4
    assert "regulation_date" in copy.unconfirmed
