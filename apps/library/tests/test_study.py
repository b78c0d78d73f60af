import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from apps.library import services
from apps.library.models import Attendance, Reflection, Seminar, StudySession

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(tree, ward_staff, make_document):
    document = make_document(tree["ward"], "Chỉ thị về sinh hoạt chi bộ", kind="directive")
    return services.session_create(
        user=ward_staff,
        document=document,
        organization=tree["cell_a"],
        title="Học tập Chỉ thị",
        held_on=dt.date(2025, 9, 1),
        reflection_required=True,
    )


def test_attendance_reflection_and_grade(tree, people, ward_staff, secretary_a, session, client_for):
    services.session_attendance(user=secretary_a, session=session, members=[people["hung"], people["lan"]])
    services.session_attendance(user=secretary_a, session=session, members=[people["hung"]])
    assert sorted(Attendance.objects.values_list("member__given_name", "attended")) == [("Hùng", True), ("Lan", False)]
    # Only members of the holding organization.
    with pytest.raises(ValidationError):
        services.session_attendance(user=secretary_a, session=session, members=[people["minh"]])
    # The member writes the reflection on the session's page; the secretary grades it.
    client = client_for(people["hung_user"])
    assert client.get(reverse("library:session", args=[session.pk])).status_code == 200
    client.post(reverse("library:reflection_submit", args=[session.pk]), {"text": "Bài thu hoạch của tôi"})
    reflection = Reflection.objects.get()
    assert (reflection.member_id, reflection.text, reflection.grade) == (people["hung"].pk, "Bài thu hoạch của tôi", "")
    # A member of another cell cannot reach the session nor write one.
    assert client_for(people["minh_user"]).get(reverse("library:session", args=[session.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        services.reflection_submit(user=people["minh_user"], session=session, text="x")
    # Another cell's secretary and the member themself cannot grade.
    assert (
        client_for(people["secretary_b"])
        .post(reverse("library:reflection_grade", args=[reflection.pk]), {"grade": "good"})
        .status_code
        == 404
    )
    assert (
        client_for(people["hung_user"])
        .post(reverse("library:reflection_grade", args=[reflection.pk]), {"grade": "excellent"})
        .status_code
        == 404
    )
    reflection.refresh_from_db()
    assert reflection.grade == ""
    client_for(secretary_a).post(reverse("library:reflection_grade", args=[reflection.pk]), {"grade": "good"})
    reflection.refresh_from_db()
    assert (reflection.grade, reflection.graded_by_id) == ("good", secretary_a.pk)
    with pytest.raises(ValidationError):
        services.reflection_submit(user=people["hung_user"], session=session, text="Sửa sau khi chấm")
    reflection.refresh_from_db()
    assert reflection.text == "Bài thu hoạch của tôi"


def test_session_refused_out_of_reach(tree, people, secretary_a, session, make_document):
    with pytest.raises(PermissionDenied):
        services.session_attendance(user=people["secretary_b"], session=session, members=[people["minh"]])
    with pytest.raises(PermissionDenied):
        services.session_create(
            user=people["ward2_staff"],
            document=session.document,
            organization=tree["ward2"],
            title="x",
            held_on=dt.date(2025, 9, 1),
        )
    assert Attendance.objects.count() == 0
    assert StudySession.objects.count() == 1


def test_seminar(tree, people, ward_staff, secretary_a, make_document, client_for):
    document = make_document(tree["ward"], "Nghị quyết")
    foreign = make_document(tree["ward2"], "Nghị quyết phường khác")
    with pytest.raises(ValidationError) as exc:
        services.seminar_create(
            user=ward_staff,
            organization=tree["ward"],
            kind="forum",
            title="Tọa đàm",
            held_on=dt.date(2025, 9, 1),
            documents=[foreign],
        )
    assert "documents" in exc.value.message_dict
    seminar = services.seminar_create(
        user=ward_staff,
        organization=tree["ward"],
        kind="forum",
        title="Tọa đàm sinh hoạt chi bộ",
        held_on=dt.date(2025, 9, 1),
        participants="Bí thư các chi bộ",
        participant_count=12,
        documents=[document],
    )
    url = reverse("library:seminar", args=[seminar.pk])
    client_for(ward_staff).post(url, {"conclusions": "Đổi mới nội dung sinh hoạt"})
    seminar.refresh_from_db()
    assert seminar.conclusions == "Đổi mới nội dung sinh hoạt"
    # A cell below reads it but cannot change it; another ward does not see it.
    assert client_for(secretary_a).get(url).status_code == 200
    client_for(secretary_a).post(url, {"conclusions": "Sửa trái phép"})
    assert client_for(people["ward2_staff"]).get(url).status_code == 404
    with pytest.raises(PermissionDenied):
        services.seminar_conclude(user=secretary_a, seminar=seminar, conclusions="Sửa trái phép")
    seminar.refresh_from_db()
    assert seminar.conclusions == "Đổi mới nội dung sinh hoạt"
    assert Seminar.objects.count() == 1
