"""Demo rows of the document library: the regulations the product encodes, by number and date
(metadata only: their texts are not copied here), entered by the province as Party documents, so
every organization below reads them; a ward plan with its text and file, sent to Bình Thắng's
cells and part-way studied; a study session and a forum."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

D = dt.date

# (key, kind, number, issued_on, issuer, title, subject, replaced_by key)
PARTY_DOCUMENTS = [
    (
        "charter",
        "regulation",
        "Điều lệ Đảng",
        D(2011, 1, 19),
        "Đại hội đại biểu toàn quốc lần thứ XI",
        "Điều lệ Đảng Cộng sản Việt Nam",
        "Điều lệ Đảng",
        None,
    ),
    (
        "qd294",
        "regulation",
        "294-QĐ/TW",
        D(2025, 5, 26),
        "Ban Chấp hành Trung ương",
        "Quy định về thi hành Điều lệ Đảng",
        "Điều lệ Đảng; đảng viên",
        None,
    ),
    (
        "qd232",
        "regulation",
        "232-QĐ/TW",
        None,
        "Ban Chấp hành Trung ương",
        "Quy định về thi hành Điều lệ Đảng (tháng 01/2025)",
        "Điều lệ Đảng",
        "qd294",
    ),
    (
        "qd24",
        "regulation",
        "24-QĐ/TW",
        None,
        "Ban Chấp hành Trung ương",
        "Quy định về thi hành Điều lệ Đảng (2021)",
        "Điều lệ Đảng",
        "qd232",
    ),
    (
        "hd06",
        "guidance",
        "06-HD/TW",
        D(2025, 6, 9),
        "Ban Bí thư",
        "Hướng dẫn một số vấn đề cụ thể thi hành Điều lệ Đảng",
        "Điều lệ Đảng; đảng viên",
        None,
    ),
    ("qd01", "regulation", "01-QĐ/TW", D(2026, 2, 3), "Bộ Chính trị", "Quy định về chế độ đảng phí", "Đảng phí", None),
    (
        "qd342",
        "regulation",
        "342-QĐ/TW",
        None,
        "Bộ Chính trị",
        "Quy định về chế độ đảng phí (2010)",
        "Đảng phí",
        "qd01",
    ),
    (
        "nq04",
        "resolution",
        "04-NQ/TW",
        D(2016, 10, 30),
        "Ban Chấp hành Trung ương (khóa XII)",
        "Nghị quyết Hội nghị Trung ương 4 khóa XII về tăng cường xây dựng, chỉnh đốn Đảng; ngăn chặn, đẩy lùi "
        'sự suy thoái về tư tưởng chính trị, đạo đức, lối sống, những biểu hiện "tự diễn biến", "tự chuyển hóa" '
        "trong nội bộ",
        "Xây dựng, chỉnh đốn Đảng; 27 biểu hiện suy thoái",
        None,
    ),
    (
        "qd366",
        "regulation",
        "366-QĐ/TW",
        D(2025, 8, 30),
        "Bộ Chính trị",
        "Quy định về kiểm điểm, đánh giá, xếp loại chất lượng hằng năm đối với tập thể, cá nhân trong hệ thống "
        "chính trị",
        "Đánh giá, xếp loại chất lượng",
        None,
    ),
    (
        "qd124",
        "regulation",
        "124-QĐ/TW",
        None,
        "Bộ Chính trị",
        "Quy định về kiểm điểm, đánh giá, xếp loại chất lượng hằng năm (2023)",
        "Đánh giá, xếp loại chất lượng",
        "qd366",
    ),
    (
        "qd132",
        "regulation",
        "132-QĐ/TW",
        None,
        "Bộ Chính trị",
        "Quy định về kiểm điểm và đánh giá, xếp loại chất lượng hằng năm (2018)",
        "Đánh giá, xếp loại chất lượng",
        "qd124",
    ),
    (
        "hd43",
        "guidance",
        "43-HD/BTCTW",
        D(2025, 10, 31),
        "Ban Tổ chức Trung ương",
        "Hướng dẫn kiểm điểm, đánh giá, xếp loại chất lượng hằng năm",
        "Đánh giá, xếp loại chất lượng",
        None,
    ),
    (
        "hd21",
        "guidance",
        "21-HD/BTCTW",
        D(2019, 10, 18),
        "Ban Tổ chức Trung ương",
        "Hướng dẫn kiểm điểm, đánh giá, xếp loại chất lượng (theo Quy định 132-QĐ/TW)",
        "Đánh giá, xếp loại chất lượng",
        "hd43",
    ),
    (
        "kl198",
        "conclusion",
        "198-KL/TW",
        None,
        "Bộ Chính trị",
        "Kết luận về đánh giá cán bộ lãnh đạo, quản lý theo quý",
        "Đánh giá cán bộ",
        None,
    ),
    (
        "qd296",
        "regulation",
        "296-QĐ/TW",
        D(2025, 5, 30),
        "Ban Chấp hành Trung ương",
        "Quy định về công tác kiểm tra, giám sát và kỷ luật của Đảng",
        "Kiểm tra, giám sát",
        None,
    ),
    (
        "ct50",
        "directive",
        "50-CT/TW",
        D(2025, 7, 23),
        "Ban Bí thư",
        "Chỉ thị về nâng cao chất lượng sinh hoạt chi bộ",
        "Sinh hoạt chi bộ",
        None,
    ),
    (
        "hd42",
        "guidance",
        "42-HD/BTCTW",
        D(2025, 10, 28),
        "Ban Tổ chức Trung ương",
        "Hướng dẫn nâng cao chất lượng sinh hoạt chi bộ",
        "Sinh hoạt chi bộ",
        None,
    ),
]

WARD_PLAN_TEXT = """KẾ HOẠCH
Học tập, quán triệt Chỉ thị 50-CT/TW và Hướng dẫn 42-HD/BTCTW về nâng cao chất lượng sinh hoạt chi bộ

