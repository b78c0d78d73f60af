import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from apps.accountability.models import AccessRecord
from apps.core.roles import Role
from apps.discipline import services
from apps.discipline.models import Discipline
from apps.discipline.selectors import disciplines_in_year, has_discipline_in_year

D = dt.date(2025, 6, 1)


def _make(user, **kw):
    base = {"form": "reprimand", "deciding_body": "Đảng ủy phường", "decided_on": D, "reason": "Vi phạm quy chế"}
    base.update(kw)
    return services.discipline_create(user=user, **base)


@pytest.fixture
def subjects(tree, make_member):
    return {
        "full": make_member(tree["cell_a"], "Nguyễn Văn Hùng", position="Trưởng khu phố"),
        "plain": make_member(tree["cell_a"], "Trần Văn Thường"),
        "prob": make_member(
            tree["cell_a"], "Lê Văn Tám", admission_date=dt.date(2025, 1, 10), full_membership_date=None
        ),
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "subject,form,ok",
    [
        ("org", "reprimand", True),
        ("org", "warning", True),
        ("org", "dissolution", True),
        ("org", "removal", False),
        ("org", "expulsion", False),
        ("full", "reprimand", True),
        ("full", "warning", True),
        ("full", "removal", True),
        ("full", "expulsion", True),
        ("full", "dissolution", False),
        ("plain", "reprimand", True),
        ("plain", "removal", False),
        ("plain", "expulsion", True),
        ("prob", "reprimand", True),
        ("prob", "warning", True),
        ("prob", "removal", False),
        ("prob", "expulsion", False),
        ("prob", "dissolution", False),
    ],
)
def test_forms_allowed_per_subject(admin_user, tree, subjects, subject, form, ok):
    kw = {"organization": tree["cell_b"]} if subject == "org" else {"member": subjects[subject]}
    if ok:
        d = _make(admin_user, form=form, **kw)
        assert d.subject_org == (tree["cell_b"] if subject == "org" else tree["cell_a"])
        assert d.subject_path == d.subject_org.path
    else:
        with pytest.raises(ValidationError) as e:
            _make(admin_user, form=form, **kw)
        assert "không áp dụng cho" in e.value.message_dict["form"][0]
        assert Discipline.objects.count() == 0


@pytest.mark.django_db
def test_bad_input_and_scope(tree, subjects, secretary_a, make_user):
    other = make_user("bithu_c", Role.CELL_SECRETARY, tree["cell_c"], include_subtree=False)
    with pytest.raises(PermissionDenied):
        _make(other, member=subjects["full"])
    with pytest.raises(ValidationError) as e:
        _make(secretary_a, member=subjects["full"], decided_on=timezone.localdate() + dt.timedelta(days=3))
    assert e.value.message_dict["decided_on"] == ["Ngày quyết định ở tương lai."]
    with pytest.raises(ValidationError):
        _make(secretary_a, member=subjects["full"], organization=tree["cell_a"])
    with pytest.raises(ValidationError):
        _make(secretary_a, member=subjects["full"], reason=" ")
    assert Discipline.objects.count() == 0
    # the inspection commission may decide
    ubkt = make_user("ubkt", Role.INSPECTION, tree["ward"])
    assert _make(ubkt, member=subjects["full"]).pk


