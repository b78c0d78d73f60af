"""Synthetic member lists for tests and the benchmark (`write_sample_workbook`)."""

import datetime as dt
import random

from apps.core.xlsx import write_xlsx

FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô")
MIDDLE_M = ("Văn", "Hữu", "Đức", "Công", "Minh", "Quang", "Thành", "Xuân")
MIDDLE_F = ("Thị", "Ngọc", "Thu", "Thanh", "Kim", "Mỹ", "Thị Thu", "Thị Ngọc")
GIVEN_M = ("Hùng", "Dũng", "Tuấn", "Nam", "Long", "Phong", "Quân", "Sơn", "Thắng", "Bình", "Hải", "Đạt")
GIVEN_F = ("Lan", "Hoa", "Hương", "Mai", "Linh", "Trang", "Hằng", "Nga", "Yến", "Thảo", "Dung", "Vân")
HEADINGS = (
    "STT",
    "Họ và tên",
    "Giới tính",
    "Ngày sinh",
    "Dân tộc",
    "Tôn giáo",
    "Quê quán",
    "Nơi ở hiện nay",
    "Số CCCD",
    "SĐT",
    "Trình độ chuyên môn",
    "LLCT",
    "Nghề nghiệp",
    "Chức vụ",
    "Ngày vào Đảng",
    "Ngày chính thức",
    "Số thẻ ĐV",
    "Chi bộ",
)


def sample_rows(count: int, cells=("",), *, first_card: int = 50_000_000, seed: int = 1, text_dates: bool = True):
    rng = random.Random(seed)
    for n in range(count):
        female = rng.random() < 0.4
        name = " ".join(
            (
                rng.choice(FAMILY),
                rng.choice(MIDDLE_F if female else MIDDLE_M),
                rng.choice(GIVEN_F if female else GIVEN_M),
            )
        )
        birth = dt.date(1945, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 55))
        admission = birth + dt.timedelta(days=365 * 19 + rng.randrange(0, 365 * 20))
        admission = min(admission, dt.date(2024, 6, 1))
        full = admission + dt.timedelta(days=366 + rng.randrange(0, 60))
        as_text = text_dates and n % 2 == 0
        yield [
            n + 1,
            name,
            "Nữ" if female else "Nam",
            birth.strftime("%d/%m/%Y") if as_text else birth,
            "Kinh",
            "Không",
            "Hà Nội",
            f"Số {n % 300 + 1}, tổ {n % 40 + 1}",
            f"{first_card + n:012d}",
            f"09{n % 100_000_000:08d}",
            rng.choice(("Đại học", "Thạc sĩ", "Trung cấp", "THPT", "")),
            rng.choice(("Trung cấp", "Sơ cấp", "Cao cấp", "")),
            "Cán bộ",
            "",
            admission.strftime("%d/%m/%Y") if as_text else admission,
            full.strftime("%d/%m/%Y") if as_text else full,
            str(first_card + n),
            cells[n % len(cells)],
        ]


def write_sample_workbook(target, count: int, cells=("",), *, title: str = "DANH SÁCH ĐẢNG VIÊN", **kwargs) -> None:
    """An official-looking list: a title and a blank row above the headings, mixed date forms."""

    rows = [[None] * len(HEADINGS), list(HEADINGS), *sample_rows(count, cells, **kwargs)]
    # A list, so that the sheet records its size up front as Excel does.
    write_xlsx(target, [title] + [""] * (len(HEADINGS) - 1), rows, sheet_title="DS")
