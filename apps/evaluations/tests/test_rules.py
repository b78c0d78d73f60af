import random
from decimal import Decimal as D

import pytest

from apps.evaluations.models import CapBase, CapRounding, RuleSet, Subject
from apps.evaluations.rules import cap_check, largest_remainder, level_for_points


def test_binh_thang_percentages():
    assert largest_remainder([34, 135, 9, 0]) == [D("19.1"), D("75.8"), D("5.1"), D("0.0")]


@pytest.mark.parametrize(
    "counts, expected",
    [
        ([1, 1, 1], ["33.4", "33.3", "33.3"]),
        ([2, 2, 3], ["28.6", "28.6", "42.8"]),
        ([1, 2, 4], ["14.3", "28.6", "57.1"]),
        ([1, 1, 1, 1, 1, 1], ["16.7", "16.7", "16.7", "16.7", "16.6", "16.6"]),
        ([3, 10], ["23.1", "76.9"]),
        ([1, 0, 0, 0], ["100.0", "0.0", "0.0", "0.0"]),
        ([0, 0, 0], ["0.0", "0.0", "0.0"]),
    ],
)
def test_awkward_counts_sum_to_100(counts, expected):
    result = largest_remainder(counts)
    assert result == [D(x) for x in expected]
    if sum(counts):
        assert sum(result) == D("100.0")


def test_any_counts_sum_to_exactly_100():
    rng = random.Random(4)
    for _ in range(500):
        counts = [rng.randint(0, 60) for _ in range(rng.randint(1, 5))]
        if sum(counts):
            result = largest_remainder(counts)
            assert sum(result) == D("100.0")
            assert all(abs(r - D(c * 100) / sum(counts)) < D("0.1") for r, c in zip(result, counts, strict=True))


def _set(name):
    return RuleSet.objects.prefetch_related("levels").get(name=name)


def test_cap_per_rule_set(rule_sets):
    y2018 = _set("2018–2022 – đảng viên (132-QĐ/TW, HD 21-HD/BTCTW)")
    codes = [1] * 34 + [2] * 135 + [3] * 9
    result = cap_check(y2018, codes)
    assert (result.top, result.base, result.allowed, result.over) == (34, 169, 33, 1)
    # Base "those classified": 20% of 178 = 35.6 → 35, within the cap.
    y2018.cap_base = CapBase.CLASSIFIED
    assert cap_check(y2018, codes).over == 0
    # Rounding to the nearest: 20% of 169 = 33.8 → 34.
    y2018.cap_base = CapBase.GOOD_OR_BETTER
    y2018.cap_rounding = CapRounding.NEAREST
    assert cap_check(y2018, codes).allowed == 34
    # Before 2018 there was no cap.
    old = _set("Trước 2018 – đảng viên (HD 27-HD/BTCTW)")
    assert cap_check(old, [1, 1, 1]) is None
    y2025 = _set("Từ 2025 – đảng viên (366-QĐ/TW, HD 43-HD/BTCTW)")
    result = cap_check(y2025, [1] * 3 + [2] * 7)
    assert (result.base, result.allowed, result.over) == (10, 2, 1)


def test_thresholds_2025(rule_sets):
    rs = _set("Từ 2025 – đảng viên (366-QĐ/TW, HD 43-HD/BTCTW)")
    assert [level_for_points(rs, p) for p in (100, 90, "89.5", 70, 69, 50, 49, 0)] == [1, 1, 2, 2, 3, 3, 4, 4]
    assert level_for_points(_set("2023–2024 – đảng viên (124-QĐ/TW)"), 95) is None


def test_shipped_sets(rule_sets):
    assert RuleSet.objects.count() == 8
    assert RuleSet.objects.for_year(Subject.MEMBER, 2017).get().regulation == "27-HD/BTCTW (2014)"
    assert RuleSet.objects.for_year(Subject.MEMBER, 2018).get().guidance == "21-HD/BTCTW"
    assert RuleSet.objects.for_year(Subject.MEMBER, 2023).get().regulation == "124-QĐ/TW"
    y2025 = RuleSet.objects.for_year(Subject.MEMBER, 2026).get()
    assert (y2025.regulation, y2025.guidance, y2025.max_points) == ("366-QĐ/TW", "43-HD/BTCTW", 100)
    frames = list(y2025.frames.all()) + list(RuleSet.objects.for_year(Subject.ORGANIZATION, 2025).get().frames.all())
    assert len(frames) == 5
    for frame in frames:
        assert [(c.group, c.max_points) for c in frame.criteria.all()] == [("general", 30), ("task", 70)]
    old_org = RuleSet.objects.for_year(Subject.ORGANIZATION, 2017).get()
    assert [lv.label for lv in old_org.levels.all()] == [
        "Trong sạch, vững mạnh",
        "Hoàn thành tốt nhiệm vụ",
        "Hoàn thành nhiệm vụ",
        "Yếu kém",
    ]
    assert old_org.distinction_label == "Trong sạch, vững mạnh tiêu biểu"
