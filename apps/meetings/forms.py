from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import UploadField, VersionedFormMixin
from apps.members.models import Member

from .models import Kind, Meeting, Theme, VoteKind

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


def date_field(label, required=True):
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


def time_field(label, required=False):
    return forms.TimeField(
        label=label, required=required, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )


def cell_members(organization):
    return organization.members.current().order_by("sort_key", "pk")


class MeetingForm(VersionedFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Loại sinh hoạt"), choices=Kind.choices)
    date = date_field(_("Ngày"))
    start_time = time_field(_("Giờ bắt đầu"))
    place = forms.CharField(label=_("Địa điểm"), required=False, max_length=255)
    theme_ref = forms.ModelChoiceField(label=_("Chủ đề gợi ý"), queryset=Theme.objects.none(), required=False)
    theme = forms.CharField(label=_("Chủ đề"), required=False, max_length=255)
    agenda = forms.CharField(
        label=_("Nội dung, chương trình"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    resolution_drafter = forms.ModelChoiceField(
        label=_("Người chuẩn bị dự thảo nghị quyết"), queryset=Member.objects.none(), required=False
    )
    presenters = forms.ModelMultipleChoiceField(
        label=_("Đảng viên được phân công tham luận"),
        queryset=Member.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, organization, current_theme=None, **kwargs):
        super().__init__(*args, **kwargs)
        themes = Theme.objects.for_organization(organization)
        if current_theme is not None:  # a retired theme stays on the meeting that has it
            themes = themes | Theme.objects.filter(pk=current_theme.pk)
        self.fields["theme_ref"].queryset = themes
        members = cell_members(organization)
        self.fields["resolution_drafter"].queryset = members
        self.fields["presenters"].queryset = members


class QuarterPlanForm(forms.Form):
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(label=_("Quý"), coerce=int, choices=[(q, q) for q in (1, 2, 3, 4)])
    day = forms.IntegerField(label=_("Ngày sinh hoạt hằng tháng"), min_value=1, max_value=31, initial=5)
    start_time = time_field(_("Giờ bắt đầu"))
    place = forms.CharField(label=_("Địa điểm"), required=False, max_length=255)
    thematic_month = forms.TypedChoiceField(
        label=_("Tháng kết hợp sinh hoạt chuyên đề"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=[("", "—")] + [(m, m) for m in range(1, 13)],
    )
    thematic_theme = forms.CharField(label=_("Chủ đề sinh hoạt chuyên đề"), required=False, max_length=255)


class ThemeForCellsForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Loại sinh hoạt"),
        choices=[
            (Kind.REGULAR, Kind.REGULAR.label),
            (Kind.THEMATIC, Kind.THEMATIC.label),
            (Kind.COMBINED, Kind.COMBINED.label),
        ],
    )
    on = date_field(_("Ngày (cho chi bộ chưa có kế hoạch tháng đó)"))
    theme_ref = forms.ModelChoiceField(label=_("Chủ đề gợi ý"), queryset=Theme.objects.none(), required=False)
    theme = forms.CharField(label=_("Chủ đề"), required=False, max_length=255)

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme_ref"].queryset = Theme.objects.for_organization(organization)


class PresenterForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Đảng viên"), queryset=Member.objects.none())
    topic = forms.CharField(label=_("Nội dung tham luận"), max_length=255)

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = cell_members(organization)


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Tên tài liệu"), max_length=255)
    file = UploadField(label=_("Tệp (PDF, Word, Excel, OpenDocument, ảnh JPG/PNG, .txt)"))


class ConductForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Meeting
        fields = [
            "purpose_announced",
            "minute_taker_appointed",
            "attendance_reported",
            "agenda_adopted",
            "minutes_read_back",
            "chair",
            "minute_taker",
            "higher_representative",
            "higher_representative_name",
            "guests",
        ]
        widgets = {"guests": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, overseers=(), **kwargs):
        super().__init__(*args, **kwargs)
        members = cell_members(self.instance.organization)
        self.fields["chair"].queryset = members
        self.fields["minute_taker"].queryset = members
        self.fields["higher_representative"].queryset = Member.objects.filter(pk__in=[m.pk for m in overseers]).vouched(
            "the overseers the view found for the meeting's cell, loaded through the door"
        )


class TimesForm(forms.Form):
    started_at = forms.DateTimeField(
        label=_("Bắt đầu"),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    ended_at = forms.DateTimeField(
        label=_("Kết thúc"),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class MinutesForm(VersionedFormMixin, forms.Form):
    number = forms.CharField(label=_("Số nghị quyết"), required=False, max_length=50)
    discussion = forms.CharField(
        label=_("Diễn biến, thảo luận"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    conclusions = forms.CharField(label=_("Kết luận"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    results = forms.CharField(
        label=_("I. Kết quả thực hiện nhiệm vụ"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    direction = forms.CharField(
        label=_("II. Phương hướng, nhiệm vụ"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    assignments = forms.CharField(
        label=_("III. Phân công tổ chức thực hiện"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    self_assessment = forms.CharField(
        label=_("IV. Tự đánh giá chất lượng sinh hoạt"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CorrectionForm(MinutesForm):
    correction_reason = forms.CharField(label=_("Lý do sửa đổi"), max_length=255)


class ContributionForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Đảng viên"), queryset=Member.objects.none())
    summary = forms.CharField(label=_("Ý kiến phát biểu"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = cell_members(organization)


class VoteForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại biểu quyết"), choices=VoteKind.choices)
    subject = forms.CharField(label=_("Nội dung biểu quyết"), max_length=255)
    votes_for = forms.IntegerField(label=_("Tán thành"), min_value=0)
    votes_against = forms.IntegerField(label=_("Không tán thành"), min_value=0, initial=0)
    votes_abstain = forms.IntegerField(label=_("Không biểu quyết"), min_value=0, initial=0)


class QualityConfirmForm(forms.Form):
    level = forms.ChoiceField(label=_("Mức chất lượng"))
    meets_quality = forms.BooleanField(label=_("Đạt chất lượng"), required=False)
    reason = forms.CharField(
        label=_("Lý do (bắt buộc nếu thay đổi)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, levels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [(lv["label"], lv["label"]) for lv in levels]


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Lý do hủy"), max_length=255)


class CloseForm(forms.Form):
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    month = forms.IntegerField(label=_("Tháng"), min_value=1, max_value=12)


class BackfillForm(forms.Form):
    starts_on = date_field(_("Từ ngày"))
    ends_on = date_field(_("Đến ngày"))
    open_until = date_field(_("Hạn ghi bổ sung"))
    reason = forms.CharField(
        label=_("Lý do"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Ví dụ: đưa sổ sinh hoạt giấy năm 2020 vào hệ thống, theo yêu cầu so sánh của cấp trên."),
    )
