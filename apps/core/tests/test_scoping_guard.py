"""Scoping fails loud: an organization-owned queryset read by a view, form, template tag or API
module without the door is found (apps.core.scoping.guard_reads)."""

import pytest
from django.test import Client
from django.urls import get_resolver

from apps.core.scoping import UnscopedRead, guard_reads
from apps.core.tests.test_permission_matrix import PARAM_RE, SKIPPED_PREFIXES, _walk
from apps.members.models import Member
from apps.organizations.models import Organization


def _view_like_read(qs):
    # Evaluated from a module the guard watches: pretend to be a view module.
    namespace = {"__name__": "apps.members.views", "qs": qs}
    exec("result = list(qs)", namespace)  # noqa: S102 - a frame whose module is a view module
    return namespace["result"]


@pytest.mark.django_db
def test_an_unscoped_read_in_a_view_module_is_recorded_and_can_raise(tree, make_member, ward_staff):
    make_member(tree["cell_a"], "Nguyễn Văn Hùng")
    with guard_reads() as found:
        assert len(_view_like_read(Member.objects.all())) == 1
    assert found == ["apps.members.views:<module>:1 reads members.Member without restrict()"]
    with guard_reads(raise_on_read=True), pytest.raises(UnscopedRead):
        _view_like_read(Member.objects.filter(given_name="Hùng"))


@pytest.mark.django_db
def test_reads_through_the_door_and_children_of_a_loaded_row_pass(tree, make_member, ward_staff):
    member = make_member(tree["cell_a"], "Nguyễn Văn Hùng")
    with guard_reads(raise_on_read=True) as found:
        rows = _view_like_read(Member.objects.restrict(ward_staff).filter(given_name="Hùng").order_by("pk"))
        assert rows == [member]
        assert _view_like_read(Organization.objects.restrict_within(ward_staff, tree["ward"]))
        assert _view_like_read(member.status_changes.all()) is not None
        assert _view_like_read(Member.objects.none()) == []
        # Outside views (a service, this test) nothing is watched.
        assert list(Member.objects.all()) == [member]
    assert found == []


def _parameterless_urls():
    for route, _name in _walk(get_resolver()):
        if route.startswith((*SKIPPED_PREFIXES, "quan-tri/")) or "(?P<" in route or PARAM_RE.search(route):
            continue
        yield "/" + route


@pytest.mark.django_db
def test_every_page_without_ids_reads_only_through_the_door(tree, make_member, make_user, ward_staff, secretary_a):
    from apps.core.roles import Role

    a1 = make_member(tree["cell_a"], "Nguyễn Văn Hùng")
    make_member(tree["cell_b"], "Trần Thị An")
    member_user = make_user("dv_a1", Role.MEMBER, tree["cell_a"], include_subtree=False, member=a1)
    findings = []
    for user in (ward_staff, secretary_a, member_user):
        client = Client(raise_request_exception=False)
        client.force_login(user)
        for url in _parameterless_urls():
            with guard_reads() as found:
                client.get(url)
            findings += [f"GET {url} as {user.username}: {f}" for f in found]
    assert findings == [], "\n".join(findings)
