import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.library import selectors, services
from apps.library.models import Bookmark, Dispatch, DispatchStatus, Document, Kind, Origin, Receipt

from .conftest import txt_upload

pytestmark = pytest.mark.django_db


def _titles(qs):
    return sorted(d.title for d in qs)


# --- Search ------------------------------------------------------------------------------------
def test_search_without_diacritics_finds_title_number_and_content(tree, admin_user, make_document):
    ward = tree["ward"]
    make_document(
        ward, "Nghị quyết về công tác xây dựng Đảng", number="04-NQ/ĐU", text="Chỉnh đốn Đảng trong sạch vững mạnh"
    )
    make_document(
        ward,
        "Kế hoạch học tập chuyên đề",
        kind=Kind.PLAN,
        number="12-KH/ĐU",
        text="Học tập và làm theo tư tưởng Hồ Chí Minh",
    )
    make_document(
        ward, "Đề án chuyển đổi số", kind=Kind.PROJECT, number="04-ĐA/HU", text="Ứng dụng công nghệ thông tin"
    )
    docs = Document.objects.restrict(admin_user)
    assert _titles(docs.search("xay dung dang")) == ["Nghị quyết về công tác xây dựng Đảng"]
    assert _titles(docs.search("HO CHI MINH")) == ["Kế hoạch học tập chuyên đề"]
    assert _titles(docs.search("trong sach")) == ["Nghị quyết về công tác xây dựng Đảng"]
    # A number is found by its parts, with or without diacritics and punctuation.
    assert _titles(docs.search("04-ĐA/HU")) == ["Đề án chuyển đổi số"]
    assert _titles(docs.search("04 da hu")) == ["Đề án chuyển đổi số"]
    # The words are the starts of words: "chuyen" finds "chuyển đổi" and "chuyên đề".
    assert _titles(docs.search("chuyen")) == ["Kế hoạch học tập chuyên đề", "Đề án chuyển đổi số"]
    # Every word must be there; a word inside another word does not match.
    assert _titles(docs.search("chuyen doi hoc")) == []
    assert _titles(docs.search("ang")) == []
    assert _titles(docs.search("  ")) == _titles(docs)


def test_search_reads_the_text_of_an_uploaded_file(tree, admin_user, make_document):
    document = services.document_create(
        user=admin_user,
        organization=tree["ward"],
        origin=Origin.LOCAL,
        kind=Kind.GUIDANCE,
        number="05-HD/ĐU",
        issued_on=None,
        issuer="Đảng ủy phường",
        title="Hướng dẫn sinh hoạt",
        validity="in_force",
        upload=txt_upload("Sinh hoạt chuyên đề hằng quý về phòng chống tham nhũng"),
    )
    assert document.file_name == "van-ban.txt"
    assert "tham nhũng" in document.text
    assert list(Document.objects.restrict(admin_user).search("tham nhung")) == [document]


def test_search_page(tree, ward_staff, make_document, client_for):
    make_document(tree["ward"], "Nghị quyết về công tác xây dựng Đảng")
    make_document(tree["ward"], "Kế hoạch năm")
    response = client_for(ward_staff).get(reverse("library:index"), {"q": "xay dung"})
    assert response.status_code == 200
    assert [d.title for d in response.context["documents"]] == ["Nghị quyết về công tác xây dựng Đảng"]


# --- Who sees what -------------------------------------------------------------------------------
def test_visibility(tree, people, secretary_a, ward_staff, make_document):
    make_document(tree["province"], "Điều lệ Đảng", origin=Origin.PARTY)
    province_local = make_document(tree["province"], "Kế hoạch của Tỉnh ủy")
    ward_doc = make_document(tree["ward"], "Nghị quyết của Đảng ủy phường")
    ward2_doc = make_document(tree["ward2"], "Nghị quyết phường Đông Hòa")

    def visible(user):
        return _titles(Document.objects.restrict(user))

    assert visible(ward_staff) == ["Nghị quyết của Đảng ủy phường", "Điều lệ Đảng"]
    assert visible(secretary_a) == ["Điều lệ Đảng"]
    assert visible(people["hung_user"]) == ["Điều lệ Đảng"]
    assert visible(people["ward2_staff"]) == ["Nghị quyết phường Đông Hòa", "Điều lệ Đảng"]
    assert len(visible(people["province_staff"])) == 4
    # Sent to cell A: its secretary and its members read it; cell B and the other ward do not.
    services.dispatch_create(user=ward_staff, document=ward_doc, organization=tree["ward"], targets=[tree["cell_a"]])
    assert "Nghị quyết của Đảng ủy phường" in visible(secretary_a)
    assert "Nghị quyết của Đảng ủy phường" in visible(people["hung_user"])
    assert "Nghị quyết của Đảng ủy phường" not in visible(people["secretary_b"])
    assert "Nghị quyết của Đảng ủy phường" not in visible(people["minh_user"])
    assert "Nghị quyết của Đảng ủy phường" not in visible(people["ward2_staff"])
    # Sent from the province to the ward: the cells below read it too.
    services.dispatch_create(
        user=people["province_staff"], document=province_local, organization=tree["province"], targets=[tree["ward"]]
    )
    assert "Kế hoạch của Tỉnh ủy" in visible(people["secretary_b"])
    assert "Kế hoạch của Tỉnh ủy" not in visible(people["ward2_staff"])
    assert ward2_doc.pk not in Document.objects.restrict(ward_staff).values_list("pk", flat=True)


