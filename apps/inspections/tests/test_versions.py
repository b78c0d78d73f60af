"""Finding 7 (lost updates): a conclusion or a remedy check saved from a stale page is refused."""

import datetime as dt

import pytest

from apps.core.roles import Role
from apps.inspections import services
from apps.inspections.models import Inspection, Status

STALE = "Hồ sơ này đã được sửa sau khi đồng chí mở trang"
TODAY = dt.date.today()


@pytest.fixture
def started(tree, make_user):
    ubkt = make_user("ubkt_bt", Role.INSPECTION, tree["ward"])
    insp = services.inspection_create(
        user=ubkt, organization=tree["ward"], kind="self", title="Tự kiểm tra", subject_organization=tree["ward"]
    )
    services.inspection_start(user=ubkt, inspection=insp)
    return ubkt, Inspection.objects.get(pk=insp.pk)


def _conclusion(version, **changes):
    return {
        "op": "conclude",
        "findings": "Có 2 đảng viên nộp chậm",
        "conclusion": "shortcomings",
        "conclusion_text": "Thu chưa đủ",
        "remedy_1": "Thu đủ đảng phí",
        "deadline_1": (TODAY + dt.timedelta(days=30)).strftime("%d/%m/%Y"),
        "version": version,
        **changes,
    }


@pytest.mark.django_db
def test_second_conclusion_from_a_stale_page_is_refused(started, client_for):
    ubkt, insp = started
    first, second = client_for(ubkt), client_for(ubkt)
    url = f"/kiem-tra/{insp.pk}/"
    opened = insp.version
    assert f'name="version" value="{opened}"' in first.get(url).content.decode()
    assert second.get(url).status_code == 200
    assert first.post(url, _conclusion(opened)).status_code == 302

    response = second.post(url, _conclusion(opened, conclusion_text="Bản cũ"))

    assert response.status_code == 400
    text = response.content.decode()
    assert STALE in text
    assert "Thu chưa đủ, sửa bởi" in text
    insp.refresh_from_db()
    assert (insp.conclusion_text, insp.status, insp.version, insp.remedies.count()) == (
        "Thu chưa đủ",
        Status.CONCLUDED,
        opened + 1,
        1,
    )


@pytest.mark.django_db
def test_second_remedy_check_from_a_stale_page_is_refused(started, client_for):
    ubkt, insp = started
    services.inspection_conclude(
        user=ubkt,
        inspection=insp,
        findings="",
        conclusion="shortcomings",
        conclusion_text="Thu chưa đủ",
        remedies=[("Thu đủ đảng phí", TODAY + dt.timedelta(days=30))],
    )
    remedy = insp.remedies.get()
    services.remedy_done(user=ubkt, remedy=remedy)
    remedy.refresh_from_db()
    first, second = client_for(ubkt), client_for(ubkt)
    opened = remedy.version
    assert f'name="version" value="{opened}"' in first.get(f"/kiem-tra/{insp.pk}/").content.decode()
    url = f"/kiem-tra/khac-phuc/{remedy.pk}/check/"
    first.post(url, {"passed": "0", "result": "Còn thiếu", "version": opened})

    response = second.post(url, {"passed": "1", "result": "Đã thu đủ", "version": opened}, follow=True)

    assert STALE in response.content.decode()
    remedy.refresh_from_db()
    assert (remedy.check_passed, remedy.check_result, remedy.version) == (False, "Còn thiếu", opened + 1)
