"""Pages: the workflow through forms, scoping (out of scope = 404, nothing changes), bad input."""

import datetime as dt

import pytest

from apps.evaluations import services
from apps.evaluations.models import Campaign, Evaluation, RuleSet, State, Subject

from .conftest import dates


@pytest.fixture
def campaign(tree, admin_user, cell_of):
    members = cell_of(tree["cell_a"], 4)
    other = cell_of(tree["cell_c"], 2, prefix="Khác")
    services.campaign_open(user=admin_user, organization=tree["ward"], year=2018, **dates(2018))
    services.campaign_open(user=admin_user, organization=tree["ward2"], year=2018, **dates(2018))
    return {"members": members, "other": other, "campaign": Campaign.objects.get(organization=tree["ward"])}


def ev(member):
    return Evaluation.objects.get(member=member, year=2018)


def test_open_campaign_page(tree, ward_staff, client_for, cell_of):
    cell_of(tree["cell_a"], 2)
    client = client_for(ward_staff)
    page = client.get("/danh-gia/mo-dot/")
    assert page.status_code == 200
    # Organizations outside the user's reach are not offered.
    assert tree["ward2"].name not in page.content.decode()
    bad = client.post(
        "/danh-gia/mo-dot/",
        {
            "organization": tree["ward"].pk,
            "year": 2018,
            "self_review_due": "20/12/2018",
            "review_due": "10/12/2018",
            "decision_due": "31/12/2018",
        },
    )
    assert "Các hạn phải theo thứ tự" in bad.content.decode()
    assert Campaign.objects.count() == 0
    outside = client.post(
        "/danh-gia/mo-dot/",
        {
            "organization": tree["ward2"].pk,
            "year": 2018,
            "self_review_due": "05/12/2018",
            "review_due": "10/12/2018",
            "decision_due": "31/12/2018",
        },
    )
    assert outside.status_code == 200 and Campaign.objects.count() == 0
    ok = client.post(
        "/danh-gia/mo-dot/",
        {
            "organization": tree["ward"].pk,
            "year": 2018,
            "self_review_due": "05/12/2018",
            "review_due": "10/12/2018",
            "decision_due": "31/12/2018",
        },
    )
    campaign = Campaign.objects.get()
    assert ok.status_code == 302 and ok["Location"] == f"/danh-gia/dot/{campaign.pk}/"
    assert campaign.self_review_due == dt.date(2018, 12, 5)
    assert campaign.opened_by == ward_staff
    assert "132-QĐ/TW" in client.get(ok["Location"]).content.decode()


def test_member_self_review_and_history(tree, campaign, make_user, client_for):
    a, b = campaign["members"][:2]
    user = make_user("dv_a", member=a)
    client = client_for(user)
    bad = client.post(
        f"/danh-gia/ket-qua/{ev(a).pk}/tu-kiem-diem/", {"strengths": "", "shortcomings": "", "proposed_level": ""}
    )
    assert "Hãy ghi ưu điểm." in bad.content.decode()
    assert ev(a).state == State.PENDING
    ok = client.post(
        f"/danh-gia/ket-qua/{ev(a).pk}/tu-kiem-diem/",
        {"strengths": "Gương mẫu", "shortcomings": "Không", "remediation": "", "proposed_level": "2"},
    )
    assert ok.status_code == 302 and ev(a).state == State.SELF_REVIEWED
    # Another member's result is out of reach: 404 and nothing changes.
    assert client.get(f"/danh-gia/ket-qua/{ev(b).pk}/").status_code == 404
    r = client.post(
        f"/danh-gia/ket-qua/{ev(b).pk}/tu-kiem-diem/",
        {"strengths": "x", "shortcomings": "y", "proposed_level": "1"},
    )
    assert r.status_code == 404 and ev(b).state == State.PENDING
    # A plain member cannot review or decide.
    assert (
        client.post(
            f"/danh-gia/ket-qua/{ev(a).pk}/chi-bo/", {"comments": "x", "votes_1": "1", "proposed_level": "1"}
        ).status_code
        == 404
    )
    assert client.get(f"/danh-gia/dot/{campaign['campaign'].pk}/quyet-dinh/{tree['ward'].pk}/").status_code == 404
    history = client.get("/danh-gia/cua-toi/")
    assert [e.member for e in history.context["history"]] == [a]


