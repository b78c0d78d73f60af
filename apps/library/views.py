from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.files import scoped_file_response
from apps.core.forms import attempt
from apps.core.scoping import CHANGE, VIEW, scope_for
from apps.core.views import get_scoped
from apps.members.models import CURRENT_STATUSES, Member
from apps.organizations.models import Organization

from . import selectors, services
from .forms import (
    AttendanceForm,
    ConclusionsForm,
    DocumentForm,
    GradeForm,
    ReflectionForm,
    SearchForm,
    SeminarForm,
    SendForm,
    SessionForm,
)
from .models import Document, Reflection, Seminar, StudySession

PAGE = 100


def _change_orgs(user):
    return Organization.objects.restrict(user, CHANGE).current().order_by("path")


def _can_change(user) -> bool:
    scope = scope_for(user)
    return scope.is_admin or bool(scope.subtrees.get(CHANGE) or scope.orgs.get(CHANGE))


def _home_org(user, requested=None):
    """The organization a committee works from here: the one asked for (in CHANGE reach), else the
    top of the user's reach."""
    orgs = _change_orgs(user)
    if requested:
        return orgs.filter(pk=requested).first() if str(requested).isdigit() else None
    return orgs.order_by("depth", "path").first()


@login_required
def index(request):
    form = SearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    documents = selectors.documents_for(
        request.user,
        text=filters.get("q", ""),
        kind=filters.get("kind", ""),
        validity=filters.get("validity", ""),
        origin=filters.get("origin", ""),
    )
    rows = list(documents[: PAGE + 1])
    return render(
        request,
        "library/index.html",
        {
            "form": form,
            "documents": rows[:PAGE],
            "more": len(rows) > PAGE,
            "can_change": _can_change(request.user),
            "is_member": bool(scope_for(request.user).member_id),
        },
    )


@login_required
def mine(request):
    return render(request, "library/mine.html", selectors.my_library(request.user))


@login_required
def create(request):
    if not _can_change(request.user):
        raise Http404
    orgs = _change_orgs(request.user)
    docs = Document.objects.restrict(request.user, VIEW).order_by("-issued_on", "-pk")
    form = DocumentForm(request.POST or None, request.FILES or None, organizations=orgs, documents=docs)
    if request.method == "POST" and form.is_valid():
        values = form.values_without_version()
        upload = values.pop("file", None)
        document, ok = attempt(
            request, form, lambda: services.document_create(user=request.user, upload=upload, **values)
        )
        if ok:
            messages.success(request, _("Đã lưu văn bản vào thư viện."))
            return redirect("library:detail", pk=document.pk)
    return render(
        request, "library/form.html", {"form": form, "title": _("Nhập văn bản vào thư viện"), "multipart": True}
    )


@login_required
def edit(request, pk):
    document = get_scoped(Document, request.user, pk, CHANGE)
    docs = Document.objects.restrict(request.user, VIEW).exclude(pk=document.pk).order_by("-issued_on", "-pk")
    initial = {f: getattr(document, f) for f in services.DOCUMENT_FIELDS}
    form = DocumentForm(
        request.POST or None,
        request.FILES or None,
        documents=docs,
        editing=True,
        initial=initial,
        version=document.version,
    )
    if request.method == "POST" and form.is_valid():
        values = form.values_without_version()
        upload = values.pop("file", None)
        _done, ok = attempt(
            request,
            form,
            lambda: services.document_update(
                user=request.user, document=document, expected_version=form.expected_version, upload=upload, **values
            ),
        )
        if ok:
            messages.success(request, _("Đã lưu văn bản."))
            return redirect("library:detail", pk=document.pk)
    return render(request, "library/form.html", {"form": form, "title": _("Sửa văn bản"), "multipart": True})


@login_required
def detail(request, pk):
    document = get_scoped(
        Document, request.user, pk, VIEW, Document.objects.select_related("organization", "replaced_by")
    )
    receipt = selectors.own_receipt(request.user, document)
    if receipt is not None and receipt.opened_at is None:
        services.receipt_open(user=request.user, receipt=receipt)
    scope = scope_for(request.user)
    return render(
        request,
        "library/detail.html",
        {
            "document": document,
            "receipt": receipt,
            "bookmarked": selectors.is_bookmarked(request.user, document),
            "is_member": bool(scope.member_id),
            "can_edit": scope.reaches_org(document.organization, CHANGE),
            "can_send": _can_change(request.user),
            "replaces": Document.objects.restrict(request.user, VIEW).filter(replaced_by=document),
            "sessions": StudySession.objects.restrict(request.user, VIEW)
            .filter(document=document)
            .select_related("organization"),
            "dispatches": document.dispatches.restrict(request.user, VIEW).select_related("organization")[:20]
            if _can_change(request.user)
            else [],
        },
    )


