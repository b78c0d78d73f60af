"""Finding 7 (lost updates): a self-examination or a remediation check saved from a stale page is refused."""

import datetime as dt

import pytest

from apps.accountability import services
from apps.accountability.models import SelfExamination

STALE = "Hồ sơ này đã được sửa sau khi đồng chí mở trang"


@pytest.mark.django_db
def test_second_self_examination_save_from_a_stale_page_is_refused(people, year, client_for):
    services.self_examination_start(user=people["hung_user"], member=people["hung"], year=year)
    exam = SelfExamination.objects.get(member=people["hung"], year=year)
    first, second = client_for(people["hung_user"]), client_for(people["hung_user"])  # two tabs
    url = f"/tu-soi-tu-sua/so-tay/{year}/"
    opened = exam.version
    assert f'name="version" value="{opened}"' in first.get(url).content.decode()
    assert second.get(url).status_code == 200
    saved = first.post(url, {"save": "draft", "self_assessment": "Cần mạnh dạn hơn", "version": opened})
    assert saved.status_code == 302

    response = second.post(url, {"save": "draft", "self_assessment": "Bản cũ", "version": opened})

    assert response.status_code == 200
    text = response.content.decode()
    assert STALE in text
    assert "Cần mạnh dạn hơn, sửa bởi" in text
    exam.refresh_from_db()
    assert (exam.self_assessment, exam.version) == ("Cần mạnh dạn hơn", opened + 1)


@pytest.mark.django_db
def test_second_remediation_check_from_a_stale_page_is_refused(people, year, client_for):
    plan = services.remediation_plan_create(
        user=people["hung_user"],
        year=year,
        title="Của tôi",
        owner_name="Hùng",
        member=people["hung"],
        actions=[("Học nghị quyết", dt.date.today() + dt.timedelta(days=2))],
    )
    action = plan.actions.get()
    services.remediation_action_done(user=people["hung_user"], action=action)
    action.refresh_from_db()
    first, second = client_for(people["sec_a"]), client_for(people["sec_a"])
    page_url = f"/tu-soi-tu-sua/ke-hoach/{plan.pk}/"
    opened = action.version
    assert f'name="version" value="{opened}"' in first.get(page_url).content.decode()
    assert second.get(page_url).status_code == 200
    url = f"/tu-soi-tu-sua/ke-hoach/viec/{action.pk}/check/"
    first.post(url, {"passed": "1", "result": "Đã chuyển biến", "version": opened})

    # A failed check names the new deadline it reopens the action with.
    new_deadline = (dt.date.today() + dt.timedelta(days=30)).strftime("%d/%m/%Y")
    response = second.post(
        url, {"passed": "0", "result": "Chưa chuyển biến", "new_deadline": new_deadline, "version": opened}, follow=True
    )

    assert STALE in response.content.decode()
    action.refresh_from_db()
    assert (action.check_passed, action.check_result, action.version) == (True, "Đã chuyển biến", opened + 1)
