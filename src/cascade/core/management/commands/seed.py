"""`cascade seed`: fill a database with a demo partner program, from a seed number."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from cascade.core.errors import DomainError
from cascade.core.scoping import scopes_disabled
from cascade.demo import DEFAULT_SEED, SCALES, Scale, SeedReport, seed_program
from cascade.demo.catalog_seed import seed_catalog
from cascade.demo.catalogue import DEFAULT_TENANT_SLUG
from cascade.tenancy.models import Tenant


class Command(BaseCommand):
    help = (
        "Create the demo partner program (Northwind Networks) with partner organizations, people "
        "and memberships. The same --seed always gives the same data. Scales: tiny (20 "
        "organizations, 100 people), demo (200, 2,000), large (10,000, 1,000,000)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--scale", choices=sorted(SCALES), default="demo")
        parser.add_argument(
            "--organizations", type=int, help="Override the scale: number of organizations"
        )
        parser.add_argument(
            "--people", type=int, help="Override the scale: people in partner organizations"
        )
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (and succeed) when the program already exists",
        )
        parser.add_argument("--tenant-slug", default=DEFAULT_TENANT_SLUG)

    def handle(self, *args: Any, **options: Any) -> None:
        scale = self._scale(options)
        slug: str = options["tenant_slug"]
        if Tenant.objects.filter(slug=slug).exists():
            if options["if_empty"]:
                self._catalog_if_missing(slug, scale, options["seed"])
                return
            raise CommandError(
                f"Program {slug!r} already exists. Use --if-empty to skip, or another "
                "--tenant-slug."
            )
        self.stdout.write(
            f"Seeding program {slug!r} at scale {scale.name} ({scale.organizations:,} "
            f"organizations, {scale.people:,} people), seed {options['seed']}..."
        )
        try:
            report = seed_program(
                scale=scale, seed=options["seed"], tenant_slug=slug, progress=self.stdout.write
            )
        except DomainError as exc:
            if options["if_empty"] and exc.code == "tenant_exists":
                self.stdout.write(f"Program {slug!r} already exists: nothing to seed.")
                return
            raise CommandError(exc.message) from exc
        self._summary(report)

    def _catalog_if_missing(self, slug: str, scale: Scale, seed: int) -> None:
        """A program seeded before the catalog existed gets its demo catalog (each part of it is
        written once: on a program that has it, nothing happens)."""
        now = timezone.now()
        try:
            with scopes_disabled(), transaction.atomic():
                tenant = Tenant.objects.get(slug=slug)
                written = seed_catalog(
                    tenant=tenant,
                    scale_name=scale.name,
                    seed=seed,
                    today=timezone.localdate(now),
                    now=now,
                    progress=self.stdout.write,
                )
        except ObjectDoesNotExist:
            # Not a demo program (its demo authors are missing): leave it as it is.
            written = {}
        if written:
            total = sum(written.values())
            self.stdout.write(
                f"Program {slug!r} already exists: added its catalog ({total:,} rows)."
            )
        else:
            self.stdout.write(f"Program {slug!r} already exists: nothing to seed.")

    def _scale(self, options: dict[str, Any]) -> Scale:
        scale = SCALES[options["scale"]]
        if options["organizations"] is None and options["people"] is None:
            return scale
        try:
            return Scale.custom(
                organizations=options["organizations"] or scale.organizations,
                people=options["people"] or scale.people,
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc

    def _summary(self, report: SeedReport) -> None:
        tenant = report.tenant
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {tenant.name} ({tenant.slug}) at scale {report.scale.name}, seed "
                f"{report.seed}, in {report.seconds:,.1f} s:"
            )
        )
        for label, count in report.rows.items():
            self.stdout.write(f"  {label:<34} {count:>12,}")
        self.stdout.write(
            f"  {'total':<34} {report.total_rows:>12,} rows ({report.rows_per_second:,.0f} rows/s)"
        )
        self.stdout.write("Demo sign-ins: cascade demologins")
