"""Hostile spreadsheets: a zip bomb, a renamed CSV, random bytes... are refused fast, in Vietnamese,
with bounded memory, before openpyxl reads them; nothing is imported and nothing is kept."""

import io
import json
import os
import random
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from apps.imports.models import BatchStatus, ImportBatch
from apps.members.models import Member

from .hostile import far_rows, zip_bomb

ROOT = Path(settings.BASE_DIR)


def _upload(client, org, name, content):
    return client.post(f"/excel/to-chuc/{org.pk}/nhap-dang-vien/", {"file": SimpleUploadedFile(name, content)})


def _bomb() -> bytes:
    buffer = io.BytesIO()
    zip_bomb(buffer)  # ~3,7 MB expanding to 900 MB of member rows, like the 4 MB / 884 MB file reported
    return buffer.getvalue()


def test_a_zip_bomb_is_refused_through_the_upload_view_fast_and_in_little_memory(tree, secretary_a, client_for):
    content = _bomb()
    assert len(content) < 5 * 1024 * 1024
    client = client_for(secretary_a)
    # The user opens the upload page first (and the first request of a process loads templates, translations).
    assert client.get(f"/excel/to-chuc/{tree['cell_a'].pk}/nhap-dang-vien/").status_code == 200
    tracemalloc.start()
    started = time.monotonic()
    try:
        response = _upload(client, tree["cell_a"], "danh-sach.xlsx", content)
        elapsed = time.monotonic() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    page = response.content.decode()
    assert response.status_code == 200
    assert "Tệp Excel nén bất thường (phần xl/worksheets/sheet1.xml nở ra 250 lần khi giải nén)" in page
    assert "không đọc tệp này" in page
    assert ImportBatch.objects.count() == 0 and Member.objects.count() == 0
    assert elapsed < 10  # generous: it takes well under a second
    assert peak < 100 * 1024 * 1024  # the upload itself is 3,7 MB; its 900 MB are never inflated


_MEASURE = """
import json, os, sys, time
sys.path.insert(0, os.getcwd())
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
import django
django.setup()
from apps.imports.parsing import ImportFileError, parse_workbook
results = {}
for path in sys.argv[1:]:
    started = time.monotonic()
    try:
        with open(path, "rb") as handle:
            parse_workbook(handle)
        message = None
    except ImportFileError as exc:
        message = str(exc)
    results[os.path.basename(path)] = {"message": message, "seconds": time.monotonic() - started}
# VmHWM: this process image's peak resident memory. (ru_maxrss would carry over the peak of the
# forked parent, a test process that may be large by then, across exec.)
with open("/proc/self/status") as status:
    hwm = next(line for line in status if line.startswith("VmHWM:"))
results["peak_mb"] = int(hwm.split()[1]) / 1024
print(json.dumps(results))
"""


def test_a_fresh_process_refuses_hostile_workbooks_under_200_mb(tmp_path):
    """The server's process, measured from outside: its peak memory (RSS, Django loaded) stays small."""
    bomb, far = tmp_path / "bomb.xlsx", tmp_path / "far.xlsx"
    with open(bomb, "wb") as handle:
        zip_bomb(handle)
    with open(far, "wb") as handle:
        far_rows(handle, last_row=10**12)
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(bomb), str(far)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    results = json.loads(done.stdout.strip().splitlines()[-1])
    assert "nén bất thường" in results["bomb.xlsx"]["message"]
    assert results["far.xlsx"]["message"] == "Tệp Excel bị hỏng hoặc không đúng định dạng .xlsx."
    assert results["bomb.xlsx"]["seconds"] < 10 and results["far.xlsx"]["seconds"] < 10
    assert results["peak_mb"] < 200


