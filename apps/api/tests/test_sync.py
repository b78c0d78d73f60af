"""The change feed (apps/api/sync.py): a client that copies while others edit ends with the server's set."""

import base64
import datetime as dt
import json

import pytest
from django.utils import timezone

from apps.core import bulk
from apps.core.roles import Role
from apps.members.models import Member, Status
from apps.members.services import member_change_status, member_transfer_internal, member_update
from apps.organizations.models import Departure, Organization
from apps.organizations.services import organization_end, organization_move

TODAY = timezone.localdate()


def walk(client, path, params, after_first_page=None):
    """Every page of a list; returns (rows in order, the last page's `removed`, the watermark)."""
    response = client.get(path, params)
    rows, pages = [], 0
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        rows += body["results"]
        pages += 1
        if pages == 1 and after_first_page is not None:
            after_first_page()
        if body["next"] is None:
            return rows, body.get("removed"), body.get("watermark")
        assert "removed" not in body  # only the last page names removals
        response = client.get(body["next"])


def apply(copy: dict, rows, removed) -> dict:
    for row in rows:
        copy[row["id"]] = row
    for pk in removed or ():
        copy.pop(pk, None)
    return copy


@pytest.fixture
def ward_members(tree, make_member):
    names = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em", "Võ Thị Giang"]
    made = [make_member(tree["cell_a" if i % 2 == 0 else "cell_b"], name) for i, name in enumerate(names)]
    make_member(tree["cell_c"], "Đỗ Văn Khoa")  # the other ward: never in ward staff's copy
    return made


@pytest.mark.django_db
def test_a_copy_made_while_others_edit_ends_equal_to_the_server(
    tree, ward_members, ward_staff, admin_user, make_member, api_for, settings
):
    settings.API_SYNC_MARGIN_SECONDS = 0
    client = api_for(ward_staff)
    first, second, third, fourth = ward_members[0], ward_members[1], ward_members[2], ward_members[3]
    added = {}

    def edit():
        # The first page (two rows in update order: `first`, `second`) is already copied.
        member_update(user=admin_user, member=Member.objects.get(pk=first.pk), given_name="Anh")
        member_update(user=admin_user, member=Member.objects.get(pk=fourth.pk), given_name="Dương")
        member_transfer_internal(
            user=admin_user, member=Member.objects.get(pk=third.pk), target=tree["cell_c"], on=TODAY
        )
        member_change_status(user=admin_user, member=Member.objects.get(pk=second.pk), kind="struck_off", on=TODAY)
        added["member"] = make_member(tree["cell_b"], "Bùi Thị Hoa")

    rows, removed, watermark = walk(
        client, "/api/members/", {"ordering": "updated_at", "page_size": 2}, after_first_page=edit
    )
    # The walk went on after the edits: the renamed rows came again with their new name, the new
    # member too; the moved-away member was not given (out of reach when its page came).
    ids = [row["id"] for row in rows]
    m = [x.pk for x in ward_members]
    assert ids == [m[0], m[1], m[4], m[5], m[0], m[3], added["member"].pk]
    assert removed is None  # a walk from scratch has nothing to remove
    copy = apply({}, rows, removed)
    assert copy[first.pk]["given_name"] == "Anh"
    assert copy[second.pk]["status"] == "full"  # copied before it ended; the next sync removes it

    # The incremental sync from the walk's watermark: the changes since, and what left.
    rows, removed, _ = walk(client, "/api/members/", {"updated_since": watermark, "page_size": 2})
    assert [row["id"] for row in rows] == [m[0], m[3], added["member"].pk]
    assert removed == sorted([second.pk, third.pk])
    copy = apply(copy, rows, removed)

    server, _, _ = walk(client, "/api/members/", {"page_size": 50})
    assert copy == {row["id"]: row for row in server}
    expected = Member.objects.filter(org_path__startswith=tree["ward"].path, status__in=[Status.FULL]).values_list(
        "pk", flat=True
    )
    assert sorted(copy) == sorted(expected) == sorted([m[0], m[3], m[4], m[5], added["member"].pk])


@pytest.mark.django_db
def test_include_ended_keeps_ended_members_in_the_feed(tree, ward_members, ward_staff, admin_user, api_for, settings):
    settings.API_SYNC_MARGIN_SECONDS = 0
    client = api_for(ward_staff)
    rows, _, watermark = walk(client, "/api/members/", {"ordering": "updated_at", "include_ended": "true"})
    assert len(rows) == 6
    ended = ward_members[1]
    member_change_status(user=admin_user, member=Member.objects.get(pk=ended.pk), kind="deceased", on=TODAY)
    rows, removed, _ = walk(client, "/api/members/", {"updated_since": watermark, "include_ended": "true"})
    assert [(row["id"], row["status"]) for row in rows] == [(ended.pk, "deceased")]
    assert removed == []
    # Without include_ended the same change is a removal.
    rows, removed, _ = walk(client, "/api/members/", {"updated_since": watermark})
    assert (rows, removed) == ([], [ended.pk])


