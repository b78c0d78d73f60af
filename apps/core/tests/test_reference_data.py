"""Finding 12: reference data that records use is retired, never hard-deleted, even in the admin."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import models
from django.test import Client
from django.utils import timezone

from apps.accountability.models import Manifestation
from apps.evaluations.models import Criterion, Frame, Level, RuleSet, Subject
from apps.meetings.forms import MeetingForm
from apps.meetings.models import Meeting, MeetingRuleSet, Theme, ThemeCategory
from apps.meetings.services import meeting_create


def _admin(admin_user) -> Client:
    client = Client()
    client.force_login(admin_user)
    return client


@pytest.fixture
def theme(db):
    return Theme.objects.create(title="Học tập tư tưởng Hồ Chí Minh", category=ThemeCategory.STUDY)


@pytest.mark.django_db
def test_superuser_cannot_delete_a_theme_in_the_admin_and_retires_it(tree, admin_user, theme):
    meeting = meeting_create(
        user=admin_user, organization=tree["cell_a"], kind="regular", date=timezone.localdate(), theme_ref=theme
    )
    client = _admin(admin_user)
    assert client.get(f"/quan-tri/meetings/theme/{theme.pk}/delete/").status_code == 403
    assert client.post(f"/quan-tri/meetings/theme/{theme.pk}/delete/", {"post": "yes"}).status_code == 403
    listing = client.get("/quan-tri/meetings/theme/")
    assert "delete_selected" not in listing.content.decode()
    assert "Ngừng sử dụng" in listing.content.decode()
    response = client.post(
        "/quan-tri/meetings/theme/", {"action": "delete_selected", "_selected_action": [theme.pk], "post": "yes"}
    )
    assert Theme.objects.filter(pk=theme.pk, is_active=True).exists()

    response = client.post("/quan-tri/meetings/theme/", {"action": "retire_selected", "_selected_action": [theme.pk]})
    assert response.status_code == 302
    theme.refresh_from_db()
    assert theme.is_active is False
    # No longer offered for a new meeting; still on the old one, and still offered when editing it.
    assert theme not in MeetingForm(organization=tree["cell_a"]).fields["theme_ref"].queryset
    edit = MeetingForm(organization=tree["cell_a"], current_theme=meeting.theme_ref)
    assert theme in edit.fields["theme_ref"].queryset
    meeting.refresh_from_db()
    assert meeting.theme_ref == theme


@pytest.mark.django_db
def test_model_delete_refuses_for_every_reference_table(theme):
    rule_set = RuleSet.objects.create(name="Bộ thử", subject=Subject.MEMBER, regulation="366-QĐ/TW", decider="cell")
    level = Level.objects.create(rule_set=rule_set, code=1, label="Hoàn thành xuất sắc nhiệm vụ")
    frame = Frame.objects.create(rule_set=rule_set, code="f", name="Khung")
    criterion = Criterion.objects.create(frame=frame, code="c", group="general", name="Tiêu chí", max_points=10)
    manifestation = Manifestation.objects.order_by("pk").first() or Manifestation.objects.create(
        group=1, number=99, text="Phai nhạt lý tưởng"
    )
    meeting_rules = MeetingRuleSet.objects.create(name="Quy tắc", regulation="50-CT/TW", valid_from=dt.date(2020, 1, 1))
    for item in (theme, rule_set, level, frame, criterion, manifestation, meeting_rules):
        with pytest.raises(PermissionDenied):
            item.delete()
        assert type(item).objects.filter(pk=item.pk).exists()


@pytest.mark.django_db
def test_admin_refuses_deleting_rule_sets_frames_manifestations_meeting_rules(admin_user):
    client = _admin(admin_user)
    rule_set = RuleSet.objects.create(name="Bộ thử", subject=Subject.MEMBER, regulation="366-QĐ/TW", decider="cell")
    frame = Frame.objects.create(rule_set=rule_set, code="f", name="Khung")
    manifestation = Manifestation.objects.order_by("pk").first() or Manifestation.objects.create(
        group=1, number=99, text="Phai nhạt lý tưởng"
    )
    meeting_rules = MeetingRuleSet.objects.create(name="Quy tắc", regulation="50-CT/TW", valid_from=dt.date(2020, 1, 1))
    for url in (
        f"/quan-tri/evaluations/ruleset/{rule_set.pk}/delete/",
        f"/quan-tri/evaluations/frame/{frame.pk}/delete/",
        f"/quan-tri/accountability/manifestation/{manifestation.pk}/delete/",
        f"/quan-tri/meetings/meetingruleset/{meeting_rules.pk}/delete/",
    ):
        assert client.post(url, {"post": "yes"}).status_code == 403, url
    assert RuleSet.objects.filter(pk=rule_set.pk).exists() and Frame.objects.filter(pk=frame.pk).exists()

    client.post("/quan-tri/evaluations/ruleset/", {"action": "retire_selected", "_selected_action": [rule_set.pk]})
    rule_set.refresh_from_db()
    assert rule_set.active is False
    assert rule_set not in RuleSet.objects.for_year(Subject.MEMBER, 2024)


def test_records_protect_the_reference_rows_they_use():
    protected = [
        Meeting._meta.get_field("theme_ref"),
        Meeting._meta.get_field("rule_set"),
        Level._meta.get_field("rule_set"),
        Frame._meta.get_field("rule_set"),
        Criterion._meta.get_field("frame"),
    ]
    assert all(f.remote_field.on_delete is models.PROTECT for f in protected)


@pytest.mark.django_db
def test_retired_meeting_rules_are_not_applied_to_new_meetings():
    MeetingRuleSet.objects.all().update(active=False)
    kept = MeetingRuleSet.objects.create(name="Mới", regulation="50-CT/TW", valid_from=dt.date(2001, 1, 1))
    old = MeetingRuleSet.objects.create(name="Cũ", regulation="cũ", valid_from=dt.date(2020, 1, 1), active=False)
    assert MeetingRuleSet.in_force_on(dt.date(2024, 1, 1)) == kept
    assert old.pk
