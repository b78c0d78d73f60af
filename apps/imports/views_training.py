"""Training records from Excel: check (preview) and import, all or nothing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from apps.core.scoping import CHANGE
from apps.core.templatetags.vn import format_int
from apps.core.views import get_scoped
from apps.organizations.models import Organization

from .forms import TrainingUploadForm
from .parsing import ImportFileError
from .services import accepted_upload_name
from .training import import_training

PREVIEW_ROWS = 200


@login_required
def training_upload(request, org_pk):
    organization = get_scoped(Organization, request.user, org_pk, CHANGE)
    form = TrainingUploadForm(request.POST or None, request.FILES or None)
    check = None
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        confirm = "import" in request.POST
        try:
            accepted_upload_name(upload)
            check = import_training(user=request.user, organization=organization, file=upload, confirm=confirm)
        except ValidationError as exc:
            form.add_error("file", exc)
        except ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            if check.ok and confirm:
                messages.success(request, _("Đã nhập %(n)s quá trình đào tạo.") % {"n": format_int(len(check.records))})
                return redirect("organizations:detail", organization.pk)
    if request.method == "POST" and (form.errors or (check and not check.ok)):
        status = 400
    context = {
        "organization": organization,
        "form": form,
        "check": check,
        "preview": check.records[:PREVIEW_ROWS] if check else [],
    }
    return render(request, "imports/training_upload.html", context, status=status)
