"""Issue 16 #1: the discipline condition for every shipped rule set, with the level its source
gives, never lifted by an exception reason."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from apps.discipline.models import Discipline
from apps.evaluations import rulesets, services
from apps.evaluations.models import Evaluation, RuleSet, State, Subject

from .test_services import member_eval, open_campaign, org_eval

# (rule set, year, best level for the disciplined subject, best level for a collective with
# discipline inside, whether the member value is confirmed in its source)
CASES = [
    ("Trước 2018 – đảng viên (HD 27-HD/BTCTW)", 2017, 2, None, False),
    ("2018–2022 – đảng viên (132-QĐ/TW, HD 21-HD/BTCTW)", 2018, 4, None, True),
    ("2023–2024 – đảng viên (124-QĐ/TW)", 2023, 4, None, False),
    ("Từ 2025 – đảng viên (366-QĐ/TW, HD 43-HD/BTCTW)", 2025, 4, None, False),
    ("Trước 2018 – tổ chức đảng (TSVM)", 2017, 2, None, False),
    ("2018–2022 – tổ chức đảng (132-QĐ/TW, HD 21-HD/BTCTW)", 2018, 4, 2, False),
    ("2023–2024 – tổ chức đảng (124-QĐ/TW)", 2023, 4, 2, False),
    ("Từ 2025 – tổ chức đảng (366-QĐ/TW, HD 43-HD/BTCTW)", 2025, 4, 2, False),
]


def test_every_shipped_set_is_covered():
    assert sorted(c[0] for c in CASES) == sorted(s["name"] for s in rulesets.RULE_SETS)


@pytest.mark.parametrize("name, year, best, inside, confirmed", CASES)
def test_shipped_values(name, year, best, inside, confirmed):
    rs = RuleSet.objects.get(name=name)
    assert rs.discipline_best_level == best
    assert rs.discipline_inside_best_level == inside
    assert rs.is_unconfirmed("discipline_best_level") is not confirmed


def _discipline(year, member=None, organization=None, path=None):
    return Discipline.objects.create(
        member=member,
        organization=organization,
        subject_org=organization or member.organization,
        subject_path=path,
        form="reprimand",
        deciding_body="Đảng ủy phường",
        decision="7-QĐ/ĐU",
        decided_on=dt.date(year, 3, 9),
        reason="Vi phạm",
    )


def _decide(user, evaluation, code, reason="Ngoại lệ đã ghi rõ"):
    return services.evaluations_decide(user=user, decisions=[(evaluation, code, False)], exception_reason=reason)


@pytest.mark.parametrize("name, year, best, inside, confirmed", [c for c in CASES if "đảng viên" in c[0]])
def test_member_disciplined_in_the_year(tree, cell_of, admin_user, ward_staff, name, year, best, inside, confirmed):
    members = cell_of(tree["cell_a"], 1)
    _discipline(year, member=members[0], path=tree["cell_a"].path)
    open_campaign(admin_user, tree["ward"], year)
    e = member_eval(members[0], year)
    assert e.rule_set.name == name
    for code in range(1, best):
        with pytest.raises(ValidationError) as err:
            _decide(ward_staff, member_eval(members[0], year), code)
        text = err.value.messages[0]
        assert "quyết định kỷ luật số 7-QĐ/ĐU ngày 09/03/" in text
        assert f"chỉ được xếp từ mức “{e.rule_set.level(best).label}” trở xuống" in text
        assert text.endswith("[?: mức này chưa đối chiếu được với văn bản gốc]") is not confirmed
        assert member_eval(members[0], year).state == State.PENDING
    _decide(ward_staff, member_eval(members[0], year), best, reason="")
    assert member_eval(members[0], year).level.code == best


@pytest.mark.parametrize("name, year, best, inside, confirmed", [c for c in CASES if "tổ chức" in c[0]])
def test_collective_disciplined(tree, cell_of, admin_user, ward_staff, name, year, best, inside, confirmed):
    cell_of(tree["cell_b"], 1)
    member = cell_of(tree["cell_a"], 1, prefix="Bên Trong")[0]
    _discipline(year, organization=tree["cell_b"], path=tree["cell_b"].path)
    _discipline(year, member=member, path=tree["cell_a"].path)
    open_campaign(admin_user, tree["ward"], year)
    own = org_eval(tree["cell_b"], year)
    assert own.rule_set.name == name
    with pytest.raises(ValidationError):
        _decide(ward_staff, own, best - 1)
    _decide(ward_staff, org_eval(tree["cell_b"], year), best, reason="")
    assert org_eval(tree["cell_b"], year).level.code == best
    holder = org_eval(tree["cell_a"], year)
    if inside is None:
        _decide(ward_staff, holder, 1, reason="")
        assert org_eval(tree["cell_a"], year).level.code == 1
    else:
        with pytest.raises(ValidationError) as err:
            _decide(ward_staff, holder, inside - 1)
        assert "trong tổ chức có Nguyễn Bên Trong AA bị kỷ luật" in err.value.messages[0]
        assert (
            Evaluation.objects.filter(
                subject=Subject.ORGANIZATION, organization=tree["cell_a"], level__isnull=False
            ).count()
            == 0
        )
        _decide(ward_staff, org_eval(tree["cell_a"], year), inside, reason="")


def test_a_decision_counts_only_in_its_year(tree, cell_of, admin_user, ward_staff):
    m = cell_of(tree["cell_a"], 1)[0]
    _discipline(2022, member=m, path=tree["cell_a"].path)
    open_campaign(admin_user, tree["ward"], 2023)
    _decide(ward_staff, member_eval(m, 2023), 2, reason="")
    assert member_eval(m, 2023).level.code == 2
