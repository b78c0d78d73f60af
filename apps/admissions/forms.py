from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import VNDateField
from apps.core.scoping import CHANGE
from apps.members.models import Member, Status
from apps.organizations.models import Organization

from .models import IntroducedBy, StepKind


class CaseForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Chi bộ xem xét"), queryset=Organization.objects.none())
    family_name = forms.CharField(label=_("Họ"), max_length=50)
    middle_name = forms.CharField(label=_("Tên đệm"), max_length=100, required=False)
    given_name = forms.CharField(label=_("Tên"), max_length=50)
    gender = forms.ChoiceField(label=_("Giới tính"), choices=[("male", _("Nam")), ("female", _("Nữ"))])
    birth_date = VNDateField(label=_("Ngày sinh"))
    ethnicity = forms.CharField(label=_("Dân tộc"), max_length=50, initial="Kinh")
    religion = forms.CharField(label=_("Tôn giáo"), max_length=50, required=False, initial="Không")
    hometown = forms.CharField(label=_("Quê quán"), max_length=255, required=False)
    residence = forms.CharField(label=_("Nơi cư trú"), max_length=255, required=False)
    occupation = forms.CharField(label=_("Nghề nghiệp, nơi làm việc"), max_length=255, required=False)
    general_education = forms.CharField(
        label=_("Trình độ giáo dục phổ thông"), max_length=20, required=False, help_text=_("Ví dụ: 12/12, 9/12.")
    )
    education_exception = forms.CharField(
        label=_("Trường hợp ngoại lệ về học vấn (căn cứ)"), max_length=255, required=False
    )

    def __init__(self, *args, cells=None, **kwargs):
        super().__init__(*args, **kwargs)
        if cells is not None:
            self.fields["organization"].queryset = cells  # type: ignore[attr-defined]


def _date(label):
    return VNDateField(label=label)


def _text(label, required=False, max_length=255):
    return forms.CharField(label=label, max_length=max_length, required=required)


def _area(label, required=False):
    return forms.CharField(label=label, required=required, widget=forms.Textarea(attrs={"rows": 2}))


def _count(label, required=False):
    return forms.IntegerField(label=label, min_value=0, max_value=10000, required=required)


class StepForm(forms.Form):
    """The form of one step; its fields depend on the kind (see `fields_for`)."""

    step = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, kind: str, case=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["step"].initial = kind
        self.fields["date"] = _date(DATE_LABELS.get(StepKind(kind), _("Ngày")))
        for name, field in fields_for(kind, case, user).items():
            self.fields[name] = field

    def clean_step(self):
        if self.cleaned_data["step"] != self.kind:
            raise forms.ValidationError(_("Bước không hợp lệ."))
        return self.kind


DATE_LABELS: dict = {
    StepKind.INTRODUCTION: _("Ngày giới thiệu"),
    StepKind.CLASS: _("Ngày cấp giấy chứng nhận"),
    StepKind.APPLICATION: _("Ngày làm đơn"),
    StepKind.SPONSORS: _("Ngày giới thiệu"),
    StepKind.BIOGRAPHY: _("Ngày kết luận thẩm tra"),
    StepKind.CELL_VOTE: _("Ngày chi bộ xét"),
    StepKind.PROPOSAL: _("Ngày đề nghị"),
    StepKind.DECISION: _("Ngày quyết định"),
    StepKind.CEREMONY: _("Ngày tổ chức lễ kết nạp"),
    StepKind.REVIEW_VOTE: _("Ngày chi bộ xét"),
    StepKind.RECOGNITION: _("Ngày quyết định"),
    StepKind.STOPPED: _("Ngày dừng"),
}


