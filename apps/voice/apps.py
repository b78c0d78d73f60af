from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VoiceConfig(AppConfig):
    name = "apps.voice"
    verbose_name = _("Ý kiến, kiến nghị và đối thoại")
