"""Remind content owners of review-by dates that are near or past.

Run it daily (cron or a scheduler) beside the task workers; running it more often is harmless:
each item is reminded once when its date comes near and once when it has passed.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from cascade.catalog.reminders import review_reminders_send_all


class Command(BaseCommand):
    help = "Notify content owners whose items are due or overdue for review."

    def handle(self, *args: Any, **options: Any) -> None:
        reminded = review_reminders_send_all(timezone.localdate())
        self.stdout.write(f"Reminded owners of {reminded} items.")
