from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
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


THEME_COLOR = "#b71c1c"


def web_manifest(request):
    """The web app manifest: the product installs on a phone's home screen. Public (browsers fetch
    it without the session) and holds nothing but the product's name, colours and icons."""
    data = {
        "name": _("Chi Bộ Số"),
        "short_name": _("Chi Bộ Số"),
        "description": _("Chi Bộ Số — sổ tay số của chi bộ"),
        "lang": "vi",
        "dir": "ltr",
        "start_url": reverse("home:index"),
        "scope": "/",
        "display": "standalone",
        "orientation": "any",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOR,
        "icons": [
            {"src": static(f"icons/icon-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png", "purpose": "any"}
            for size in (192, 512)
        ]
        + [{"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "maskable"}],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json; charset=utf-8"
    response["Cache-Control"] = "public, max-age=86400"
    return response
