from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.pickers import PickField
from apps.organizations.models import Organization

from .models import Question, QuestionBank, QuestionKind, SurveyQuestionKind

DATETIME_FORMATS = ["%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %Hh%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"]
OPTION_SLOTS = 6
SURVEY_SLOTS = 6


class VNDateTimeField(forms.DateTimeField):
    """A moment typed as dd/mm/yyyy hh:mm, in Asia/Ho_Chi_Minh."""

    default_error_messages = {"invalid": _("Thời điểm không hợp lệ: hãy nhập theo dạng dd/mm/yyyy hh:mm.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", DATETIME_FORMATS)
        kwargs.setdefault(
            "widget",
            forms.DateTimeInput(
                format="%d/%m/%Y %H:%M", attrs={"placeholder": "dd/mm/yyyy hh:mm", "autocomplete": "off"}
            ),
        )
        super().__init__(**kwargs)


def _organization_field(label):
    return PickField("organization", reach="change", label=label, queryset=Organization.objects.none())


class BankForm(forms.Form):
    organization = _organization_field(_("Tổ chức đảng"))
    topic = forms.CharField(label=_("Chủ đề"), max_length=255)
    title = forms.CharField(label=_("Tên ngân hàng câu hỏi"), max_length=255)
    description = forms.CharField(label=_("Mô tả"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = (
            organizations if organizations is not None else Organization.objects.none()
        )


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Câu hỏi"), widget=forms.Textarea(attrs={"rows": 2}))
    kind = forms.ChoiceField(label=_("Loại câu hỏi"), choices=QuestionKind.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(1, OPTION_SLOTS + 1):
            self.fields[f"option_{i}"] = forms.CharField(
                label=_("Phương án %(n)s") % {"n": i}, max_length=500, required=False
            )
            self.fields[f"correct_{i}"] = forms.BooleanField(label=_("đúng"), required=False)

    def option_rows(self):
        return [(self[f"option_{i}"], self[f"correct_{i}"]) for i in range(1, OPTION_SLOTS + 1)]

    def options(self):
        data = self.cleaned_data
        return [(data.get(f"option_{i}", ""), data.get(f"correct_{i}", False)) for i in range(1, OPTION_SLOTS + 1)]


class AudienceFields(forms.Form):
    audience_org = PickField(
        "organization",
        reach="change",
        label=_("Người dự: đảng viên của tổ chức"),
        queryset=Organization.objects.none(),
        required=False,
    )
    include_subtree = forms.BooleanField(label=_("gồm cả tổ chức trực thuộc"), required=False, initial=True)
    card_numbers = forms.CharField(
        label=_("và/hoặc các đảng viên có số thẻ (mỗi dòng một số)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def card_list(self):
        return [line.strip() for line in (self.cleaned_data.get("card_numbers") or "").splitlines() if line.strip()]


class QuizForm(AudienceFields):
    organization = _organization_field(_("Tổ chức tổ chức thi"))
    title = forms.CharField(label=_("Tên bài kiểm tra"), max_length=255)
    description = forms.CharField(label=_("Hướng dẫn"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    opens_at = VNDateTimeField(label=_("Mở lúc"))
    closes_at = VNDateTimeField(label=_("Đóng lúc"))
    duration_minutes = forms.IntegerField(label=_("Thời gian làm bài (phút)"), min_value=1, initial=30)
    attempts_allowed = forms.IntegerField(label=_("Số lần được làm"), min_value=1, initial=1)
    pass_percent = forms.IntegerField(label=_("Điểm đạt (%)"), min_value=0, max_value=100, initial=50)
    bank = forms.ModelChoiceField(
        label=_("Rút câu hỏi từ ngân hàng"), queryset=QuestionBank.objects.none(), required=False
    )
    draw_count = forms.IntegerField(label=_("Số câu rút ngẫu nhiên"), min_value=1, required=False)
    questions = forms.ModelMultipleChoiceField(
        label=_("hoặc chọn từng câu hỏi"),
        queryset=Question.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    field_order = [
        "organization",
        "title",
        "description",
        "opens_at",
        "closes_at",
        "duration_minutes",
        "attempts_allowed",
        "pass_percent",
        "bank",
        "draw_count",
        "questions",
        "audience_org",
        "include_subtree",
        "card_numbers",
    ]

    def __init__(self, *args, organizations=None, banks=None, questions=None, **kwargs):
        super().__init__(*args, **kwargs)
        orgs = organizations if organizations is not None else Organization.objects.none()
        self.fields["organization"].queryset = orgs
        self.fields["audience_org"].queryset = orgs
        self.fields["bank"].queryset = banks if banks is not None else QuestionBank.objects.none()
        self.fields["questions"].queryset = questions if questions is not None else Question.objects.none()
        self.fields["questions"].label_from_instance = lambda q: f"[{q.bank.topic}] {q.text[:120]}"


class SurveyForm(AudienceFields):
    organization = _organization_field(_("Tổ chức khảo sát"))
    title = forms.CharField(label=_("Tên cuộc khảo sát"), max_length=255)
    description = forms.CharField(
        label=_("Mục đích, hướng dẫn"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    anonymous = forms.BooleanField(
        label=_("Ẩn danh (câu trả lời không gắn với người trả lời)"), required=False, initial=True
    )
    opens_at = VNDateTimeField(label=_("Mở lúc"))
    closes_at = VNDateTimeField(label=_("Đóng lúc"))

    field_order = ["organization", "title", "description", "anonymous", "opens_at", "closes_at"]

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        orgs = organizations if organizations is not None else Organization.objects.none()
        self.fields["organization"].queryset = orgs
        self.fields["audience_org"].queryset = orgs
        for i in range(1, SURVEY_SLOTS + 1):
            self.fields[f"question_{i}"] = forms.CharField(
                label=_("Câu hỏi %(n)s") % {"n": i}, max_length=1000, required=False
            )
            self.fields[f"kind_{i}"] = forms.ChoiceField(
                label=_("Loại"), choices=SurveyQuestionKind.choices, required=False
            )
            self.fields[f"choices_{i}"] = forms.CharField(
                label=_("Các phương án (mỗi dòng một phương án)"),
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
            )

    def question_rows(self):
        return [(self[f"question_{i}"], self[f"kind_{i}"], self[f"choices_{i}"]) for i in range(1, SURVEY_SLOTS + 1)]

    def main_fields(self):
        skip = ("question_", "kind_", "choices_")
        return [self[name] for name in self.fields if not name.startswith(skip)]

    def questions(self):
        data = self.cleaned_data
        out = []
        for i in range(1, SURVEY_SLOTS + 1):
            text = data.get(f"question_{i}") or ""
            if text.strip():
                choices = (data.get(f"choices_{i}") or "").splitlines()
                out.append((text, data.get(f"kind_{i}") or SurveyQuestionKind.SINGLE, choices))
        return out
