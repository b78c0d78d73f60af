"""The interface speaks Vietnamese by default, English on request, and both catalogs are complete."""

import os
from pathlib import Path

import pytest
from django.conf import settings


@pytest.mark.django_db
def test_vietnamese_by_default_english_selectable(tree, ward_staff, client_for):
    client = client_for(ward_staff)
    # A browser set to English still gets Vietnamese until the user switches.
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Tổng quan" in page and "Đăng xuất" in page
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = client.get("/").content.decode()
    assert "Overview" in page and "Log out" in page
    assert "Tổng quan" not in page


@pytest.mark.parametrize("language", ["vi", "en"])
def test_catalog_is_complete_and_compiled(language):
    po = Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES" / "django.po"
    text = po.read_text(encoding="utf-8")
    entries = text.split("\n\n")[1:]
    untranslated = [e for e in entries if e.rstrip().endswith('msgstr ""') and "msgid_plural" not in e]
    fuzzy = [e for e in entries if "#, fuzzy" in e]
    assert untranslated == [] and fuzzy == []
    assert po.with_suffix(".mo").stat().st_mtime >= po.stat().st_mtime - 1


def test_every_interface_string_is_in_the_catalog(tmp_path):
    """A string added to the code without `make messages` would show in Vietnamese to English users.

    The catalog is refreshed in a copy of the project, so the real one is never touched.
    """
    import shutil
    import subprocess
    import sys

    if shutil.which("xgettext") is None:
        pytest.fail("GNU gettext (xgettext) is needed: apt-get install gettext")
    root = Path(settings.BASE_DIR)
    copy = tmp_path / "project"
    skip = shutil.ignore_patterns(".venv", "var", ".git", "__pycache__", "*.mo", "fonts", "vendor", "bench", "e2e")
    shutil.copytree(root, copy, ignore=skip)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-obsolete", "--no-location", "--ignore=tests"],
        cwd=copy,
        check=True,
        capture_output=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
    )
    stats = subprocess.run(
        ["msgfmt", "--statistics", "-o", "/dev/null", str(copy / "locale/en/LC_MESSAGES/django.po")],
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    assert "untranslated" not in stats and "fuzzy" not in stats, stats


def test_translation_functions_go_by_names_makemessages_extracts():
    """gettext_lazy imported under a name of our own hides every string marked with it from makemessages: those strings
    would stay Vietnamese in English whatever the catalog says."""
    import re

    known = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy"}
    alias = re.compile(r"\b(?:n|p)?gettext(?:_lazy)? as (\w+)")
    hidden = [
        f"{path}: {name}"
        for path in (Path(settings.BASE_DIR) / "apps").rglob("*.py")
        for name in alias.findall(path.read_text(encoding="utf-8"))
        if name not in known
    ]
    assert hidden == []
