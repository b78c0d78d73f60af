import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone

from apps.accountability.models import AccessRecord
from apps.core.roles import Role
from apps.discipline.models import Discipline
from apps.members.models import Award, Member, Status, StatusChange, StatusChangeKind
from apps.organizations.models import Post
from apps.organizations.services import committee_post_create

D = dt.date
HTMX = {"HTTP_HX_REQUEST": "true"}
LIST = "/dang-vien/"


def _state():
    return (
        sorted(
            Member.objects.values_list(
                "pk", "family_name", "middle_name", "given_name", "status", "organization_id", "org_path", "card_number"
            )
        ),
        StatusChange.objects.count(),
        Award.objects.count(),
    )


SHEET = {
    "organization": None,
    "family_name": "Nguyễn",
    "middle_name": "Thị",
    "given_name": "Đào",
    "gender": "female",
    "birth_date": "19/04/1985",
    "ethnicity": "Kinh",
    "religion": "Không",
    "hometown": "Phú Yên",
    "residence": "Khu phố 1",
    "citizen_id": "079185001234",
    "phone": "0903123456",
    "email": "",
    "general_education": "12/12",
    "education": "university",
    "political_theory": "intermediate",
    "occupation": "Giáo viên",
    "position": "",
    "admission_date": "03/02/2010",
    "full_membership_date": "03/02/2011",
    "card_number": "79001234",
}


@pytest.mark.django_db
def test_list_is_in_vietnamese_order(tree, ward_staff, make_member, client_for):
    for name in ("Lê Văn Bình", "Trần Thị An", "Nguyễn Văn Ánh", "Phạm Đức Anh", "Đỗ Văn Dũng", "Võ Thị Đào"):
        make_member(tree["cell_a"], name)
    response = client_for(ward_staff).get(LIST)
    assert [m.full_name for m in response.context["page"].rows] == [
        "Trần Thị An",
        "Phạm Đức Anh",
        "Nguyễn Văn Ánh",
        "Lê Văn Bình",
        "Đỗ Văn Dũng",
        "Võ Thị Đào",
    ]


@pytest.mark.django_db
def test_search_is_diacritic_insensitive(tree, ward_staff, make_member, client_for):
    make_member(tree["cell_a"], "Nguyễn Văn Hùng", phone="0903111222")
    make_member(tree["cell_b"], "Đặng Thị Dung", card_number="55501234")
    make_member(tree["cell_b"], "Trần Đức Hưng")
    client = client_for(ward_staff)

    def names(q):
        return [m.full_name for m in client.get(LIST, {"q": q}).context["page"].rows]

    assert names("nguyen van hung") == ["Nguyễn Văn Hùng"]
    assert names("hung") == ["Nguyễn Văn Hùng", "Trần Đức Hưng"]  # u before ư
    assert names("dang thi") == ["Đặng Thị Dung"]
    assert names("duc") == ["Trần Đức Hưng"]
    assert names("ĐẶNG") == ["Đặng Thị Dung"]
    assert names("55501234") == ["Đặng Thị Dung"]
    assert names("0903 111 222") == ["Nguyễn Văn Hùng"]


@pytest.mark.django_db
def test_filters_by_status_and_organization(tree, ward_staff, admin_user, make_member, client_for):
    from apps.members.services import member_change_status

    a = make_member(tree["cell_a"], "Nguyễn Văn Hùng")
    b = make_member(tree["cell_b"], "Trần Thị An")
    member_change_status(user=admin_user, member=b, kind=StatusChangeKind.DECEASED, on=D(2020, 1, 1))
    client = client_for(ward_staff)

    def rows(**params):
        return [m.pk for m in client.get(LIST, params).context["page"].rows]

    assert rows() == [a.pk]
    assert rows(status="all") == [b.pk, a.pk]
    assert rows(status="deceased") == [b.pk]
    assert rows(org=tree["cell_b"].pk, status="all") == [b.pk]
    response = client.get(LIST, {"org": tree["cell_c"].pk})  # outside the reach: nothing
    assert response.context["page"].rows == []
    picker = [o.code for o, _ in client.get(LIST).context["picker"]]
    assert picker == ["T-BT", "T-BT-1", "T-BT-2"]
    picker = [o.code for o, _ in client.get(LIST, {"org": tree["cell_a"].pk}).context["picker"]]
    assert picker == ["T-BT", "T-BT-1", "T-BT-2"]  # a cell: its siblings beside it
    picker = [o.code for o, _ in client_for(admin_user).get(LIST, {"org": tree["ward2"].pk}).context["picker"]]
    assert picker == ["T", "T-DH", "T-DH-1"]
    html = client.get(LIST).content.decode()
    assert '<option value="deceased"' in html and "Từ trần" in html