@login_required
def document_file(request, pk):
    return scoped_file_response(request, Document, pk)


@login_required
@require_POST
def confirm(request, pk):
    document = get_scoped(Document, request.user, pk, VIEW)
    receipt = selectors.own_receipt(request.user, document)
    if receipt is None:
        raise Http404
    _done, ok = attempt(request, None, lambda: services.receipt_confirm(user=request.user, receipt=receipt))
    if ok:
        messages.success(request, _("Đã ghi nhận đồng chí đã học tập văn bản."))
    return redirect("library:detail", pk=document.pk)


@login_required
@require_POST
def bookmark(request, pk):
    document = get_scoped(Document, request.user, pk, VIEW)
    on = request.POST.get("on") == "1"
    _done, ok = attempt(request, None, lambda: services.bookmark_set(user=request.user, document=document, on=on))
    if ok:
        messages.success(request, _("Đã đánh dấu văn bản.") if on else _("Đã bỏ đánh dấu văn bản."))
    return redirect("library:detail", pk=document.pk)


@login_required
def send(request, pk):
    document = get_scoped(Document, request.user, pk, VIEW)
    sender = _home_org(request.user, request.GET.get("org") or request.POST.get("org"))
    if sender is None:
        raise Http404
    targets = (
        Organization.objects.children_of(sender)
        .current()
        .filter(depth__lte=sender.depth + 1)
        .order_by("sort_key", "pk")
    )
    members = Member.objects.restrict_within(request.user, sender, CHANGE).filter(status__in=CURRENT_STATUSES)
    form = SendForm(request.POST or None, targets=targets, members=members)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        _done, ok = attempt(
            request,
            form,
            lambda: services.dispatch_create(
                user=request.user,
                document=document,
                organization=sender,
                targets=list(data["targets"]),
                members=[data["member"]] if data.get("member") else [],
                note=data.get("note", ""),
            ),
            aliases={"members": "member"},
        )
        if ok:
            messages.success(request, _("Đã gửi văn bản; danh sách người nhận đang được lập."))
            return redirect(f"{_progress_url(document)}?org={sender.pk}")
    return render(
        request,
        "library/send.html",
        {
            "document": document,
            "sender": sender,
            "form": form,
            "senders": _change_orgs(request.user).filter(depth__lte=sender.depth + 1)[:50],
        },
    )


def _progress_url(document):
    from django.urls import reverse

    return reverse("library:progress", args=[document.pk])


@login_required
def progress(request, pk):
    if not scope_for(request.user).has_any_org:
        raise Http404
    document = get_scoped(Document, request.user, pk, VIEW)
    within = None
    if request.GET.get("org"):
        within = get_scoped(Organization, request.user, request.GET["org"], VIEW)
    data = selectors.progress(request.user, document, within)
    return render(
        request,
        "library/progress.html",
        {
            "document": document,
            "within": within,
            "dispatches": document.dispatches.restrict(request.user, VIEW).select_related("organization")[:20],
            **data,
        },
    )


# --- Study sessions -------------------------------------------------------------------------------
@login_required
def sessions(request):
    rows = StudySession.objects.restrict(request.user, VIEW).select_related("organization", "document")[:200]
    return render(request, "library/sessions.html", {"sessions": rows, "can_change": _can_change(request.user)})


@login_required
def session_create(request, pk):
    document = get_scoped(Document, request.user, pk, VIEW)
    if not _can_change(request.user):
        raise Http404
    form = SessionForm(
        request.POST or None,
        organizations=_change_orgs(request.user),
        initial={"title": _("Học tập, quán triệt %(doc)s") % {"doc": str(document)}},
    )
    if request.method == "POST" and form.is_valid():
        session, ok = attempt(
            request, form, lambda: services.session_create(user=request.user, document=document, **form.cleaned_data)
        )
        if ok:
            messages.success(request, _("Đã lưu buổi học tập."))
            return redirect("library:session", pk=session.pk)
    return render(request, "library/form.html", {"form": form, "title": _("Buổi học tập, quán triệt văn bản")})


