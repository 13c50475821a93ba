"""Deliver outbox events whose delivery was interrupted or whose consumers failed.

Run it on a schedule (every minute, say) beside the task workers: it is the safety net that makes
"recorded" mean "eventually delivered".
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from cascade.events.services import outbox_dispatch_pending


class Command(BaseCommand):
    help = "Deliver undelivered domain events to their consumers."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--limit", type=int, default=500, help="Events to handle in this run.")

    def handle(self, *args: Any, **options: Any) -> None:
        handled = outbox_dispatch_pending(limit=options["limit"])
        self.stdout.write(f"Dispatched {handled} pending events.")
