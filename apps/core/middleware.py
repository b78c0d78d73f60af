from django.conf import settings
from django.utils import translation


class LanguageMiddleware:
    """Vietnamese unless the user chose another language (the language switch sets a cookie).

    Unlike Django's LocaleMiddleware it does not follow the browser's Accept-Language: many
    officials' computers run an English system, and they expect the product in Vietnamese.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if code not in dict(settings.LANGUAGES):
            code = settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = code
        # For this request only: the thread goes back to the default language afterwards, so
        # work done outside a request (jobs, the next test) never inherits someone's choice.
        with translation.override(code):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", code)
        return response


class ScopingGuardMiddleware:
    """Scoping fails loud: with `settings.SCOPING_GUARD` = "record" each unscoped read of an
    organization-owned model by a view, form, template tag or API module during the request is
    logged (logger `apps.core.scoping`, level ERROR); with "raise" it raises `UnscopedRead`
    (use it in development and tests). Off ("", the default) it costs nothing.
    See `apps.core.scoping.guard_reads`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        mode = getattr(settings, "SCOPING_GUARD", "")
        if not mode:
            return self.get_response(request)
        import logging

        from .scoping import guard_reads

        with guard_reads(raise_on_read=mode == "raise") as found:
            response = self.get_response(request)
        for finding in found:
            logging.getLogger("apps.core.scoping").error("unscoped read on %s: %s", request.path, finding)
        return response
