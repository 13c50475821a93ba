"""Write the video progress buffered in Redis by the player's heartbeats to the database.

Run it on a schedule (every minute, say) beside the task workers: with it, what the database
shows of a person's video progress is at most about two minutes behind their player (see
`cascade.learning.heartbeats`). Without Redis nothing is buffered and it writes nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from cascade.learning.heartbeats import heartbeats_flush


class Command(BaseCommand):
    help = "Write buffered video progress (heartbeats) to the database."

    def handle(self, *args: Any, **options: Any) -> None:
        written = heartbeats_flush()
        self.stdout.write(f"Wrote {written} buffered lesson progresses.")