@pytest.mark.django_db
def test_selector_has_discipline_in_year(admin_user, tree, subjects, make_member):
    other = make_member(tree["cell_c"], "Phạm Văn Bình")
    d = _make(admin_user, member=subjects["full"])
    _make(admin_user, organization=tree["cell_b"], decided_on=dt.date(2024, 3, 1))
    assert has_discipline_in_year(member=subjects["full"], year=2025) is True
    assert has_discipline_in_year(member=subjects["full"], year=2024) is False
    assert has_discipline_in_year(member=other, year=2025) is False
    assert has_discipline_in_year(organization=tree["cell_a"], year=2025) is True  # a member inside
    assert has_discipline_in_year(organization=tree["ward"], year=2025) is True
    assert has_discipline_in_year(organization=tree["ward2"], year=2025) is False
    assert has_discipline_in_year(organization=tree["cell_b"], year=2024) is True  # on the organization itself
    assert has_discipline_in_year(organization=tree["ward"], year=2024) is False  # a sub-organization is not a member
    assert disciplines_in_year(organization=tree["ward"], year=2024, include_sub_organizations=True).count() == 1
    services.discipline_update(user=admin_user, discipline=d, revoked_on=dt.date(2025, 9, 1))
    assert has_discipline_in_year(member=subjects["full"], year=2025) is False
    assert has_discipline_in_year(member=subjects["full"], year=2025, include_revoked=True) is True


@pytest.mark.django_db
def test_views_record_access_and_scope(tree, subjects, secretary_a, client_for, make_user):
    client = client_for(secretary_a)
    r = client.post(
        f"/ky-luat/moi/?member={subjects['prob'].pk}",
        {
            "member": subjects["prob"].pk,
            "form": "expulsion",
            "deciding_body": "Chi bộ",
            "decided_on": "01/06/2025",
            "reason": "x",
        },
    )
    assert r.status_code == 400
    assert "không áp dụng cho đảng viên dự bị" in r.content.decode()
    assert Discipline.objects.count() == 0
    r = client.post(
        f"/ky-luat/moi/?member={subjects['prob'].pk}",
        {
            "member": subjects["prob"].pk,
            "form": "warning",
            "deciding_body": "Chi bộ",
            "decided_on": "01/06/2025",
            "reason": "Vắng họp",
        },
    )
    d = Discipline.objects.get()
    assert r.status_code == 302 and d.form == "warning" and d.subject_org == tree["cell_a"]
    assert client.get(f"/ky-luat/{d.pk}/").status_code == 200
    assert AccessRecord.objects.filter(kind="discipline", object_id=d.pk, user=secretary_a).count() == 1
    other = make_user("bithu_b2", Role.CELL_SECRETARY, tree["cell_b"], include_subtree=False)
    assert client_for(other).get(f"/ky-luat/{d.pk}/").status_code == 404
    # Out of reach reads like a missing member: a message on the choose page, never the name.
    r = client_for(other).get(f"/ky-luat/moi/?member={subjects['prob'].pk}")
    assert r.status_code == 400 and "Không tìm thấy đảng viên" in r.content.decode()
    assert subjects["prob"].full_name not in r.content.decode()
    assert AccessRecord.objects.count() == 1


@pytest.mark.django_db
def test_removal_from_post_only_for_a_member_holding_a_post(admin_user, tree, subjects, client_for):
    """Issue 16 #14: "removal from post" was offered, and accepted, for a member with no post."""
    with pytest.raises(ValidationError) as e:
        _make(admin_user, member=subjects["plain"], form="removal")
    assert e.value.message_dict["form"] == [
        "Hình thức “Cách chức” không áp dụng cho đảng viên không giữ chức vụ; chỉ được: khiển trách, cảnh cáo, khai trừ."
    ]
    assert Discipline.objects.count() == 0
    page = client_for(admin_user).get(f"/ky-luat/moi/?member={subjects['plain'].pk}")
    assert page.status_code == 200
    assert 'value="removal"' not in page.content.decode()
    page = client_for(admin_user).get(f"/ky-luat/moi/?member={subjects['full'].pk}")
    assert page.status_code == 200
    assert 'value="removal"' in page.content.decode()
    # A committee post held on the decision day counts as a post.
    from apps.organizations.models import CommitteePost

    CommitteePost.objects.create(
        organization=tree["cell_a"], member=subjects["plain"], post="secretary", starts_on=dt.date(2020, 1, 1)
    )
    assert _make(admin_user, member=subjects["plain"], form="removal").form == "removal"