I. MỤC ĐÍCH, YÊU CẦU
1. Cán bộ, đảng viên trong Đảng bộ nắm vững nội dung Chỉ thị và Hướng dẫn, vận dụng vào sinh hoạt chi bộ.
2. Mỗi đảng viên đọc văn bản được gửi trên hệ thống và xác nhận đã học tập trước ngày 30 của tháng.

II. NỘI DUNG, HÌNH THỨC
1. Các chi bộ tổ chức học tập trong kỳ sinh hoạt thường kỳ; đảng viên viết bài thu hoạch.
2. Đảng ủy tổ chức tọa đàm về đổi mới nội dung sinh hoạt chi bộ khu phố.

III. TỔ CHỨC THỰC HIỆN
Các chi bộ báo cáo kết quả học tập về Đảng ủy phường.
"""


def seed(context) -> None:
    from apps.library import services
    from apps.library.models import Origin, Receipt, Validity
    from apps.members.models import Member

    admin = context["admin"]
    province, ward = context["province"], context["ward"]
    staff = context["users"]["committee_staff"]
    log = context.get("log") or (lambda text: None)
    today = context.get("today") or timezone.localdate()
    documents = {}
    # A replaced document after the one replacing it.
    pending = list(PARTY_DOCUMENTS)
    while pending:
        row = pending.pop(0)
        key, kind, number, issued_on, issuer, title, subject, replaced_by = row
        if replaced_by is not None and replaced_by not in documents:
            pending.append(row)
            continue
        if issued_on is not None and issued_on > today:
            issued_on = None
        documents[key] = services.document_create(
            user=admin,
            organization=province,
            origin=Origin.PARTY,
            kind=kind,
            number=number,
            issued_on=issued_on,
            issuer=issuer,
            title=title,
            subject=subject,
            validity=Validity.REPLACED if replaced_by else Validity.IN_FORCE,
            replaced_by=documents.get(replaced_by),
        )
    plan_day = min(today, D(2025, 11, 10))
    plan = services.document_create(
        user=staff,
        organization=ward,
        origin=Origin.LOCAL,
        kind="plan",
        number="45-KH/ĐU",
        issued_on=plan_day,
        issuer="Ban Chấp hành Đảng bộ phường Bình Thắng",
        title="Kế hoạch học tập, quán triệt Chỉ thị 50-CT/TW và Hướng dẫn 42-HD/BTCTW",
        subject="Sinh hoạt chi bộ",
        validity=Validity.IN_FORCE,
        upload=SimpleUploadedFile("45-KH-DU.txt", WARD_PLAN_TEXT.encode("utf-8"), content_type="text/plain"),
    )
    cells = [c for c in context["cells"] if c.ended_on is None]
    # The ward sends its plan and the directive down to its cells.
    for document in (plan, documents["ct50"]):
        dispatch = services.dispatch_create(
            user=staff, document=document, organization=ward, targets=cells, note="Đảng viên học tập trước ngày 30."
        )
        services.dispatch_run(dispatch.pk)  # at once, not waiting for the worker (a no-op if it already ran)
    # Part-way: in each cell, the first half opened it, the first third also confirmed study
    # (demo figures, not members' actions); the demo member's own receipt is left for them to open.
    hung = context["named"].get("nguyen_van_hung")
    now = timezone.now()
    opened_ids, studied_ids = [], []
    for cell in cells:
        ids = list(
            Receipt.objects.filter(document=plan, organization=cell)
            .exclude(member=hung)
            .order_by("member__sort_key", "pk")
            .values_list("pk", flat=True)
        )
        opened_ids += ids[: len(ids) // 2]
        studied_ids += ids[: len(ids) // 3]
    Receipt.objects.filter(pk__in=opened_ids).update(opened_at=now)
    Receipt.objects.filter(pk__in=studied_ids).update(studied_at=now)
    # A study session in Trung Thắng with attendance and a reflection required.
    cell = context["cells_by_key"]["trung-thang"]
    session = services.session_create(
        user=staff,
        document=documents["ct50"],
        organization=cell,
        title="Học tập, quán triệt Chỉ thị 50-CT/TW",
        held_on=plan_day,
        place="Nhà văn hóa khu phố Trung Thắng",
        presenter="Bí thư chi bộ",
        reflection_required=True,
    )
    present = list(Member.objects.filter(organization=cell).current().order_by("sort_key", "pk")[:20])
    services.session_attendance(user=staff, session=session, members=present)
    member_user = context["users"].get("member")
    if member_user is not None:
        member_user = type(member_user).objects.get(pk=member_user.pk)  # its member as it is now (moved with the ward)
        services.reflection_submit(
            user=member_user,
            session=session,
            text="Chi bộ cần chuẩn bị nội dung sinh hoạt trước, để mỗi đảng viên có ý kiến về việc của khu phố.",
        )
    # The cell's own resolution, read within the cell (and by the committees above it).
    services.document_create(
        user=staff,
        organization=cell,
        origin=Origin.LOCAL,
        kind="resolution",
        number="12-NQ/CB",
        issued_on=plan_day,
        issuer="Chi bộ khu phố Trung Thắng",
        title="Nghị quyết sinh hoạt chi bộ tháng 11: thực hiện Chỉ thị 50-CT/TW",
        subject="Sinh hoạt chi bộ",
        validity=Validity.IN_FORCE,
    )
    services.seminar_create(
        user=staff,
        organization=ward,
        kind="forum",
        title="Tọa đàm đổi mới nội dung sinh hoạt chi bộ khu phố",
        held_on=plan_day,
        place="Hội trường Đảng ủy phường Bình Thắng",
        participants="Bí thư, phó bí thư các chi bộ khu phố; Ban Thường vụ Đảng ủy",
        participant_count=24,
        documents=[documents["ct50"], documents["hd42"], plan],
        conclusions="Mỗi kỳ sinh hoạt thường kỳ dành thời gian thảo luận một vấn đề nổi lên ở khu phố.",
    )
    log(f"  thư viện: {len(documents) + 1} văn bản, {Receipt.objects.count()} lượt đến đảng viên")