def test_document_file_served_only_in_scope(tree, people, ward_staff, secretary_a, admin_user, client_for):
    document = services.document_create(
        user=ward_staff,
        organization=tree["ward"],
        origin=Origin.LOCAL,
        kind=Kind.RESOLUTION,
        number="09-NQ/ĐU",
        issuer="Đảng ủy phường",
        title="Nghị quyết chuyên đề",
        validity="in_force",
        upload=txt_upload("Nội dung mật"),
    )
    url = reverse("library:file", args=[document.pk])
    response = client_for(ward_staff).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == "Nội dung mật".encode()
    assert response["Content-Disposition"].startswith("attachment")
    for outsider in (secretary_a, people["ward2_staff"], people["hung_user"]):
        client_for(outsider)
        assert client_for(outsider).get(url).status_code == 404
    # Sent to cell A: now its secretary may download it, the sibling cell's may not.
    services.dispatch_create(user=ward_staff, document=document, organization=tree["ward"], targets=[tree["cell_a"]])
    assert client_for(secretary_a).get(url).status_code == 200
    assert client_for(people["secretary_b"]).get(url).status_code == 404


def test_bad_input_refused_nothing_changed(tree, ward_staff, make_document):
    with pytest.raises(ValidationError) as exc:
        make_document(tree["ward"], "", user=ward_staff)
    assert "title" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        make_document(tree["ward"], "Văn bản cũ", user=ward_staff, validity="replaced")
    assert exc.value.message_dict["replaced_by"] == ["Văn bản đã được thay thế: hãy chọn văn bản thay thế nó."]
    with pytest.raises(ValidationError) as exc:
        services.document_create(
            user=ward_staff,
            organization=tree["ward"],
            origin=Origin.LOCAL,
            kind=Kind.RESOLUTION,
            issuer="Đảng ủy",
            title="Có tệp lạ",
            validity="in_force",
            upload=txt_upload("<html><script>alert(1)</script></html>", name="x.html"),
        )
    assert "file" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        make_document(tree["ward2"], "Ngoài phạm vi", user=ward_staff)
    assert Document.objects.count() == 0


def test_replaced_document(tree, ward_staff, make_document):
    new = make_document(tree["ward"], "Quy định mới", user=ward_staff, kind=Kind.REGULATION)
    old = make_document(tree["ward"], "Quy định cũ", user=ward_staff, kind=Kind.REGULATION)
    services.document_update(
        user=ward_staff, document=old, expected_version=old.version, validity="replaced", replaced_by=new
    )
    old.refresh_from_db()
    assert (old.validity, old.replaced_by_id, old.version) == ("replaced", new.pk, 2)


# --- Sending -----------------------------------------------------------------------------------
def test_sending_creates_one_receipt_per_member_once(tree, people, ward_staff, make_document, make_member):
    document = make_document(tree["ward"], "Nghị quyết quý III")
    dispatch = services.dispatch_create(
        user=ward_staff, document=document, organization=tree["ward"], targets=[tree["ward"]]
    )
    dispatch.refresh_from_db()
    assert dispatch.status == DispatchStatus.DONE
    assert dispatch.receipt_count == 3
    got = sorted(Receipt.objects.filter(document=document).values_list("member__given_name", "organization__code"))
    assert got == [("Hùng", "T-BT-1"), ("Lan", "T-BT-1"), ("Minh", "T-BT-2")]
    # Sent again, to a cell and to a member already reached, plus a newcomer: one new receipt.
    newcomer = make_member(tree["cell_b"], "Võ Văn Tâm")
    again = services.dispatch_create(
        user=ward_staff,
        document=document,
        organization=tree["ward"],
        targets=[tree["cell_a"], tree["cell_b"]],
        members=[people["hung"]],
    )
    again.refresh_from_db()
    assert again.receipt_count == 1
    assert Receipt.objects.filter(document=document).count() == 4
    assert Receipt.objects.get(document=document, member=newcomer).dispatch_id == again.pk
    # The job run again (a worker restart) writes nothing.
    assert services.dispatch_run(again.pk) == 0
    assert Receipt.objects.filter(document=document).count() == 4