def test_cell_review_and_scoping(tree, campaign, secretary_a, client_for, make_user):
    a = campaign["members"][0]
    x = campaign["other"][0]
    client = client_for(secretary_a)
    ok = client.post(
        f"/danh-gia/ket-qua/{ev(a).pk}/chi-bo/",
        {
            "comments": "Hoàn thành tốt",
            "votes_1": "0",
            "votes_2": "4",
            "votes_3": "",
            "votes_4": "",
            "proposed_level": "2",
        },
    )
    assert ok.status_code == 302
    assert ev(a).votes == {"1": 0, "2": 4, "3": 0, "4": 0}
    bad = client.post(
        f"/danh-gia/ket-qua/{ev(campaign['members'][1]).pk}/chi-bo/",
        {"comments": "", "votes_1": "9", "proposed_level": "1"},
    )
    assert "Hãy ghi ý kiến nhận xét." in bad.content.decode()
    # Cross-boundary: a cell of another ward answers 404 and does not change.
    for url in (f"/danh-gia/ket-qua/{ev(x).pk}/", f"/danh-gia/ket-qua/{ev(x).pk}/chi-bo/"):
        assert client.get(url).status_code == 404
    r = client.post(f"/danh-gia/ket-qua/{ev(x).pk}/chi-bo/", {"comments": "x", "votes_1": "1", "proposed_level": "1"})
    assert r.status_code == 404 and ev(x).state == State.PENDING
    r = client.post(f"/danh-gia/ket-qua/{ev(x).pk}/khong-xep-loai/", {"reason": "exempted"})
    assert r.status_code == 404 and ev(x).state == State.PENDING
    other_campaign = Campaign.objects.get(organization=tree["ward2"])
    assert client.get(f"/danh-gia/dot/{other_campaign.pk}/").status_code == 404
    assert client.get("/danh-gia/bang-tong-hop/", {"org": tree["ward2"].pk}).status_code == 404
    assert client.get("/danh-gia/bang-tong-hop.xlsx", {"org": tree["ward2"].pk, "years": "2018"}).status_code == 404
    # The campaign page lists only what the secretary reaches.
    page = client.get(f"/danh-gia/dot/{campaign['campaign'].pk}/")
    assert {e.organization for e in page.context["members"]} == {tree["cell_a"]}


def test_committee_decides_with_cap_warning_and_exception(tree, campaign, ward_staff, client_for):
    client = client_for(ward_staff)
    url = f"/danh-gia/dot/{campaign['campaign'].pk}/quyet-dinh/{tree['ward'].pk}/"
    page = client.get(url)
    assert page.status_code == 200
    data = {f"level_{ev(m).pk}": "1" if i < 2 else "2" for i, m in enumerate(campaign["members"])}
    refused = client.post(url, data)
    html = refused.content.decode()
    assert "vượt 2 người so với mức tối đa 20% (0 người)" in html
    assert Evaluation.objects.filter(state=State.DECIDED).count() == 0
    ok = client.post(url, {**data, "exception_reason": "Chi bộ có thành tích xuất sắc được khen thưởng"})
    assert ok.status_code == 302
    assert Evaluation.objects.filter(state=State.DECIDED, subject=Subject.MEMBER).count() == 4
    e = ev(campaign["members"][0])
    detail = client.get(f"/danh-gia/ket-qua/{e.pk}/").content.decode()
    assert "Chi bộ có thành tích xuất sắc được khen thưởng" in detail and "Đã khóa" in detail
    # Revision through the page needs a reason.
    r = client.post(f"/danh-gia/ket-qua/{e.pk}/dieu-chinh/", {"level": "2", "reason": ""})
    assert "Hãy ghi lý do điều chỉnh." in r.content.decode() and ev(campaign["members"][0]).level.code == 1
    r = client.post(
        f"/danh-gia/ket-qua/{e.pk}/dieu-chinh/", {"level": "2", "reason": "Rà soát lại theo kết luận kiểm tra"}
    )
    assert r.status_code == 302 and ev(campaign["members"][0]).level.code == 2
    assert e.revisions.get().reason == "Rà soát lại theo kết luận kiểm tra"


def test_member_sees_comments_in_history(tree, campaign, ward_staff, secretary_a, make_user, client_for):
    a = campaign["members"][0]
    services.evaluation_review(
        user=secretary_a, evaluation=ev(a), comments="Tích cực trong công tác dân vận", votes={"2": 4}, proposed_level=2
    )
    services.evaluations_decide(user=ward_staff, decisions=[(ev(a), 2, False)], note="Đồng ý với chi bộ")
    user = make_user("dv_a", member=a)
    html = client_for(user).get("/danh-gia/cua-toi/").content.decode()
    assert (
        "Tích cực trong công tác dân vận" in html and "Đồng ý với chi bộ" in html and "Hoàn thành tốt nhiệm vụ" in html
    )


def test_access_to_a_member_result_is_recorded(tree, campaign, secretary_a, client_for):
    from apps.accountability.models import AccessRecord

    e = ev(campaign["members"][0])
    body = client_for(secretary_a).get(f"/danh-gia/ket-qua/{e.pk}/").content.decode()
    assert AccessRecord.objects.filter(kind="evaluation", object_id=e.pk, user=secretary_a).count() == 1
    assert "Trang kiểm điểm, xếp loại" in body  # the page lists its readings


