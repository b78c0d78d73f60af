"""A candidate from introduction to full membership on a phone, as the cell secretary and the ward
officer, with the ceremony's deadline computed across Tết 2025, and the documents downloaded."""

import datetime as dt
import re

import pytest
from django.urls import get_resolver

from apps.admissions.models import AdmissionCase, CaseState, LifecycleRuleSet
from apps.admissions.rulesets import load
from apps.core.roles import Role
from apps.members.models import Status

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _step(page, fields, selects=None):
    form = page.locator("#step-form")
    for name, value in (selects or {}).items():
        form.locator(f"[name={name}]").select_option(str(value))
    for name, value in fields.items():
        form.locator(f"[name={name}]").fill(value)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def test_a_candidate_from_introduction_to_full_membership(tree, make_member, make_user, page_as):
    load(LifecycleRuleSet)
    assert get_resolver().url_patterns
    cell, ward = tree["cell_a"], tree["ward"]
    sponsors = [make_member(cell, name) for name in ("Lê Văn An", "Trần Thị Bình", "Phạm Văn Cường")]
    secretary = make_user("bithu", Role.CELL_SECRETARY, cell, include_subtree=False)
    officer = make_user("phuong", Role.COMMITTEE_STAFF, ward)

    page = page_as(secretary, phone=True)
    page.set_default_timeout(30000)
    page.goto("/")
    page.goto("/ket-nap/moi/")
    page.select_option("#id_organization", str(cell.pk))
    page.fill("#id_family_name", "Võ")
    page.fill("#id_middle_name", "Thị")
    page.fill("#id_given_name", "Hạnh")
    page.select_option("#id_gender", "female")
    page.fill("#id_birth_date", "15/03/1998")
    page.fill("#id_general_education", "12/12")
    page.click("form button[type=submit]")
    page.wait_for_url(re.compile(r"/ket-nap/\d+/$"))
    case = AdmissionCase.objects.get()
    _step(page, {"date": "02/09/2024"}, {"introduced_by": "youth_union"})
    assert "Hãy ghi tên tổ chức đoàn thể giới thiệu." in page.content()
    _step(page, {"date": "02/09/2024", "body": "Đoàn phường"}, {"introduced_by": "youth_union"})
    _step(page, {"date": "10/09/2024", "number": "12/GCN"})
    _step(page, {"date": "12/09/2024"})
    _step(
        page,
        {"date": "20/09/2024", "worked_since_1": "01/01/2015", "worked_since_2": "01/01/2015"},
        {"sponsor_1": sponsors[0].pk, "sponsor_2": sponsors[1].pk},
    )
    _step(page, {"date": "15/11/2024", "person": "Văn phòng Đảng ủy"})
    _step(page, {"date": "10/12/2024", "votes_for": "1"})
    assert "chưa đủ 2/3" in page.content()
    _step(page, {"date": "10/12/2024", "votes_for": "3"})
    assert page.locator("#waits-committee").is_visible()

    ward_page = page_as(officer, phone=True)
    ward_page.set_default_timeout(30000)
    ward_page.goto(f"/ket-nap/{case.pk}/")
    _step(ward_page, {"date": "20/12/2024", "number": "15-TTr/ĐU"})
    _step(ward_page, {"date": "20/01/2025", "number": "45-QĐ/ĐU"})
    steps = ward_page.locator("#case-steps").inner_text()
    # The ceremony: 30 working days after Mon 20/01/2025, Tết (27/01–31/01/2025) not counted:
    # 21–24/1 (4), 3–7/2 (9), 10–14/2 (14), 17–21/2 (19), 24–28/2 (24), 3–7/3 (29), Mon 10/03/2025 (30).
    assert "10/03/2025" in steps and "29 Tết" in steps and "ngày làm việc" in steps
    case.refresh_from_db()
    assert case.state == CaseState.PROBATION and case.member is not None
    assert case.member.status == Status.PROBATIONARY

    page.goto(f"/ket-nap/{case.pk}/")
    _step(page, {"date": "10/02/2025"})
    _step(page, {"date": "26/01/2026", "votes_for": "3"})
    with page.expect_download() as download:
        page.locator("#case-documents a", has_text=".docx").first.click()
    assert download.value.suggested_filename == f"don-{case.pk}.docx"

    ward_page.goto(f"/ket-nap/{case.pk}/")
    _step(ward_page, {"date": "02/03/2026", "number": "88-QĐ/ĐU"}, {"approved": "1"})
    case.refresh_from_db()
    assert case.state == CaseState.RECOGNIZED and case.member is not None
    assert case.member.full_membership_date == dt.date(2026, 1, 20)
    ward_page.goto(f"/dang-vien/{case.member_id}/")
    assert "Quyết định công nhận chính thức" in ward_page.locator("#admission-timeline").inner_text()