def fields_for(kind, case, user) -> dict:
    if kind == StepKind.INTRODUCTION:
        return {
            "introduced_by": forms.ChoiceField(label=_("Tổ chức giới thiệu"), choices=IntroducedBy.choices),
            "body": _text(_("Tên tổ chức đoàn thể (nếu không phải chi bộ)")),
        }
    if kind == StepKind.CLASS:
        return {"number": _text(_("Số giấy chứng nhận"), max_length=100), "body": _text(_("Nơi cấp"))}
    if kind == StepKind.APPLICATION:
        return {"note": _area(_("Ghi chú"))}
    if kind == StepKind.SPONSORS:
        members = Member.objects.none()
        if case is not None and user is not None:
            members = (
                Member.objects.restrict(user, CHANGE)
                .filter(organization=case.organization, status=Status.FULL)
                .order_by("sort_key", "pk")
            )
        return {
            "sponsor_1": forms.ModelChoiceField(label=_("Người giới thiệu thứ nhất"), queryset=members, required=False),
            "worked_since_1": VNDateField(label=_("Công tác cùng từ ngày"), required=False),
            "sponsor_2": forms.ModelChoiceField(label=_("Người giới thiệu thứ hai"), queryset=members, required=False),
            "worked_since_2": VNDateField(label=_("Công tác cùng từ ngày"), required=False),
            "youth_union_committee": _text(_("Hoặc Ban Chấp hành Đoàn cơ sở giới thiệu (thay một người)")),
        }
    if kind == StepKind.BIOGRAPHY:
        return {"person": _text(_("Người, cơ quan thẩm tra"), required=True), "note": _area(_("Kết luận thẩm tra"))}
    if kind in (StepKind.CELL_VOTE, StepKind.REVIEW_VOTE):
        from apps.meetings.models import Vote, VoteKind

        votes = Vote.objects.none()
        if case is not None and user is not None:
            vote_kind = VoteKind.ADMISSION if kind == StepKind.CELL_VOTE else VoteKind.RECOGNITION
            votes = (
                Vote.objects.restrict(user, CHANGE)
                .filter(meeting__organization=case.organization, kind=vote_kind)
                .select_related("meeting")
                .order_by("-meeting__date", "-pk")
            )
        out = {
            "meeting_vote": forms.ModelChoiceField(
                label=_("Biểu quyết đã ghi tại cuộc sinh hoạt (nếu có)"), queryset=votes, required=False
            ),
            "votes_for": _count(_("Số tán thành")),
            "votes_against": _count(_("Số không tán thành")),
            "full_members": _count(_("Số đảng viên chính thức của chi bộ (để trống: lấy từ danh sách)")),
            "note": _area(_("Ghi chú")),
        }
        if kind == StepKind.REVIEW_VOTE:
            out["late_reason"] = _area(_("Lý do chậm (nếu quá hạn)"))
        return out
    if kind in (StepKind.PROPOSAL, StepKind.DECISION):
        return {
            "number": _text(_("Số văn bản"), required=True, max_length=100),
            "body": _text(_("Cấp ủy ban hành (để trống: cấp ủy cấp trên của chi bộ)")),
        }
    if kind == StepKind.CEREMONY:
        return {"late_reason": _area(_("Lý do chậm (nếu quá hạn)")), "note": _area(_("Ghi chú"))}
    if kind == StepKind.RECOGNITION:
        return {
            "number": _text(_("Số quyết định"), required=True, max_length=100),
            "body": _text(_("Cấp ủy ban hành (để trống: cấp ủy cấp trên của chi bộ)")),
            "approved": forms.TypedChoiceField(
                label=_("Kết quả"),
                choices=[("1", _("Công nhận đảng viên chính thức")), ("0", _("Không công nhận, xóa tên"))],
                coerce=lambda v: v == "1",
            ),
        }
    if kind == StepKind.STOPPED:
        return {"note": _area(_("Lý do dừng xem xét"), required=True)}
    return {}


class HelperForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Đảng viên giúp đỡ"), queryset=Member.objects.none())
    date = VNDateField(label=_("Ngày phân công"))

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        if members is not None:
            self.fields["member"].queryset = members  # type: ignore[attr-defined]
