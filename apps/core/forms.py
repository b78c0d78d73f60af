"""Form helpers shared by every app."""

from collections.abc import Iterable

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.utils import ErrorDict
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from .files import DOCUMENT_KINDS, FileKind, validate_upload

# How officials type dates, first the document form.
DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]


def error_messages(error: ValidationError | PermissionDenied) -> list[str]:
    """Every message a service's refusal carries, flat (for the page's messages)."""
    if isinstance(error, PermissionDenied):
        return [str(error)] if str(error) else []
    if hasattr(error, "error_dict"):
        return [m for msgs in error.message_dict.values() for m in msgs]
    return list(error.messages)


def apply_errors(form: forms.Form, error: ValidationError | PermissionDenied, aliases: dict | None = None) -> None:
    """Show a service's refusal on the form: on the field it names when the form has it (`aliases`
    maps a service's argument names to the form's field names), else on the form. The bound form
    keeps what the user typed; a form never validated (a refusal before `is_valid`) shows it too."""
    if not hasattr(form, "cleaned_data"):
        form._errors, form.cleaned_data = ErrorDict(), {}
    if isinstance(error, PermissionDenied):
        error = ValidationError(str(error))
    aliases = aliases or {}
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            field = aliases.get(field, field)
            for message in messages:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def attempt(request, form, call, aliases: dict | None = None):
    """Run a service write: `(result, True)`, or `(None, False)` with its refusal on the bound form
    (which keeps the user's input) or, without a form, among the page's messages. A bare
    PermissionDenied (no message: the row is out of reach) answers 404, as the door does."""
    try:
        return call(), True
    except PermissionDenied as exc:
        if not str(exc):
            raise Http404 from exc
        error = exc
    except ValidationError as exc:
        error = exc
    if form is not None:
        apply_errors(form, error, aliases)
    else:
        for message in error_messages(error):
            messages.error(request, message)
    return None, False


class VNDateInput(forms.DateInput):
    """A date typed as dd/mm/yyyy (a picker would show the browser's locale, not the document's)."""

    input_type = "text"

    def __init__(self, attrs=None):
        super().__init__(
            attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", **(attrs or {})}, format="%d/%m/%Y"
        )


class VNDateField(forms.DateField):
    """A date typed as dd/mm/yyyy."""

    widget = forms.TextInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"})
    default_error_messages = {"invalid": _("Ngày không hợp lệ: hãy nhập theo dạng dd/mm/yyyy.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", DATE_FORMATS)
        kwargs.setdefault("error_messages", {"required": _("Hãy nhập ngày.")})
        super().__init__(**kwargs)

    def to_python(self, value):
        # A phone's number pad has no "/": eight digits are ddmmyyyy (10021990 is 10/02/1990).
        if isinstance(value, str) and len(digits := value.strip()) == 8 and digits.isdigit():
            value = f"{digits[:2]}/{digits[2:4]}/{digits[4:]}"
        return super().to_python(value)

    def prepare_value(self, value):
        if hasattr(value, "strftime"):
            return value.strftime("%d/%m/%Y")
        return value


class VersionedFormMixin:
    """An edit form that carries the version of the record it was opened on (hidden field).

    Pass `version=record.version` when building it (a ModelForm takes its instance's); read
    `form.expected_version` and give it to the service as `expected_version`.
    """

    def __init__(self, *args, version=None, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if version is None and instance is not None and instance.pk:
            version = getattr(instance, getattr(instance, "version_field", "version"), None)
        self.fields["version"] = forms.IntegerField(
            widget=forms.HiddenInput,
            required=False,
            min_value=0,
            initial=version,
            error_messages={"invalid": _("Phiên bản không hợp lệ.")},
        )

    @property
    def expected_version(self):
        return self.cleaned_data.get("version")

    def values_without_version(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class UploadField(forms.FileField):
    """A form's file input that accepts only `kinds` within `max_bytes` (default settings.UPLOAD_MAX_BYTES)."""

    def __init__(self, *, kinds: Iterable[FileKind] = DOCUMENT_KINDS, max_bytes: int | None = None, **kwargs):
        self.kinds = tuple(kinds)
        self.max_bytes = max_bytes
        accept = ",".join(f".{e}" for k in self.kinds for e in k.extensions)
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": accept}))
        kwargs.setdefault("error_messages", {"required": _("Hãy chọn tệp."), "empty": _("Tệp trống.")})
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload:
            validate_upload(upload, self.kinds, self.max_bytes)
        return upload


class AttachmentForm(forms.Form):
    """Attach a document to a record (apps.core.files.attach): an allowed type, a title if wanted."""

    title = forms.CharField(label=_("Tên tài liệu"), max_length=255, required=False)
    file = UploadField(label=_("Tệp (PDF, Word, Excel, ảnh…)"))


def attach_from_request(request, save) -> bool:
    """The POST of `core/partials/attachments.html`: `save(file=…, title=…)` (the owner's attach
    service) on a valid upload; each refusal, or the success, becomes a page message."""
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return False
    _result, ok = attempt(request, None, lambda: save(file=form.cleaned_data["file"], title=form.cleaned_data["title"]))
    if ok:
        messages.success(request, _("Đã đính kèm tài liệu."))
    return ok


def correction_reason_field():
    """The reason a change to an approved (locked) record is made (apps.core.locking.allow_change)."""
    return forms.CharField(label=_("Lý do sửa đổi (bắt buộc khi hồ sơ đã được duyệt)"), max_length=255, required=False)