def test_sending_refused_outside_the_senders_subtree(tree, people, ward_staff, secretary_a, make_document):
    document = make_document(tree["ward"], "Nghị quyết")
    with pytest.raises(ValidationError) as exc:
        services.dispatch_create(
            user=ward_staff, document=document, organization=tree["ward"], targets=[tree["cell_c"]]
        )
    assert "targets" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.dispatch_create(user=ward_staff, document=document, organization=tree["ward"], members=[people["hoa"]])
    with pytest.raises(ValidationError):
        services.dispatch_create(user=ward_staff, document=document, organization=tree["ward"])
    # A cell's secretary cannot send from the ward, nor a document they cannot read.
    with pytest.raises(PermissionDenied):
        services.dispatch_create(
            user=secretary_a, document=document, organization=tree["ward"], targets=[tree["cell_a"]]
        )
    with pytest.raises(PermissionDenied):
        services.dispatch_create(
            user=secretary_a, document=document, organization=tree["cell_a"], targets=[tree["cell_a"]]
        )
    # Another ward's staff cannot send it.
    with pytest.raises(PermissionDenied):
        services.dispatch_create(
            user=people["ward2_staff"], document=document, organization=tree["ward2"], targets=[tree["cell_c"]]
        )
    assert Dispatch.objects.count() == 0
    assert Receipt.objects.count() == 0


def test_a_cell_forwards_a_document_it_received(tree, people, ward_staff, secretary_a, make_document):
    document = make_document(tree["province"], "Chỉ thị của Trung ương", origin=Origin.PARTY, kind=Kind.DIRECTIVE)
    services.dispatch_create(user=secretary_a, document=document, organization=tree["cell_a"], targets=[tree["cell_a"]])
    assert sorted(Receipt.objects.values_list("member__given_name", flat=True)) == ["Hùng", "Lan"]


# --- A member's reading -------------------------------------------------------------------------
def test_opened_and_confirmed_only_by_the_member(tree, people, ward_staff, secretary_a, make_document, client_for):
    document = make_document(tree["ward"], "Nghị quyết")
    services.dispatch_create(user=ward_staff, document=document, organization=tree["ward"], targets=[tree["cell_a"]])
    receipt = Receipt.objects.get(member=people["hung"])
    detail = reverse("library:detail", args=[document.pk])
    confirm = reverse("library:confirm", args=[document.pk])
    # The committee and a fellow member looking at it record nothing on Hùng's receipt.
    assert client_for(ward_staff).get(detail).status_code == 200
    assert client_for(ward_staff).post(confirm).status_code == 404
    assert client_for(secretary_a).post(confirm).status_code == 404
    assert client_for(people["lan_user"]).get(detail).status_code == 200
    with pytest.raises(PermissionDenied):
        services.receipt_confirm(user=ward_staff, receipt=receipt)
    with pytest.raises(PermissionDenied):
        services.receipt_open(user=people["lan_user"], receipt=receipt)
    receipt.refresh_from_db()
    assert (receipt.opened_at, receipt.studied_at) == (None, None)
    assert Receipt.objects.get(member=people["lan"]).opened_at is not None
    # Hùng opens it, then confirms.
    client = client_for(people["hung_user"])
    assert client.get(detail).status_code == 200
    receipt.refresh_from_db()
    assert receipt.opened_at is not None and receipt.studied_at is None
    opened = receipt.opened_at
    assert client.post(confirm).status_code == 302
    receipt.refresh_from_db()
    assert receipt.studied_at is not None and receipt.opened_at == opened
    # A member it was not sent to (cell B) cannot read it at all.
    assert client_for(people["minh_user"]).get(detail).status_code == 404
    assert client_for(people["minh_user"]).post(confirm).status_code == 404