@pytest.mark.django_db
def test_keyset_paging_with_htmx_and_bounded_queries(
    tree, ward_staff, make_member, client_for, django_assert_max_num_queries
):
    from apps.members import selectors

    for i in range(7):
        make_member(tree["cell_a" if i % 2 else "cell_b"], f"Nguyễn Văn A{chr(97 + i)}")
    client = client_for(ward_staff)
    monkeypatch_size = pytest.MonkeyPatch()
    monkeypatch_size.setattr(selectors, "PAGE_SIZE", 3)
    try:
        with django_assert_max_num_queries(10):
            response = client.get(LIST)
        assert len(response.context["page"].rows) == 3
        cursor = response.context["page"].next_cursor
        assert "Xem thêm" in response.content.decode()
        with django_assert_max_num_queries(8):
            more = client.get(LIST, {"after": cursor}, **HTMX, HTTP_HX_TARGET="more")
        assert [m.full_name for m in more.context["page"].rows] == ["Nguyễn Văn Ad", "Nguyễn Văn Ae", "Nguyễn Văn Af"]
        assert "<html" not in more.content.decode()
    finally:
        monkeypatch_size.undo()
    # Query count does not grow with the rows shown.
    for i in range(40):
        make_member(tree["cell_b"], f"Lê Văn B{i}")
    with django_assert_max_num_queries(10):
        response = client.get(LIST)
    assert len(response.context["page"].rows) == 47


@pytest.mark.django_db
def test_detail_shows_sheet_derived_values_and_history(tree, ward_staff, make_member, client_for):
    member = make_member(
        tree["cell_a"],
        "Nguyễn Văn Hùng",
        birth_date=D(1985, 4, 19),
        admission_date=D(2010, 5, 19),
        full_membership_date=D(2011, 5, 19),
        political_theory="intermediate",
    )
    committee_post_create(
        user=ward_staff, organization=tree["cell_a"], member=member, post=Post.SECRETARY, starts_on=D(2020, 1, 2)
    )
    committee_post_create(
        user=ward_staff, organization=tree["ward"], member=member, post=Post.COMMITTEE_MEMBER, starts_on=D(2020, 1, 3)
    )
    client = client_for(ward_staff)
    client.post(
        reverse("members:edit", args=[member.pk]),
        {
            **{k: v for k, v in SHEET.items() if k != "organization"},
            "family_name": "Nguyễn",
            "middle_name": "Văn",
            "given_name": "Hùng",
            "gender": "male",
            "birth_date": "19/04/1985",
            "admission_date": "19/05/2010",
            "full_membership_date": "19/05/2011",
            "card_number": member.card_number,
            "occupation": "Kỹ sư",
        },
    )
    response = client.get(reverse("members:detail", args=[member.pk]))
    html = response.content.decode()
    today = timezone.localdate()
    assert response.context["derived"]["seniority"] == relativedelta(today, D(2010, 5, 19)).years
    assert "19/04/1985" in html and "19/05/2010" in html and "Trung cấp" in html
    assert "19/05/2040" in html and "Huy hiệu 30 năm tuổi Đảng" in html
    assert "Bí thư" in html and "Cấp ủy viên" in html and "02/01/2020" in html
    assert "Kết nạp" in html and "Công nhận đảng viên chính thức" in html
    assert "dangu_bt" in html and "Giáo viên → Kỹ sư" not in html and "– → Kỹ sư" in html


@pytest.mark.django_db
def test_probationary_member_shows_probation_end(tree, ward_staff, make_member, client_for):
    member = make_member(tree["cell_a"], admission_date=D(2024, 2, 29), full_membership_date=None)
    html = client_for(ward_staff).get(reverse("members:detail", args=[member.pk])).content.decode()
    assert "28/02/2025" in html and "hết thời gian dự bị" in html


@pytest.mark.django_db
def test_discipline_shown_and_access_recorded(tree, ward_staff, make_member, client_for):
    member = make_member(tree["cell_a"])
    record = Discipline.objects.create(
        member=member,
        subject_org=tree["cell_a"],
        subject_path=tree["cell_a"].path,
        form="reprimand",
        deciding_body="Chi bộ khu phố 1",
        decided_on=D(2022, 8, 9),
        reason="Vắng sinh hoạt không lý do",
    )
    html = client_for(ward_staff).get(reverse("members:detail", args=[member.pk])).content.decode()
    assert "Khiển trách" in html and "09/08/2022" in html
    # the one log of sensitive reads (apps.core.access), listed on the record's own page
    access = AccessRecord.objects.get(kind="discipline", object_id=record.pk)
    assert (access.user, access.member, access.place) == (ward_staff, member, "member_page")


