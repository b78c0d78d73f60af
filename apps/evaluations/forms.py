from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.forms import VersionedFormMixin, VNDateInput
from apps.core.scoping import CHANGE
from apps.organizations.models import Kind, Organization

from .models import NotClassifiedReason, RuleSet, TargetSubject

DATE_INPUTS = ["%d/%m/%Y", "%Y-%m-%d"]


def _date_field(label):
    return forms.DateField(label=label, input_formats=DATE_INPUTS, widget=VNDateInput())


def _level_choices(rule_set: RuleSet, blank=True):
    choices = [(lv.code, lv.label) for lv in rule_set.levels.all()]
    return ([("", _("— chọn mức —"))] if blank else []) + choices


class CampaignForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Tổ chức đảng"), queryset=Organization.objects.none())
    year = forms.IntegerField(label=_("Năm đánh giá"), min_value=1990, max_value=2100)
    self_review_due = _date_field(_("Hạn tự kiểm điểm"))
    review_due = _date_field(_("Hạn chi bộ kiểm điểm, biểu quyết"))
    decision_due = _date_field(_("Hạn cấp ủy quyết định"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = (
            Organization.objects.restrict(user, CHANGE).current().exclude(kind=Kind.PARTY_GROUP).order_by("path")
        )
        if not self.is_bound:
            self.initial.setdefault("year", timezone.localdate().year)


class SelfReviewForm(VersionedFormMixin, forms.Form):
    frame = forms.ChoiceField(label=_("Khung tiêu chí"), required=False)
    strengths = forms.CharField(label=_("Ưu điểm"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    shortcomings = forms.CharField(
        label=_("Hạn chế, khuyết điểm và nguyên nhân"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    remediation = forms.CharField(
        label=_("Kết quả khắc phục hạn chế, khuyết điểm đã được chỉ ra năm trước"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    proposed_level = forms.ChoiceField(label=_("Tự nhận mức xếp loại"), required=False)

    def __init__(self, *args, evaluation, **kwargs):
        super().__init__(*args, **kwargs)
        rule_set = evaluation.rule_set
        self.fields["proposed_level"].choices = _level_choices(rule_set)
        # Retired frames are no longer offered, except the one this evaluation already uses.
        frames = [f for f in rule_set.frames.prefetch_related("criteria") if f.active or f.pk == evaluation.frame_id]
        if frames:
            choices = [(f.code, f"{f.name} ({f.form})" if f.form else f.name) for f in frames]
            # The member chooses the frame that fits them: no frame is preselected unless there is
            # only one (a collective's), never the first one ("centrally managed cadres").
            self.fields["frame"].choices = (
                choices if len(choices) == 1 else [("", _("— chọn khung tiêu chí —")), *choices]
            )
        else:
            del self.fields["frame"]
        self.score_fields = []
        if rule_set.uses_points and frames:
            seen = set()
            for frame in frames:
                for c in frame.criteria.all():
                    if c.code in seen:
                        continue
                    seen.add(c.code)
                    name = f"score_{c.code}"
                    self.fields[name] = forms.CharField(
                        label=_("%(name)s (tối đa %(max)s điểm)") % {"name": c.name, "max": f"{c.max_points:g}"},
                        required=False,
                        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
                    )
                    self.score_fields.append(name)
        if not self.is_bound:
            e = evaluation
            self.initial.update(
                strengths=e.strengths,
                shortcomings=e.shortcomings,
                remediation=e.remediation,
                proposed_level=e.proposed_level.code if e.proposed_level_id else "",
                frame=e.frame.code if e.frame_id else (frames[0].code if len(frames) == 1 else ""),
            )
            for code, value in (e.scores or {}).items():
                self.initial[f"score_{code}"] = value

    def scores(self) -> dict:
        return {name.removeprefix("score_"): self.cleaned_data.get(name) for name in self.score_fields}


class ReviewForm(VersionedFormMixin, forms.Form):
    comments = forms.CharField(
        label=_("Ý kiến nhận xét của chi bộ"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    proposed_level = forms.ChoiceField(label=_("Chi bộ đề xuất mức"), required=False)
    points = forms.CharField(label=_("Điểm chi bộ chấm"), required=False)

    def __init__(self, *args, evaluation, **kwargs):
        super().__init__(*args, **kwargs)
        rule_set = evaluation.rule_set
        self.fields["proposed_level"].choices = _level_choices(rule_set)
        if not rule_set.uses_points:
            del self.fields["points"]
        self.vote_fields = []
        for lv in rule_set.levels.all():
            name = f"votes_{lv.code}"
            self.fields[name] = forms.CharField(
                label=_("Số phiếu “%(label)s”") % {"label": lv.label},
                required=False,
                widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 4}),
            )
            self.vote_fields.append(name)
        if not self.is_bound:
            e = evaluation
            self.initial.update(
                comments=e.review_comments,
                proposed_level=(
                    e.review_level.code if e.review_level_id else (e.proposed_level.code if e.proposed_level_id else "")
                ),
            )
            for code, n in (e.votes or {}).items():
                self.initial[f"votes_{code}"] = n

    def votes(self) -> dict:
        return {name.removeprefix("votes_"): self.cleaned_data.get(name) for name in self.vote_fields}


class NotClassifiedForm(forms.Form):
    reason = forms.ChoiceField(label=_("Lý do không xếp loại"), choices=[("", "—"), *NotClassifiedReason.choices])
    note = forms.CharField(label=_("Căn cứ, ghi chú"), required=False)


class RevisionForm(forms.Form):
    level = forms.ChoiceField(label=_("Mức mới"))
    distinguished = forms.BooleanField(label=_("Tiêu biểu"), required=False)
    reason = forms.CharField(label=_("Lý do điều chỉnh"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    decision = forms.CharField(label=_("Số quyết định"), required=False)
    exception_reason = forms.CharField(
        label=_("Lý do ngoại lệ (khi vượt quy định)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, evaluation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = _level_choices(evaluation.rule_set)
        if not evaluation.rule_set.distinction_label:
            del self.fields["distinguished"]


class TargetForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Tổ chức đảng"), queryset=Organization.objects.none())
    year = forms.IntegerField(label=_("Năm"), min_value=1990, max_value=2100)
    subject = forms.ChoiceField(label=_("Đối tượng"), choices=TargetSubject.choices)
    level_code = forms.ChoiceField(
        label=_("Đạt mức trở lên"),
        choices=[
            (1, _("Mức 1 (hoàn thành xuất sắc nhiệm vụ)")),
            (2, _("Mức 2 (hoàn thành tốt nhiệm vụ)")),
            (3, _("Mức 3 (hoàn thành nhiệm vụ)")),
            (4, _("Mức 4")),
        ],
    )
    percent = forms.CharField(label=_("Tỷ lệ (%)"), initial="100")
    text = forms.CharField(label=_("Nội dung chỉ tiêu (nếu muốn ghi khác)"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.restrict(user, CHANGE).current().order_by("path")


class RuleSetCopyForm(forms.Form):
    source = forms.ModelChoiceField(label=_("Sao chép từ bộ quy tắc"), queryset=RuleSet.objects.all())
    name = forms.CharField(label=_("Tên bộ quy tắc mới"), max_length=255)
    regulation = forms.CharField(label=_("Quy định"), max_length=100)
    guidance = forms.CharField(label=_("Hướng dẫn"), max_length=100, required=False)
    effective_from = _date_field(_("Áp dụng từ ngày"))
