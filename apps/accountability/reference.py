"""The 27 manifestations of Nghị quyết 04-NQ/TW of 30/10/2016 (part II.1), shipped as reference data.

The resolution's text could not be checked against a published copy while this list was written,
so every item ships with `wording_confirmed=False`: the interface marks it and an administrator
must compare each item with the official text and correct it. Do not treat these as verbatim.
"""

import datetime as dt

RESOLUTION = "04-NQ/TW"
RESOLUTION_DATE = dt.date(2016, 10, 30)

# (group, number, text, wording_confirmed)
MANIFESTATIONS = [
    # a) Political ideology
    (
        1,
        1,
        "Phai nhạt lý tưởng cách mạng; dao động, giảm sút niềm tin vào mục tiêu, lý tưởng độc lập dân tộc và chủ nghĩa xã hội; hoài nghi, thiếu tin tưởng vào chủ nghĩa Mác - Lênin, tư tưởng Hồ Chí Minh.",
        False,
    ),
    (
        1,
        2,
        "Xa rời tôn chỉ, mục đích của Đảng; không kiên định con đường xã hội chủ nghĩa; phụ họa theo những nhận thức lệch lạc, quan điểm sai trái, thù địch.",
        False,
    ),
    (
        1,
        3,
        "Nhận thức sai lệch về vị trí, vai trò và tầm quan trọng của việc học tập lý luận chính trị; lười học tập chủ nghĩa Mác - Lênin, tư tưởng Hồ Chí Minh, nghị quyết, chỉ thị của Đảng, chính sách, pháp luật của Nhà nước.",
        False,
    ),
    (
        1,
        4,
        "Sa sút ý chí phấn đấu, không gương mẫu trong công tác; ngại khó, ngại khổ, không còn ý thức hết lòng vì nước, vì dân, không làm tròn chức trách, nhiệm vụ được giao; làm việc qua loa, đại khái, kém hiệu quả.",
        False,
    ),
    (
        1,
        5,
        "Trong tự phê bình và phê bình thì nể nang, né tránh, ngại va chạm, thấy đúng không bảo vệ, thấy sai không đấu tranh; lợi dụng phê bình để nịnh bợ, lấy lòng nhau hoặc vu khống, bôi nhọ, chỉ trích, phê phán người khác với động cơ cá nhân không trong sáng.",
        False,
    ),
    (
        1,
        6,
        "Nói không đi đôi với làm; hứa nhiều làm ít; nói một đằng, làm một nẻo; nói trong hội nghị khác, nói ngoài hội nghị khác; nói và viết trái với quan điểm, đường lối của Đảng.",
        False,
    ),
    (
        1,
        7,
        "Độc đoán, chuyên quyền, áp đặt ý kiến của mình; bảo thủ, không chịu lắng nghe và tiếp thu ý kiến đóng góp của tập thể, của người khác.",
        False,
    ),
    (
        1,
        8,
        "Ngại khó, ngại khổ, né tránh, đùn đẩy trách nhiệm; kén chọn chức danh, vị trí công tác; vận động, tranh thủ phiếu bầu, phiếu tín nhiệm cho cá nhân một cách không lành mạnh.",
        False,
    ),
    (
        1,
        9,
        "Lợi dụng chức vụ, quyền hạn trong công tác cán bộ để bố trí, bổ nhiệm người thân, người quen không đủ tiêu chuẩn, điều kiện.",
        False,
    ),
    # b) Ethics and lifestyle
    (
        2,
        10,
        "Chủ nghĩa cá nhân, sống ích kỷ, thực dụng, cơ hội, vụ lợi; chỉ lo thu vén cá nhân, không quan tâm đến lợi ích tập thể; ganh ghét, đố kỵ, so bì, tị nạnh, không muốn người khác hơn mình.",
        False,
    ),
    (
        2,
        11,
        "Tham vọng chức quyền, tranh giành quyền lực; cục bộ, bè phái, gây mất đoàn kết nội bộ; gia trưởng, độc đoán trong điều hành.",
        False,
    ),
    (2, 12, "Kê khai tài sản, thu nhập không trung thực.", False),
    (2, 13, "Che giấu, không dám nhận khuyết điểm; phô trương, hình thức, thích được đề cao, ca ngợi.", False),
    (
        2,
        14,
        "Quan liêu, xa rời quần chúng; vô cảm, thờ ơ, bàng quan trước những khó khăn, bức xúc và đòi hỏi chính đáng của nhân dân.",
        False,
    ),
    (2, 15, "Làm thất thoát, lãng phí tài sản, tiền của của Nhà nước, tập thể; lãng phí thời gian làm việc.", False),
    (2, 16, "Tham ô, tham nhũng; lợi dụng chức vụ, quyền hạn để trục lợi cho bản thân, gia đình, người thân.", False),
    (2, 17, "Lợi dụng chức vụ, quyền hạn để thao túng công tác cán bộ, mưu lợi cá nhân; chạy chức, chạy quyền.", False),
    (2, 18, "Sống xa hoa, bê tha; vi phạm đạo đức gia đình, thuần phong mỹ tục, đạo đức xã hội.", False),
    # c) "Self-evolution", "self-transformation"
    (
        3,
        19,
        "Phủ nhận chủ nghĩa Mác - Lênin, tư tưởng Hồ Chí Minh; đòi thực hiện đa nguyên chính trị, đa đảng đối lập.",
        False,
    ),
    (
        3,
        20,
        "Cổ xúy cho “tam quyền phân lập”, “xã hội dân sự”; phủ nhận vai trò lãnh đạo của Đảng.",
        False,
    ),
    (3, 21, "Phủ nhận, xuyên tạc thành quả cách mạng, lịch sử của Đảng và dân tộc; nói xấu, bôi nhọ lãnh tụ.", False),
    (3, 22, "Kích động tư tưởng bất mãn, gây nghi ngờ, hoang mang, chia rẽ trong Đảng và trong nhân dân.", False),
    (
        3,
        23,
        "Đòi “phi chính trị hóa” quân đội và công an; xuyên tạc đường lối xây dựng nền quốc phòng toàn dân, an ninh nhân dân.",
        False,
    ),
    (3, 24, "Móc nối, cấu kết với các thế lực thù địch, phản động và các phần tử cơ hội, bất mãn chính trị.", False),
    (
        3,
        25,
        "Làm sai lệch, cung cấp thông tin trái quy định cho bên ngoài; nói, viết trái quan điểm của Đảng trong quan hệ đối ngoại.",
        False,
    ),
    (
        3,
        26,
        "Lôi kéo, tụ tập; sáng tác, quảng bá tác phẩm có nội dung xấu, gây ảnh hưởng tiêu cực đến dư luận xã hội.",
        False,
    ),
    (3, 27, "Có tư tưởng dân tộc hẹp hòi, cực đoan; lợi dụng vấn đề dân tộc, tôn giáo để gây chia rẽ.", False),
]


def load(Manifestation) -> int:
    """Create the items that are missing (never overwrite an administrator's corrections)."""
    created = 0
    for group, number, text, confirmed in MANIFESTATIONS:
        _obj, was_created = Manifestation.objects.get_or_create(
            resolution=RESOLUTION,
            number=number,
            defaults={
                "group": group,
                "text": text,
                "wording_confirmed": confirmed,
                "resolution_date": RESOLUTION_DATE,
            },
        )
        created += was_created
    return created
