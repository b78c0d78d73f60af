"""Excel in (upload → preview → confirm) and out (any member list the user can see)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from apps.core.files import XLSX, scoped_file_response
from apps.core.scoping import CHANGE
from apps.core.templatetags.vn import format_int
from apps.core.views import get_scoped
from apps.core.xlsx import xlsx_response
from apps.members.disclosure import counted, export_policy, record_export
from apps.members.selectors import member_queryset
from apps.organizations.models import Organization
from apps.safeguards.models import ExportKind

from . import services, tree
from .forms import UploadForm
from .headings import heading_help, org_heading_help
from .models import BatchKind, BatchStatus, ImportBatch
from .selectors import member_columns, member_rows, personal_headings


def _upload_page(request, org_pk, kind: str, create, template: str, headings):
    """Upload, check and go to the preview; the same page for a member list and for a tree."""
    organization = get_scoped(Organization, request.user, org_pk, CHANGE)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = create(user=request.user, organization=organization, upload=form.cleaned_data["file"])
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            return redirect("imports:preview", batch.pk)
    recent = ImportBatch.objects.restrict(request.user, CHANGE).filter(organization=organization, kind=kind)[:10]
    context = {"organization": organization, "form": form, "recent": recent, "headings": headings}
    return render(request, template, context)


@login_required
def upload(request, org_pk):
    return _upload_page(
        request, org_pk, BatchKind.MEMBERS, services.batch_create, "imports/upload.html", heading_help()
    )


@login_required
def preview(request, pk):
    batch = get_scoped(ImportBatch, request.user, pk, CHANGE, ImportBatch.objects.select_related("organization"))
    file_errors = [e for e in batch.errors if e["row"] is None]
    row_errors = [e for e in batch.errors if e["row"] is not None]
    template = "imports/tree_preview.html" if batch.kind == BatchKind.ORGANIZATIONS else "imports/preview.html"
    return render(
        request,
        template,
        {
            "batch": batch,
            "organization": batch.organization,
            "file_errors": file_errors,
            "row_errors": row_errors,
            "more_errors": batch.error_row_count - len(row_errors),
            "more_rows": batch.row_count - len(batch.preview),
            "can_confirm": batch.status in (BatchStatus.READY, BatchStatus.FAILED),
        },
    )


@login_required
def batch_file(request, pk):
    """The uploaded file itself (it holds citizen IDs): for those who may import into its organization."""
    return scoped_file_response(request, ImportBatch, pk, action=CHANGE, kinds=(XLSX,))


@login_required
@require_POST
def confirm(request, pk):
    batch = get_scoped(ImportBatch, request.user, pk, CHANGE, ImportBatch.objects.select_related("organization"))
    try:
        if batch.kind == BatchKind.ORGANIZATIONS:
            count = tree.tree_batch_confirm(user=request.user, batch=batch)
            done = _("Đã nhập %(count)s tổ chức vào %(org)s.")
            messages.success(request, done % {"count": format_int(count), "org": batch.organization.name})
        else:
            # A member list is imported by the worker; the page shows its progress, then the result.
            services.batch_confirm(user=request.user, batch=batch)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("imports:preview", batch.pk)


@login_required
def progress(request, pk):
    """The progress box of a batch a task is working on, polled by its page; once the task is done,
    the page reloads to show the result."""
    batch = get_scoped(ImportBatch, request.user, pk, CHANGE)
    if not batch.is_working:
        return HttpResponseClientRefresh()
    return render(request, "imports/partials/progress.html", {"batch": batch})


@login_required
def tree_upload(request, org_pk):
    """A tree of organizations under `org_pk`: upload, check, preview (then confirm as above)."""
    return _upload_page(
        request, org_pk, BatchKind.ORGANIZATIONS, tree.tree_batch_create, "imports/tree_upload.html", org_heading_help()
    )


@login_required
def tree_template(request, org_pk):
    organization = get_scoped(Organization, request.user, org_pk, CHANGE)
    rows = tree.tree_template_rows(organization)
    return xlsx_response("mau-cay-to-chuc.xlsx", rows[0], rows[1:], sheet_title=_("Tổ chức đảng"))


@login_required
def export_members(request):
    """The member list the user is looking at (same org, q, status parameters), as .xlsx."""
    queryset, organization = member_queryset(request.user, request.GET)
    queryset = queryset.select_related(None)
    stamp = timezone.localdate().strftime("%Y%m%d")
    name = f"dang-vien-{organization.code if organization else 'danh-sach'}-{stamp}.xlsx"
    title = organization.name if organization else _("Đảng viên")
    # Personal columns only for the roles that keep the registry (apps.members.disclosure).
    policy = export_policy(request.user)
    record = record_export(
        user=request.user,
        kind=ExportKind.MEMBERS,
        file_format="xlsx",
        organization=organization,
        filters={key: request.GET.get(key) for key in ("org", "q", "status")},
        row_count=queryset.count(),
        personal_columns=personal_headings() if policy.personal else (),
    )
    rows = counted(member_rows(queryset, policy), record)
    return xlsx_response(name, member_columns(policy.personal), rows, sheet_title=title)


@login_required
def template(request):
    """An empty member list with the headings, for officials to fill in (no data: not recorded)."""
    return xlsx_response("mau-danh-sach-dang-vien.xlsx", member_columns(), [], sheet_title=_("Đảng viên"))
