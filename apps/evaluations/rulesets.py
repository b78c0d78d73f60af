"""The rule sets shipped with the product (loaded by a data migration; editable afterwards).

Sources: ../shared/domain/RULES.md §1. Parameters we could not confirm in the published text are
listed in each set's `unconfirmed` and shown with [?] in the interface.
"""

from datetime import date

MODERN_LEVELS = [
    (1, "Hoàn thành xuất sắc nhiệm vụ", "HTXSNV"),
    (2, "Hoàn thành tốt nhiệm vụ", "HTTNV"),
    (3, "Hoàn thành nhiệm vụ", "HTNV"),
    (4, "Không hoàn thành nhiệm vụ", "KHTNV"),
]
OLD_MEMBER_LEVELS = [
    (1, "Đủ tư cách, hoàn thành xuất sắc nhiệm vụ", "HTXSNV"),
    (2, "Đủ tư cách, hoàn thành tốt nhiệm vụ", "HTTNV"),
    (3, "Đủ tư cách, hoàn thành nhiệm vụ", "HTNV"),
    (4, "Vi phạm tư cách hoặc không hoàn thành nhiệm vụ", "VPTC"),
]
OLD_ORG_LEVELS = [
    (1, "Trong sạch, vững mạnh", "TSVM"),
    (2, "Hoàn thành tốt nhiệm vụ", "HTTNV"),
    (3, "Hoàn thành nhiệm vụ", "HTNV"),
    (4, "Yếu kém", "YK"),
]
# 2025 on: excellent ≥ 90, good 70–<90, satisfactory 50–<70 [V]; unsatisfactory < 50 [?].
THRESHOLDS_2025 = {1: 90, 2: 70, 3: 50, 4: 0}

GENERAL = "Tiêu chí chung: chính trị tư tưởng; đạo đức, lối sống; ý thức tổ chức kỷ luật; tác phong, lề lối làm việc"
TASK = "Kết quả thực hiện chức trách, nhiệm vụ được giao"
FRAMES_2025_MEMBER = [
    ("central_cadre", "Cán bộ thuộc diện Trung ương quản lý", "Mẫu 2A"),
    ("leader", "Cán bộ lãnh đạo, quản lý", "Mẫu 2A"),
    ("member", "Đảng viên không giữ chức vụ lãnh đạo, quản lý", "Mẫu 2B"),
    ("outside", "Đảng viên không làm việc trong hệ thống chính trị", "Mẫu 2C"),
]
FRAMES_2025_ORG = [("collective", "Tập thể (tổ chức đảng)", "Mẫu 01")]


def _frames(frames):
    return [
        {
            "code": code,
            "name": name,
            "form": form,
            "criteria": [
                {"code": "general", "group": "general", "name": GENERAL, "max_points": 30, "confirmed": True},
                {"code": "task", "group": "task", "name": TASK, "max_points": 70, "confirmed": True},
            ],
        }
        for code, name, form in frames
    ]


def _set(**kw):
    base = {
        "guidance": "",
        "regulation_date": None,
        "guidance_date": None,
        "effective_from": None,
        "effective_to": None,
        "uses_points": False,
        "max_points": None,
        "cap_percent": None,
        "cap_base": "good_or_better",
        "cap_grouping": "grassroots",
        "cap_rounding": "floor",
        "not_classified": ["exempted", "suspended"],
        "newly_admitted_months": 6,
        # Discipline in the year (RULES.md §1): a rule, never waived. See DISCIPLINE_SOURCES.
        "discipline_best_level": 4,
        "discipline_inside_counts": False,
        "discipline_inside_best_level": None,
        "distinction_label": "",
        "unconfirmed": [],
        "notes": "",
        "frames": [],
        "thresholds": {},
    }
    base.update(kw)
    return base


