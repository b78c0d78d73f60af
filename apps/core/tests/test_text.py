from datetime import date, datetime
from zoneinfo import ZoneInfo

from apps.core.templatetags.vn import format_date, format_decimal, format_int, format_percent
from apps.core.text import fold, name_sort_key, split_full_name, vn_sorted


def test_fold_strips_diacritics_and_d_bar():
    assert fold("Nguyễn  Văn Hùng") == "nguyen van hung"
    assert fold("ĐẶNG Thị Đào") == "dang thi dao"


def test_vietnamese_order_given_name_first():
    names = ["Lê Văn Bình", "Trần Thị An", "Nguyễn Văn Đức", "Phạm Văn Dũng", "Vũ Thị Ánh", "Hồ Thị Anh"]
    assert vn_sorted(names) == [
        "Trần Thị An",
        "Hồ Thị Anh",
        "Vũ Thị Ánh",
        "Lê Văn Bình",
        "Phạm Văn Dũng",
        "Nguyễn Văn Đức",
    ]


def test_vietnamese_alphabet_letters_not_tones_first():
    # ă and â are letters after a; tones only break ties.
    assert vn_sorted(["Lê Văn Ân", "Lê Văn Ăn", "Lê Văn Án", "Lê Văn An"]) == [
        "Lê Văn An",
        "Lê Văn Án",
        "Lê Văn Ăn",
        "Lê Văn Ân",
    ]
    # u < ư; same given name then family name decides (Đ after D).
    assert vn_sorted(["Lê Hưng", "Lê Hùng", "Đỗ Hùng", "Dương Hùng"]) == ["Dương Hùng", "Đỗ Hùng", "Lê Hùng", "Lê Hưng"]


def test_sort_key_uses_only_collation_safe_symbols():
    key = name_sort_key("Nguyễn", "Thị Ngọc", "Ánh")
    assert set(key) <= set("0123456789abcdefghijklmnopqrstuvwxyz")


def test_split_full_name():
    assert split_full_name("  Nguyễn   Thị Ngọc Ánh ") == ("Nguyễn", "Thị Ngọc", "Ánh")
    assert split_full_name("Lò Văn Pắn") == ("Lò", "Văn", "Pắn")
    assert split_full_name("Hùng") == ("", "", "Hùng")
    assert split_full_name("Âu Dương Thị Vân") == ("Âu Dương", "Thị", "Vân")
    assert split_full_name("Tôn Thất Tùng") == ("Tôn Thất", "", "Tùng")
    assert split_full_name("Tôn Đức Thắng") == ("Tôn", "Đức", "Thắng")
    assert split_full_name("Âu Dương") == ("Âu", "", "Dương")  # two words: a family and a given name


def test_official_number_and_date_formats():
    assert format_int(1985) == "1.985"
    assert format_int(5600000) == "5.600.000"
    assert format_percent(94.8712) == "94,87%"
    assert format_percent(19.1, 1) == "19,1%"
    assert format_decimal(1234.5) == "1.234,50"
    assert format_date(date(2019, 4, 19)) == "19/04/2019"
    # Moments are shown in Asia/Ho_Chi_Minh: 20:00 UTC is 03:00 next day in Hà Nội.
    assert format_date(datetime(2019, 4, 18, 20, 0, tzinfo=ZoneInfo("UTC"))) == "19/04/2019 03:00"
