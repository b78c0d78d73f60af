"""Realistic synthetic Vietnamese names, places and member sheets for the demo data.

Family-name weights follow published surveys of Vietnamese surnames (Nguyễn about 38%, Trần 11%,
Lê 9,5%, Phạm 7% …); Hoàng/Huỳnh and Vũ/Võ are the northern/southern spellings of one name and
the generator uses the southern ones more often, since the demo ward is in the South-East.
"""

import random
from datetime import date, timedelta

FAMILY_NAMES = [
    ("Nguyễn", 380),
    ("Trần", 110),
    ("Lê", 95),
    ("Phạm", 70),
    ("Huỳnh", 31),
    ("Hoàng", 20),
    ("Phan", 45),
    ("Võ", 24),
    ("Vũ", 15),
    ("Đặng", 21),
    ("Bùi", 20),
    ("Đỗ", 14),
    ("Hồ", 13),
    ("Ngô", 13),
    ("Dương", 10),
    ("Lý", 5),
    ("Trương", 9),
    ("Đinh", 6),
    ("Lâm", 5),
    ("Mai", 4),
    ("Đoàn", 4),
    ("Cao", 3),
    ("Hà", 3),
    ("Lương", 3),
    ("Trịnh", 3),
    ("Tô", 2),
    ("Châu", 2),
    ("Tạ", 1),
]

MALE_MIDDLE = [
    ("Văn", 420),
    ("Đức", 60),
    ("Minh", 70),
    ("Quốc", 45),
    ("Hữu", 45),
    ("Thanh", 40),
    ("Công", 35),
    ("Ngọc", 25),
    ("Xuân", 20),
    ("Trọng", 20),
    ("Tấn", 30),
    ("Hoàng", 20),
    ("Quang", 25),
    ("Anh", 15),
    ("Thành", 15),
    ("Duy", 10),
    ("Văn Minh", 5),
]
FEMALE_MIDDLE = [
    ("Thị", 520),
    ("Ngọc", 60),
    ("Thanh", 45),
    ("Thu", 40),
    ("Kim", 35),
    ("Minh", 25),
    ("Hồng", 25),
    ("Phương", 20),
    ("Mỹ", 20),
    ("Bích", 15),
    ("Thúy", 15),
    ("Thị Thu", 20),
    ("Thị Kim", 15),
    ("Thị Ngọc", 15),
]
MALE_GIVEN = [
    ("Hùng", 30),
    ("Hưng", 22),
    ("Dũng", 28),
    ("Đức", 20),
    ("Tuấn", 30),
    ("Minh", 28),
    ("Nam", 22),
    ("Long", 20),
    ("Sơn", 20),
    ("Thắng", 18),
    ("Hải", 22),
    ("Phong", 14),
    ("Quang", 14),
    ("Trung", 16),
    ("Hiếu", 14),
    ("Tài", 12),
    ("Thành", 20),
    ("Bình", 16),
    ("Cường", 16),
    ("Khánh", 12),
    ("Lâm", 10),
    ("Phúc", 12),
    ("Tâm", 12),
    ("Toàn", 10),
    ("Vinh", 12),
    ("Việt", 10),
    ("Huy", 16),
    ("Kiên", 8),
    ("An", 10),
    ("Tùng", 12),
    ("Thịnh", 8),
    ("Lợi", 8),
    ("Nghĩa", 10),
    ("Tú", 8),
    ("Hoà", 4),
    ("Đạt", 12),
    ("Phước", 10),
    ("Lộc", 8),
    ("Tín", 6),
    ("Quý", 6),
    ("Danh", 5),
    ("Hậu", 6),
    ("Khoa", 6),
    ("Nhân", 8),
    ("Sang", 6),
    ("Thuận", 6),
    ("Vũ", 6),
    ("Châu", 3),
]
FEMALE_GIVEN = [
    ("Lan", 22),
    ("Hương", 26),
    ("Hoa", 18),
    ("Mai", 18),
    ("Hằng", 18),
    ("Hạnh", 16),
    ("Linh", 18),
    ("Ngọc", 12),
    ("Nga", 14),
    ("Thảo", 18),
    ("Trang", 20),
    ("Yến", 14),
    ("Phương", 16),
    ("Thủy", 18),
    ("Hà", 16),
    ("Huyền", 14),
    ("Loan", 12),
    ("Dung", 14),
    ("Nhung", 12),
    ("Oanh", 10),
    ("Tuyết", 10),
    ("Vân", 14),
    ("Xuân", 10),
    ("Hồng", 14),
    ("Diệp", 5),
    ("Giang", 10),
    ("Hiền", 14),
    ("Liên", 10),
    ("Nhi", 8),
    ("Quyên", 6),
    ("Thư", 8),
    ("Uyên", 8),
    ("Vy", 8),
    ("Đào", 6),
    ("Ánh", 8),
    ("Bích", 6),
    ("Châu", 6),
    ("Diễm", 6),
    ("Thoa", 6),
]