RULE_SETS = [
    _set(
        name="Trước 2018 – đảng viên (HD 27-HD/BTCTW)",
        subject="member",
        regulation="27-HD/BTCTW (2014)",
        guidance="20-HD/BTCTW (2008)",
        effective_to=date(2017, 12, 31),
        levels=OLD_MEMBER_LEVELS,
        decider="grassroots",
        discipline_best_level=2,
        unconfirmed=["effective_from", "regulation_date", "guidance_date", "discipline_best_level", "decider"],
        notes="Nhãn mức theo HD 20/2008, HD 27/2014 [V: RULES.md §1]. Không có quy định tỷ lệ tối đa.",
    ),
    _set(
        name="Trước 2018 – tổ chức đảng (TSVM)",
        subject="organization",
        regulation="27-HD/BTCTW (2014)",
        guidance="20-HD/BTCTW (2008)",
        effective_to=date(2017, 12, 31),
        levels=OLD_ORG_LEVELS,
        decider="parent",
        discipline_best_level=2,
        distinction_label="Trong sạch, vững mạnh tiêu biểu",
        unconfirmed=["effective_from", "regulation_date", "guidance_date", "discipline_best_level"],
        notes="“Trong sạch, vững mạnh” (có “TSVM tiêu biểu”), “Hoàn thành tốt nhiệm vụ”, “Hoàn thành nhiệm vụ”, "
        "“Yếu kém” [V: RULES.md §1].",
    ),
    _set(
        name="2018–2022 – đảng viên (132-QĐ/TW, HD 21-HD/BTCTW)",
        subject="member",
        regulation="132-QĐ/TW",
        regulation_date=date(2018, 3, 8),
        guidance="21-HD/BTCTW",
        guidance_date=date(2019, 10, 18),
        effective_from=date(2018, 1, 1),
        effective_to=date(2022, 12, 31),
        levels=MODERN_LEVELS,
        cap_percent=20,
        decider="grassroots",
        unconfirmed=["regulation_date", "cap_rounding", "decider"],
        notes="Tỷ lệ HTXSNV không vượt quá 20% số được xếp loại HTTNV trong từng tổ chức cơ sở đảng "
        "(HD 21-HD/BTCTW 2019) [V]. Không xếp loại: miễn công tác và sinh hoạt, đình chỉ sinh hoạt [V]. "
        "Đảng viên bị thi hành kỷ luật trong năm xếp loại “Không hoàn thành nhiệm vụ” (một vi phạm chỉ tính "
        "một lần khi xếp loại, vào năm có quyết định) [V: HD 21-HD/BTCTW mục II.B; HD 16-HD/BTCTW 2018 "
        "theo báo Công an nhân dân; thuvienphapluat.vn, hieuluat.vn].",
    ),
    _set(
        name="2018–2022 – tổ chức đảng (132-QĐ/TW, HD 21-HD/BTCTW)",
        subject="organization",
        regulation="132-QĐ/TW",
        regulation_date=date(2018, 3, 8),
        guidance="21-HD/BTCTW",
        guidance_date=date(2019, 10, 18),
        effective_from=date(2018, 1, 1),
        effective_to=date(2022, 12, 31),
        levels=MODERN_LEVELS,
        cap_percent=20,
        cap_grouping="decider",
        decider="parent",
        discipline_inside_counts=True,
        discipline_inside_best_level=2,
        unconfirmed=[
            "regulation_date",
            "cap_grouping",
            "cap_rounding",
            "discipline_best_level",
            "discipline_inside_counts",
            "discipline_inside_best_level",
        ],
        notes="Cấp ủy cấp trên trực tiếp quyết định [V: HD 43]. Tỷ lệ tối đa cho tổ chức trực thuộc theo từng "
        "cấp quyết định [?].",
    ),
    _set(
        name="2023–2024 – đảng viên (124-QĐ/TW)",
        subject="member",
        regulation="124-QĐ/TW",
        regulation_date=date(2023, 10, 4),
        guidance="25-HD/BTCTW",
        guidance_date=date(2023, 11, 10),
        effective_from=date(2023, 1, 1),
        effective_to=date(2024, 12, 31),
        levels=MODERN_LEVELS,
        cap_percent=20,
        decider="grassroots",
        unconfirmed=[
            "regulation_date",
            "cap_percent",
            "cap_base",
            "cap_rounding",
            "discipline_best_level",
            "decider",
        ],
        notes="Bốn mức như 132, không chấm điểm [V]. Tỷ lệ tối đa giữ như HD 21/2019 [?]. Hướng dẫn 25-HD/BTCTW "
        "ngày 10/11/2023 [V: hieuluat.vn]. Bị kỷ luật trong năm: giữ mức “Không hoàn thành nhiệm vụ” như HD 21/2019 "
        "[?: chưa đối chiếu với HD 25/2023].",
    ),
    _set(
        name="2023–2024 – tổ chức đảng (124-QĐ/TW)",
        subject="organization",
        regulation="124-QĐ/TW",
        regulation_date=date(2023, 10, 4),
        guidance="25-HD/BTCTW",
        guidance_date=date(2023, 11, 10),
        effective_from=date(2023, 1, 1),
        effective_to=date(2024, 12, 31),
        levels=MODERN_LEVELS,
        cap_percent=20,
        cap_grouping="decider",
        decider="parent",
        discipline_inside_counts=True,
        discipline_inside_best_level=2,
        unconfirmed=[
            "regulation_date",
            "cap_percent",
            "cap_base",
            "cap_grouping",
            "cap_rounding",
            "discipline_best_level",
            "discipline_inside_best_level",
        ],
    ),
    _set(
        name="Từ 2025 – đảng viên (366-QĐ/TW, HD 43-HD/BTCTW)",
        subject="member",
        regulation="366-QĐ/TW",
        regulation_date=date(2025, 8, 30),
        guidance="43-HD/BTCTW",
        guidance_date=date(2025, 10, 31),
        effective_from=date(2025, 1, 1),
        levels=MODERN_LEVELS,
        uses_points=True,
        max_points=100,
        thresholds=THRESHOLDS_2025,
        frames=_frames(FRAMES_2025_MEMBER),
        cap_percent=20,
        decider="grassroots",
        unconfirmed=[
            "cap_percent",
            "cap_base",
            "cap_rounding",
            "decider",
            "newly_admitted_months",
            "criteria",
            "discipline_best_level",
        ],
        notes="Thang 100 điểm: 30 điểm tiêu chí chung, 70 điểm kết quả nhiệm vụ; năm khung tiêu chí [V]. "
        "HTXSNV ≥ 90 (và 100% nhiệm vụ đúng hạn, ≥ 30% vượt yêu cầu, khắc phục hạn chế), HTTNV 70–<90, "
        "HTNV 50–<70 [V]; KHTNV < 50 hoặc bị kỷ luật trong năm [?]. Tỷ lệ tối đa 2025 [?]. "
        "Chi tiết điểm trong từng nhóm tiêu chí chưa đối chiếu [?].",
    ),
    _set(
        name="Từ 2025 – tổ chức đảng (366-QĐ/TW, HD 43-HD/BTCTW)",
        subject="organization",
        regulation="366-QĐ/TW",
        regulation_date=date(2025, 8, 30),
        guidance="43-HD/BTCTW",
        guidance_date=date(2025, 10, 31),
        effective_from=date(2025, 1, 1),
        levels=MODERN_LEVELS,
        uses_points=True,
        max_points=100,
        thresholds=THRESHOLDS_2025,
        frames=_frames(FRAMES_2025_ORG),
        cap_percent=20,
        cap_grouping="decider",
        decider="parent",
        discipline_inside_counts=True,
        discipline_inside_best_level=2,
        unconfirmed=["cap_percent", "cap_base", "cap_grouping", "cap_rounding", "criteria", "discipline_best_level"],
        notes="Ban Thường vụ cấp ủy cấp trên trực tiếp quyết định [V: HD 43]. Tập thể đạt HTXSNV khi không có "
        "tổ chức, đảng viên bị kỷ luật trong năm [V].",
    ),
]