@pytest.mark.django_db
def test_an_organization_moved_out_of_reach_is_removed_with_its_members(
    tree, ward_members, ward_staff, admin_user, api_for, settings
):
    settings.API_SYNC_MARGIN_SECONDS = 0
    client = api_for(ward_staff)
    organizations, _, org_mark = walk(client, "/api/organizations/", {"ordering": "updated_at"})
    assert {row["code"] for row in organizations} == {"T-BT", "T-BT-1", "T-BT-2"}
    _, _, member_mark = walk(client, "/api/members/", {"ordering": "updated_at"})
    organization_move(
        user=admin_user,
        organization=Organization.objects.get(pk=tree["cell_b"].pk),
        new_parent=tree["ward2"],
        on=TODAY,
    )
    rows, removed, _ = walk(client, "/api/organizations/", {"updated_since": org_mark})
    assert (rows, removed) == ([], [tree["cell_b"].pk])
    rows, removed, _ = walk(client, "/api/members/", {"updated_since": member_mark})
    assert (rows, removed) == ([], sorted(x.pk for x in ward_members[1::2]))

    # The other ward's staff gains the cell and its members as upserts, and has nothing removed.
    other = api_for(_ward2_staff(tree))
    rows, removed, _ = walk(other, "/api/organizations/", {"updated_since": org_mark})
    assert ([row["code"] for row in rows], removed) == (["T-BT-2"], [])
    assert rows[0]["parent"] == tree["ward2"].pk
    rows, removed, _ = walk(other, "/api/members/", {"updated_since": member_mark})
    assert ([row["id"] for row in rows], removed) == (sorted(x.pk for x in ward_members[1::2]), [])


def _ward2_staff(tree):
    from apps.accounts.models import RoleAssignment, User

    user = User.objects.create_user("dangu_dh", password="pass-12345")
    RoleAssignment.objects.create(user=user, role=Role.COMMITTEE_STAFF, organization=tree["ward2"])
    return user


@pytest.mark.django_db
def test_another_wards_departures_are_never_named(tree, ward_members, admin_user, api_for, settings, make_member):
    settings.API_SYNC_MARGIN_SECONDS = 0
    other = api_for(_ward2_staff(tree))
    _, _, mark = walk(other, "/api/members/", {"ordering": "updated_at"})
    # A move inside ward Bình Thắng, and an end there: nothing of it reaches ward Đông Hòa.
    member_transfer_internal(
        user=admin_user, member=Member.objects.get(pk=ward_members[0].pk), target=tree["cell_b"], on=TODAY
    )
    member_change_status(user=admin_user, member=Member.objects.get(pk=ward_members[1].pk), kind="struck_off", on=TODAY)
    assert walk(other, "/api/members/", {"updated_since": mark})[:2] == ([], [])
    assert Departure.objects.count() == 1


@pytest.mark.django_db
def test_an_ended_organization_is_a_removal_unless_asked_for(tree, ward_staff, admin_user, api_for, settings):
    settings.API_SYNC_MARGIN_SECONDS = 0
    client = api_for(ward_staff)
    _, _, mark = walk(client, "/api/organizations/", {"ordering": "updated_at"})
    organization_end(user=admin_user, organization=Organization.objects.get(pk=tree["cell_b"].pk), on=TODAY)
    assert walk(client, "/api/organizations/", {"updated_since": mark, "include_ended": "false"})[:2] == (
        [],
        [tree["cell_b"].pk],
    )
    rows, removed, _ = walk(client, "/api/organizations/", {"updated_since": mark})
    assert ([(row["code"], row["is_active"]) for row in rows], removed) == ([("T-BT-2", False)], [])


@pytest.mark.django_db
def test_rows_have_their_times(tree, ward_members, ward_staff, api_for):
    member = Member.objects.get(pk=ward_members[0].pk)
    before = member.updated_at
    assert member.created_at <= before
    member.save(update_fields=["phone"])  # update_fields still moves updated_at
    member.refresh_from_db()
    assert member.updated_at > before
    data = api_for(ward_staff).get(f"/api/members/{member.pk}/").json()
    assert data["updated_at"] == timezone.localtime(member.updated_at).isoformat()


@pytest.mark.django_db
def test_bulk_insert_stamps_the_times(tree):
    attnames = ["family_name", "given_name", "gender", "birth_date", "admission_date", "organization_id", "org_path"]
    attnames += ["created_at", "updated_at"]
    start = timezone.now()
    # created_at and updated_at None, as the importer passes an unsaved Member's values.
    row = ("Lý", "Minh", "male", dt.date(1980, 1, 1), dt.date(2010, 1, 1), tree["cell_a"].pk, tree["cell_a"].path)
    (pk,) = bulk.insert(Member, attnames, [(*row, None, None)])
    member = Member.objects.get(pk=pk)
    assert start <= member.created_at == member.updated_at <= timezone.now()
    (pk,) = bulk.insert(
        Member,
        attnames[:-2],
        [("Lý", "Mai", "female", dt.date(1980, 1, 1), dt.date(2010, 1, 1), tree["cell_a"].pk, "")],
    )
    assert Member.objects.get(pk=pk).updated_at >= start


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"updated_since": "hôm qua"}, "updated_since", "Thời điểm không hợp lệ"),
        ({"updated_since": "2026-13-01T00:00:00Z"}, "updated_since", "Thời điểm không hợp lệ"),
        ({"ordering": "updated_at", "cursor": "xyz"}, "cursor", "Con trỏ phân trang không hợp lệ."),
        ({"ordering": "name"}, "ordering", "“name” không phải là một lựa chọn hợp lệ."),
    ],
)
def test_bad_feed_parameters_answer_400(tree, ward_staff, api_for, params, field, message):
    response = api_for(ward_staff).get("/api/members/", params)
    assert response.status_code == 400
    body = response.json()
    assert body["errors"][0]["field"] == field
    assert body["errors"][0]["message"].startswith(message)


@pytest.mark.django_db
def test_a_forged_cursor_answers_400(tree, ward_staff, api_for):
    forged = base64.urlsafe_b64encode(json.dumps({"u": "2026-01-01T00:00:00", "i": 1, "w": "x"}).encode()).decode()
    response = api_for(ward_staff).get("/api/members/", {"ordering": "updated_at", "cursor": forged})
    assert response.status_code == 400
