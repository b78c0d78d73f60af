import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.accountability import selectors, services
from apps.accountability.models import (
    AccessRecord,
    Degree,
    ExamStatus,
    Opening,
    SelfExamination,
)


def _complete(p, year):
    exam = services.self_examination_start(user=p["hung_user"], member=p["hung"], year=year)
    degrees = {m.number: Degree.NONE for m in selectors.manifestations()}
    degrees[5] = Degree.SLIGHT
    services.self_examination_save(
        user=p["hung_user"],
        examination=exam,
        degrees=degrees,
        notes={5: "Còn nể nang khi góp ý"},
        self_assessment="Cần mạnh dạn hơn",
        complete=True,
    )
    return exam


@pytest.mark.django_db
def test_27_manifestations_shipped_and_marked():
    rows = list(selectors.manifestations())
    assert [m.number for m in rows] == list(range(1, 28))
    assert [sum(1 for m in rows if m.group == g) for g in (1, 2, 3)] == [9, 9, 9]
    assert {m.resolution for m in rows} == {"04-NQ/TW"}
    assert all(m.wording_confirmed is False for m in rows)


@pytest.mark.django_db
def test_member_completes_and_cell_sees_content(people, client_for, year):
    exam = _complete(people, year)
    assert exam.status == ExamStatus.COMPLETED
    assert exam.items.get(manifestation__number=5).degree == Degree.SLIGHT
    # the member reads their own: not recorded
    r = client_for(people["hung_user"]).get(f"/tu-soi-tu-sua/so-tay/xem/{exam.pk}/")
    assert r.status_code == 200
    assert AccessRecord.objects.count() == 0
    # the cell secretary reads it: recorded
    r = client_for(people["sec_a"]).get(f"/tu-soi-tu-sua/so-tay/xem/{exam.pk}/")
    assert r.status_code == 200
    assert "Còn nể nang khi góp ý" in r.content.decode()
    rec = AccessRecord.objects.get()
    assert (rec.user, rec.kind, rec.object_id, rec.member, rec.basis) == (
        people["sec_a"],
        "self_examination",
        exam.pk,
        people["hung"],
        "cell_committee",
    )


@pytest.mark.django_db
def test_other_cell_gets_404_and_ward_sees_counts_only(people, client_for, year):
    exam = _complete(people, year)
    assert client_for(people["sec_b"]).get(f"/tu-soi-tu-sua/so-tay/xem/{exam.pk}/").status_code == 404
    assert client_for(people["ward2"]).get(f"/tu-soi-tu-sua/so-tay/xem/{exam.pk}/").status_code == 404
    r = client_for(people["ward"]).get(f"/tu-soi-tu-sua/so-tay/xem/{exam.pk}/")
    assert r.status_code == 403
    assert "Còn nể nang khi góp ý" not in r.content.decode()
    assert AccessRecord.objects.count() == 0
    # the index shows counts with their base
    r = client_for(people["ward"]).get("/tu-soi-tu-sua/")
    counts = {c.organization.code: (c.members, c.completed) for c in r.context["counts"]}
    assert counts == {"T-BT-1": (1, 1), "T-BT-2": (1, 0)}
    assert list(r.context["readable"]) == []
    assert "Còn nể nang" not in r.content.decode()


@pytest.mark.django_db
def test_opening_is_recorded_and_reveals_content(people, client_for, tree, year):
    exam = _complete(people, year)
    group = services.review_group_create(user=people["ward"], organization=tree["ward"], year=year, name="Đoàn 1")
    target = services.review_target_add(user=people["ward"], group=group, member=people["hung"], mode="in_depth")
    client = client_for(people["ward"])
    # bad input: no reason -> Vietnamese message, nothing recorded
    r = client.post(f"/tu-soi-tu-sua/so-tay/xem/{exam.pk}/mo/", {"reason": "", "basis": f"r{target.pk}"})
    assert r.status_code == 400
    assert Opening.objects.count() == 0
    r = client.post(f"/tu-soi-tu-sua/so-tay/xem/{exam.pk}/mo/", {"reason": "ngắn", "basis": f"r{target.pk}"})
    assert "Hãy ghi rõ lý do mở sổ" in r.content.decode()
    assert Opening.objects.count() == 0
    r = client.post(
        f"/tu-soi-tu-sua/so-tay/xem/{exam.pk}/mo/",
        {"reason": "Đoàn dự, gợi ý kiểm điểm cuối năm", "basis": f"r{target.pk}"},
    )
    assert r.status_code == 302
    opening = Opening.objects.get()
    assert (opening.opened_by, opening.review_target, opening.organization) == (people["ward"], target, tree["ward"])
    r = client.get(f"/tu-soi-tu-sua/so-tay/xem/{exam.pk}/")
    assert r.status_code == 200
    assert "Còn nể nang khi góp ý" in r.content.decode()
    rec = AccessRecord.objects.get()
    assert (rec.user, rec.opening, rec.basis) == (people["ward"], opening, "opening")
    # every reading is recorded
    client.get(f"/tu-soi-tu-sua/so-tay/xem/{exam.pk}/")
    assert AccessRecord.objects.filter(user=people["ward"]).count() == 2
    # the other ward still cannot open or see
    assert client_for(people["ward2"]).get(f"/tu-soi-tu-sua/so-tay/xem/{exam.pk}/").status_code == 404


