"""Submit exam attempts whose time ran out and that nobody came back to. Run it every minute;
running it again submits nothing twice (each attempt is locked and checked first)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from cascade.assessments.attempt_services import attempts_submit_overdue_all


class Command(BaseCommand):
    help = "Submit every exam attempt whose deadline has passed."

    def handle(self, *args: Any, **options: Any) -> None:
        submitted = attempts_submit_overdue_all()
        self.stdout.write(f"Submitted {submitted} attempts that ran out of time.")
