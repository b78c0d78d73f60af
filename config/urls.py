from django.contrib import admin
from django.urls import include, path

from apps.notices.views import web_manifest

urlpatterns = [
    path("manifest.webmanifest", web_manifest, name="web_manifest"),
    path("", include("apps.home.urls")),
    path("", include("apps.reports.urls")),
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
    path("thong-ke/", include("apps.statistics.urls")),
    path("api/statistics/", include("apps.statistics.api_urls")),
    path("nghi-quyet/", include("apps.resolutions.urls")),
    path("thu-vien/", include("apps.library.urls")),
    path("ket-nap/", include("apps.admissions.urls")),
    path("kiem-tra-nhan-thuc/", include("apps.quizzes.urls")),
    path("thong-bao/", include("apps.notices.urls")),
    path("y-kien/", include("apps.voice.urls")),
    path("xem-xet-xoa-ten/", include("apps.screening.urls")),
    path("api/", include("apps.api.urls")),
    path("nhat-ky-du-lieu/", include("apps.safeguards.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("quan-tri/", admin.site.urls),
]
# No route serves MEDIA_ROOT, in development either: uploaded files go out only through views that
# load their owner through the scoping door (apps/core/files.py, scoped_file_response).
