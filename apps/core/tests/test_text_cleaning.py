"""Finding 8: text that breaks documents. One cleaning for forms, API and saves; documents never fail."""

import datetime as dt
import io
import json
import unicodedata

import docx
import pytest
from django.apps import apps as django_apps
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from apps.api.tests.shapes import legacy
from apps.core.cleaning import clean_text, migrate_app_text
from apps.core.documents import PartyDocument
from apps.core.text import fold, name_sort_key
from apps.members.models import Member
from apps.organizations.models import Organization

NFD_HUNG = unicodedata.normalize("NFD", "Hùng")
NFD_NGUYEN = unicodedata.normalize("NFD", "Nguyễn")


def _api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def _new_member(**overrides) -> dict:
    return {
        "family_name": "Trần",
        "middle_name": "Văn",
        "given_name": "Nam",
        "gender": "male",
        "birth_date": "1980-01-01",
        "admission_date": "2010-01-01",
        **overrides,
    }


def test_clean_text_rules():
    assert clean_text("Chi bộ\x01 khu\x14 phố 1") == "Chi bộ khu phố 1"
    assert clean_text(NFD_HUNG) == "Hùng" and len(clean_text(NFD_HUNG)) == 4
    assert clean_text("dòng 1\r\ndòng\x0b 2\tcột", multiline=True) == "dòng 1\ndòng 2\tcột"
    assert clean_text("dòng 1\ndòng 2") == "dòng 1 dòng 2"
    for bad, word in (("Hùng\x00", "NUL"), ("Hùng\ud800", "nửa cặp"), ("Hùng\u202egnuH", "chiều viết")):
        with pytest.raises(Exception) as error:
            clean_text(bad)
        assert word in error.value.messages[0]


@pytest.mark.django_db
def test_form_removes_control_characters_from_a_cells_name_and_its_documents_work(tree, secretary_a):
    client = Client()
    client.force_login(secretary_a)
    cell = tree["cell_a"]
    response = client.post(
        f"/to-chuc/{cell.pk}/doi-ten/",
        {"name": "Chi bộ\x01 khu phố\x14 Một", "on": "01/01/2024", "decision": "", "version": cell.version},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    cell.refresh_from_db()
    assert cell.name == "Chi bộ khu phố Một"


@pytest.mark.django_db
def test_form_refuses_bidirectional_override_in_a_name(tree, make_member, secretary_a):
    member = make_member(tree["cell_a"], "Nguyễn Văn Hùng")
    client = Client()
    client.force_login(secretary_a)
    from apps.core.tests.test_versions import _sheet_post

    response = client.post(
        f"/dang-vien/{member.pk}/sua/", _sheet_post(member, member.version, given_name="Hùng\u202eaxx")
    )
    assert response.status_code == 400
    assert "ký tự điều khiển chiều viết" in response.content.decode()
    member.refresh_from_db()
    assert member.given_name == "Hùng"


@pytest.mark.django_db
def test_api_stores_nfd_names_as_nfc_and_refuses_nul_surrogates_bidi(tree, ward_staff):
    client = _api(ward_staff)
    cell = tree["cell_a"].pk
    created = client.post(
        "/api/members/",
        _new_member(organization=cell, family_name=NFD_NGUYEN, given_name=NFD_HUNG, occupation="a\x01b"),
        format="json",
    )
    assert created.status_code == 201, created.json()
    member = Member.objects.get(pk=created.json()["id"])
    assert (member.family_name, member.given_name, member.occupation) == ("Nguyễn", "Hùng", "ab")
    assert member.pk in Member.objects.search("hung").values_list("pk", flat=True)

    count = Member.objects.count()
    for value, message in (
        ("Nam\u0000", "Văn bản có ký tự rỗng (NUL, U+0000): hãy gõ lại, không dán từ tệp nhị phân."),
        ("Nam\ud800", "Văn bản có ký tự Unicode không hợp lệ (nửa cặp thay thế): hãy gõ lại đoạn này."),
        ("\u202eNam", None),
    ):
        # json.dumps escapes the surrogate as \\ud800, as a client's JSON would carry it.
        body = json.dumps(_new_member(organization=cell, given_name=value))
        response = client.post("/api/members/", body, content_type="application/json")
        assert response.status_code == 400
        if message:
            assert legacy(response) == {"given_name": [message]}
        else:
            assert "chiều viết" in legacy(response)["given_name"][0]
    assert Member.objects.count() == count


def test_documents_never_fail_on_xml_illegal_characters():
    document = PartyDocument(
        title="Biên bản\x01",
        organization="Chi bộ\x14 khu phố 1",
        parent_organization="Đảng bộ\x00 phường",
        day=dt.date(2024, 1, 5),
        signatures=[("CHỦ TRÌ\x02", "Nguyễn Văn\x1f Hùng")],
    )
    document.paragraph("Nội dung\x0b có\x01 ký tự lạ").table([["A\x01", 1], ["B", None]])
    content = document.to_docx()
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(content)).paragraphs)
    assert "Nội dung có ký tự lạ" in text
    assert document.to_pdf().startswith(b"%PDF")


def test_search_and_sort_keys_see_nfc():
    assert fold(f"{NFD_NGUYEN} Văn {NFD_HUNG}") == fold("Nguyễn Văn Hùng") == "nguyen van hung"
    assert name_sort_key(NFD_NGUYEN, "Văn", NFD_HUNG) == name_sort_key("Nguyễn", "Văn", "Hùng")


@pytest.mark.django_db
def test_data_migration_cleans_rows_saved_before(tree, make_member):
    member = make_member(tree["cell_a"], "Nguyễn Văn Hùng")
    # Written around the save hook, as rows were before the cleaning existed.
    Member.objects.filter(pk=member.pk).update(given_name=NFD_HUNG, occupation="Giáo\x01 viên")
    Organization.objects.filter(pk=tree["cell_a"].pk).update(name="Chi bộ\x14 khu phố 1")
    migrate_app_text("members", batch_size=1)(django_apps, None)
    migrate_app_text("organizations", batch_size=2)(django_apps, None)
    member.refresh_from_db()
    assert (member.given_name, member.occupation) == ("Hùng", "Giáo viên")
    assert Organization.objects.get(pk=tree["cell_a"].pk).name == "Chi bộ khu phố 1"
