import io
import json

import pytest
from PIL import Image

pytestmark = pytest.mark.django_db


def test_the_manifest_is_served_to_anyone_with_its_icons(client):
    answer = client.get("/manifest.webmanifest")
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("application/manifest+json")
    manifest = json.loads(answer.content.decode("utf-8"))
    assert manifest["name"] == "Chi Bộ Số"
    assert manifest["lang"] == "vi"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == "#b71c1c"
    assert manifest["start_url"] == "/"
    sizes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert sizes == {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")}
    for icon in manifest["icons"]:
        image = client.get(icon["src"])
        assert image.status_code == 200, icon["src"]
        body = b"".join(image.streaming_content) if image.streaming else image.content
        png = Image.open(io.BytesIO(body))
        assert png.format == "PNG"
        assert f"{png.width}x{png.height}" == icon["sizes"]


def test_every_page_links_the_manifest(client, admin_user):
    client.force_login(admin_user)
    page = client.get("/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    assert '<meta name="theme-color" content="#b71c1c">' in page
