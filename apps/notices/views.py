from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.forms import attempt

from . import delivery, services
from .forms import PreferencesForm


@login_required
def index(request):
    """The user's own notices (nobody else's: they are filtered by recipient, not by reach)."""
    notices = list(request.user.notices.all()[:50])
    return render(request, "notices/index.html", {"notices": notices})


@login_required
@require_POST
def read(request, pk):
    notice = request.user.notices.filter(pk=pk).first()
    if notice is None:
        raise Http404
    services.notice_read(user=request.user, notice=notice)
    if notice.url and url_has_allowed_host(notice.url):
        return redirect(notice.url)
    return redirect("notices:index")


def url_has_allowed_host(url: str) -> bool:
    return url.startswith("/") and not url.startswith("//")


@login_required
def preferences(request):
    user = request.user
    initial = {"email": user.email, "topics": sorted(services.email_topics(user))}
    form = PreferencesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        _result, ok = attempt(
            request,
            form,
            lambda: services.preferences_set(
                user=user, email=form.cleaned_data["email"], topics=form.cleaned_data["topics"]
            ),
        )
        if ok:
            messages.success(request, _("Đã lưu lựa chọn nhận thông báo."))
            return redirect("notices:preferences")
    return render(request, "notices/preferences.html", {"form": form, "email_enabled": delivery.enabled()})
