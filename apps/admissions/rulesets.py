"""The lifecycle rule sets shipped with the product (RULES.md §4), loaded by a data migration."""

import datetime as dt

RULE_SETS = [
    {
        "code": "qd294-2025",
        "name": "Kết nạp, dự bị theo QĐ 294-QĐ/TW",
        "regulation": "Điều lệ Đảng 2011; QĐ 294-QĐ/TW ngày 26/5/2025; HD 06-HD/TW ngày 9/6/2025",
        "effective_from": dt.date(2025, 5, 26),
        "effective_to": None,
        "source": (
            "Tuổi 18–60 tính theo tháng khi chi bộ xét; người giới thiệu là đảng viên chính thức, công tác cùng ≥ 1 năm; "
            "giấy chứng nhận lớp bồi dưỡng nhận thức về Đảng có giá trị 5 năm [V/S]. Lễ kết nạp trong 30 ngày làm việc "
            "kể từ quyết định; dự bị 12 tháng; chi bộ xét công nhận trong 30 ngày làm việc sau khi hết dự bị; ngày chính "
            "thức tính từ khi hết 12 tháng dù quyết định muộn [V: QĐ 24 §4]. Cấp quyết định: Ban Thường vụ cấp ủy cấp trên "
            "trực tiếp của TCCSĐ (Điều lệ, Điều 4); từ 1/7/2025 thí điểm đảng ủy xã, phường (QĐ 294) [V: thads.moj.gov.vn, "
            "dantri 2025]; phân cấp cụ thể từng nơi [?]. Tỷ lệ 2/3 đảng viên chính thức (QĐ 24 §4.2.3)."
        ),
        "min_age_months": 216,
        "max_age_months": 720,
        "sponsor_months": 12,
        "sponsors_needed": 2,
        "vote_share_numerator": 2,
        "vote_share_denominator": 3,
        "probation_months": 12,
        "review_working_days": 30,
        "ceremony_working_days": 30,
        "certificate_years": 5,
        "deciding_level": "commune_ward",
        "unconfirmed": ["deciding_level", "certificate_years"],
    },
    {
        "code": "qd24-2021",
        "name": "Kết nạp, dự bị theo QĐ 24-QĐ/TW",
        "regulation": "Điều lệ Đảng 2011; QĐ 24-QĐ/TW ngày 30/7/2021 (QĐ 232-QĐ/TW tháng 1/2025)",
        "effective_from": dt.date(2021, 7, 30),
        "effective_to": dt.date(2025, 5, 25),
        "source": "QĐ 24-QĐ/TW 2021 §3, §4 (thay thế bởi QĐ 232-QĐ/TW tháng 1/2025 và QĐ 294-QĐ/TW tháng 5/2025).",
        "deciding_level": "higher_standing",
        "unconfirmed": ["certificate_years"],
    },
    {
        "code": "qd29-2016",
        "name": "Kết nạp, dự bị theo QĐ 29-QĐ/TW",
        "regulation": "Điều lệ Đảng 2011; QĐ 29-QĐ/TW ngày 25/7/2016",
        "effective_from": dt.date(2016, 7, 25),
        "effective_to": dt.date(2021, 7, 29),
        "source": "QĐ 29-QĐ/TW 2016 (thay thế bởi QĐ 24-QĐ/TW 2021); các giá trị như bộ sau, chưa đối chiếu từng điểm [?].",
        "deciding_level": "higher_standing",
        "unconfirmed": ["certificate_years", "ceremony_working_days", "review_working_days"],
    },
]


def load(model) -> None:
    for values in RULE_SETS:
        values = dict(values)
        code = values.pop("code")
        model.objects.update_or_create(code=code, defaults=values)
