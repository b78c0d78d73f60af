"""`manage.py voice_overdue`: remind the handlers of petitions past their deadline (run it daily,
e.g. from cron). Each reminder is a notice in the product and, for those who chose it, an e-mail."""

from django.core.management.base import BaseCommand

from apps.voice.services import overdue_remind


class Command(BaseCommand):
    help = "Nhắc người xử lý các ý kiến, kiến nghị đã quá hạn trả lời."

    def handle(self, *args, **options):
        sent = overdue_remind()
        self.stdout.write(f"Đã gửi {sent} lời nhắc.")
