"""Search-as-you-type pickers: a form field that names one member or one organization without
the page listing every name.

The page carries a hidden input (the chosen row's pk) and a search box; typing asks the one
endpoint (`core:pick_member`, `core:pick_organization`) for at most `LIMIT` matches, found
through the scoping door with the reach the form needs, each described so that namesakes can be
told apart (a member's cell and birth year, an organization's parent). Choosing one fills the
hidden input (static/js/app.js, `[data-picker]`). The form field still validates the posted pk
against the queryset the view gives it, so a hand-made pk out of reach is refused as before.

The apps that own the rows register how to search and describe them (members, organizations:
`register()` in their AppConfig.ready), so this module imports neither.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.urls import reverse

from .scoping import CHANGE, INSPECT, VIEW

LIMIT = 20
MIN_CHARS = 2
# The reach a picker searches with: "work" is a committee's or an inspection commission's
# (CHANGE or INSPECT), as inspection and discipline forms need.
REACHES: dict[str, tuple[str, ...]] = {
    "view": (VIEW,),
    "change": (CHANGE,),
    "inspect": (INSPECT,),
    "work": (CHANGE, INSPECT),
}


@dataclass(frozen=True)
class Picker:
    url_name: str
    # (user, text, actions) -> the rows in reach matching the text, at most LIMIT of them
    search: Callable[..., list]
    # a row -> the text shown for it ("Nguyễn Văn An · Chi bộ 1 · 1970")
    describe: Callable[[object], str]


PICKERS: dict[str, Picker] = {}


def register(kind: str, *, url_name: str, search: Callable[..., list], describe: Callable[[object], str]) -> None:
    PICKERS[kind] = Picker(url_name=url_name, search=search, describe=describe)


class PickWidget(forms.Widget):
    """A hidden pk and a search box asking the picker's endpoint; shows the chosen row's description."""

    template_name = "core/widgets/pick.html"

    def __init__(self, kind: str, reach: str = "change", attrs=None):
        super().__init__(attrs)
        self.kind = kind
        self.reach = reach
        self.queryset = None

    def __deepcopy__(self, memo):
        obj = super().__deepcopy__(memo)
        obj.queryset = self.queryset
        return obj

    def chosen_label(self, value) -> str:
        if value in (None, "") or self.queryset is None:
            return ""
        try:
            row = self.queryset.filter(pk=value).first()
        except (ValueError, TypeError):
            return ""
        return PICKERS[self.kind].describe(row) if row is not None else ""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        picker = PICKERS[self.kind]
        context["widget"].update(
            {
                "url": f"{reverse(picker.url_name)}?reach={self.reach}",
                "chosen": self.chosen_label(value),
                "min_chars": MIN_CHARS,
            }
        )
        return context

    def format_value(self, value):
        if value is None or value == "":
            return ""
        return str(getattr(value, "pk", value))


class PickField(forms.ModelChoiceField):
    """A ModelChoiceField whose widget searches as you type instead of listing the queryset."""

    def __init__(self, kind: str, *, reach: str = "change", **kwargs):
        kwargs.setdefault("widget", PickWidget(kind, reach))
        super().__init__(**kwargs)

    def _set_queryset(self, queryset):
        super()._set_queryset(queryset)
        self.widget.queryset = self.queryset

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result.widget.queryset = result.queryset
        return result


def actions_for(reach: str) -> tuple[str, ...]:
    return REACHES.get(reach, (VIEW,))
