from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VoiceConfig(AppConfig):
    name = "apps.voice"
    verbose_name = _("Ý kiến, kiến nghị và đối thoại")
    nav = [(_("Ý kiến, kiến nghị"), "voice:index"), (_("Đối thoại"), "voice:dialogues", "change")]
    nav_order = 55

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        for model in (
            models.PetitionRuleSet,
            models.Petition,
            models.Dialogue,
            models.DialogueIssue,
            models.FollowUp,
        ):
            auditlog.register(model)