def test_rule_set_pages(admin_user, secretary_a, client_for):
    page = client_for(secretary_a).get("/danh-gia/bo-quy-tac/").content.decode()
    assert "366-QĐ/TW" in page and "[?]" in page and "Trong sạch, vững mạnh tiêu biểu" in page
    # The cases not classified read as the regulation names them, not as codes.
    assert "exempted" not in page and "suspended" not in page and "miễn công tác" in page.lower()
    assert client_for(secretary_a).get("/danh-gia/bo-quy-tac/them/").status_code == 403
    source = RuleSet.objects.get(name="Từ 2025 – đảng viên (366-QĐ/TW, HD 43-HD/BTCTW)")
    client = client_for(admin_user)
    r = client.post(
        "/danh-gia/bo-quy-tac/them/",
        {
            "source": source.pk,
            "name": "Từ 2027 – đảng viên",
            "regulation": "1-QĐ/TW",
            "guidance": "",
            "effective_from": "01/01/2027",
        },
    )
    assert r.status_code == 302
    assert RuleSet.objects.get(name="Từ 2027 – đảng viên").levels.count() == 4
    assert client.get(r["Location"]).status_code == 200  # the admin change page


def test_target_form(tree, ward_staff, client_for):
    client = client_for(ward_staff)
    bad = client.post(
        "/danh-gia/chi-tieu/",
        {"organization": tree["ward"].pk, "year": 2019, "subject": "members", "level_code": 3, "percent": "120"},
    )
    assert "Tỷ lệ phải từ 0 đến 100." in bad.content.decode()
    ok = client.post(
        "/danh-gia/chi-tieu/",
        {"organization": tree["ward"].pk, "year": 2019, "subject": "members", "level_code": 3, "percent": "100"},
    )
    assert ok.status_code == 302
    outside = client.post(
        "/danh-gia/chi-tieu/",
        {"organization": tree["ward2"].pk, "year": 2019, "subject": "members", "level_code": 3, "percent": "100"},
    )
    assert outside.status_code == 200
    from apps.evaluations.models import Target

    assert list(Target.objects.values_list("organization_id", flat=True)) == [tree["ward"].pk]


def test_index_and_nav(ward_staff, client_for, tree):
    page = client_for(ward_staff).get("/danh-gia/")
    assert page.status_code == 200
    assert "/danh-gia/" in [item["url"] for item in page.context["nav_items"]]


def test_list_pages_have_bounded_queries(
    tree, cell_of, admin_user, ward_staff, client_for, django_assert_max_num_queries
):
    cell_of(tree["cell_a"], 15)
    cell_of(tree["cell_b"], 15, prefix="Chi Bộ B")
    services.campaign_open(user=admin_user, organization=tree["ward"], year=2018, **dates(2018))
    campaign = Campaign.objects.get()
    client = client_for(ward_staff)
    with django_assert_max_num_queries(12):
        assert client.get(f"/danh-gia/dot/{campaign.pk}/").status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(f"/danh-gia/dot/{campaign.pk}/quyet-dinh/{tree['ward'].pk}/").status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get("/danh-gia/bang-tong-hop/", {"org": tree["ward"].pk, "years": "2017,2018"}).status_code == 200


def test_member_index_shows_own_open_review(tree, campaign, make_user, client_for):
    user = make_user("dv_a", member=campaign["members"][0])
    page = client_for(user).get("/danh-gia/")
    assert [e.member for e in page.context["mine"]] == [campaign["members"][0]]
    assert page.context["campaigns"].get() == campaign["campaign"]


def test_bad_decision_input_changes_nothing(tree, campaign, ward_staff, client_for):
    client = client_for(ward_staff)
    url = f"/danh-gia/dot/{campaign['campaign'].pk}/quyet-dinh/{tree['ward'].pk}/"
    e = ev(campaign["members"][0])
    html = client.post(url, {f"level_{e.pk}": "9"}).content.decode()
    assert "Mức xếp loại không có trong bộ quy tắc" in html
    html = client.post(url, {}).content.decode()
    assert "Chưa chọn kết quả nào để quyết định." in html
    assert Evaluation.objects.filter(state=State.DECIDED).count() == 0
    assert client.get("/danh-gia/bang-tong-hop/", {"org": "abc"}).status_code == 404
    page = client.get("/danh-gia/bang-tong-hop/", {"org": tree["ward"].pk, "years": "xyz, 1800"})
    assert page.status_code == 200 and page.context["table"].years == [2018]
    r = client.post(f"/danh-gia/ket-qua/{e.pk}/khong-xep-loai/", {"reason": "other", "note": ""})
    assert r.status_code == 302 and ev(campaign["members"][0]).state == State.PENDING
