from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "apps.library"
    verbose_name = _("Thư viện văn bản")
    # Every member reads the library (what was sent to them, the Party and State documents).
    nav = [(_("Thư viện văn bản"), "library:index")]
    nav_order = 65

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        for model in (
            models.Document,
            models.Dispatch,
            models.Delivery,
            models.Receipt,
            models.Bookmark,
            models.StudySession,
            models.Attendance,
            models.Reflection,
            models.Seminar,
        ):
            auditlog.register(model)
