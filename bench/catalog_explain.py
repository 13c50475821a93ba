"""Where the catalog's time goes: the SQL of a catalog page and of a search, per learner, with
PostgreSQL's own timing of each query (EXPLAIN ANALYZE).

For each of bench/run.py's LEARNERS it calls the read side the API calls
(`cascade.catalog.browse.catalog_page`, `cascade.catalog.search.search_catalog`), captures the
queries, and runs each again under EXPLAIN (ANALYZE, BUFFERS). It prints one line per request
(queries, time in process, time in the database) and the plans of queries slower than
`--slow` milliseconds, so a slow plan can be read and an index proposed.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cascade_bench SECRET_KEY=x \\
        .venv/bin/python bench/catalog_explain.py [--slow 5] [--queries firewall,"zero trust"]
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from typing import Any

from run import LEARNERS, SEARCH_QUERIES


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--slow", type=float, default=5.0, help="print plans slower than this (ms)")
    parser.add_argument(
        "--queries",
        default=",".join(SEARCH_QUERIES),
        type=lambda value: [v.strip() for v in value.split(",") if v.strip()],
    )
    parser.add_argument("--repeat", type=int, default=5, help="calls per request (median kept)")
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cascade.settings")
    os.environ["DATABASE_POOL"] = "0"
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cascade.access.actor import actor_for_person
    from cascade.catalog import browse
    from cascade.catalog.search import search_catalog
    from cascade.catalog.selectors import viewer_for
    from cascade.core.scoping import tenant_scope
    from cascade.demo.catalogue import DEFAULT_TENANT_SLUG
    from cascade.demo.logins import DEMO_LOGINS
    from cascade.identity.models import Membership, MembershipStatus
    from cascade.identity.roles import Role
    from cascade.tenancy.models import Tenant

    if connection.vendor != "postgresql":
        raise SystemExit("catalog_explain: EXPLAIN ANALYZE needs PostgreSQL (set DATABASE_URL).")
    tenant = Tenant.objects.get(slug=DEFAULT_TENANT_SLUG)
    demo_learner = next(login for login in DEMO_LOGINS if login.local_part == "learner")
    slow: list[tuple[str, float, str]] = []
    print(
        f"{'learner':<17}{'request':<32}{'queries':>8}{'python ms':>11}{'db ms':>8}{'slowest':>9}"
    )
    with tenant_scope(tenant):
        for key, rank, region in LEARNERS:
            memberships = Membership.objects.filter(
                status=MembershipStatus.ACTIVE,
                roles=Membership.encode_roles([Role.LEARNER]),
                organization__tier__rank=rank,
                organization__region__code=region,
            )
            if key == LEARNERS[0][0]:
                memberships = memberships.filter(person__email=demo_learner.email())
            membership = memberships.select_related("person").order_by("pk").first()
            if membership is None:
                print(f"{key:<17}no learner of tier rank {rank} in {region}")
                continue
            viewer = viewer_for(actor_for_person(tenant=tenant, person=membership.person))

            def page(viewer: Any = viewer) -> Any:
                return browse.catalog_page(
                    tenant=tenant, viewer=viewer, filters=browse.CatalogFilters()
                )

            requests: list[tuple[str, Any]] = [("catalog page", page)]
            for query in options.queries:

                def search(viewer: Any = viewer, query: str = query) -> Any:
                    return search_catalog(tenant=tenant, viewer=viewer, query=query)

                requests.append((f"search {query!r}", search))
            for label, call in requests:
                call()  # warm
                timings = []
                for _ in range(options.repeat):
                    with CaptureQueriesContext(connection) as captured:
                        started = time.perf_counter()
                        call()
                        timings.append((time.perf_counter() - started) * 1000)
                database = 0.0
                slowest = 0.0
                for captured_query in captured.captured_queries:
                    sql = captured_query["sql"]
                    plan = _explain(connection, sql)
                    took = _execution_ms(plan)
                    database += took
                    slowest = max(slowest, took)
                    if took >= options.slow:
                        slow.append((f"{key}, {label}", took, f"{sql}\n\n{plan}"))
                timings.sort()
                print(
                    f"{key:<17}{label[:31]:<32}{len(captured.captured_queries):>8}"
                    f"{timings[len(timings) // 2]:>11.1f}{database:>8.1f}{slowest:>9.1f}"
                )
    for where, took, text in sorted(slow, key=lambda s: -s[1]):
        print(f"\n=== {where}: {took:.1f} ms\n{text}")
    return 0


def _explain(connection: Any, sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


def _execution_ms(plan: str) -> float:
    found = re.search(r"Execution Time: ([\d.]+) ms", plan)
    planning = re.search(r"Planning Time: ([\d.]+) ms", plan)
    return (float(found.group(1)) if found else 0.0) + (
        float(planning.group(1)) if planning else 0.0
    )


if __name__ == "__main__":
    sys.exit(main())