def test_my_library_and_bookmarks(tree, people, ward_staff, make_document, client_for):
    sent = make_document(tree["ward"], "Nghị quyết gửi xuống")
    charter = make_document(tree["province"], "Điều lệ Đảng", origin=Origin.PARTY, kind=Kind.REGULATION)
    services.dispatch_create(user=ward_staff, document=sent, organization=tree["ward"], targets=[tree["cell_a"]])
    client = client_for(people["hung_user"])
    assert client.post(reverse("library:bookmark", args=[charter.pk]), {"on": "1"}).status_code == 302
    response = client.get(reverse("library:mine"))
    assert [r.document.title for r in response.context["receipts"]] == ["Nghị quyết gửi xuống"]
    assert [b.document.title for b in response.context["bookmarks"]] == ["Điều lệ Đảng"]
    client.post(reverse("library:bookmark", args=[charter.pk]), {"on": "0"})
    assert list(Bookmark.objects.values_list("active", flat=True)) == [False]
    # A document out of reach cannot be bookmarked.
    other = make_document(tree["ward2"], "Của phường khác")
    assert client.post(reverse("library:bookmark", args=[other.pk]), {"on": "1"}).status_code == 404
    assert Bookmark.objects.count() == 1


# --- Progress -----------------------------------------------------------------------------------
def test_progress_per_cell_hand_computed(tree, people, ward_staff, make_document, make_member, client_for):
    document = make_document(tree["ward"], "Nghị quyết")
    extra = make_member(tree["cell_b"], "Đỗ Thị Mai")
    services.dispatch_create(user=ward_staff, document=document, organization=tree["ward"], targets=[tree["ward"]])
    services.receipt_confirm(user=people["hung_user"], receipt=Receipt.objects.get(member=people["hung"]))
    services.receipt_open(user=people["lan_user"], receipt=Receipt.objects.get(member=people["lan"]))
    services.receipt_open(user=people["minh_user"], receipt=Receipt.objects.get(member=people["minh"]))
    assert extra.pk
    data = selectors.progress(ward_staff, document)
    rows = [(c.organization.code, c.received, c.opened, c.studied) for c in data["cells"]]
    # Cell A: 2 received, both opened, 1 studied; cell B: 2 received, 1 opened, none studied.
    assert rows == [("T-BT-1", 2, 2, 1), ("T-BT-2", 2, 1, 0)]
    assert (data["total"].received, data["total"].opened, data["total"].studied) == (4, 3, 1)
    response = client_for(ward_staff).get(reverse("library:progress", args=[document.pk]))
    body = response.content.decode()
    assert "2 (100,00%)" in body and "1 (50,00%)" in body and "3 (75,00%)" in body and "1 (25,00%)" in body
    # Cell A's secretary sees cell A only; the other ward's staff and a plain member see nothing.
    secretary_a_rows = selectors.progress(people["secretary_b"], document)["cells"]
    assert [(c.organization.code, c.received) for c in secretary_a_rows] == [("T-BT-2", 2)]
    assert client_for(people["ward2_staff"]).get(reverse("library:progress", args=[document.pk])).status_code == 404
    assert client_for(people["hung_user"]).get(reverse("library:progress", args=[document.pk])).status_code == 404


def test_progress_page_query_count_does_not_grow_with_cells(
    tree, admin_user, ward_staff, make_document, make_member, client_for
):
    from apps.organizations.models import Kind as OrgKind
    from apps.organizations.models import Sector
    from apps.organizations.services import organization_create

    document = make_document(tree["ward"], "Nghị quyết")
    url = reverse("library:progress", args=[document.pk])
    client = client_for(ward_staff)

    def add_cells(n, start):
        for i in range(n):
            cell = organization_create(
                user=admin_user,
                name=f"Chi bộ số {start + i}",
                code=f"T-BT-X{start + i}",
                kind=OrgKind.CELL,
                sector=Sector.RESIDENTIAL,
                parent=tree["ward"],
            )
            make_member(cell, "Nguyễn Văn An")

    def queries():
        Receipt.objects.all().delete()
        services.dispatch_run(
            services.dispatch_create(
                user=ward_staff, document=document, organization=tree["ward"], targets=[tree["ward"]]
            ).pk
        )
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        return len(ctx), len(response.context["cells"])

    add_cells(2, 0)
    few, cells_few = queries()
    add_cells(8, 2)
    many, cells_many = queries()
    assert (cells_few, cells_many) == (2, 10)
    assert many == few
    assert few <= 14
