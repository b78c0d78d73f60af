"""Form helpers shared by every app."""

from django import forms
from django.core.exceptions import ValidationError


def apply_errors(form: forms.Form, error: ValidationError, aliases: dict | None = None) -> None:
    """Show a service's ValidationError on the form: on the field it names when the form has it
    (`aliases` maps a service's argument names to the form's field names), else on the form."""
    aliases = aliases or {}
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            field = aliases.get(field, field)
            for message in messages:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


class VNDateInput(forms.DateInput):
    """A date typed as dd/mm/yyyy (a picker would show the browser's locale, not the document's)."""

    input_type = "text"

    def __init__(self, attrs=None):
        super().__init__(
            attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", **(attrs or {})}, format="%d/%m/%Y"
        )
