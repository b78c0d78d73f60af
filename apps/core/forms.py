"""Form helpers shared by every app."""

from django import forms
from django.core.exceptions import ValidationError


def apply_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class VNDateInput(forms.DateInput):
    """A date typed as dd/mm/yyyy (a picker would show the browser's locale, not the document's)."""

    input_type = "text"

    def __init__(self, attrs=None):
        super().__init__(
            attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", **(attrs or {})}, format="%d/%m/%Y"
        )
