import pytest
from rest_framework.test import APIClient

from apps.admissions.models import AdmissionCase, AdmissionStep

pytestmark = pytest.mark.django_db


def _client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_case_through_the_api(tree, secretary_a, sibling_secretary, other_ward_staff, full_members):
    api = _client(secretary_a)
    response = api.post(
        "/api/admission-cases/",
        {
            "organization": tree["cell_a"].pk,
            "family_name": "Võ",
            "given_name": "Hạnh",
            "gender": "female",
            "birth_date": "1998-03-15",
            "general_education": "12/12",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response.json()["next_step"] == "introduction"
    bad = api.post(f"/api/admission-cases/{pk}/steps/", {"kind": "class", "date": "2025-06-10"}, format="json")
    assert bad.status_code == 400 and "Giới thiệu quần chúng ưu tú" in bad.content.decode()
    ok = api.post(
        f"/api/admission-cases/{pk}/steps/",
        {"kind": "introduction", "date": "2025-06-02", "introduced_by": "cell"},
        format="json",
    )
    assert ok.status_code == 201, ok.content
    assert [c["id"] for c in api.get("/api/admission-cases/").json()["results"]] == [pk]
    for outsider in (sibling_secretary, other_ward_staff):
        other = _client(outsider)
        assert other.get(f"/api/admission-cases/{pk}/").status_code == 404
        assert (
            other.post(
                f"/api/admission-cases/{pk}/steps/", {"kind": "class", "date": "2025-06-10"}, format="json"
            ).status_code
            == 404
        )
        assert other.get("/api/admission-cases/").json()["results"] == []
    assert AdmissionStep.objects.count() == 1 and AdmissionCase.objects.count() == 1
