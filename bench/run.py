"""`make bench`: Cascade's latency benchmark against a real production-configured server.

1. Makes sure the PostgreSQL database (default cascade_bench on 127.0.0.1:5432) exists, is
   migrated and holds the large seed (10,000 organizations, 1,000,000 people, and a catalog of
   100,000 items under varied audiences); seeding is skipped when the program is already there,
   and the catalog is added to a program seeded without it (bench/catalog_data.py).
2. Issues the credentials each target needs: an integration token of the seeded program, a
   personal token and a browser session of the partner admin of its largest organization, and
   personal tokens of partner learners of several tiers and regions.
3. Counts the SQL queries of one request per target, in process (Django's test client).
4. Starts gunicorn (gthread workers, DEBUG off, pooled database connections) on a free loopback
   port, warms each target up, then drives an open-loop load at a fixed rate against each.
5. Prints p50/p95/p99, achieved rate, errors, queries per request and the ratio of each target's
   p95 to the floor's (/healthz, measured in the same run), checks them against the goals, and
   writes everything to bench/results/.

Add a target by appending to TARGETS. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import secrets
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

from loadgen import LoadResult, drive

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/cascade_bench"
HOST = "127.0.0.1"
GOAL_P95_MS = 50.0
GOAL_FLOOR_RATIO = 5.0


@dataclass(frozen=True)
class Target:
    key: str
    path: str
    # Which credential the request carries: "none", "integration" (bearer), "partner_admin"
    # (the partner admin's bearer token), "partner_admin_session" (their session cookie) or
    # "learner:<key>" (the bearer token of one of LEARNERS).
    credential: str
    description: str
    floor: bool = False
    # Several (path, credential) requests sent in turn instead of one (path, credential).
    rotate: tuple[tuple[str, str], ...] = ()

    @property
    def requests(self) -> tuple[tuple[str, str], ...]:
        return self.rotate or ((self.path, self.credential),)


# Partner learners the catalog targets browse and search as: (key, tier rank, region code). The
# first is the demo learner (Bluebird Networks); the others are the first active learner of an
# organization of that tier and region. Their audiences differ, so do the items they may see.
LEARNERS = (
    ("silver_emea", 2, "EMEA"),
    ("platinum_na", 4, "NA"),
    ("gold_latam", 3, "LATAM"),
    ("registered_apac", 1, "APAC"),
)
CATALOG_PATH = "/api/v1/catalog/items"
SEARCH_QUERIES = (
    "firewall",
    "zero trust",
    "sd-wan troubleshooting",
    "wi-fi roaming",
    "policy migration",
    "terraform",
)


TARGETS = (
    Target("healthz", "/healthz", "none", "the floor: no database, no tenant", floor=True),
    Target(
        "organizations",
        "/api/v1/organizations",
        "integration",
        "first page of partner organizations, integration token",
    ),
    Target(
        "people",
        "/api/v1/people",
        "partner_admin",
        "first page of people, as the partner admin of the largest organization",
    ),
    Target(
        "people_page",
        "/partner/people/",
        "partner_admin_session",
        "the partner admin's people page (HTML), signed-in session",
    ),
    Target(
        "catalog",
        CATALOG_PATH,
        f"learner:{LEARNERS[0][0]}",
        f"first page of the catalog (24 items), as {len(LEARNERS)} learners in turn",
        rotate=tuple((CATALOG_PATH, f"learner:{key}") for key, _, _ in LEARNERS),
    ),
    Target(
        "catalog_search",
        f"/api/v1/catalog/search?q={quote(SEARCH_QUERIES[0])}",
        f"learner:{LEARNERS[0][0]}",
        f"catalog search (20 hits), {len(SEARCH_QUERIES)} queries x {len(LEARNERS)} learners",
        rotate=tuple(
            (f"/api/v1/catalog/search?q={quote(query)}", f"learner:{key}")
            for query in SEARCH_QUERIES
            for key, _, _ in LEARNERS
        ),
    ),
)


def main() -> int:
    options = _arguments()
    database_url = options.database_url
    env = _server_environment(database_url, options)
    _ensure_database(database_url)
    _manage(env, "migrate", "--noinput", "-v", "0")
    _manage(env, "seed", "--scale", options.scale, "--seed", str(options.seed), "--if-empty")
    if any(t.key.startswith("catalog") for t in TARGETS if t.key in options.targets):
        _catalog(env, options)

    print("\n== preparing credentials and counting queries per request (in process)")
    context = _prepare(env, [t for t in TARGETS if t.key in options.targets])
    runnable = [t for t in TARGETS if t.key in context["queries"]]
    for key, reason in context["skipped"].items():
        print(f"   SKIP {key}: {reason}")

    print(
        f"\n== starting gunicorn: {options.workers} workers x {options.threads} threads, "
        "DEBUG off, pooled connections"
    )
    port = _free_port()
    server, log_path = _start_server(env, port, options)
    results: dict[str, LoadResult] = {}
    idle: dict[str, LoadResult] = {}
    client_cpu: dict[str, float] = {}
    try:
        _wait_ready(port, server, log_path)
        for target in runnable:
            headers = context["headers"][target.credential]
            rotate = [
                (path, context["headers"][credential]) for path, credential in target.requests
            ]
            print(f"-- {target.key}: GET {target.path} ({target.description})")
            # Unloaded: a trickle of requests shows the service time of one request.
            idle[target.key] = drive(
                host=HOST,
                port=port,
                path=target.path,
                headers=headers,
                rate=10,
                duration=max(2, len(rotate) / 10),
                rotate=rotate,
            )
            drive(
                host=HOST,
                port=port,
                path=target.path,
                headers=headers,
                rate=options.rate,
                duration=options.warmup,
                connections=options.connections,
                rotate=rotate,
            )
            cpu_before = resource.getrusage(resource.RUSAGE_SELF)
            results[target.key] = drive(
                host=HOST,
                port=port,
                path=target.path,
                headers=headers,
                rate=options.rate,
                duration=options.duration,
                connections=options.connections,
                rotate=rotate,
            )
            cpu_after = resource.getrusage(resource.RUSAGE_SELF)
            client_cpu[target.key] = (cpu_after.ru_utime + cpu_after.ru_stime) - (
                cpu_before.ru_utime + cpu_before.ru_stime
            )
    finally:
        _stop_server(server)
    report = _report(options, context, runnable, results, idle, client_cpu)
    _write(report)
    return 0 if all(t["pass"] for t in report["targets"]) else 1


# --- setup ------------------------------------------------------------------------------------


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    )
    parser.add_argument("--scale", default="large", help="seed scale when the program is absent")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--rate", type=float, default=200.0, help="requests per second")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds per target")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds per target, discarded")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--connections", type=int, default=32, help="client connections")
    parser.add_argument(
        "--targets",
        default=",".join(t.key for t in TARGETS),
        type=lambda value: [v.strip() for v in value.split(",") if v.strip()],
        help="comma-separated subset of: " + ", ".join(t.key for t in TARGETS),
    )
    options = parser.parse_args()
    unknown = set(options.targets) - {t.key for t in TARGETS}
    if unknown:
        parser.error(f"unknown targets: {', '.join(sorted(unknown))}")
    if "healthz" not in options.targets:
        options.targets.insert(0, "healthz")  # every ratio needs the floor of the same run
    return options


def _server_environment(database_url: str, options: argparse.Namespace) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "CASCADE_TESTING"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="cascade.settings",
        DATABASE_URL=database_url,
        DATABASE_POOL="1",
        DATABASE_POOL_MIN=str(options.threads),
        DATABASE_POOL_MAX=str(options.threads * 2),
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(48),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        LOG_LEVEL="WARNING",
        TASKS_BACKEND="database",
    )
    return env


def _ensure_database(database_url: str) -> None:
    import psycopg

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    server = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(server, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            print(f"== creating database {name}")
            connection.execute(f'CREATE DATABASE "{name}"')


def _manage(env: dict[str, str], *args: str) -> None:
    print(f"== cascade {' '.join(args)}")
    subprocess.run([sys.executable, "-m", "cascade", *args], env=env, cwd=ROOT, check=True)


def _catalog(env: dict[str, str], options: argparse.Namespace) -> None:
    """Add the catalog to a program seeded before it existed (does nothing otherwise)."""
    print("== catalog of the benchmark program")
    script = ROOT / "bench" / "catalog_data.py"
    command = [sys.executable, str(script), "--scale", options.scale, "--seed", str(options.seed)]
    subprocess.run(command, env=env, cwd=ROOT, check=True)


def _prepare(env: dict[str, str], targets: list[Target]) -> dict[str, Any]:
    """Credentials for each kind of target and the queries one request of each costs."""
    os.environ.update(env)
    os.environ["DATABASE_POOL"] = "0"
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import Resolver404, resolve

    from cascade.access.actor import Scope, actor_for_person
    from cascade.core.scoping import tenant_scope
    from cascade.demo.catalogue import DEFAULT_TENANT_SLUG
    from cascade.demo.logins import DEMO_LOGINS
    from cascade.identity.models import ApiToken, Membership, MembershipStatus, Person, TokenKind
    from cascade.identity.roles import Role
    from cascade.identity.selectors import membership_list
    from cascade.identity.services import api_token_create, api_token_revoke
    from cascade.tenancy.models import PartnerOrganization, Tenant

    tenant = Tenant.objects.get(slug=DEFAULT_TENANT_SLUG)
    scopes = [Scope.ORGANIZATIONS_READ, Scope.PEOPLE_READ]
    with tenant_scope(tenant):
        admin = Person.objects.get(email=DEMO_LOGINS[0].email())
        admin_actor = actor_for_person(tenant=tenant, person=admin)
        for old in ApiToken.objects.filter(name__startswith="Benchmark", revoked_at__isnull=True):
            api_token_revoke(actor=admin_actor, token=old)
        integration = api_token_create(
            actor=admin_actor,
            kind=TokenKind.INTEGRATION,
            name="Benchmark integration",
            scopes=scopes,
        )
        largest = (
            Membership.objects.filter(status=MembershipStatus.ACTIVE, organization__isnull=False)
            .values("organization")
            .annotate(people=Count("id"))
            .order_by("-people", "organization")
            .first()
        )
        organization = PartnerOrganization.objects.get(pk=largest["organization"])
        partner_admin = (
            Membership.objects.filter(organization=organization, status=MembershipStatus.ACTIVE)
            .filter(Membership.role_filter(Role.PARTNER_ADMIN))
            .select_related("person")
            .order_by("id")
            .first()
            .person
        )
        partner_actor = actor_for_person(tenant=tenant, person=partner_admin)
        personal = api_token_create(
            actor=partner_actor,
            kind=TokenKind.PERSONAL,
            name="Benchmark partner admin",
            scopes=scopes,
        )
        visible = membership_list(actor=partner_actor).count()
        organizations = PartnerOrganization.objects.count()
        people = Membership.objects.filter(status=MembershipStatus.ACTIVE).count()
        learners = _learner_tokens(tenant, [t for t in targets if t.key.startswith("catalog")])
        catalog = _catalog_dataset(tenant) if learners else {}
    browser = Client(HTTP_HOST=HOST)
    browser.force_login(partner_admin)
    session = browser.cookies[settings.SESSION_COOKIE_NAME].value
    print(
        f"   program {tenant.name}: {organizations:,} organizations, {people:,} active memberships"
    )
    print(
        f"   partner admin {partner_admin.email} of {organization.name} "
        f"({largest['people']:,} people; {visible:,} memberships visible in its subtree)"
    )
    headers = {
        "none": {},
        "integration": {"Authorization": f"Bearer {integration.secret}"},
        "partner_admin": {"Authorization": f"Bearer {personal.secret}"},
        "partner_admin_session": {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}"},
    }
    for key, learner in learners.items():
        headers[f"learner:{key}"] = {"Authorization": f"Bearer {learner['secret']}"}
        print(
            f"   learner {key}: {learner['email']} of {learner['organization']} "
            f"({learner['tier']}, {learner['region']}; {learner['visible_items']:,} items visible)"
        )
    queries: dict[str, int] = {}
    query_range: dict[str, list[int]] = {}
    in_process_ms: dict[str, float] = {}
    skipped: dict[str, str] = {}
    for target in targets:
        counts: list[int] = []
        timings: list[float] = []
        for path, credential in target.requests:
            if credential not in headers:
                skipped[target.key] = f"no {credential} in this program"
                break
            try:
                resolve(urlsplit(path).path)
            except Resolver404:
                skipped[target.key] = f"GET {path} is not served by this version (no route)."
                break
            client = Client(HTTP_HOST=HOST, headers=headers[credential])
            client.get(path)  # warm the tenant cache, as a running server has it
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(path)
                timings.append((time.perf_counter() - started) * 1000)
            if response.status_code == 404:
                skipped[target.key] = f"GET {path} answers 404: not built yet."
                break
            if response.status_code != 200:
                skipped[target.key] = f"GET {path} answers {response.status_code}, not 200."
                break
            counts.append(len(captured.captured_queries))
        if target.key in skipped:
            continue
        queries[target.key] = max(counts)
        query_range[target.key] = [min(counts), max(counts)]
        in_process_ms[target.key] = round(sorted(timings)[len(timings) // 2], 2)
    return {
        "headers": headers,
        "queries": queries,
        "query_range": query_range,
        "in_process_ms": in_process_ms,
        "skipped": skipped,
        "dataset": {
            "organizations": organizations,
            "active_memberships": people,
            "partner_admin": partner_admin.email,
            "partner_admin_organization": organization.name,
            "partner_admin_organization_people": largest["people"],
            "partner_admin_visible_memberships": visible,
            **catalog,
            "learners": {
                key: {k: v for k, v in learner.items() if k != "secret"}
                for key, learner in learners.items()
            },
        },
        "postgres": connection.cursor().connection.info.server_version,
    }


def _learner_tokens(tenant: Any, targets: list[Target]) -> dict[str, dict[str, Any]]:
    """A personal catalog-reading token for each of LEARNERS the targets use (revoking the
    previous benchmark tokens of the same people), with what each learner may see."""
    from cascade.access.actor import Scope, actor_for_person
    from cascade.catalog.browse import items_visible_to
    from cascade.catalog.selectors import viewer_for
    from cascade.core.scoping import tenant_scope
    from cascade.demo.logins import DEMO_LOGINS
    from cascade.identity.models import ApiToken, Membership, MembershipStatus, TokenKind
    from cascade.identity.roles import Role
    from cascade.identity.services import api_token_create, api_token_revoke

    wanted = {c.split(":", 1)[1] for t in targets for _, c in t.requests if c.startswith("learner")}
    found: dict[str, dict[str, Any]] = {}
    demo_learner = next(login for login in DEMO_LOGINS if login.local_part == "learner")
    with tenant_scope(tenant):
        for key, rank, region in LEARNERS:
            if key not in wanted:
                continue
            memberships = Membership.objects.filter(
                status=MembershipStatus.ACTIVE,
                roles=Membership.encode_roles([Role.LEARNER]),
                organization__tier__rank=rank,
                organization__region__code=region,
            ).select_related("person", "organization__tier", "organization__region")
            if key == LEARNERS[0][0]:
                memberships = memberships.filter(person__email=demo_learner.email())
            membership = memberships.order_by("pk").first()
            if membership is None or membership.organization is None:
                continue
            actor = actor_for_person(tenant=tenant, person=membership.person)
            for old in ApiToken.objects.filter(
                person=membership.person, name__startswith="Benchmark", revoked_at__isnull=True
            ):
                api_token_revoke(actor=actor, token=old)
            token = api_token_create(
                actor=actor,
                kind=TokenKind.PERSONAL,
                name="Benchmark learner",
                scopes=[Scope.CATALOG_READ],
            )
            organization = membership.organization
            found[key] = {
                "secret": token.secret,
                "email": membership.person.email,
                "organization": organization.name,
                "tier": organization.tier.name if organization.tier else "",
                "region": organization.region.code if organization.region else "",
                "business_model": organization.business_model,
                "job_role": membership.job_role,
                "visible_items": items_visible_to(viewer_for(actor)).count(),
            }
    return found


def _catalog_dataset(tenant: Any) -> dict[str, int]:
    from cascade.catalog.item_models import CatalogItem
    from cascade.catalog.models import Audience
    from cascade.catalog.search_models import SearchEntry
    from cascade.core.scoping import tenant_scope

    with tenant_scope(tenant):
        return {
            "catalog_items": CatalogItem.objects.count(),
            "catalog_published_items": CatalogItem.objects.filter(
                published_revision__isnull=False
            ).count(),
            "catalog_audiences": Audience.objects.count(),
            "catalog_search_entries": SearchEntry.objects.count(),
        }


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def _start_server(
    env: dict[str, str], port: int, options: argparse.Namespace
) -> tuple[subprocess.Popen[bytes], Path]:
    RESULTS.mkdir(parents=True, exist_ok=True)
    log_path = RESULTS / "gunicorn.log"
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "cascade.wsgi:application",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(options.workers),
        "--threads",
        str(options.threads),
        "--worker-class",
        "gthread",
        "--keep-alive",
        "5",
        "--log-level",
        "warning",
        "--error-logfile",
        str(log_path),
    ]
    log_path.write_text("")
    return subprocess.Popen(command, env=env, cwd=ROOT), log_path


def _wait_ready(port: int, server: subprocess.Popen[bytes], log_path: Path) -> None:
    import http.client

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited early:\n{log_path.read_text()[-3000:]}")
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=2)
            connection.request("GET", "/readyz")
            response = connection.getresponse()
            body = response.read().decode()
            if response.status == 200:
                print(f"   ready on http://{HOST}:{port} ({body})")
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"gunicorn did not become ready:\n{log_path.read_text()[-3000:]}")


def _stop_server(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


# --- report -----------------------------------------------------------------------------------


def _report(
    options: argparse.Namespace,
    context: dict[str, Any],
    targets: list[Target],
    results: dict[str, LoadResult],
    idle: dict[str, LoadResult],
    client_cpu: dict[str, float],
) -> dict[str, Any]:
    floor = results.get("healthz")
    floor_p95 = floor.percentile(0.95) if floor else float("nan")
    rows = []
    for target in targets:
        result = results[target.key]
        p95 = result.percentile(0.95)
        ratio = p95 / floor_p95 if floor_p95 else float("nan")
        held = result.errors == 0 and result.achieved_rate >= 0.95 * options.rate
        latency_goal = p95 < GOAL_P95_MS and held
        ratio_goal = target.floor or ratio <= GOAL_FLOOR_RATIO
        rows.append(
            {
                "target": target.key,
                "path": target.path,
                "description": target.description,
                "idle_p50_ms": round(idle[target.key].percentile(0.50), 2),
                "idle_p95_ms": round(idle[target.key].percentile(0.95), 2),
                "p50_ms": round(result.percentile(0.50), 2),
                "p95_ms": round(p95, 2),
                "p99_ms": round(result.percentile(0.99), 2),
                "rate_requested": options.rate,
                "rate_achieved": round(result.achieved_rate, 1),
                "requests": result.scheduled,
                "errors": result.errors,
                "statuses": {str(k): v for k, v in sorted(result.statuses.items())},
                "queries_per_request": context["queries"][target.key],
                # Fewest and most queries among the target's requests (callers, queries).
                "queries_range": context["query_range"][target.key],
                "in_process_ms": context["in_process_ms"][target.key],
                "client_cpu_share": round(client_cpu[target.key] / options.duration, 2),
                "p95_to_floor": round(ratio, 2),
                "goal_p95_under_50ms_at_rate": latency_goal,
                "goal_p95_within_5x_floor": ratio_goal,
                "pass": latency_goal and ratio_goal,
            }
        )
    print(
        f"\n== results: {options.rate:.0f} req/s for {options.duration:.0f} s per target "
        f"(open loop), {options.workers} workers x {options.threads} threads"
    )
    header = (
        f"{'target':<15}{'idle ms':>8}{'idle p95':>9}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}"
        f"{'rate/s':>8}{'errors':>7}{'queries':>8}{'p95/floor':>10}"
        f"   p95<{GOAL_P95_MS:.0f}ms@{options.rate:.0f}/s"
        f"   p95<={GOAL_FLOOR_RATIO:.0f}x floor"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        ratio_verdict = (
            "-" if row["target"] == "healthz" else _verdict(row["goal_p95_within_5x_floor"])
        )
        fewest, most = row["queries_range"]
        queries = str(most) if fewest == most else f"{fewest}-{most}"
        print(
            f"{row['target']:<15}{row['idle_p50_ms']:>8.1f}{row['idle_p95_ms']:>9.1f}{row['p50_ms']:>8.1f}{row['p95_ms']:>8.1f}{row['p99_ms']:>8.1f}"
            f"{row['rate_achieved']:>8.1f}{row['errors']:>7}{queries:>8}"
            f"{row['p95_to_floor']:>10.1f}   {_verdict(row['goal_p95_under_50ms_at_rate']):<14}"
            f"     {ratio_verdict}"
        )
    for key, reason in context["skipped"].items():
        print(f"{key:<15}skipped: {reason}")
    print(
        "idle ms, idle p95: median and p95 latency at 10 req/s (one request's service time);\n"
        "rate/s: successful responses per second; errors: failed, non-2xx/3xx or abandoned "
        "requests;\nqueries: SQL queries of one request (fewest-most among a target's callers and "
        "queries)."
    )
    return {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "postgres_server_version": context["postgres"],
        },
        "config": {
            "rate": options.rate,
            "duration_s": options.duration,
            "warmup_s": options.warmup,
            "gunicorn_workers": options.workers,
            "gunicorn_threads": options.threads,
            "client_connections": options.connections,
            "scale": options.scale,
            "seed": options.seed,
        },
        "dataset": context["dataset"],
        "goals": {"p95_ms_under": GOAL_P95_MS, "p95_to_floor_at_most": GOAL_FLOOR_RATIO},
        "targets": rows,
        "skipped": context["skipped"],
    }


def _verdict(passed: bool) -> str:
    return "PASS" if passed else "MISS"


def _write(report: dict[str, Any]) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    text = json.dumps(report, indent=2)
    (RESULTS / f"bench-{stamp}.json").write_text(text)
    (RESULTS / "latest.json").write_text(text)
    print(f"\nresults written to bench/results/bench-{stamp}.json (and latest.json)")


if __name__ == "__main__":
    sys.exit(main())
