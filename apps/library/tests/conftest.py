import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.core.roles import Role
from apps.library import services
from apps.library.models import Kind, Origin


@pytest.fixture
def make_document(admin_user):
    def make(organization, title="Nghị quyết về xây dựng Đảng", user=None, **fields):
        values = {
            "origin": Origin.LOCAL,
            "kind": Kind.RESOLUTION,
            "number": "01-NQ/ĐU",
            "issued_on": dt.date(2025, 6, 1),
            "issuer": "Ban Chấp hành Đảng bộ",
            "title": title,
            "validity": "in_force",
        }
        values.update(fields)
        return services.document_create(user=user or admin_user, organization=organization, **values)

    return make


@pytest.fixture
def people(tree, make_member, make_user):
    """Two members in cell A, one in cell B, one in cell C (the other ward); users for some."""
    hung = make_member(tree["cell_a"], "Nguyễn Văn Hùng")
    lan = make_member(tree["cell_a"], "Trần Thị Lan")
    minh = make_member(tree["cell_b"], "Lê Văn Minh")
    hoa = make_member(tree["cell_c"], "Phạm Thị Hoa")
    return {
        "hung": hung,
        "lan": lan,
        "minh": minh,
        "hoa": hoa,
        "hung_user": make_user("hung", Role.MEMBER, tree["cell_a"], include_subtree=False, member=hung),
        "lan_user": make_user("lan", Role.MEMBER, tree["cell_a"], include_subtree=False, member=lan),
        "minh_user": make_user("minh", Role.MEMBER, tree["cell_b"], include_subtree=False, member=minh),
        "hoa_user": make_user("hoa", Role.MEMBER, tree["cell_c"], include_subtree=False, member=hoa),
        "secretary_b": make_user("bithu_b", Role.CELL_SECRETARY, tree["cell_b"], include_subtree=False),
        "ward2_staff": make_user("dangu_dh", Role.COMMITTEE_STAFF, tree["ward2"]),
        "province_staff": make_user("tinhuy", Role.COMMITTEE_STAFF, tree["province"]),
    }


def txt_upload(text="Nội dung văn bản", name="van-ban.txt"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/plain")