ETHNICITIES = [("Kinh", 960), ("Hoa", 15), ("Khmer", 10), ("Tày", 5), ("Mường", 4), ("Nùng", 3), ("Chăm", 3)]
RELIGIONS = [("Không", 900), ("Phật giáo", 60), ("Công giáo", 30), ("Cao Đài", 6), ("Tin Lành", 4)]

HOMETOWN_PROVINCES = [
    "Bình Dương",
    "Đồng Nai",
    "Thành phố Hồ Chí Minh",
    "Tây Ninh",
    "Long An",
    "Tiền Giang",
    "Bến Tre",
    "Quảng Ngãi",
    "Bình Định",
    "Quảng Nam",
    "Nghệ An",
    "Hà Tĩnh",
    "Thanh Hóa",
    "Thái Bình",
    "Nam Định",
    "Hải Dương",
    "Hà Nội",
    "Huế",
    "Phú Yên",
    "Vĩnh Long",
    "Cần Thơ",
    "An Giang",
]

# Syllables that make plausible synthetic commune/ward and village names ("Tân Phú", "An Hòa").
PLACE_FIRST = [
    "Tân",
    "An",
    "Bình",
    "Phú",
    "Hòa",
    "Long",
    "Mỹ",
    "Phước",
    "Thuận",
    "Thạnh",
    "Vĩnh",
    "Hưng",
    "Đông",
    "Tây",
]
PLACE_SECOND = [
    "Phú",
    "Bình",
    "Hòa",
    "Lợi",
    "Thới",
    "Hiệp",
    "Lộc",
    "Khánh",
    "Thành",
    "Định",
    "Mỹ",
    "Thạnh",
    "Long",
    "Hưng",
    "Tiến",
    "Xuân",
    "An",
    "Hội",
    "Phước",
    "Trung",
]


class Weighted:
    """Fast weighted choice from a fixed list of (value, weight)."""

    def __init__(self, pairs):
        self.values = [v for v, _w in pairs]
        total, self.cum = 0, []
        for _v, w in pairs:
            total += w
            self.cum.append(total)
        self.total = total

    def pick(self, rng: random.Random):
        return rng.choices(self.values, cum_weights=self.cum, k=1)[0]


FAMILY = Weighted(FAMILY_NAMES)
MIDDLE = {"male": Weighted(MALE_MIDDLE), "female": Weighted(FEMALE_MIDDLE)}
GIVEN = {"male": Weighted(MALE_GIVEN), "female": Weighted(FEMALE_GIVEN)}
ETHNICITY = Weighted(ETHNICITIES)
RELIGION = Weighted(RELIGIONS)


def person_name(rng: random.Random, gender: str) -> tuple[str, str, str]:
    """(family, middle, given) for a person of `gender` ("male"/"female")."""
    return FAMILY.pick(rng), MIDDLE[gender].pick(rng), GIVEN[gender].pick(rng)


def place_names(rng: random.Random, count: int) -> list[str]:
    """`count` distinct two-syllable place names, numbered when the syllables run out."""
    pairs = [f"{a} {b}" for a in PLACE_FIRST for b in PLACE_SECOND if a != b]
    rng.shuffle(pairs)
    names = []
    for i in range(count):
        base = pairs[i % len(pairs)]
        names.append(base if i < len(pairs) else f"{base} {i // len(pairs) + 1}")
    return names


def random_date(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, max(0, (end - start).days)))


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)


class Identifiers:
    """Unique citizen IDs (12 digits: province, century/gender, year, serial), card numbers, phones."""

    PHONE_PREFIXES = ("090", "091", "093", "094", "097", "098", "086", "088", "070", "077", "079", "083", "085")

    def __init__(self, province_code: str = "074", card_start: int = 74_000_001):
        self.province_code = province_code
        self.serial: dict[str, int] = {}
        self.card = card_start
        self.phone = 0

    def citizen_id(self, rng: random.Random, gender: str, birth: date) -> str:
        century = 0 if birth.year < 2000 else 2
        head = f"{self.province_code}{century + (1 if gender == 'female' else 0)}{birth.year % 100:02d}"
        n = self.serial.get(head, rng.randint(0, 5000))
        self.serial[head] = n + 1 + rng.randint(0, 3)
        return f"{head}{n % 1_000_000:06d}"

    def card_number(self) -> str:
        self.card += 1
        return f"{self.card:08d}"

    def phone_number(self, rng: random.Random) -> str:
        self.phone += 1
        return f"{rng.choice(self.PHONE_PREFIXES)}{(self.phone * 7919 + 1_000_003) % 10_000_000:07d}"
