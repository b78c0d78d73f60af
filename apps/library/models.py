"""The document library: the Party's and the State's documents and each level's own, sent down to
the organizations below and to members, with who received, opened and studied each; study
sessions (học tập, quán triệt nghị quyết) with attendance and reflections; seminars and forums."""

import re

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.files import PrivateFileField
from apps.core.scoping import VIEW, ScopedQuerySet, scope_for
from apps.core.text import fold
from apps.core.versioning import Versioned

# Folded search text kept per document (PostgreSQL's tsvector is bounded at 1 MB).
SEARCH_TEXT_MAX = 300_000
_NON_WORD = re.compile(r"[^a-z0-9]+")


def search_words(text: str) -> list[str]:
    """The words a text is searched by: folded (no diacritics, đ→d, lowercase), split at every
    character that is not a letter or a digit, so both engines see the same words."""
    return [w for w in _NON_WORD.split(fold(text)) if w]


class Kind(models.TextChoices):
    RESOLUTION = "resolution", _("Nghị quyết")
    DIRECTIVE = "directive", _("Chỉ thị")
    REGULATION = "regulation", _("Quy định")
    GUIDANCE = "guidance", _("Hướng dẫn")
    CONCLUSION = "conclusion", _("Kết luận")
    PROJECT = "project", _("Đề án")
    PLAN = "plan", _("Kế hoạch")
    PROGRAMME = "programme", _("Chương trình")
    OTHER = "other", _("Văn bản khác")


class Origin(models.TextChoices):
    PARTY = "party", _("Văn bản của Đảng (Trung ương)")
    STATE = "state", _("Văn bản của Nhà nước")
    LOCAL = "local", _("Văn bản của cấp ủy")


# Documents of these origins, entered by an organization, are read by everyone below it.
SHARED_BELOW = (Origin.PARTY, Origin.STATE)


class Validity(models.TextChoices):
    IN_FORCE = "in_force", _("Còn hiệu lực")
    REPLACED = "replaced", _("Đã được thay thế")
    EXPIRED = "expired", _("Hết hiệu lực")


def _line_paths(scope) -> tuple[set[str], set[str]]:
    """(paths of the organizations the user reaches or belongs to, with all their ancestors;
    paths reached as whole subtrees). Loaded once per scope."""
    cached = scope._cache.get("library_lines")
    if cached is not None:
        return cached
    from apps.members.models import Member
    from apps.organizations.models import Organization, line_paths

    roots = set(scope.subtrees.get(VIEW, ()))
    ids = set(scope.orgs.get(VIEW, ()))
    if ids:
        roots |= set(
            Organization.objects.vouched("the user's own reach").filter(pk__in=ids).values_list("path", flat=True)
        )
    if scope.member_id:
        own = (
            Member.objects.vouched("the user's own record")
            .filter(pk=scope.member_id)
            .values_list("org_path", flat=True)
        )
        roots |= {p for p in own if p}
    lines = {line for root in roots for line in line_paths(root)}
    cached = (lines, set(scope.subtrees.get(VIEW, ())))
    scope._cache["library_lines"] = cached
    return cached