@login_required
def session(request, pk):
    session = get_scoped(
        StudySession, request.user, pk, VIEW, StudySession.objects.select_related("organization", "document")
    )
    scope = scope_for(request.user)
    can_change = scope.reaches_org(session.organization, CHANGE)
    attendance_form = None
    if can_change:
        members = Member.objects.children_of(session.organization).filter(status__in=CURRENT_STATUSES)
        present = [a.member_id for a in session.attendances.all() if a.attended]
        attendance_form = AttendanceForm(request.POST or None, members=members, initial={"members": present})
        if request.method == "POST" and "attendance" in request.POST and attendance_form.is_valid():
            _done, ok = attempt(
                request,
                attendance_form,
                lambda: services.session_attendance(
                    user=request.user, session=session, members=list(attendance_form.cleaned_data["members"])
                ),
            )
            if ok:
                messages.success(request, _("Đã ghi danh sách dự học tập."))
                return redirect("library:session", pk=session.pk)
    reflections = session.reflections.restrict(request.user, VIEW).select_related("member")
    own = None
    reflection_form = None
    if scope.member_id and session.reflection_required:
        own = session.reflections.filter(member_id=scope.member_id).first()
        reflection_form = ReflectionForm(initial={"text": own.text if own else ""})
    attended = session.attendances.filter(attended=True).select_related("member") if can_change else []
    return render(
        request,
        "library/session.html",
        {
            "session": session,
            "can_change": can_change,
            "attendance_form": attendance_form,
            "attended": attended,
            "reflections": reflections,
            "own": own,
            "reflection_form": reflection_form,
            "grade_form": GradeForm(),
        },
    )


@login_required
@require_POST
def reflection_submit(request, pk):
    session = get_scoped(StudySession, request.user, pk, VIEW)
    form = ReflectionForm(request.POST)
    if form.is_valid():
        _done, ok = attempt(
            request,
            None,
            lambda: services.reflection_submit(user=request.user, session=session, text=form.cleaned_data["text"]),
        )
        if ok:
            messages.success(request, _("Đã nộp bài thu hoạch."))
    else:
        messages.error(request, _("Hãy viết bài thu hoạch."))
    return redirect("library:session", pk=session.pk)


@login_required
@require_POST
def reflection_grade(request, pk):
    reflection = get_scoped(
        Reflection, request.user, pk, CHANGE, Reflection.objects.select_related("session__organization", "member")
    )
    form = GradeForm(request.POST)
    if form.is_valid():
        _done, ok = attempt(
            request,
            None,
            lambda: services.reflection_grade(
                user=request.user, reflection=reflection, grade=form.cleaned_data["grade"]
            ),
        )
        if ok:
            messages.success(request, _("Đã chấm bài thu hoạch."))
    else:
        messages.error(request, _("Hãy chọn kết quả."))
    return redirect("library:session", pk=reflection.session_id)


# --- Seminars ------------------------------------------------------------------------------------
@login_required
def seminars(request):
    rows = Seminar.objects.restrict(request.user, VIEW).select_related("organization")[:200]
    return render(request, "library/seminars.html", {"seminars": rows, "can_change": _can_change(request.user)})


@login_required
def seminar_create(request):
    if not _can_change(request.user):
        raise Http404
    docs = Document.objects.restrict(request.user, VIEW).order_by("-issued_on", "-pk")
    form = SeminarForm(request.POST or None, organizations=_change_orgs(request.user), documents=docs)
    if request.method == "POST" and form.is_valid():
        seminar, ok = attempt(request, form, lambda: services.seminar_create(user=request.user, **form.cleaned_data))
        if ok:
            messages.success(request, _("Đã lưu hội thảo, tọa đàm."))
            return redirect("library:seminar", pk=seminar.pk)
    return render(request, "library/form.html", {"form": form, "title": _("Hội thảo, tọa đàm")})


@login_required
def seminar(request, pk):
    seminar = get_scoped(Seminar, request.user, pk, VIEW, Seminar.objects.select_related("organization"))
    can_change = scope_for(request.user).reaches_org(seminar.organization, CHANGE)
    form = ConclusionsForm(request.POST or None, initial={"conclusions": seminar.conclusions}) if can_change else None
    if form is not None and request.method == "POST" and form.is_valid():
        _done, ok = attempt(
            request,
            form,
            lambda: services.seminar_conclude(
                user=request.user, seminar=seminar, conclusions=form.cleaned_data["conclusions"]
            ),
        )
        if ok:
            messages.success(request, _("Đã lưu kết luận."))
            return redirect("library:seminar", pk=seminar.pk)
    documents = Document.objects.restrict(request.user, VIEW).filter(seminars=seminar)
    return render(request, "library/seminar.html", {"seminar": seminar, "form": form, "documents": documents})