def _far() -> bytes:
    buffer = io.BytesIO()
    far_rows(buffer, last_row=10**12)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("danh-sach.xlsx", "STT;Họ và tên;Ngày sinh\n1;Nguyễn Văn An;01/01/1980\n".encode(), "Không đọc được tệp"),
        ("danh-sach.xlsx", random.Random(18).randbytes(200_000), "Không đọc được tệp"),
        ("danh-sach.xlsx", b"PK\x03\x04" + random.Random(4).randbytes(50_000), "Không đọc được tệp"),
        ("danh-sach.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000, "Không đọc được tệp"),
        ("danh-sach.xlsx", b"", "Tệp trống."),
    ],
    ids=["renamed-csv", "random-bytes", "zip-signature-then-noise", "old-xls-renamed", "empty"],
)
def test_files_that_are_not_workbooks_get_a_vietnamese_message(tree, secretary_a, client_for, name, content, message):
    started = time.monotonic()
    response = _upload(client_for(secretary_a), tree["cell_a"], name, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert ImportBatch.objects.count() == 0 and Member.objects.count() == 0
    assert time.monotonic() - started < 10


@pytest.mark.parametrize(
    ("bounds", "message"),
    [
        ({"IMPORT_MAX_UPLOAD_BYTES": 2000}, "Tệp quá lớn ("),
        ({"IMPORT_MAX_UNCOMPRESSED_BYTES": 5000}, "Tệp Excel quá lớn khi giải nén ("),
        ({"IMPORT_MAX_ZIP_ENTRIES": 5}, "Tệp Excel có quá nhiều thành phần ("),
    ],
)
def test_each_bound_comes_from_settings(xlsx, good_rows, tree, secretary_a, client_for, bounds, message):
    content = xlsx(good_rows).getvalue()
    with override_settings(**bounds):
        response = _upload(client_for(secretary_a), tree["cell_a"], "danh-sach.xlsx", content)
    assert message in response.content.decode()
    assert ImportBatch.objects.count() == 0 and Member.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "bounds", "message"),
    [
        (_far, {}, "Tệp Excel bị hỏng hoặc không đúng định dạng .xlsx."),
        (None, {"IMPORT_MAX_ROWS": 2}, "Tệp có hơn 2 dòng đảng viên; hãy chia danh sách thành nhiều tệp"),
    ],
    ids=["row-10^12", "row-bound"],
)
def test_a_workbook_whose_rows_cannot_be_used_is_refused_by_its_check(
    xlsx, good_rows, tree, secretary_a, client_for, content, bounds, message
):
    """The upload answers at once from the zip's directory; reading the rows is the check's work."""
    started = time.monotonic()
    with override_settings(**bounds):
        data = content() if content else xlsx(good_rows).getvalue()
        response = _upload(client_for(secretary_a), tree["cell_a"], "danh-sach.xlsx", data)
    batch = ImportBatch.objects.get()
    assert response["Location"] == f"/excel/nhap/{batch.pk}/"
    page = client_for(secretary_a).get(response["Location"]).content.decode()
    assert message in page and "xac-nhan" not in page
    assert batch.status == BatchStatus.INVALID and Member.objects.count() == 0
    assert time.monotonic() - started < 10


def test_a_list_at_the_row_bound_goes_in(xlsx, good_rows, tree, secretary_a, client_for):
    assert len(good_rows) - 1 == 3
    with override_settings(IMPORT_MAX_ROWS=3):
        response = _upload(client_for(secretary_a), tree["cell_a"], "danh-sach.xlsx", xlsx(good_rows).getvalue())
    assert response.status_code == 302
    assert ImportBatch.objects.get().row_count == 3


def test_default_bounds_admit_a_provinces_list():
    """A 200.000-member list written like apps/imports/testing.py: 19 MB, 129 MB of XML, ratios under 9."""
    assert settings.IMPORT_MAX_ROWS >= 200_000
    assert settings.IMPORT_MAX_UPLOAD_BYTES >= 2 * 19 * 1024 * 1024
    assert settings.IMPORT_MAX_UNCOMPRESSED_BYTES >= 2 * 129 * 1024 * 1024
    assert settings.IMPORT_MAX_COMPRESSION_RATIO >= 10 * 9
    assert settings.IMPORT_MAX_UNCOMPRESSED_BYTES < 884 * 1024 * 1024  # the reported bomb's size


def test_the_kept_file_has_a_random_name_and_only_importers_download_it(
    xlsx, good_rows, tree, secretary_a, ward_staff, make_user, client_for
):
    import re

    from apps.core.roles import Role

    response = _upload(client_for(secretary_a), tree["cell_a"], "Danh sách chi bộ A.xlsx", xlsx(good_rows).getvalue())
    batch = ImportBatch.objects.get()
    assert response["Location"] == f"/excel/nhap/{batch.pk}/"
    assert re.fullmatch(r"imports/\d{4}/\d{2}/[0-9a-f]{32}\.xlsx", batch.file.name)
    assert batch.file_name == "Danh sách chi bộ A.xlsx"

    client = client_for(secretary_a)
    assert f'href="/excel/nhap/{batch.pk}/tep/"' in client.get(f"/excel/nhap/{batch.pk}/").content.decode()
    download = client.get(f"/excel/nhap/{batch.pk}/tep/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert download["Content-Disposition"].startswith("attachment; filename*=utf-8''Danh%20s%C3%A1ch")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == batch.file.open("rb").read()

    assert client_for(ward_staff).get(f"/excel/nhap/{batch.pk}/tep/").status_code == 200
    other = make_user("bithu_b", Role.CELL_SECRETARY, tree["cell_b"], include_subtree=False)
    assert client_for(other).get(f"/excel/nhap/{batch.pk}/tep/").status_code == 404
    member = make_user("doan_vien", None)
    assert client_for(member).get(f"/excel/nhap/{batch.pk}/tep/").status_code == 404


@override_settings(UPLOAD_MAX_BYTES=100_000, IMPORT_MAX_UPLOAD_BYTES=100_000)
def test_an_upload_over_every_bound_is_refused_without_being_kept(tree, secretary_a, client_for):
    response = _upload(client_for(secretary_a), tree["cell_a"], "danh-sach.xlsx", _bomb()[:300_000])
    assert "Tệp quá lớn (0,3 MB): chỉ nhận tệp đến 0,1 MB." in response.content.decode()
    assert ImportBatch.objects.count() == 0 and Member.objects.count() == 0
