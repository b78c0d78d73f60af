"""One cleaning of every piece of text that enters the system, whatever door it comes through.

- Unicode NFC: a name typed with combining marks (NFD, as some keyboards and macOS send it) is
  stored like the same name typed precomposed, so comparisons, uniqueness and search agree.
- Control characters (U+0000–U+001F, U+007F–U+009F) are removed: they make the XML of a .docx
  illegal. Multi-line text keeps line breaks and tabs; single-line text turns them into spaces.
- Refused with a Vietnamese message: NUL (U+0000), lone surrogates (they cannot be stored as
  UTF-8) and bidirectional overrides/isolates (U+202A–U+202E, U+2066–U+2069, which make a name
  display as something else than it is).

Where it is applied (see `install()`, called from apps.core.apps):
- every Django form `CharField` (and subclasses: e-mail, slug …), in the pages and the admin;
- the API's `apps.api.fields.CharField`, which also refuses non-strings (`"name": 0`);
- every model save of the project's apps (`pre_save`), as the last line behind both, for writes
  that come from services called by code (imports, demo, shell): there nothing is refused, the
  offending characters are dropped.
"""

import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.signals import pre_save
from django.utils.translation import gettext_lazy as _

BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_SURROGATE = re.compile("[\ud800-\udfff]")
# C0 and C1 controls, DEL. Line breaks and tabs are handled separately.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LINE_BREAKS = re.compile("\r\n|\r|\u2028|\u2029|\x85")
# Characters XML 1.0 does not allow at all (python-docx and reportlab write XML).
# Anything `tidy` would change besides normalization (one search: the common case is fast).
_NEEDS_WORK = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

MESSAGES = {
    "nul": _("Văn bản có ký tự rỗng (NUL, U+0000): hãy gõ lại, không dán từ tệp nhị phân."),
    "surrogate": _("Văn bản có ký tự Unicode không hợp lệ (nửa cặp thay thế): hãy gõ lại đoạn này."),
    "bidi": _(
        "Văn bản có ký tự điều khiển chiều viết (U+202A–U+202E, U+2066–U+2069) làm chữ hiển thị sai: hãy gõ lại."
    ),
}


def problem(text: str) -> str | None:
    """The code of the first reason `text` must be refused (see MESSAGES), or None."""
    if "\x00" in text:
        return "nul"
    if _SURROGATE.search(text):
        return "surrogate"
    if any(ch in BIDI_CONTROLS for ch in text):
        return "bidi"
    return None


def tidy(text: str, *, multiline: bool = False) -> str:
    """NFC, controls removed, bidirectional controls removed, line breaks kept only in multi-line text.

    Never refuses: what `check` would refuse is dropped (surrogates included).
    """
    if not text:
        return text
    if not _NEEDS_WORK.search(text):
        return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)
    text = _SURROGATE.sub("", text)
    text = "".join(ch for ch in text if ch not in BIDI_CONTROLS)
    text = _LINE_BREAKS.sub("\n", text)
    if not multiline:
        text = text.replace("\n", " ").replace("\t", " ")
    text = _CONTROLS.sub("", text)
    return unicodedata.normalize("NFC", text)


def clean_text(text, *, multiline: bool = False):
    """Refuse what must be refused (ValidationError, Vietnamese), then `tidy`. Non-strings pass."""
    if not isinstance(text, str):
        return text
    code = problem(text)
    if code:
        raise ValidationError(MESSAGES[code], code=code)
    return tidy(text, multiline=multiline)


def xml_safe(text) -> str:
    """Text with the characters XML cannot hold removed (for document generators)."""
    return XML_ILLEGAL.sub("", str(text if text is not None else ""))


# --- forms ---------------------------------------------------------------------------------------


def _form_is_multiline(field: forms.Field) -> bool:
    return isinstance(field.widget, forms.Textarea)


def _install_forms() -> None:
    original = forms.CharField.to_python
    if getattr(original, "_chibo_cleaning", False):
        return

    def to_python(self, value):
        if isinstance(value, str):
            value = clean_text(value, multiline=_form_is_multiline(self))
        return original(self, value)

    to_python._chibo_cleaning = True
    forms.CharField.to_python = to_python


# --- models --------------------------------------------------------------------------------------


def _text_fields(model) -> list[tuple[str, bool]]:
    cached = model.__dict__.get("_chibo_text_fields")
    if cached is None:
        cached = [
            (field.attname, isinstance(field, models.TextField))
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField) and not field.choices
        ]
        model._chibo_text_fields = cached
    return cached


def tidy_instance(instance) -> None:
    for attname, multiline in _text_fields(type(instance)):
        value = getattr(instance, attname)
        if isinstance(value, str) and value:
            setattr(instance, attname, tidy(value, multiline=multiline))


def _tidy_on_save(sender, instance, raw=False, **kwargs):
    if raw or not sender.__module__.startswith("apps."):
        return
    tidy_instance(instance)


def install() -> None:
    _install_forms()
    pre_save.connect(_tidy_on_save, dispatch_uid="apps.core.cleaning.tidy_on_save")


# --- data migrations -----------------------------------------------------------------------------


def migrate_app_text(app_label: str, batch_size: int = 2000):
    """A RunPython function that tidies the text of every row of `app_label`'s models, in batches."""

    def run(apps, schema_editor):
        for model in apps.get_app_config(app_label).get_models():
            fields = [
                (f.attname, isinstance(f, models.TextField))
                for f in model._meta.concrete_fields
                if isinstance(f, models.CharField | models.TextField) and not f.choices and not f.primary_key
            ]
            if not fields:
                continue
            names = [name for name, _multi in fields]
            last_pk = None
            while True:
                qs = model._base_manager.order_by("pk")
                if last_pk is not None:
                    qs = qs.filter(pk__gt=last_pk)
                rows = list(qs.only("pk", *names)[:batch_size])
                if not rows:
                    break
                last_pk = rows[-1].pk
                changed, touched = [], set()
                for row in rows:
                    dirty = False
                    for name, multiline in fields:
                        value = getattr(row, name)
                        if isinstance(value, str) and value:
                            cleaned = tidy(value, multiline=multiline)
                            if cleaned != value:
                                setattr(row, name, cleaned)
                                touched.add(name)
                                dirty = True
                    if dirty:
                        changed.append(row)
                if changed:
                    model._base_manager.bulk_update(changed, sorted(touched))

    return run
