"""The column headings Vietnamese officials write, and the help page's list of them.

Each column key lists its headings as officials write them; a heading cell matches after folding
(`heading_key`: no case, diacritics or punctuation), so "HỌ TÊN", "Họ, tên" and "ho ten" are one.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy

from apps.core.text import fold
from apps.members.models import Member

HEADING_SCAN_ROWS = 30  # officials put titles above the table; look this far for the headings

HEADING_ALIASES: dict[str, tuple[str, ...]] = {
    "full_name": (
        "Họ và tên",
        "Họ tên",
        "Họ và tên đảng viên",
        "Họ tên đảng viên",
        "Họ và tên khai sinh",
        "Tên đảng viên",
        "Đảng viên",
    ),
    "family_middle": ("Họ và tên đệm", "Họ và chữ đệm", "Họ đệm", "Họ và đệm", "Họ lót", "Họ và tên lót"),
    "family_name": ("Họ",),
    "middle_name": ("Tên đệm", "Chữ đệm", "Đệm", "Tên lót"),
    "given_name": ("Tên", "Tên gọi"),
    "gender": ("Giới tính", "Nam/Nữ", "Giới", "Phái"),
    "male_mark": ("Nam",),
    "female_mark": ("Nữ",),
    "birth_date": ("Ngày sinh", "Năm sinh", "Ngày tháng năm sinh", "Sinh ngày", "Ngày tháng sinh"),
    "ethnicity": ("Dân tộc",),
    "religion": ("Tôn giáo",),
    "hometown": ("Quê quán", "Quê", "Nguyên quán"),
    "residence": (
        "Nơi ở hiện nay",
        "Nơi cư trú",
        "Địa chỉ",
        "Nơi ở",
        "Chỗ ở hiện nay",
        "Nơi thường trú",
        "Thường trú",
        "Địa chỉ thường trú",
        "Địa chỉ cư trú",
        "Địa chỉ liên hệ",
        "Nơi ở hiện tại",
    ),
    "citizen_id": (
        "Số CCCD",
        "CCCD",
        "Số định danh",
        "Số định danh cá nhân",
        "Mã định danh",
        "CMND",
        "Số CMND",
        "CCCD/CMND",
        "Số CCCD/CMND",
        "CMND/CCCD",
        "Số CMND/CCCD",
        "Căn cước",
        "Số căn cước",
        "Căn cước công dân",
        "Số căn cước công dân",
    ),
    "phone": ("Điện thoại", "SĐT", "Số điện thoại", "Số ĐT", "ĐT", "Di động", "Điện thoại di động", "ĐTDĐ"),
    "email": ("Email", "E-mail", "Thư điện tử", "Địa chỉ email"),
    "general_education": ("Giáo dục phổ thông", "GDPT", "Trình độ văn hóa", "Văn hóa", "Học vấn", "Trình độ học vấn"),
    "education": (
        "Trình độ chuyên môn",
        "Chuyên môn",
        "TĐCM",
        "Trình độ chuyên môn nghiệp vụ",
        "Chuyên môn nghiệp vụ",
        "Học vị",
        "Trình độ đào tạo",
    ),
    "political_theory": (
        "Lý luận chính trị",
        "LLCT",
        "Trình độ lý luận chính trị",
        "Trình độ LLCT",
        "Lý luận",
        "Trình độ lý luận",
    ),
    "occupation": ("Nghề nghiệp", "Nghề nghiệp hiện nay", "Công việc", "Công việc hiện nay"),
    "position": ("Chức vụ", "Chức vụ chính quyền, đoàn thể", "Chức vụ chính quyền", "Chức danh", "Chức vụ hiện nay"),
    "admission_date": (
        "Ngày vào Đảng",
        "Ngày kết nạp",
        "Ngày kết nạp Đảng",
        "Ngày vào Đảng dự bị",
        "Vào Đảng",
        "Ngày kết nạp vào Đảng",
    ),
    "full_membership_date": (
        "Ngày chính thức",
        "Ngày công nhận chính thức",
        "Ngày vào Đảng chính thức",
        "Ngày công nhận đảng viên chính thức",
        "Chính thức",
        "Ngày Đảng chính thức",
    ),
    "card_number": ("Số thẻ", "Số thẻ đảng viên", "Số thẻ ĐV", "Thẻ đảng viên", "Số thẻ Đảng", "Số thẻ đảng viên số"),
    "cell": (
        "Chi bộ",
        "Chi bộ sinh hoạt",
        "Sinh hoạt tại chi bộ",
        "Tổ chức Đảng",
        "Nơi sinh hoạt",
        "Chi bộ trực thuộc",
    ),
    "status": ("Tình trạng", "Trạng thái"),
    "status_since": ("Ngày tình trạng", "Tình trạng từ ngày", "Từ ngày (tình trạng)", "Ngày thay đổi tình trạng"),
    "transferred_in_on": (
        "Ngày chuyển đến",
        "Ngày chuyển sinh hoạt đến",
        "Chuyển đến ngày",
        "Ngày chuyển sinh hoạt chính thức đến",
    ),
    "transferred_from": ("Chuyển từ", "Chuyển đến từ", "Nơi chuyển đến", "Nơi sinh hoạt trước khi chuyển đến"),
    "ignored": ("STT", "TT", "Số TT", "Số thứ tự", "Ghi chú"),
}

_PARENS = re.compile(r"\(.*?\)|\[.*?\]")
_NON_WORD = re.compile(r"[^0-9a-z]+")


def heading_key(text) -> str:
    """ "Họ, tên (*)" → "ho ten"; "Số thẻ ĐV" → "so the dv"; "Nam/Nữ" → "nam nu"."""
    folded = fold(_PARENS.sub(" ", str(text or "")))
    return " ".join(_NON_WORD.sub(" ", folded).split())


HEADINGS: dict[str, str] = {heading_key(alias): key for key, aliases in HEADING_ALIASES.items() for alias in aliases}


def find_headings(row: tuple, headings: dict[str, str] | None = None) -> tuple[dict[str, int], list[str]]:
    """The column of each key a row's cells name (the first one wins), and the cells it does not know."""
    headings = HEADINGS if headings is None else headings
    columns: dict[str, int] = {}
    unused: list[str] = []
    for index, cell in enumerate(row):
        if cell is None or (isinstance(cell, str) and not cell.strip()):
            continue
        key = headings.get(heading_key(cell))
        if key is None:
            unused.append(str(cell).strip())
        elif key not in columns:
            columns[key] = index
    return columns, unused


