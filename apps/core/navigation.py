"""The main menu. Each app lists its own entries on its AppConfig as
`nav = [(label, url name), ...]` or `(label, url name, action)` for entries shown only to users
who hold that action (view, change, inspect) somewhere; adding an area never touches a shared template."""

from django.apps import apps
from django.urls import NoReverseMatch, reverse

from .scoping import Scope


def _holds(scope: Scope, action: str | None) -> bool:
    if action is None or scope.is_admin:
        return True
    return bool(scope.subtrees.get(action) or scope.orgs.get(action))


def menu(scope: Scope, path: str = "") -> list[dict]:
    items = []
    for config in sorted(apps.get_app_configs(), key=lambda c: getattr(c, "nav_order", 100)):
        for entry in getattr(config, "nav", ()):
            label, url_name, action = (*entry, None)[:3]
            if not _holds(scope, action):
                continue
            try:
                url = reverse(url_name)
                items.append({"label": label, "url": url, "active": path.startswith(url)})
            except NoReverseMatch:
                continue
    return items