class DocumentQuerySet(ScopedQuerySet):
    """Scoped by the organization that entered the document. Beyond that reach, a document is read
    (VIEW) below the organization it was sent to, by the members who received it, and — a Party or
    State document — by everyone below the organization that entered it."""

    scope_org = "organization"
    scope_path = "org_path"

    def restrict(self, user, action: str = VIEW):
        qs = super().restrict(user, action)
        scope = scope_for(user)
        if scope.is_admin or action != VIEW or user is None or not user.is_authenticated:
            return qs
        lines, _subtrees = _line_paths(scope)
        extra = Q(pk__in=[])
        if lines:
            extra |= Q(org_path__in=lines, origin__in=SHARED_BELOW)
            # Sent to an organization on the user's line (it or one above it) or inside their reach.
            deliveries = Delivery.objects.vouched("deliveries to the user's line").filter(org_path__in=lines)
            extra |= Q(pk__in=deliveries.values("document_id"))
        reached = scope.reach_q(DeliveryQuerySet, VIEW)
        if scope.has_any_org:
            extra |= Q(pk__in=Delivery.objects.vouched("deliveries in reach").filter(reached).values("document_id"))
        if scope.member_id:
            extra |= Q(
                pk__in=Receipt.objects.vouched("the user's receipts")
                .filter(member_id=scope.member_id)
                .values("document_id")
            )
        return self.filter(Q(pk__in=qs.values("pk")) | extra)

    def search(self, text: str):
        """Documents whose title, number, issuer, subject or content hold every word of `text`
        (without diacritics; each word as the start of a word). PostgreSQL: the tsvector of the
        folded text, served by its GIN index; SQLite: the folded text's words, by LIKE."""
        words = search_words(text)[:12]
        if not words:
            return self
        from django.db import connection

        if connection.vendor == "postgresql":
            from django.contrib.postgres.search import SearchQuery, SearchVector

            query = SearchQuery(" & ".join(f"{w}:*" for w in words), config="simple", search_type="raw")
            return self.annotate(_search=SearchVector("search_text", config="simple")).filter(_search=query)
        condition = Q()
        for w in words:
            condition &= Q(search_text__startswith=w) | Q(search_text__contains=f" {w}")
        return self.filter(condition)


class Document(Versioned):
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("tổ chức nhập")
    )
    org_path = models.CharField(max_length=255, editable=False, db_index=True)
    origin = models.CharField(_("nguồn"), max_length=8, choices=Origin.choices, default=Origin.LOCAL)
    kind = models.CharField(_("loại văn bản"), max_length=16, choices=Kind.choices)
    number = models.CharField(_("số, ký hiệu"), max_length=100, blank=True, help_text=_("Ví dụ: 04-ĐA/HU"))
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=255)
    title = models.CharField(_("trích yếu"), max_length=500)
    subject = models.CharField(_("lĩnh vực, chủ đề"), max_length=255, blank=True)
    validity = models.CharField(_("hiệu lực"), max_length=16, choices=Validity.choices, default=Validity.IN_FORCE)
    replaced_by = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaces",
        verbose_name=_("được thay thế bởi"),
    )
    file = PrivateFileField(_("tệp"), prefix="library", blank=True)
    file_name = models.CharField(_("tên tệp"), max_length=255, blank=True)
    text = models.TextField(_("nội dung"), blank=True)
    # The folded words of number, title, issuer, subject and text (search_words), kept by save().
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, editable=False
    )

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("văn bản")
        verbose_name_plural = _("văn bản")
        ordering = ["-issued_on", "-pk"]
        indexes = [models.Index(fields=["org_path", "origin"], name="library_doc_path_origin")]

    def __str__(self):
        return f"{self.number} {self.title}".strip()

    def save(self, *args, **kwargs):
        self.org_path = self.organization.path
        words = search_words(" ".join((self.number, self.title, self.issuer, self.subject, self.text)))
        self.search_text = " ".join(words)[:SEARCH_TEXT_MAX]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text", "org_path"}
        super().save(*args, **kwargs)


class DispatchStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ gửi")
    RUNNING = "running", _("Đang gửi")
    DONE = "done", _("Đã gửi")
    FAILED = "failed", _("Gửi lỗi")


class DispatchQuerySet(ScopedQuerySet):
    """Scoped by the sending organization."""

    scope_org = "organization"
    scope_path = "org_path"


