"""Remind people of required learning due within a week or overdue, and their partner managers
of who is late. Run it daily; running it again repeats nothing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from cascade.learning.reminders import due_reminders_send_all


class Command(BaseCommand):
    help = "Send the day's reminders of due and overdue required learning."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = due_reminders_send_all(timezone.localdate())
        self.stdout.write(f"Sent {sent} reminders.")
