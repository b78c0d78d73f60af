import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from apps.library import services
from apps.library.models import Receipt

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_for():
    def make(user):
        client = APIClient()
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


def test_api_documents_and_receipts(tree, people, ward_staff, make_document, api_for):
    document = make_document(tree["ward"], "Nghị quyết về xây dựng Đảng", text="Chỉnh đốn Đảng")
    make_document(tree["ward"], "Kế hoạch năm")
    other = make_document(tree["ward2"], "Nghị quyết phường khác")
    services.dispatch_create(user=ward_staff, document=document, organization=tree["ward"], targets=[tree["cell_a"]])
    staff = api_for(ward_staff)
    found = staff.get("/api/library-documents/", {"q": "chinh don"}).json()["results"]
    assert [d["title"] for d in found] == ["Nghị quyết về xây dựng Đảng"]
    assert staff.get(f"/api/library-documents/{document.pk}/").json()["text"] == "Chỉnh đốn Đảng"
    assert staff.get(f"/api/library-documents/{other.pk}/").status_code == 404
    # The member sees the document sent to them and their receipt, and confirms study.
    hung = api_for(people["hung_user"])
    assert [d["title"] for d in hung.get("/api/library-documents/").json()["results"]] == [
        "Nghị quyết về xây dựng Đảng"
    ]
    receipts = hung.get("/api/library-receipts/").json()["results"]
    assert [r["member"] for r in receipts] == [people["hung"].pk]
    receipt_id = receipts[0]["id"]
    lan_receipt = Receipt.objects.get(member=people["lan"])
    # Neither the committee nor a fellow member confirms it for them.
    assert staff.post(f"/api/library-receipts/{receipt_id}/confirm/").status_code == 403
    assert api_for(people["lan_user"]).post(f"/api/library-receipts/{receipt_id}/confirm/").status_code == 404
    assert api_for(people["minh_user"]).post(f"/api/library-receipts/{receipt_id}/confirm/").status_code == 404
    assert Receipt.objects.filter(studied_at__isnull=False).count() == 0
    answer = hung.post(f"/api/library-receipts/{receipt_id}/confirm/")
    assert answer.status_code == 200
    assert answer.json()["studied_at"] is not None
    assert Receipt.objects.filter(studied_at__isnull=False).count() == 1
    lan_receipt.refresh_from_db()
    assert lan_receipt.studied_at is None
    # The committee lists the receipts in reach; another ward's staff none.
    assert len(staff.get("/api/library-receipts/", {"document": document.pk}).json()["results"]) == 2
    assert api_for(people["ward2_staff"]).get("/api/library-receipts/").json()["results"] == []