def is_heading_row(columns: dict[str, int]) -> bool:
    named = "full_name" in columns or "given_name" in columns
    return named and len([k for k in columns if k != "ignored"]) >= 2


# Keys that are not a member field, and what the help page calls them.
_LABELS = {
    "full_name": gettext_lazy("Họ và tên"),
    "family_middle": gettext_lazy("Họ và tên đệm"),
    "male_mark": gettext_lazy("Đánh dấu nam"),
    "female_mark": gettext_lazy("Đánh dấu nữ"),
    "cell": gettext_lazy("Chi bộ"),
    "transferred_in_on": gettext_lazy("Ngày chuyển sinh hoạt đến"),
    "transferred_from": gettext_lazy("Chuyển từ"),
    "ignored": gettext_lazy("Cột bỏ qua"),
}
_NOTES = {
    "gender": gettext_lazy("ghi Nam hoặc Nữ"),
    "male_mark": gettext_lazy("đánh dấu x, thay cho cột giới tính"),
    "female_mark": gettext_lazy("đánh dấu x, thay cho cột giới tính"),
    "birth_date": gettext_lazy("dd/mm/yyyy hoặc ô ngày của Excel"),
    "full_membership_date": gettext_lazy("để trống nếu còn dự bị"),
    "political_theory": gettext_lazy("Sơ cấp, Trung cấp, Cao cấp, Cử nhân"),
    "cell": gettext_lazy("tên hoặc mã chi bộ; bắt buộc khi nhập vào đảng bộ"),
    "status": gettext_lazy(
        "như tệp xuất ghi (Dự bị, Chính thức, Miễn công tác và sinh hoạt đảng…); để trống: theo ngày chính thức"
    ),
    "status_since": gettext_lazy("ngày bắt đầu tình trạng; bắt buộc với tình trạng khác Dự bị, Chính thức"),
    "transferred_in_on": gettext_lazy("chỉ cho đảng viên chuyển từ nơi khác đến; trước ngày này không tính ở chi bộ"),
    "transferred_from": gettext_lazy("đảng bộ, chi bộ nơi đi"),
    "ignored": gettext_lazy("không nhập"),
}


def heading_help() -> list[tuple[str, str]]:
    """Each column the import understands and the headings it goes by, for the upload page."""
    rows = []
    for key, aliases in HEADING_ALIASES.items():
        label = _LABELS.get(key) or Member._meta.get_field(key).verbose_name
        variants = ", ".join(f"“{alias}”" for alias in aliases)
        note = _NOTES.get(key)
        rows.append((str(label)[:1].upper() + str(label)[1:], f"{variants} — {note}" if note else variants))
    return rows


# --- A tree of organizations ------------------------------------------------------------------

ORG_HEADING_ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("Tên tổ chức", "Tên tổ chức đảng", "Tổ chức đảng", "Tên chi bộ, đảng bộ", "Tên"),
    "short_name": ("Tên ngắn", "Tên viết tắt"),
    "code": ("Mã", "Mã tổ chức", "Mã số", "Mã tổ chức đảng"),
    "kind": ("Loại tổ chức", "Loại", "Loại hình tổ chức đảng"),
    "sector": ("Loại hình", "Lĩnh vực", "Khối"),
    "parent": ("Trực thuộc", "Tổ chức cấp trên", "Cấp trên", "Thuộc", "Mã cấp trên"),
    "founded_on": ("Ngày thành lập", "Thành lập"),
    "ended_on": ("Ngày kết thúc", "Ngày giải thể", "Kết thúc"),
    "address": ("Địa chỉ", "Nơi đặt trụ sở"),
    "ignored": ("STT", "TT", "Số TT", "Ghi chú"),
}
ORG_HEADINGS: dict[str, str] = {
    heading_key(alias): key for key, aliases in ORG_HEADING_ALIASES.items() for alias in aliases
}
ORG_REQUIRED = ("name", "code", "kind")


def org_heading_help() -> list[tuple[str, str]]:
    """Each column of the tree import and the headings it goes by, for the upload page."""
    return [(aliases[0], ", ".join(f"“{a}”" for a in aliases)) for aliases in ORG_HEADING_ALIASES.values()]


def is_org_heading_row(columns: dict[str, int]) -> bool:
    return "name" in columns and ("code" in columns or "kind" in columns)
