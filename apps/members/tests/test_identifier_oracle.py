"""The duplicate check of citizen ID and card number names the holder only inside the user's reach.

A cell secretary who types any CCCD must not learn whose it is when its holder is outside their
reach (issue 18, finding 1): the member form, the API and the Excel import preview all answer
with the same out-of-scope message, and repeated out-of-scope hits are throttled and recorded.
"""

import io
import json

import pytest
from django.test import override_settings
from django.urls import reverse
from openpyxl import Workbook
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from apps.api.tests.shapes import legacy
from apps.imports.models import ImportBatch
from apps.members.models import Member
from apps.safeguards.models import IdentityProbe

OUT = "đã có ở một đảng viên khác (ngoài phạm vi quản lý của đồng chí)"
CID = "079070000777"
CARD = "70000777"

SHEET = {
    "family_name": "Nguyễn",
    "middle_name": "Thị",
    "given_name": "Đào",
    "gender": "female",
    "birth_date": "19/04/1985",
    "ethnicity": "Kinh",
    "religion": "Không",
    "hometown": "",
    "residence": "",
    "citizen_id": "",
    "phone": "",
    "email": "",
    "general_education": "",
    "education": "",
    "political_theory": "",
    "occupation": "",
    "position": "",
    "admission_date": "03/02/2010",
    "full_membership_date": "03/02/2011",
    "card_number": "",
}


@pytest.fixture
def holder_c(tree, make_member):
    """A member of cell C, in the other ward: outside the reach of cell A's secretary."""
    return make_member(tree["cell_c"], "Hoàng Xuân Khoa", citizen_id=CID, card_number=CARD)


def _names_absent(body: str, member: Member):
    for text in (member.full_name, "Hoàng Xuân", "Xuân Khoa", f"/dang-vien/{member.pk}/"):
        assert text not in body, f"{text!r} leaked"


def _members():
    return sorted(Member.objects.values_list("pk", "citizen_id", "card_number", "given_name", "phone"))


def _api(user):
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def _xlsx(rows):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "danh-sach.xlsx"
    return buffer


HEADINGS = ["STT", "Họ và tên", "Giới tính", "Ngày sinh", "Ngày vào Đảng", "Ngày chính thức", "Số thẻ ĐV", "Số CCCD"]


