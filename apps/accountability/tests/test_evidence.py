"""Issue 16 #2: the log feeds the evaluation. The year's evidence (log entries, discipline,
suggestions, open remediation, inspection findings) beside the self-review, the cell's review
and the committee's decision, for members and collectives; the year-end summary linked."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.accountability import services
from apps.accountability.models import AccessRecord
from apps.discipline.models import Discipline
from apps.evaluations import rulesets
from apps.evaluations import services as evaluation_services
from apps.evaluations.models import Criterion, Evaluation, Frame, Level, RuleSet, Subject
from apps.inspections.models import Inspection


@pytest.fixture
def campaign(tree, admin_user, year):
    rulesets.load(RuleSet, Level, Frame, Criterion)
    return evaluation_services.campaign_open(
        user=admin_user,
        organization=tree["ward"],
        year=year,
        self_review_due=dt.date(year, 12, 5),
        review_due=dt.date(year, 12, 15),
        decision_due=dt.date(year, 12, 31),
    )


@pytest.fixture
def records(people, tree, year, admin_user):
    hung, today = people["hung"], dt.date(year, 1, 15)
    services.logbook_add(
        user=people["sec_a"], member=hung, date=today, kind="strength", source="meeting", content="Tham luận tốt"
    )
    services.logbook_add(
        user=people["sec_a"], member=hung, date=today, kind="shortcoming", source="feedback", content="Đi họp muộn"
    )
    services.logbook_add(
        user=people["ward"],
        organization=tree["cell_a"],
        date=today,
        kind="shortcoming",
        source="inspection",
        content="Sinh hoạt chưa đều",
    )
    Discipline.objects.create(
        member=hung,
        subject_org=tree["cell_a"],
        subject_path=tree["cell_a"].path,
        form="reprimand",
        deciding_body="Chi bộ khu phố 1",
        decision="3-QĐ/CB",
        decided_on=today,
        reason="Vi phạm",
    )
    group = services.review_group_create(user=people["ward"], organization=tree["ward"], year=year, name="Đoàn số 1")
    target = services.review_target_add(user=people["ward"], group=group, member=hung, mode="in_depth")
    services.review_target_record(user=people["ward"], target=target, suggestions="Làm rõ việc đi họp muộn")
    services.remediation_plan_create(
        user=people["hung_user"],
        year=year,
        title="Khắc phục đi họp muộn",
        owner_name="Hùng",
        member=hung,
        actions=[("Đi họp đúng giờ", today + dt.timedelta(days=30))],
    )
    Inspection.objects.create(
        organization=tree["ward"],
        org_path=tree["ward"].path,
        kind="signs",
        title="Kiểm tra khi có dấu hiệu vi phạm",
        subject_member=hung,
        subject_path=tree["cell_a"].path,
        findings="Có vi phạm về giờ giấc",
        conclusion="violation",
        concluded_on=today,
        status="concluded",
    )
    return hung


def _evaluation(member=None, organization=None):
    if member is not None:
        return Evaluation.objects.get(member=member)
    return Evaluation.objects.get(organization=organization, subject=Subject.ORGANIZATION)


def _evidence_texts(page):
    return page.context["evidence_sections"][0]["evidence"]


def test_self_review_and_cell_review_show_the_evidence(records, campaign, people, client_for):
    e = _evaluation(member=records)
    for user, url in (
        (people["hung_user"], f"/danh-gia/ket-qua/{e.pk}/tu-kiem-diem/"),
        (people["sec_a"], f"/danh-gia/ket-qua/{e.pk}/chi-bo/"),
    ):
        page = client_for(user).get(url)
        assert page.status_code == 200, url
        html = page.content.decode()
        for text in (
            "Tham luận tốt",
            "Đi họp muộn",
            "Khiển trách",
            "3-QĐ/CB",
            "Đi họp đúng giờ",
        ):
            assert text in html, (url, text)
        assert "Sinh hoạt chưa đều" not in html  # the cell's own log stays with the cell's review
        # Review targets are scoped by their subject (issue 16 #8): the suggestion reaches the
        # member and the cell reviewing them.
        assert "Làm rõ việc đi họp muộn" in html, (url, "suggestion")
    # The cell secretary's reading of the discipline and the plan is in the one log; the member's own is not.
    assert set(
        AccessRecord.objects.filter(user=people["sec_a"], place="evaluation_page").values_list("kind", flat=True)
    ) == {"discipline", "remediation", "evaluation"}
    assert not AccessRecord.objects.filter(user=people["hung_user"], kind__in=["discipline", "remediation"]).exists()


def test_the_committee_sees_counts_and_the_summary_not_the_private_plan(records, campaign, people, client_for, tree):
    e = _evaluation(member=records)
    page = client_for(people["ward"]).get(f"/danh-gia/dot/{campaign.pk}/quyet-dinh/{tree['ward'].pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Sổ theo dõi: 2 mục · kỷ luật: 1 · việc khắc phục chưa xong: 1" in html
    assert f'href="/tu-soi-tu-sua/tong-hop/{records.pk}/{e.year}/"' in html
    summary = client_for(people["ward"]).get(f"/tu-soi-tu-sua/tong-hop/{records.pk}/{e.year}/")
    ev = summary.context["evidence"]
    assert [x.content for x in ev.entries] == ["Tham luận tốt", "Đi họp muộn"]
    assert [d.decision for d in ev.disciplines] == ["3-QĐ/CB"]
    assert [t.suggestions for t in ev.suggestions] == ["Làm rõ việc đi họp muộn"]
    assert [i.findings for i in ev.inspections] == ["Có vi phạm về giờ giấc"]
    assert ev.open_actions == [] and ev.hidden_plans == 1  # the member's plan stays private
    assert "1 kế hoạch khắc phục riêng tư còn việc chưa xong" in summary.content.decode()


def test_a_collective_has_its_summary_and_evidence(records, campaign, people, client_for, tree, year):
    Discipline.objects.create(
        organization=tree["cell_a"],
        subject_org=tree["cell_a"],
        subject_path=tree["cell_a"].path,
        form="reprimand",
        deciding_body="Đảng ủy phường",
        decided_on=dt.date(year, 2, 1),
        reason="Lãnh đạo yếu",
    )
    e = _evaluation(organization=tree["cell_a"])
    page = client_for(people["sec_a"]).get(f"/danh-gia/ket-qua/{e.pk}/tu-kiem-diem/")
    ev = _evidence_texts(page)
    assert [x.content for x in ev.entries] == ["Sinh hoạt chưa đều"]
    assert [d.reason for d in ev.disciplines] == ["Lãnh đạo yếu"]
    url = f"/tu-soi-tu-sua/tong-hop/to-chuc/{tree['cell_a'].pk}/{year}/"
    assert page.context["evidence_sections"][0]["summary_url"] == url
    summary = client_for(people["ward"]).get(url)
    assert summary.status_code == 200
    assert "Sinh hoạt chưa đều" in summary.content.decode()
    assert "Lãnh đạo yếu" not in summary.content.decode()  # the reason is on the decision's page
    assert client_for(people["sec_b"]).get(url).status_code == 404
    assert client_for(people["ward2"]).get(url).status_code == 404


def test_the_summary_is_linked_from_the_member_page_and_the_review_group(records, people, client_for, year):
    page = client_for(people["sec_a"]).get(f"/dang-vien/{records.pk}/")
    assert f'href="/tu-soi-tu-sua/tong-hop/{records.pk}/{year}/"' in page.content.decode()
    page = client_for(people["hung_user"]).get(f"/dang-vien/{records.pk}/")
    if page.status_code == 200:
        assert f'href="/tu-soi-tu-sua/tong-hop/{records.pk}/{year}/"' in page.content.decode()
    from apps.accountability.models import ReviewGroup

    g = ReviewGroup.objects.get()
    page = client_for(people["ward"]).get(f"/tu-soi-tu-sua/doan-kiem-diem/{g.pk}/")
    assert f'href="/tu-soi-tu-sua/tong-hop/{records.pk}/{year}/"' in page.content.decode()
    # A sibling cell's secretary sees no link to what they cannot open.
    assert client_for(people["sec_b"]).get(f"/tu-soi-tu-sua/tong-hop/{records.pk}/{year}/").status_code == 404


def test_queries_do_not_grow_with_the_log(records, people, client_for, year, campaign):
    url = f"/tu-soi-tu-sua/tong-hop/{records.pk}/{year}/"
    client = client_for(people["sec_a"])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for i in range(25):
        services.logbook_add(
            user=people["sec_a"],
            member=records,
            date=dt.date(year, 1, 1),
            kind="strength",
            source="meeting",
            content=f"Mục {i}",
        )
    with CaptureQueriesContext(connection) as many:
        page = client.get(url)
    assert len(page.context["evidence"].entries) == 27
    assert len(many) == len(few)
    e = _evaluation(member=records)
    review = f"/danh-gia/ket-qua/{e.pk}/chi-bo/"
    with CaptureQueriesContext(connection) as on_review:
        client.get(review)
    services.logbook_add(
        user=people["sec_a"], member=records, date=dt.date(year, 1, 2), kind="strength", source="meeting", content="X"
    )
    with CaptureQueriesContext(connection) as on_review_more:
        client.get(review)
    assert len(on_review_more) == len(on_review)


def test_the_member_opens_their_own_summary_and_no_one_elses(records, people, client_for, year, make_member, tree):
    own = client_for(people["hung_user"]).get(f"/tu-soi-tu-sua/tong-hop/{records.pk}/{year}/")
    assert own.status_code == 200
    assert [x.content for x in own.context["evidence"].entries] == ["Tham luận tốt", "Đi họp muộn"]
    assert [a.action for a in own.context["evidence"].open_actions] == ["Đi họp đúng giờ"]
    neighbour = make_member(tree["cell_a"], "Lê Thị Bên")
    assert client_for(people["hung_user"]).get(f"/tu-soi-tu-sua/tong-hop/{neighbour.pk}/{year}/").status_code == 404
    cell = f"/tu-soi-tu-sua/tong-hop/to-chuc/{tree['cell_a'].pk}/{year}/"
    assert client_for(people["hung_user"]).get(cell).status_code == 404
    assert not AccessRecord.objects.filter(user=people["hung_user"]).exclude(kind="evaluation").exists()


def test_the_evaluation_page_links_the_summary_without_reading_it(records, campaign, people, client_for, year):
    e = _evaluation(member=records)
    page = client_for(people["sec_a"]).get(f"/danh-gia/ket-qua/{e.pk}/")
    assert f'href="/tu-soi-tu-sua/tong-hop/{records.pk}/{year}/"' in page.content.decode()
    assert not AccessRecord.objects.filter(user=people["sec_a"], kind__in=["discipline", "remediation"]).exists()
