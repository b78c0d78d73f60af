"""The forms officials fill in an admission, produced from the case data in the party's layout.

The layouts follow the content of forms 1-KNĐ … 9-KNĐ as far as we know them; they are NOT
confirmed against the official forms, and each document says so in its last line."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.documents import PartyDocument
from apps.core.templatetags.vn import format_date

from .models import SponsorRole, StepKind
from .services import committee_of

UNCONFIRMED = gettext_lazy("Mẫu trình bày chưa được đối chiếu với mẫu chính thức (1-KNĐ … 9-KNĐ).")
DOCUMENTS = {
    "don": gettext_lazy("Đơn xin vào Đảng"),
    "gioi-thieu": gettext_lazy("Giấy giới thiệu người vào Đảng"),
    "nghi-quyet": gettext_lazy("Nghị quyết đề nghị kết nạp đảng viên"),
    "de-nghi": gettext_lazy("Tờ trình đề nghị kết nạp đảng viên"),
}


def _candidate_lines(case) -> list[str]:
    return [
        _("Họ và tên: %(name)s. Giới tính: %(gender)s. Ngày sinh: %(birth)s.")
        % {"name": case.full_name, "gender": case.get_gender_display(), "birth": format_date(case.birth_date)},
        _("Dân tộc: %(ethnicity)s. Tôn giáo: %(religion)s. Quê quán: %(hometown)s.")
        % {"ethnicity": case.ethnicity, "religion": case.religion or _("Không"), "hometown": case.hometown},
        _("Nơi cư trú: %(residence)s. Nghề nghiệp, nơi làm việc: %(occupation)s.")
        % {"residence": case.residence, "occupation": case.occupation},
        _("Trình độ giáo dục phổ thông: %(edu)s.") % {"edu": case.general_education or case.education_exception},
    ]


def case_document(case, doc: str) -> PartyDocument | None:
    steps = {s.kind: s for s in case.steps.all()}
    cell = case.organization
    committee = committee_of(case)
    if doc == "don":
        application = steps.get(StepKind.APPLICATION)
        d = PartyDocument(
            title=_("Đơn xin vào Đảng"),
            organization="",
            day=application.date if application else None,
        )
        d.paragraph(_("Kính gửi: %(cell)s") % {"cell": cell.name})
        for line in _candidate_lines(case):
            d.paragraph(line)
        cls = steps.get(StepKind.CLASS)
        if cls:
            d.paragraph(
                _("Đã học lớp bồi dưỡng nhận thức về Đảng, giấy chứng nhận số %(number)s ngày %(day)s.")
                % {"number": cls.number or "…", "day": format_date(cls.date)}
            )
        d.paragraph(_("Tôi tự nguyện xin vào Đảng Cộng sản Việt Nam và hứa chấp hành nghiêm Cương lĩnh, Điều lệ Đảng."))
        d.signatures = [(_("Người làm đơn"), case.full_name)]
    elif doc == "gioi-thieu":
        sponsors = [s for s in case.sponsors.all() if s.role == SponsorRole.SPONSOR]
        step = steps.get(StepKind.SPONSORS)
        d = PartyDocument(
            title=_("Giấy giới thiệu người vào Đảng"),
            organization=cell.name,
            parent_organization=committee.name if committee != cell else "",
            day=step.date if step else None,
        )
        for s in sponsors:
            if s.member_id:
                d.paragraph(
                    _("Đảng viên %(name)s, công tác cùng người được giới thiệu từ %(since)s.")
                    % {"name": s.member.full_name, "since": format_date(s.worked_since)}
                )
            else:
                d.paragraph(_("Ban Chấp hành Đoàn cơ sở: %(name)s.") % {"name": s.youth_union_committee})
        d.paragraph(_("Giới thiệu người vào Đảng:"))
        for line in _candidate_lines(case):
            d.paragraph(line)
        d.signatures = [
            (_("Người giới thiệu"), s.member.full_name if s.member_id else s.youth_union_committee) for s in sponsors
        ]
    elif doc == "nghi-quyet":
        vote = steps.get(StepKind.CELL_VOTE)
        d = PartyDocument(
            title=_("Nghị quyết đề nghị kết nạp đảng viên"),
            organization=cell.name,
            parent_organization=committee.name if committee != cell else "",
            day=vote.date if vote else None,
        )
        d.paragraph(_("Chi bộ đã xét đề nghị kết nạp vào Đảng:"))
        for line in _candidate_lines(case):
            d.paragraph(line)
        if vote:
            d.paragraph(
                _("Tổng số đảng viên chính thức: %(base)s; tán thành: %(for)s; không tán thành: %(against)s.")
                % {"base": vote.full_members, "for": vote.votes_for, "against": vote.votes_against}
            )
        d.paragraph(_("Chi bộ đề nghị %(committee)s xem xét, kết nạp.") % {"committee": committee.name})
        d.signatures = [(_("T/M CHI BỘ\nBÍ THƯ"), "")]
        d.recipients = [committee.name, _("Lưu chi bộ")]
    elif doc == "de-nghi":
        proposal = steps.get(StepKind.PROPOSAL)
        vote = steps.get(StepKind.CELL_VOTE)
        d = PartyDocument(
            title=_("Tờ trình đề nghị kết nạp đảng viên"),
            organization=committee.name,
            number=proposal.number if proposal else "",
            day=proposal.date if proposal else None,
        )
        d.paragraph(
            _("Căn cứ nghị quyết của %(cell)s ngày %(day)s, đề nghị kết nạp vào Đảng:")
            % {"cell": cell.name, "day": format_date(vote.date) if vote else "…"}
        )
        for line in _candidate_lines(case):
            d.paragraph(line)
        d.signatures = [(_("T/M ĐẢNG ỦY"), "")]
    else:
        return None
    d.paragraph(str(UNCONFIRMED))
    return d