@pytest.mark.django_db
def test_member_form_hides_a_holder_outside_reach(tree, secretary_a, holder_c, client_for):
    client = client_for(secretary_a)
    before = _members()
    response = client.post(
        reverse("members:create"), {**SHEET, "organization": tree["cell_a"].pk, "citizen_id": CID, "card_number": CARD}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert f"Số CCCD {CID} {OUT}." in body
    assert f"Số thẻ đảng viên {CARD} {OUT}." in body
    _names_absent(body, holder_c)
    assert _members() == before
    probes = list(IdentityProbe.objects.order_by("pk").values_list("user__username", "field", "refused"))
    assert probes == [("bithu_a", "citizen_id", False), ("bithu_a", "card_number", False)]
    # The record keeps a keyed hash, never the number itself, and where the request came from.
    probe = IdentityProbe.objects.first()
    assert CID not in probe.value_hash and len(probe.value_hash) == 64
    assert probe.remote_addr == "127.0.0.1"


@pytest.mark.django_db
def test_member_edit_hides_a_holder_outside_reach(tree, secretary_a, holder_c, make_member, client_for):
    own = make_member(tree["cell_a"], "Lê Thị Mai", phone="0903000111")
    client = client_for(secretary_a)
    url = reverse("members:edit", args=[own.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    before = _members()
    response = client.post(url, {**data, "citizen_id": CID, "phone": "0909999999"})
    assert response.status_code == 400
    body = response.content.decode()
    assert f"Số CCCD {CID} {OUT}." in body
    _names_absent(body, holder_c)
    assert _members() == before


@pytest.mark.django_db
def test_member_form_names_a_holder_in_own_cell(tree, secretary_a, make_member, client_for):
    holder = make_member(tree["cell_a"], "Hoàng Xuân Khoa", citizen_id=CID)
    client = client_for(secretary_a)
    before = _members()
    response = client.post(reverse("members:create"), {**SHEET, "organization": tree["cell_a"].pk, "citizen_id": CID})
    assert response.status_code == 400
    assert f"Số CCCD {CID} đã có ở đảng viên {holder.full_name}." in response.content.decode()
    assert _members() == before
    assert IdentityProbe.objects.count() == 0  # a hit inside reach is no probe


@pytest.mark.django_db
def test_api_create_and_patch_hide_a_holder_outside_reach(tree, secretary_a, holder_c, make_member):
    own = make_member(tree["cell_a"], "Lê Thị Mai")
    client = _api(secretary_a)
    before = _members()
    payload = {
        "organization": tree["cell_a"].pk,
        "family_name": "Võ",
        "given_name": "Sáu",
        "gender": "female",
        "birth_date": "1985-03-08",
        "admission_date": "2015-05-19",
        "citizen_id": CID,
        "card_number": CARD,
    }
    response = client.post("/api/members/", payload, format="json")
    assert response.status_code == 400
    assert legacy(response) == {
        "citizen_id": [f"Số CCCD {CID} {OUT}."],
        "card_number": [f"Số thẻ đảng viên {CARD} {OUT}."],
    }
    response = client.patch(f"/api/members/{own.pk}/", {"citizen_id": CID}, format="json")
    assert response.status_code == 400
    assert legacy(response) == {"citizen_id": [f"Số CCCD {CID} {OUT}."]}
    _names_absent(response.content.decode(), holder_c)
    assert _members() == before


@pytest.mark.django_db
def test_api_names_a_holder_in_own_cell(tree, secretary_a, make_member):
    holder = make_member(tree["cell_a"], "Hoàng Xuân Khoa", card_number=CARD)
    response = _api(secretary_a).post(
        "/api/members/",
        {
            "organization": tree["cell_a"].pk,
            "family_name": "Võ",
            "given_name": "Sáu",
            "gender": "female",
            "birth_date": "1985-03-08",
            "admission_date": "2015-05-19",
            "card_number": CARD,
        },
        format="json",
    )
    assert response.status_code == 400
    assert legacy(response) == {"card_number": [f"Số thẻ đảng viên {CARD} đã có ở đảng viên {holder.full_name}."]}


@pytest.mark.django_db
def test_import_preview_hides_a_holder_outside_reach(tree, secretary_a, holder_c, make_member, client_for):
    inside = make_member(tree["cell_a"], "Trịnh Văn Trong", citizen_id="079070000888")
    client = client_for(secretary_a)
    file = _xlsx(
        [
            HEADINGS,
            [1, "Nguyễn Văn A", "Nam", "01/01/1980", "01/06/2010", "", CARD, ""],
            [2, "Nguyễn Văn B", "Nam", "01/01/1980", "01/06/2010", "", "", CID],
            [3, "Nguyễn Văn C", "Nam", "01/01/1980", "01/06/2010", "", "", "079070000888"],
        ]
    )
    before = _members()
    response = client.post(f"/excel/to-chuc/{tree['cell_a'].pk}/nhap-dang-vien/", {"file": file})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert batch.errors == [
        {"row": 2, "name": "Nguyễn Văn A", "messages": [f"Số thẻ đảng viên {CARD} {OUT}."]},
        {"row": 3, "name": "Nguyễn Văn B", "messages": [f"Số CCCD {CID} {OUT}."]},
        {"row": 4, "name": "Nguyễn Văn C", "messages": [f"Số CCCD 079070000888 đã có ở đảng viên {inside.full_name}."]},
    ]
    page = client.get(f"/excel/nhap/{batch.pk}/").content.decode()
    _names_absent(page, holder_c)
    _names_absent(json.dumps([batch.errors, batch.preview], ensure_ascii=False), holder_c)
    assert f"Số CCCD {CID} {OUT}." in page
    assert _members() == before
    # The confirmation checks again and still names no one.
    client.post(f"/excel/nhap/{batch.pk}/xac-nhan/")
    batch.refresh_from_db()
    _names_absent(json.dumps(batch.errors, ensure_ascii=False), holder_c)
    assert _members() == before


@pytest.mark.django_db
def test_ward_staff_sees_the_name_of_a_holder_in_their_ward(tree, ward_staff, make_member, client_for):
    holder = make_member(tree["cell_b"], "Hoàng Xuân Khoa", citizen_id=CID)
    response = client_for(ward_staff).post(
        reverse("members:create"), {**SHEET, "organization": tree["cell_a"].pk, "citizen_id": CID}
    )
    assert f"Số CCCD {CID} đã có ở đảng viên {holder.full_name}." in response.content.decode()


@pytest.mark.django_db
@override_settings(IDENTITY_PROBE_LIMIT=5, IDENTITY_PROBE_WINDOW_MINUTES=60)
def test_the_sixth_out_of_scope_probe_is_refused_and_recorded(tree, secretary_a, make_member, client_for):
    for n in range(6):
        make_member(tree["cell_c"], "Hoàng Xuân Khoa", citizen_id=f"07907000010{n}")
    own = make_member(tree["cell_a"], "Lê Thị Mai")
    client = client_for(secretary_a)
    url = reverse("members:create")
    for n in range(5):
        cid = f"07907000010{n}"
        body = client.post(url, {**SHEET, "organization": tree["cell_a"].pk, "citizen_id": cid}).content.decode()
        assert f"Số CCCD {cid} {OUT}." in body
    before = _members()
    # The sixth: refused whether or not the number is taken, so the answer tells nothing.
    for cid in ("079070000105", "079099999999"):
        response = client.post(url, {**SHEET, "organization": tree["cell_a"].pk, "citizen_id": cid})
        assert response.status_code == 400
        body = response.content.decode()
        assert "Đồng chí đã tra quá nhiều số CCCD, số thẻ đảng viên" in body
        assert OUT not in body and "Hoàng Xuân Khoa" not in body
    assert _members() == before
    # The API answers the same refusal; nothing saved.
    response = _api(secretary_a).patch(f"/api/members/{own.pk}/", {"card_number": "99990000"}, format="json")
    assert response.status_code == 400
    assert legacy(response)["card_number"][0].startswith("Đồng chí đã tra quá nhiều số CCCD, số thẻ đảng viên")
    assert _members() == before
    assert list(IdentityProbe.objects.order_by("pk").values_list("user__username", "field", "refused")) == [
        *[("bithu_a", "citizen_id", False)] * 5,
        *[("bithu_a", "citizen_id", True)] * 2,
        ("bithu_a", "card_number", True),
    ]
    # Creating a member without any number still works: only the checks are refused.
    response = client.post(url, {**SHEET, "organization": tree["cell_a"].pk})
    assert response.status_code == 302


@pytest.mark.django_db
@override_settings(IDENTITY_PROBE_LIMIT=5, IDENTITY_PROBE_WINDOW_MINUTES=60)
def test_import_preview_counts_toward_the_limit(tree, secretary_a, make_member, client_for):
    for n in range(7):
        make_member(tree["cell_c"], "Hoàng Xuân Khoa", citizen_id=f"07907000020{n}")
    rows = [HEADINGS] + [
        [n + 1, f"Nguyễn Văn {chr(65 + n)}", "Nam", "01/01/1980", "01/06/2010", "", "", f"07907000020{n}"]
        for n in range(7)
    ]
    rows.append([8, "Nguyễn Văn Mới", "Nam", "01/01/1980", "01/06/2010", "", "", "079099999999"])
    client = client_for(secretary_a)
    client.post(f"/excel/to-chuc/{tree['cell_a'].pk}/nhap-dang-vien/", {"file": _xlsx(rows)})
    batch = ImportBatch.objects.get()
    messages = {e["row"]: e["messages"] for e in batch.errors}
    assert [messages[r] for r in range(2, 7)] == [[f"Số CCCD 07907000020{n} {OUT}."] for n in range(5)]
    refused = messages[7][0]
    assert refused.startswith("Đồng chí đã tra quá nhiều số CCCD, số thẻ đảng viên")
    # After the limit every later row is refused alike, taken or not.
    assert messages[8] == [refused] and messages[9] == [refused]
    assert IdentityProbe.objects.filter(refused=False).count() == 5
    assert IdentityProbe.objects.filter(refused=True).count() == 1
    assert Member.objects.filter(organization=tree["cell_a"]).count() == 0


@pytest.mark.django_db
def test_administrator_sees_the_probe_records(tree, secretary_a, holder_c, admin_user, client_for):
    client_for(secretary_a).post(
        reverse("members:create"), {**SHEET, "organization": tree["cell_a"].pk, "citizen_id": CID}
    )
    from django.test import Client

    admin = Client()
    admin.force_login(admin_user)
    response = admin.get(reverse("safeguards:index"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "bithu_a" in body and "127.0.0.1" in body and CID not in body
    assert reverse("safeguards:index") in admin.get("/").content.decode()  # linked from the menu
    other = Client()
    other.force_login(secretary_a)
    assert other.get(reverse("safeguards:index")).status_code == 404
    assert reverse("safeguards:index") not in other.get("/").content.decode()
