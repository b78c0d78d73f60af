import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from apps.api.tests.shapes import legacy
from apps.voice.models import Petition, PetitionStatus

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def _file(world, org="cell_a"):
    return api(world["hung_user"]).post(
        "/api/petitions/",
        {"organization": world[org].pk, "kind": "petition", "title": "Đèn đường hỏng", "content": "Đề nghị sửa."},
        format="json",
    )


def test_a_member_files_and_reads_their_own(world):
    answer = _file(world)
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert (body["organization"], body["status"], body["member_name"]) == (world["cell_a"].pk, "new", "Nguyễn Văn Hùng")
    listed = api(world["hung_user"]).get("/api/petitions/").json()["results"]
    assert [p["id"] for p in listed] == [body["id"]]


def test_out_of_line_is_refused_in_vietnamese(world):
    answer = _file(world, org="cell_b")
    assert answer.status_code == 400
    assert "chi bộ của mình hoặc cấp ủy cấp trên" in legacy(answer)["organization"][0]
    assert Petition.objects.count() == 0


def test_outsiders_get_404_and_change_nothing(world):
    petition_id = _file(world).json()["id"]
    for name in ("secretary_b", "ward2_staff", "lan_user", "ward_staff"):
        client = api(world[name])
        assert client.get(f"/api/petitions/{petition_id}/").status_code == 404, name
        assert client.get("/api/petitions/").json()["results"] == [], name
        assert client.post(f"/api/petitions/{petition_id}/answer/", {"answer": "Giả"}, format="json").status_code == 404
        assert (
            client.post(f"/api/petitions/{petition_id}/assign/", {"handler": world[name].pk}, format="json").status_code
            == 404
        )
    petition = Petition.objects.get()
    assert (petition.status, petition.handler_id, petition.answer) == (PetitionStatus.NEW, None, "")


def test_the_handler_answers_and_others_are_refused(world):
    petition_id = _file(world).json()["id"]
    secretary = api(world["secretary_a"])
    refused = secretary.post(f"/api/petitions/{petition_id}/answer/", {"answer": "Chưa được giao"}, format="json")
    assert refused.status_code == 403
    assert "người được giao xử lý" in refused.json()["detail"]
    assigned = secretary.post(
        f"/api/petitions/{petition_id}/assign/", {"handler": world["secretary_a"].pk}, format="json"
    )
    assert assigned.status_code == 200
    assert assigned.json()["status"] == "assigned"
    version = assigned.json()["version"]
    answered = secretary.post(
        f"/api/petitions/{petition_id}/answer/",
        {"answer": "Đã báo điện lực.", "version": version},
        format="json",
    )
    assert answered.status_code == 200, answered.content
    assert answered.json()["status"] == "answered"
    mine = api(world["hung_user"]).get(f"/api/petitions/{petition_id}/").json()
    assert mine["answer"] == "Đã báo điện lực."


def test_a_stale_answer_is_refused(world):
    petition_id = _file(world).json()["id"]
    secretary = api(world["secretary_a"])
    secretary.post(f"/api/petitions/{petition_id}/assign/", {"handler": world["secretary_a"].pk}, format="json")
    stale = secretary.post(
        f"/api/petitions/{petition_id}/answer/", {"answer": "Cũ"}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert stale.status_code == 412
    assert Petition.objects.get().answer == ""