class Dispatch(models.Model):
    """One sending of a document down, by an organization, to organizations below it (their whole
    subtrees' members) and/or chosen members. The receipts are written by a background job."""

    document = models.ForeignKey(
        Document, on_delete=models.PROTECT, related_name="dispatches", verbose_name=_("văn bản")
    )
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("tổ chức gửi")
    )
    org_path = models.CharField(max_length=255, editable=False, db_index=True)
    members = models.ManyToManyField("members.Member", blank=True, related_name="+", verbose_name=_("đảng viên nhận"))
    note = models.CharField(_("yêu cầu"), max_length=500, blank=True)
    status = models.CharField(
        _("tình trạng"), max_length=8, choices=DispatchStatus.choices, default=DispatchStatus.QUEUED
    )
    receipt_count = models.PositiveIntegerField(_("số đảng viên nhận mới"), default=0)
    failure = models.TextField(blank=True)
    sent_at = models.DateTimeField(_("gửi lúc"), default=timezone.now)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = DispatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("lượt gửi văn bản")
        verbose_name_plural = _("lượt gửi văn bản")
        ordering = ["-sent_at", "-pk"]

    def __str__(self):
        return f"{self.document} → {self.organization}"


class DeliveryQuerySet(ScopedQuerySet):
    """Scoped by the receiving organization."""

    scope_org = "organization"
    scope_path = "org_path"