@pytest.mark.django_db
def test_opening_needs_basis_and_reach(people, year):
    exam = _complete(people, year)
    with pytest.raises(ValidationError) as e:
        services.opening_create(user=people["ward"], examination=exam, reason="Kiểm tra dấu hiệu vi phạm")
    assert "phải gắn với" in " ".join(e.value.messages)
    with pytest.raises(PermissionDenied):
        services.opening_create(user=people["ward2"], examination=exam, reason="Kiểm tra dấu hiệu vi phạm")
    assert Opening.objects.count() == 0


@pytest.mark.django_db
def test_only_member_writes_and_incomplete_refused(people, year):
    exam = services.self_examination_start(user=people["hung_user"], member=people["hung"], year=year)
    with pytest.raises(PermissionDenied):
        services.self_examination_save(user=people["sec_a"], examination=exam, degrees={1: Degree.NONE})
    with pytest.raises(ValidationError) as e:
        services.self_examination_save(
            user=people["hung_user"], examination=exam, degrees={1: Degree.NONE}, complete=True
        )
    assert "Chưa tự đánh giá các biểu hiện số: 2, 3" in e.value.messages[0]
    with pytest.raises(ValidationError):
        services.self_examination_save(user=people["hung_user"], examination=exam, degrees={1: "bogus"})
    exam.refresh_from_db()
    assert exam.status == ExamStatus.DRAFT
    assert set(exam.items.values_list("degree", flat=True)) == {Degree.UNASSESSED}


@pytest.mark.django_db
def test_readable_selector(people, year):
    exam = _complete(people, year)
    assert list(selectors.examinations_readable(people["sec_a"])) == [exam]
    assert list(selectors.examinations_readable(people["sec_b"])) == []
    assert list(selectors.examinations_readable(people["ward"])) == []
    assert SelfExamination.objects.count() == 1


@pytest.mark.django_db
def test_bad_input_in_the_handbook_page(people, client_for, year):
    client = client_for(people["hung_user"])
    client.post(f"/tu-soi-tu-sua/so-tay/{year}/", {"start": "1"})
    exam = SelfExamination.objects.get()
    r = client.post(f"/tu-soi-tu-sua/so-tay/{year}/", {"save": "complete", "degree_1": "bogus", "degree_2": "none"})
    assert r.status_code == 200
    body = r.content.decode()
    assert "Mức độ ở biểu hiện số 1 không hợp lệ." in body
    exam.refresh_from_db()
    assert exam.status == ExamStatus.DRAFT
    assert set(exam.items.values_list("degree", flat=True)) == {Degree.UNASSESSED}
    # someone else's handbook page does not exist for them
    assert client_for(people["sec_a"]).get(f"/tu-soi-tu-sua/so-tay/{year}/").status_code == 404


@pytest.mark.django_db
def test_unchecked_wording_is_said_once_above_the_list_and_marked_per_item_only_for_administrators(
    people, client_for, year
):
    from apps.accountability.models import Manifestation

    exam = _complete(people, year)
    Manifestation.objects.exclude(number__in=(3, 14)).update(wording_confirmed=True)
    url = f"/tu-soi-tu-sua/so-tay/xem/{exam.pk}/"
    member_page = client_for(people["hung_user"]).get(url).content.decode()
    assert "Nội dung biểu hiện số 3, 14 chưa được đối chiếu với nguyên văn Nghị quyết" in member_page
    assert "chưa đối chiếu nguyên văn" not in member_page  # no badge on each item for a member
    people["hung_user"].is_superuser = True  # a system administrator, who can correct the wording
    people["hung_user"].save()
    admin_page = client_for(people["hung_user"]).get(url).content.decode()
    assert admin_page.count("chưa đối chiếu nguyên văn</span>") == 2
    people["hung_user"].is_superuser = False
    people["hung_user"].save()
    Manifestation.objects.update(wording_confirmed=True)
    assert 'id="unconfirmed-note"' not in client_for(people["hung_user"]).get(url).content.decode()
