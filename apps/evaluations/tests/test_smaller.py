"""Issue 16 #14: the self-review form no longer defaults to the "centrally managed cadre" frame."""

from apps.evaluations import services
from apps.evaluations.models import Evaluation, Subject

from .conftest import dates


def test_the_self_review_form_preselects_no_frame_for_a_member(tree, cell_of, admin_user, make_user, client_for):
    member = cell_of(tree["cell_a"], 1)[0]
    user = make_user("dv", member=member)
    services.campaign_open(user=admin_user, organization=tree["ward"], year=2025, **dates(2025))
    e = Evaluation.objects.get(member=member)
    page = client_for(user).get(f"/danh-gia/ket-qua/{e.pk}/tu-kiem-diem/").content.decode()
    assert '<option value="" selected>— chọn khung tiêu chí —</option>' in page
    assert '<option value="central_cadre" selected>' not in page
    # Sent without choosing: a clear message, nothing saved.
    data = {"strengths": "Tốt", "shortcomings": "Không", "proposed_level": "3", "version": e.version}
    page = client_for(user).post(f"/danh-gia/ket-qua/{e.pk}/tu-kiem-diem/", data).content.decode()
    assert "Hãy chọn khung tiêu chí." in page
    assert Evaluation.objects.get(pk=e.pk).self_reviewed_at is None
    # A collective has one frame: it is chosen.
    cell = Evaluation.objects.get(organization=tree["cell_a"], subject=Subject.ORGANIZATION)
    page = client_for(admin_user).get(f"/danh-gia/ket-qua/{cell.pk}/tu-kiem-diem/").content.decode()
    assert '<option value="collective" selected>' in page
