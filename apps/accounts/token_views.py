"""The holder's own API tokens: list, make (the key shown once), revoke one by one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rest_framework.authtoken.models import Token

from apps.core.forms import attempt

from . import services
from .forms import ApiTokenForm
from .models import ApiToken


def _page(request, form, new_key=None):
    tokens = ApiToken.objects.filter(user=request.user)
    return render(
        request,
        "accounts/api_tokens.html",
        {
            "form": form,
            "tokens": tokens,
            "new_key": new_key,
            "legacy": Token.objects.filter(user=request.user).first(),
        },
    )


@login_required
def api_tokens(request):
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result, ok = attempt(
            request,
            form,
            lambda: services.api_token_create(
                user=request.user,
                name=form.cleaned_data["name"],
                days=form.cleaned_data["days"],
                read_only=form.cleaned_data["access"] == "read",
            ),
        )
        if ok:
            _token, key = result
            messages.success(request, _("Đã tạo token. Hãy chép ngay: token sẽ không hiện lại."))
            return _page(request, ApiTokenForm(), new_key=key)
    return _page(request, form)


@login_required
@require_POST
def api_token_revoke(request, pk):
    token = ApiToken.objects.filter(user=request.user, pk=pk).first()
    if token is None:
        raise Http404
    _result, ok = attempt(request, None, lambda: services.api_token_revoke(user=request.user, token=token))
    if ok:
        messages.success(request, _("Đã thu hồi token “%(name)s”.") % {"name": token.name})
    return redirect("accounts:api_tokens")


@login_required
@require_POST
def api_token_legacy_revoke(request):
    Token.objects.filter(user=request.user).delete()
    messages.success(request, _("Đã thu hồi token chung."))
    return redirect("accounts:api_tokens")
