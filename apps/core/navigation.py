"""The main menu. Each app lists its own entries as `nav = [(label, url name), ...]` on its AppConfig,
so adding an area never touches a shared template."""

from django.apps import apps
from django.urls import NoReverseMatch, reverse


def menu() -> list[dict]:
    items = []
    for config in apps.get_app_configs():
        for label, url_name in getattr(config, "nav", ()):
            try:
                items.append({"label": label, "url": reverse(url_name)})
            except NoReverseMatch:
                continue
    return items
