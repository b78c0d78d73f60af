"""The party-dues rule sets shipped with the product (loaded by a data migration; editable afterwards).

Sources: ../shared/domain/RULES.md §6. A month is judged by the set in force on the month's last
day. Rates are in basis points (1 % = 100), amounts in whole đồng: no floats anywhere. Every value
we could not confirm in the published text is listed in the set's `unconfirmed` and the interface
marks it "chưa xác nhận".

Shares: `keep_shares` maps an organization kind to the basis points of what it collects or receives
that it keeps; the rest goes to the directly higher level. The top of a deployment keeps everything.
"""

from datetime import date

# 342-QĐ/TW had fixed shares per kind of grassroots organization; the figures below are the ones
# commonly quoted for ward/commune organizations and are NOT confirmed [?].
SHARES_342 = {
    "cell": 3000,
    "grassroots_cell": 9000,
    "grassroots_committee": 9000,
    "intermediate": 5000,
    "district_committee": 5000,
    "provincial_committee": 10000,
    "party_group": 0,
}
# 01-QĐ/TW: the shares are not published in what we could read [?]; kept like 342 until confirmed.
SHARES_01 = dict(SHARES_342)

RULE_SETS = [
    {
        "code": "342-2010",
        "name": "Quy định 342-QĐ/TW (28/12/2010) về chế độ đảng phí",
        "regulation": "342-QĐ/TW",
        "regulation_date": date(2010, 12, 28),
        "effective_from": date(2011, 1, 1),
        "effective_to": date(2026, 2, 2),
        "source": "Quy định 342-QĐ/TW ngày 28/12/2010 của Bộ Chính trị; thay thế bởi 01-QĐ/TW ngày 3/2/2026 "
        "(RULES.md §6: baophutho, vietnamnet, dantri, 02/2026).",
        "insured_rate_bp": 100,
        "benefit_rate_bp": 100,
        "pension_rate_bp": 50,
        "student_amount": 2000,
        "other_amount": 2000,
        "abroad_amount": None,
        "rounding_unit": 100,
        "keep_shares": SHARES_342,
        "unconfirmed": [
            "effective_from",
            "benefit_rate_bp",
            "student_amount",
            "other_amount",
            "abroad_amount",
            "rounding_unit",
            "keep_shares",
        ],
        "notes": "1 % tiền lương đóng BHXH, 0,5 % lương hưu theo 342-QĐ/TW; mức học sinh, sinh viên và đảng viên "
        "khác (2.000 đ), làm tròn đến 100 đ và tỷ lệ trích giữ lại theo loại hình tổ chức cơ sở: chưa xác nhận.",
    },
    {
        "code": "01-2026",
        "name": "Quy định 01-QĐ/TW (03/02/2026) về chế độ đảng phí",
        "regulation": "01-QĐ/TW",
        "regulation_date": date(2026, 2, 3),
        "effective_from": date(2026, 2, 3),
        "effective_to": None,
        "source": "Quy định 01-QĐ/TW ngày 3/2/2026 của Bộ Chính trị, thay thế 342-QĐ/TW "
        "(RULES.md §6: baophutho, vietnamnet, dantri, 02/2026).",
        "insured_rate_bp": 100,
        "benefit_rate_bp": 100,
        "pension_rate_bp": 50,
        "student_amount": 5000,
        "other_amount": None,
        "abroad_amount": None,
        "rounding_unit": 100,
        "keep_shares": SHARES_01,
        "unconfirmed": ["other_amount", "abroad_amount", "rounding_unit", "keep_shares"],
        "notes": "1 % tiền lương tháng trước liền kề làm căn cứ đóng BHXH bắt buộc (hoặc 1 % trợ cấp ốm đau, thai "
        "sản do BHXH chi trả); 0,5 % lương hưu; học sinh, sinh viên 5.000 đ/tháng [V]. Đảng viên khác, ở nước "
        "ngoài, làm tròn và tỷ lệ trích giữ lại các cấp: chưa xác nhận (chi bộ nhập mức cụ thể cho đảng viên).",
    },
]


def load(DuesRuleSet):
    for values in RULE_SETS:
        values = dict(values)
        code = values.pop("code")
        DuesRuleSet.objects.update_or_create(code=code, defaults=values)
