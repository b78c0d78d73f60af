"""The petition rule set shipped with the product (loaded by a data migration; editable in the admin).

No text we could read sets a deadline for answering a party member's opinions and petitions to
their cell or committee; the closest published rule is Quy định 11-QĐi/TW (18/02/2019) of the
Politburo on heads of committees receiving citizens, holding dialogues and handling their
petitions, which gives no figure we could confirm. The 15 working days below are a configurable
placeholder, listed in `unconfirmed`, and the interface says so.
"""

from datetime import date

RULE_SETS = [
    {
        "code": "11-2019",
        "name": "Thời hạn trả lời ý kiến, kiến nghị của đảng viên",
        "regulation": "11-QĐi/TW",
        "regulation_date": date(2019, 2, 18),
        "effective_from": date(2019, 2, 18),
        "effective_to": None,
        "answer_days": 15,
        "working_days": True,
        "source": "Quy định 11-QĐi/TW ngày 18/02/2019 của Bộ Chính trị về trách nhiệm của người đứng đầu cấp ủy "
        "trong việc tiếp dân, đối thoại trực tiếp với dân và xử lý những phản ánh, kiến nghị của dân. "
        "Thời hạn 15 ngày làm việc: chưa xác nhận trong văn bản công bố, cấu hình được.",
        "unconfirmed": ["answer_days", "working_days"],
        "notes": "Quản trị hệ thống sửa thời hạn khi có quy định của cấp ủy.",
    }
]
