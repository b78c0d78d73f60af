"""The rule sets in force since 2018 and the starting theme library (both editable afterwards)."""

import datetime as dt

from django.db import migrations

RULE_SETS = [
    {
        "name": "Sinh hoạt chi bộ theo Hướng dẫn 12-HD/BTCTW (2018)",
        "regulation": "12-HD/BTCTW (2018); 24-QĐ/TW (2021) §4.2.3, §9.3",
        "valid_from": dt.date(2018, 1, 1),
        "valid_to": dt.date(2025, 10, 27),
        "note": "Ngày hiệu lực đầu cần đối chiếu văn bản gốc. Mức điểm Tốt/Khá/Trung bình/Kém là thực tiễn địa phương.",
    },
    {
        "name": "Sinh hoạt chi bộ theo Chỉ thị 50-CT/TW và Hướng dẫn 42-HD/BTCTW (2025)",
        "regulation": "50-CT/TW ngày 23/7/2025; 42-HD/BTCTW ngày 28/10/2025; 24-QĐ/TW §4.2.3, §9.3",
        "valid_from": dt.date(2025, 10, 28),
        "valid_to": None,
        "note": "Tỷ lệ đảng viên phát biểu tối thiểu chưa có văn bản quy định: mức do địa phương đặt.",
    },
]

THEMES = [
    ("study", None, "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh: chuyên đề năm",
     "Ghi tên chuyên đề toàn khóa/năm do cấp trên ban hành.", "Chỉ thị 05-CT/TW"),
    ("occasion", 1, "Tết Nguyên đán: chăm lo Tết cho gia đình chính sách, hộ nghèo; giữ gìn an ninh trật tự dịp Tết", "", ""),
    ("occasion", 2, "Kỷ niệm ngày thành lập Đảng Cộng sản Việt Nam (3/2)", "", ""),
    ("occasion", 5, "Kỷ niệm ngày sinh Chủ tịch Hồ Chí Minh (19/5)", "", ""),
    ("occasion", 9, "Kỷ niệm Cách mạng Tháng Tám và Quốc khánh (2/9)", "", ""),
    ("occasion", 11, "Kỷ niệm Cách mạng Tháng Mười Nga (7/11)", "", ""),
    ("occasion", None, "Kỷ niệm ngày truyền thống của địa phương", "Ghi tên ngày kỷ niệm của địa phương.", ""),
    ("manifestations", None, "Tự soi, tự sửa theo 27 biểu hiện suy thoái về tư tưởng chính trị, đạo đức, lối sống, “tự diễn biến”, “tự chuyển hóa”",
     "", "Nghị quyết 04-NQ/TW ngày 30/10/2016"),
    ("local_task", None, "Vận động nhân dân thực hiện giải phóng mặt bằng các công trình, dự án", "", ""),
    ("local_task", None, "Chỉnh trang đô thị, xây dựng văn minh đô thị", "", ""),
    ("local_task", None, "Giữ gìn an ninh trật tự, phòng chống tội phạm trên địa bàn", "", ""),
    ("local_task", None, "Xây dựng nông thôn mới, khu dân cư kiểu mẫu", "", ""),
    ("party_building", None, "Nâng cao chất lượng sinh hoạt chi bộ", "", "50-CT/TW; 42-HD/BTCTW"),
    ("party_building", 12, "Kiểm điểm, đánh giá, xếp loại chất lượng tổ chức đảng và đảng viên cuối năm", "", "366-QĐ/TW; 43-HD/BTCTW"),
    ("party_building", None, "Công tác phát triển đảng viên mới", "", ""),
]


def seed(apps, schema_editor):
    RuleSet = apps.get_model("meetings", "MeetingRuleSet")
    Theme = apps.get_model("meetings", "Theme")
    from apps.meetings.models import default_criteria, default_levels

    for values in RULE_SETS:
        RuleSet.objects.get_or_create(
            name=values["name"], defaults={**values, "criteria": default_criteria(), "levels": default_levels()}
        )
    for category, month, title, description, source in THEMES:
        Theme.objects.get_or_create(
            title=title, defaults={"category": category, "month": month, "description": description, "source": source}
        )


def unseed(apps, schema_editor):
    apps.get_model("meetings", "Theme").objects.filter(title__in=[t[2] for t in THEMES]).delete()
    apps.get_model("meetings", "MeetingRuleSet").objects.filter(name__in=[r["name"] for r in RULE_SETS]).delete()


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
