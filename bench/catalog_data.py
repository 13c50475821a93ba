"""Make sure the benchmark program holds its catalog: the demo catalog and, at the large scale,
100,000 more items under varied audiences (`cascade.demo.catalog_seed.seed_catalog`).

A fresh `cascade seed --scale large` writes them already; this step adds them to a program
seeded before the catalog existed, without touching its people. Each part is written once:
running it again does nothing. Run by bench/run.py with the server's environment.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

from django.core.exceptions import ImproperlyConfigured


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="large")
    parser.add_argument("--seed", type=int, default=2026)
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cascade.settings")
    os.environ["DATABASE_POOL"] = "0"
    import django

    try:
        django.setup()
    except ImproperlyConfigured as error:
        raise SystemExit(f"catalog_data: {error}") from error
    from django.db import transaction
    from django.utils import timezone

    from cascade.core.scoping import scopes_disabled
    from cascade.demo.catalog_seed import seed_catalog
    from cascade.demo.catalogue import DEFAULT_TENANT_SLUG
    from cascade.tenancy.models import Tenant

    started = time.perf_counter()
    now = timezone.now()
    with scopes_disabled(), transaction.atomic():
        tenant = Tenant.objects.filter(slug=DEFAULT_TENANT_SLUG).first()
        if tenant is None:
            raise SystemExit(f"catalog_data: no program {DEFAULT_TENANT_SLUG!r}; seed it first.")
        written = seed_catalog(
            tenant=tenant,
            scale_name=options.scale,
            seed=options.seed,
            today=timezone.localdate(now),
            now=now,
            progress=print,
        )
    if not written:
        print("   the catalog is in place: nothing to add")
        return 0
    for label, count in written.items():
        print(f"   {label:<34} {count:>12,}")
    print(f"   catalog added in {time.perf_counter() - started:,.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
