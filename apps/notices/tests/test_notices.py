import datetime as dt

import pytest
from django.urls import reverse

from apps.core.roles import Role
from apps.meetings.models import Notification
from apps.meetings.services import meeting_create, meeting_notify
from apps.notices.models import EmailPreference, Notice, Topic
from apps.notices.services import notify, preferences_set

pytestmark = pytest.mark.django_db


@pytest.fixture
def hung(tree, make_member, make_user):
    member = make_member(tree["cell_a"], "Nguyễn Văn Hùng")
    user = make_user("hung", member=member)
    user.email = "hung@example.vn"
    user.save()
    return user


def test_notify_sends_a_vietnamese_email_through_the_smtp_server(mail, hung):
    notice = notify(
        hung, Topic.ANSWER, "Trả lời kiến nghị về đường điện", "Chi bộ đã trả lời: sẽ sửa trong tuần.", "/y-kien/1/"
    )
    assert notice.emailed is True
    assert Notice.objects.filter(recipient=hung).count() == 1
    assert len(mail.messages) == 1
    received = mail.messages[0]
    assert received["to"] == ["hung@example.vn"]
    assert mail.subjects()[0] == "Trả lời kiến nghị về đường điện"
    body = mail.bodies()[0]
    assert "Chi bộ đã trả lời: sẽ sửa trong tuần." in body
    assert "https://chibo.test/y-kien/1/" in body
    assert received["message"].get_body(("plain",)).get_content_charset() == "utf-8"


def test_no_email_for_a_topic_turned_off_the_notice_stays(mail, hung):
    preferences_set(user=hung, email="hung@example.vn", topics=[Topic.INVITATION])
    notice = notify(hung, Topic.ANSWER, "Trả lời kiến nghị", "Nội dung")
    assert notice.emailed is False
    assert mail.messages == []
    notify(hung, Topic.INVITATION, "Giấy mời", "Nội dung")
    assert mail.subjects() == ["Giấy mời"]


def test_no_email_without_an_address_or_without_a_server(mail, hung, settings):
    hung.email = ""
    hung.save()
    notify(hung, Topic.ANSWER, "Không có địa chỉ")
    hung.email = "hung@example.vn"
    hung.save()
    settings.EMAIL_HOST = ""
    notify(hung, Topic.ANSWER, "Máy chủ chưa cấu hình")
    assert mail.messages == []
    assert Notice.objects.filter(recipient=hung).count() == 2


def test_a_server_that_is_down_breaks_nothing(hung, settings, caplog):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 1  # nothing listens there
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 2
    notice = notify(hung, Topic.ANSWER, "Trả lời kiến nghị", "Nội dung")
    assert notice.pk is not None
    assert Notice.objects.filter(recipient=hung).count() == 1
    assert "not sent" in caplog.text


def test_meeting_invitations_are_emailed(mail, tree, hung, secretary_a, make_member):
    make_member(tree["cell_a"], "Trần Thị Lan")  # no account: the in-app notice only
    meeting = meeting_create(
        user=secretary_a,
        organization=tree["cell_a"],
        kind="regular",
        date=dt.date.today() + dt.timedelta(days=7),
        place="Nhà văn hóa khu phố 1",
    )
    assert meeting_notify(user=secretary_a, meeting=meeting) == 2
    assert Notification.objects.filter(meeting=meeting).count() == 2
    assert Notice.objects.count() == 0  # the invitation itself lives in the meetings app
    assert len(mail.messages) == 1
    assert mail.messages[0]["to"] == ["hung@example.vn"]
    assert mail.subjects()[0].startswith("Giấy mời sinh hoạt: Chi bộ khu phố 1, ")
    assert "Nhà văn hóa khu phố 1" in mail.bodies()[0]


def test_preferences_page(client_for, hung):
    client = client_for(hung)
    page = client.get(reverse("notices:preferences"))
    assert page.status_code == 200
    assert "Trả lời ý kiến, kiến nghị" in page.content.decode()
    answer = client.post(
        reverse("notices:preferences"), {"email": "hung.moi@example.vn", "topics": ["invitation", "overdue"]}
    )
    assert answer.status_code == 302
    hung.refresh_from_db()
    assert hung.email == "hung.moi@example.vn"
    off = set(EmailPreference.objects.filter(user=hung, enabled=False).values_list("topic", flat=True))
    assert off == {"answer", "document", "assigned"}


def test_preferences_bad_address_changes_nothing(client_for, hung):
    client = client_for(hung)
    page = client.post(reverse("notices:preferences"), {"email": "không phải địa chỉ", "topics": ["invitation"]})
    assert page.status_code == 200
    hung.refresh_from_db()
    assert hung.email == "hung@example.vn"
    assert EmailPreference.objects.count() == 0


def test_notices_are_the_recipients_own(client_for, hung, make_user, tree):
    notice = notify(hung, Topic.ANSWER, "Riêng của Hùng")
    other = make_user("khac", Role.CELL_SECRETARY, tree["cell_a"], include_subtree=False)
    client = client_for(other)
    assert "Riêng của Hùng" not in client.get(reverse("notices:index")).content.decode()
    assert client.post(reverse("notices:read", args=[notice.pk])).status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None