# What was confirmed about the discipline rule, and where (issue 16). Shown with each set's notes.
DISCIPLINE_SOURCES = {
    "132-QĐ/TW": "[V] HD 21-HD/BTCTW 18/10/2019 mục II.B (thuvienphapluat.vn, hieuluat.vn); HD 16-HD/BTCTW 2018 "
    "(báo Công an nhân dân): đảng viên bị thi hành kỷ luật trong năm xếp “Không hoàn thành nhiệm vụ”.",
    "124-QĐ/TW": "[?] HD 25-HD/BTCTW 10/11/2023 (hieuluat.vn) chưa đối chiếu được điểm này; giữ như HD 21/2019.",
    "366-QĐ/TW": "[?] HD 43-HD/BTCTW 31/10/2025 chưa đối chiếu được điểm này; giữ như HD 21/2019.",
    "27-HD/BTCTW (2014)": "[?] HD 27/2014 chưa đối chiếu được; giữ mức cũ (không được mức 1).",
}


def load(RuleSet, Level, Frame, Criterion) -> None:
    """Create the shipped sets (idempotent by name); takes the models so migrations can pass theirs."""
    for spec in RULE_SETS:
        spec = dict(spec)
        levels = spec.pop("levels")
        frames = spec.pop("frames")
        thresholds = spec.pop("thresholds")
        if RuleSet.objects.filter(name=spec["name"]).exists():
            continue
        # An early migration passes the model as it stood then: leave out fields added later.
        known = {f.name for f in RuleSet._meta.get_fields()}
        rule_set = RuleSet.objects.create(**{k: v for k, v in spec.items() if k in known})
        unconfirmed_levels = "thresholds" in spec["unconfirmed"]
        for code, label, abbr in levels:
            Level.objects.create(
                rule_set=rule_set,
                code=code,
                label=label,
                abbreviation=abbr,
                min_points=thresholds.get(code),
                # The unsatisfactory threshold of 2025 (< 50) is not confirmed.
                confirmed=not unconfirmed_levels and not (thresholds and code == 4),
            )
        for order, frame in enumerate(frames):
            f = Frame.objects.create(
                rule_set=rule_set, code=frame["code"], name=frame["name"], form=frame["form"], order=order
            )
            for c_order, criterion in enumerate(frame["criteria"]):
                Criterion.objects.create(frame=f, order=c_order, **criterion)
