from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("apps.core.urls")),
    path("tai-khoan/", include("apps.accounts.urls")),
    path("to-chuc/", include("apps.organizations.urls")),
    path("dang-vien/", include("apps.members.urls")),
    path("excel/", include("apps.imports.urls")),
    path("ky-luat/", include("apps.discipline.urls")),
    path("sinh-hoat/", include("apps.meetings.urls")),
    path("danh-gia/", include("apps.evaluations.urls")),
    path("tu-soi-tu-sua/", include("apps.accountability.urls")),
    path("kiem-tra/", include("apps.inspections.urls")),
    path("dang-phi/", include("apps.dues.urls")),
    path("api/", include("apps.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("quan-tri/", admin.site.urls),
] + static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
