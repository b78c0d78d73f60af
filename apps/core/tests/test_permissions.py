"""Checks that hold for every model and every URL, so that new code cannot slip past scoping."""

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

from apps.core.scoping import ScopedQuerySet

# Models that hang off an organization or a member but are reached only through a scoped parent
# (or are not personal data). Each needs a reason.
UNSCOPED = {
    "organizations.OrganizationVersion": "history rows, read only through their scoped organization",
    "accountability.AccessRecord": "the log of who opened a sensitive record, read only on that (scoped) record's page",
}


def _owned_models():
    """Project models with a foreign key to Organization or Member."""
    targets = {"organizations.Organization", "members.Member"}
    for model in apps.get_models():
        if not model.__module__.startswith("apps."):
            continue
        for field in model._meta.get_fields():
            related = getattr(field, "related_model", None)
            if field.many_to_one and related is not None and related._meta.label in targets:
                yield model
                break


def test_every_organization_owned_model_goes_through_the_scoping_door():
    missing = [
        model._meta.label
        for model in _owned_models()
        if model._meta.label not in UNSCOPED and not isinstance(model._default_manager.all(), ScopedQuerySet)
    ]
    assert missing == [], f"give these a ScopedQuerySet manager (or a reason in UNSCOPED): {missing}"


def _walk(resolver, prefix=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


# The web app manifest is fetched by browsers without the session; it holds the name and icons only.
PUBLIC = (
    "tai-khoan/dang-nhap/",
    "tai-khoan/dang-xuat/",
    "i18n/",
    "quan-tri/",
    "api/openapi.json",
    "api/auth/",
    "manifest.webmanifest",
)


def _concrete(route: str) -> str:
    """A URL for a route, with 1 for every parameter."""
    import re

    route = route.lstrip("^").rstrip("$")
    route = re.sub(r"<(?:int:|signedint:)?\w+>", "1", route)
    route = re.sub(r"<(?:str|slug):\w+>", "x", route)
    route = re.sub(r"<uuid:\w+>", "00000000-0000-0000-0000-000000000000", route)
    route = re.sub(r"<path:\w+>", "x", route)
    return "/" + route.replace("\\", "")


@pytest.mark.django_db
def test_every_page_requires_login(client):
    open_pages = []
    for route, _pattern in _walk(get_resolver()):
        if route.startswith(PUBLIC) or "(?P<" in route or "media/" in route:
            continue
        url = _concrete(route)
        for method in ("get", "post"):
            status = getattr(client, method)(url).status_code
            if status not in (302, 401, 403, 404, 405):
                open_pages.append((method, url, status))
            if status == 302:
                location = getattr(client, method)(url)["Location"]
                if "dang-nhap" not in location:
                    open_pages.append((method, url, location))
    assert open_pages == []
