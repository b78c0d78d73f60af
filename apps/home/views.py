from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .selectors import dashboard


@login_required
def index(request):
    return render(request, "home/index.html", dashboard(request.user))