@pytest.mark.django_db
def test_create_member_form(tree, ward_staff, client_for):
    client = client_for(ward_staff)
    response = client.get(reverse("members:create"), {"org": tree["cell_a"].pk})
    assert {o.code for o in response.context["form"].fields["organization"].queryset} == {"T-BT-1", "T-BT-2"}
    response = client.post(reverse("members:create"), {**SHEET, "organization": tree["cell_a"].pk})
    assert response.status_code == 302
    member = Member.objects.get(card_number="79001234")
    assert (member.family_name, member.middle_name, member.given_name) == ("Nguyễn", "Thị", "Đào")
    assert member.birth_date == D(1985, 4, 19) and member.status == Status.FULL
    assert response["Location"] == reverse("members:detail", args=[member.pk])


@pytest.mark.django_db
@pytest.mark.parametrize(
    "changes, message",
    [
        ({"birth_date": "31/02/1985"}, "Ngày không hợp lệ: hãy nhập theo dạng dd/mm/yyyy."),
        ({"given_name": ""}, "Hãy nhập tên."),
        ({"admission_date": "01/01/2000"}, "Chưa đủ 18 tuổi vào ngày vào Đảng."),
        (
            {"full_membership_date": "01/06/2010"},
            "Ngày chính thức 01/06/2010 chưa đủ 12 tháng dự bị kể từ ngày vào Đảng 03/02/2010: sớm nhất là 03/02/2011.",
        ),
        ({"citizen_id": "12ab"}, "Số CCCD phải gồm 12 chữ số (hoặc 9 chữ số với CMND cũ)."),
        ({"email": "khong-hop-le"}, "Địa chỉ thư điện tử không hợp lệ."),
    ],
)
def test_create_member_bad_input_changes_nothing(tree, ward_staff, client_for, changes, message):
    before = _state()
    response = client_for(ward_staff).post(
        reverse("members:create"), {**SHEET, "organization": tree["cell_a"].pk, **changes}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert _state() == before


@pytest.mark.django_db
def test_create_member_outside_reach_refused(tree, ward_staff, client_for):
    before = _state()
    response = client_for(ward_staff).post(reverse("members:create"), {**SHEET, "organization": tree["cell_c"].pk})
    assert response.status_code == 400
    assert "Hãy chọn một tổ chức trong danh sách." in response.content.decode()
    assert _state() == before


@pytest.mark.django_db
def test_status_change_form_offers_only_allowed(tree, ward_staff, make_member, client_for):
    member = make_member(tree["cell_a"], admission_date=D(2022, 3, 10), full_membership_date=None)
    client = client_for(ward_staff)
    url = reverse("members:change_status", args=[member.pk])
    kinds = [k for k, _ in client.get(url).context["form"].fields["kind"].choices]
    assert kinds[0] == StatusChangeKind.RECOGNIZED and StatusChangeKind.EXEMPTION_END not in kinds
    before = _state()
    response = client.post(url, {"kind": StatusChangeKind.EXEMPTION_END, "date": "01/01/2024"})
    assert "Thay đổi này không áp dụng được với tình trạng hiện tại của đảng viên." in response.content.decode()
    response = client.post(url, {"kind": StatusChangeKind.RECOGNIZED, "date": "01/03/2023"})
    assert "Chưa hết 12 tháng dự bị (đến 10/03/2023)." in response.content.decode()
    response = client.post(url, {"kind": StatusChangeKind.TRANSFER_OUT, "date": "01/04/2024"})
    assert "Hãy ghi tổ chức đảng nơi đảng viên chuyển đến." in response.content.decode()
    assert _state() == before
    response = client.post(
        url,
        {
            "kind": StatusChangeKind.TRANSFER_OUT,
            "date": "01/04/2024",
            "other_organization_name": "Đảng bộ xã Hòa Xuân, Đà Nẵng",
            "decision": "15-QĐ/ĐU",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.status == Status.TRANSFERRED_OUT and member.status_since == D(2024, 4, 1)
    html = client.get(reverse("members:detail", args=[member.pk])).content.decode()
    assert "Đảng bộ xã Hòa Xuân, Đà Nẵng" in html and "15-QĐ/ĐU" in html and "01/04/2024" in html
    assert "Thay đổi tình trạng" not in html  # an ended record is not changed any more


@pytest.mark.django_db
def test_transfer_and_award_forms(tree, ward_staff, make_member, client_for):
    member = make_member(tree["cell_a"])
    client = client_for(ward_staff)
    url = reverse("members:transfer", args=[member.pk])
    assert {o.code for o in client.get(url).context["form"].fields["target"].queryset} == {"T-BT-2"}
    response = client.post(url, {"target": tree["cell_b"].pk, "date": "01/01/2005"})
    assert "Ngày thay đổi phải từ 19/05/2011 trở đi (sau thay đổi gần nhất)." in response.content.decode()
    assert Member.objects.get(pk=member.pk).organization_id == tree["cell_a"].pk
    assert client.post(url, {"target": tree["cell_b"].pk, "date": "01/01/2020"}).status_code == 302
    member.refresh_from_db()
    assert member.organization_id == tree["cell_b"].pk and member.org_path == tree["cell_b"].path
    url = reverse("members:award_create", args=[member.pk])
    response = client.post(url, {"name": "", "date": "01/01/2021"})
    assert "Hãy ghi hình thức khen thưởng." in response.content.decode()
    assert (
        client.post(url, {"name": "Giấy khen", "issued_by": "Đảng ủy phường", "date": "19/05/2021"}).status_code == 302
    )
    html = client.get(reverse("members:detail", args=[member.pk])).content.decode()
    assert "Giấy khen" in html and "19/05/2021" in html


@pytest.mark.django_db
def test_out_of_scope_member_is_404_everywhere(tree, secretary_a, make_member, client_for):
    other = make_member(tree["cell_b"], "Trần Thị Lan")
    client = client_for(secretary_a)
    urls = [
        reverse(f"members:{name}", args=[other.pk])
        for name in ("detail", "edit", "change_status", "transfer", "award_create")
    ]
    before = _state()
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.get(url, **HTMX).status_code == 404, url
        assert client.post(url, {"name": "X", "kind": "deceased", "date": "01/01/2021"}).status_code == 404, url
        assert client.post(url, {"name": "X", "kind": "deceased", "date": "01/01/2021"}, **HTMX).status_code == 404
    assert client.get(LIST, {"q": "lan"}).context["page"].rows == []
    assert client.get(LIST, {"q": "lan"}, **HTMX).context["page"].rows == []
    assert _state() == before


@pytest.mark.django_db
def test_member_sees_only_own_record_read_only(tree, make_member, make_user, client_for):
    me = make_member(tree["cell_a"], "Nguyễn Văn Hùng")
    other = make_member(tree["cell_a"], "Trần Thị An")
    user = make_user("dv", Role.MEMBER, tree["cell_a"], member=me)
    client = client_for(user)
    response = client.get(reverse("members:detail", args=[me.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sửa phiếu" not in html and "Thay đổi tình trạng" not in html
    assert client.get(reverse("members:detail", args=[other.pk])).status_code == 404
    assert [m.pk for m in client.get(LIST).context["page"].rows] == [me.pk]
    before = _state()
    for name in ("edit", "change_status", "transfer", "award_create"):
        url = reverse(f"members:{name}", args=[me.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {"name": "X", "kind": "deceased", "date": "01/01/2021"}).status_code == 404
    response = client.post(reverse("members:create"), {**SHEET, "organization": tree["cell_a"].pk})
    assert response.status_code == 400
    assert _state() == before


@pytest.mark.django_db
def test_edit_bad_input_changes_nothing_and_history_is_readable(tree, ward_staff, make_member, client_for):
    make_member(tree["cell_a"], "Trần Thị An", card_number="11112222")
    member = make_member(tree["cell_a"], "Lê Văn Bình", card_number="33334444")
    client = client_for(ward_staff)
    url = reverse("members:edit", args=[member.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    assert data["birth_date"] == "01/01/1980"  # dates shown as dd/mm/yyyy
    before = _state()
    response = client.post(url, {**data, "card_number": "11112222", "given_name": "Bính"})
    assert response.status_code == 400
    assert "Số thẻ đảng viên 11112222 đã có ở đảng viên Trần Thị An." in response.content.decode()
    assert _state() == before
    assert client.post(url, {**data, "given_name": "Bính", "phone": "0912 345 678"}).status_code == 302
    member.refresh_from_db()
    assert member.full_name == "Lê Văn Bính" and member.phone == "0912345678"
    changes = client.get(reverse("members:detail", args=[member.pk])).context["changes"]
    assert changes[0]["who"] == "dangu_bt" and changes[0]["action"] == "Sửa"
    assert {(str(c["field"]), c["before"], c["after"]) for c in changes[0]["changes"]} == {
        ("tên", "Bình", "Bính"),
        ("điện thoại", "", "0912345678"),
    }


@pytest.mark.django_db
def test_home_offers_search_and_adding_only_with_change_reach(tree, ward_staff, make_user, client_for):
    html = client_for(ward_staff).get("/").content.decode()
    assert 'action="/dang-vien/"' in html and 'href="/dang-vien/them/"' in html
    inspector = make_user("ubkt", Role.INSPECTION, tree["ward"])
    html = client_for(inspector).get("/").content.decode()
    assert 'action="/dang-vien/"' in html and 'href="/dang-vien/them/"' not in html