class Delivery(models.Model):
    """A document sent to an organization: it and everyone below it read the document."""

    dispatch = models.ForeignKey(Dispatch, on_delete=models.PROTECT, related_name="deliveries")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="deliveries")
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("tổ chức nhận")
    )
    org_path = models.CharField(max_length=255, editable=False, db_index=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("tổ chức nhận văn bản")
        verbose_name_plural = _("tổ chức nhận văn bản")
        constraints = [models.UniqueConstraint(fields=["dispatch", "organization"], name="library_delivery_once")]

    def __str__(self):
        return f"{self.document} → {self.organization}"


class ReceiptQuerySet(ScopedQuerySet):
    """Scoped by the member's cell when the document reached them; a member reads their own."""

    scope_org = "organization"
    scope_path = "org_path"
    scope_member = "member"


class Receipt(models.Model):
    """A document that reached a member: when, when they opened it, when they confirmed having
    studied it. One per member and document, whatever the number of sendings."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="receipts", verbose_name=_("văn bản"))
    dispatch = models.ForeignKey(Dispatch, on_delete=models.PROTECT, related_name="receipts")
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="+", verbose_name=_("đảng viên")
    )
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("chi bộ")
    )
    org_path = models.CharField(max_length=255, db_index=True)
    received_at = models.DateTimeField(_("nhận lúc"), default=timezone.now)
    opened_at = models.DateTimeField(_("mở đọc lúc"), null=True, blank=True)
    studied_at = models.DateTimeField(_("xác nhận đã học tập lúc"), null=True, blank=True)

    objects = ReceiptQuerySet.as_manager()

    class Meta:
        verbose_name = _("văn bản đã đến đảng viên")
        verbose_name_plural = _("văn bản đã đến đảng viên")
        ordering = ["-received_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["document", "member"], name="library_receipt_once")]
        indexes = [
            models.Index(fields=["document", "organization"], name="library_receipt_doc_org"),
            models.Index(fields=["member", "received_at"], name="library_receipt_member"),
        ]

    def __str__(self):
        return f"{self.document} – {self.member}"


class BookmarkQuerySet(ScopedQuerySet):
    scope_org = "member__organization"
    scope_path = "member__org_path"
    scope_member = "member"


class Bookmark(models.Model):
    """A document a member keeps at hand; taken off, it stays with `active` false."""

    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="bookmarks")
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = BookmarkQuerySet.as_manager()

    class Meta:
        verbose_name = _("văn bản đánh dấu")
        verbose_name_plural = _("văn bản đánh dấu")
        constraints = [models.UniqueConstraint(fields=["member", "document"], name="library_bookmark_once")]


class OwnedQuerySet(ScopedQuerySet):
    """Study sessions and seminars: scoped by the organization holding them, and read (VIEW) by
    the members and committees below it (they are its members, or invited)."""

    scope_org = "organization"
    scope_path = "org_path"

    def restrict(self, user, action: str = VIEW):
        qs = super().restrict(user, action)
        scope = scope_for(user)
        if scope.is_admin or action != VIEW or user is None or not user.is_authenticated:
            return qs
        lines, _subtrees = _line_paths(scope)
        if not lines:
            return qs
        return self.filter(Q(pk__in=qs.values("pk")) | Q(org_path__in=lines))


class StudySession(models.Model):
    """A study session (học tập, quán triệt) of a document held by an organization."""

    document = models.ForeignKey(
        Document, on_delete=models.PROTECT, related_name="study_sessions", verbose_name=_("văn bản")
    )
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("tổ chức thực hiện")
    )
    org_path = models.CharField(max_length=255, editable=False, db_index=True)
    title = models.CharField(_("tên buổi học tập"), max_length=255)
    held_on = models.DateField(_("ngày"))
    place = models.CharField(_("địa điểm"), max_length=255, blank=True)
    presenter = models.CharField(_("báo cáo viên"), max_length=255, blank=True)
    reflection_required = models.BooleanField(_("yêu cầu viết bài thu hoạch"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = OwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("buổi học tập, quán triệt")
        verbose_name_plural = _("buổi học tập, quán triệt")
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.org_path = self.organization.path
        super().save(*args, **kwargs)


class SessionChildQuerySet(ScopedQuerySet):
    scope_org = "session__organization"
    scope_path = "session__org_path"
    scope_member = "member"


class Attendance(models.Model):
    session = models.ForeignKey(StudySession, on_delete=models.PROTECT, related_name="attendances")
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="+", verbose_name=_("đảng viên")
    )
    attended = models.BooleanField(_("có mặt"), default=True)

    objects = SessionChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("dự học tập")
        verbose_name_plural = _("dự học tập")
        constraints = [models.UniqueConstraint(fields=["session", "member"], name="library_attendance_once")]


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("Xuất sắc")
    GOOD = "good", _("Tốt")
    PASS = "pass", _("Đạt")
    FAIL = "fail", _("Chưa đạt")


class Reflection(models.Model):
    """A member's written reflection (bài thu hoạch) after a study session, and its grade."""

    session = models.ForeignKey(StudySession, on_delete=models.PROTECT, related_name="reflections")
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="+", verbose_name=_("đảng viên")
    )
    text = models.TextField(_("bài thu hoạch"))
    submitted_at = models.DateTimeField(_("nộp lúc"), default=timezone.now)
    grade = models.CharField(_("kết quả"), max_length=10, choices=Grade.choices, blank=True)
    graded_at = models.DateTimeField(null=True, blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    objects = SessionChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("bài thu hoạch")
        verbose_name_plural = _("bài thu hoạch")
        constraints = [models.UniqueConstraint(fields=["session", "member"], name="library_reflection_once")]


class SeminarKind(models.TextChoices):
    CONFERENCE = "conference", _("Hội thảo")
    FORUM = "forum", _("Tọa đàm")


class Seminar(models.Model):
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("tổ chức thực hiện")
    )
    org_path = models.CharField(max_length=255, editable=False, db_index=True)
    kind = models.CharField(_("hình thức"), max_length=12, choices=SeminarKind.choices)
    title = models.CharField(_("chủ đề"), max_length=255)
    held_on = models.DateField(_("ngày"))
    place = models.CharField(_("địa điểm"), max_length=255, blank=True)
    participants = models.TextField(_("thành phần tham dự"), blank=True)
    participant_count = models.PositiveIntegerField(_("số người tham dự"), null=True, blank=True)
    documents = models.ManyToManyField(
        Document, blank=True, related_name="seminars", verbose_name=_("văn bản liên quan")
    )
    conclusions = models.TextField(_("kết luận"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = OwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("hội thảo, tọa đàm")
        verbose_name_plural = _("hội thảo, tọa đàm")
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.org_path = self.organization.path
        super().save(*args, **kwargs)
