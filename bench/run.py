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

The learning targets (`--only learning`) also time an assignment rule reaching about 100,000
people (bench/learning_rules.py), load learners' home pages, and drive the video player's
heartbeat endpoint at increasing rates (bench/learning_targets.py).

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

from learning_targets import heartbeat_requests, home_sessions
from loadgen import LoadResult, drive

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/cascade_bench"
# Production caches in Redis (shared by the workers; the heartbeat path buffers there too).
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/2"
HOST = "127.0.0.1"
GOAL_P95_MS = 50.0
GOAL_FLOOR_RATIO = 5.0
# The learning issue's goal for the player's heartbeats: sustained requests per second.
GOAL_HEARTBEATS_PER_SECOND = 1000.0
GROUPS = ("core", "catalog", "learning", "exam")
# 500 people taking one exam at once: its own database, server and floor (bench/exam_load.py).
EXAM_TARGET = "exam_load"


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
    # Which part of the program it measures (`--only`): core, catalog or learning.
    group: str = "core"
    method: str = "GET"
    # Rates to drive it at, in turn, instead of --rate.
    rates: tuple[float, ...] = ()
    # Held to p95 within 5x the floor (the foundation's goal); the learning issue's targets have
    # their own goals instead.
    floor_ratio_goal: bool = True
    # A throughput goal: the target passes when it sustains this many requests per second (no
    # errors, 98% of a requested rate at least this high achieved).
    throughput_goal: float | None = None
    # Client connections, when the target needs more than --connections (high rates).
    connections: int | None = None
    # With several rates: the one the p95 goal is judged at (the others show the way beyond).
    latency_goal_rate: float | None = None

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
HEARTBEAT_PATH = "/learning/progress/<lesson>/heartbeat/"
HEARTBEAT_RATES = (500.0, 1000.0, 1200.0)
# The learner's home page: a page per learner visit, far below the API lists' traffic. Measured
# at a busy hour's rate for the large program and at twice that.
HOME_RATES = (25.0, 50.0)
HOME_GOAL_RATE = 25.0
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
        group="catalog",
        rotate=tuple((CATALOG_PATH, f"learner:{key}") for key, _, _ in LEARNERS),
    ),
    Target(
        "catalog_search",
        f"/api/v1/catalog/search?q={quote(SEARCH_QUERIES[0])}",
        f"learner:{LEARNERS[0][0]}",
        f"catalog search (20 hits), {len(SEARCH_QUERIES)} queries x {len(LEARNERS)} learners",
        group="catalog",
        rotate=tuple(
            (f"/api/v1/catalog/search?q={quote(query)}", f"learner:{key}")
            for query in SEARCH_QUERIES
            for key, _, _ in LEARNERS
        ),
    ),
    Target(
        "heartbeat",
        HEARTBEAT_PATH,
        "heartbeats",
        "video player heartbeats (JSON POST, session + CSRF), many learners x lessons",
        group="learning",
        method="POST",
        rates=HEARTBEAT_RATES,
        floor_ratio_goal=False,
        throughput_goal=GOAL_HEARTBEATS_PER_SECOND,
        connections=64,
    ),
    Target(
        "learner_home",
        "/",
        f"learner_session:{LEARNERS[0][0]}",
        f"the learner's home page (HTML), {len(LEARNERS)} learners' sessions in turn",
        group="learning",
        rotate=tuple(("/", f"learner_session:{key}") for key, _, _ in LEARNERS),
        rates=HOME_RATES,
        floor_ratio_goal=False,
        latency_goal_rate=HOME_GOAL_RATE,
    ),
    Target(
        EXAM_TARGET,
        "/api/v1/assessments/attempts/<attempt>/answers/<position>",
        "exam_takers",
        "500 people start, answer and submit one exam at once (bench/exam_load.py)",
        group="exam",
        method="PUT",
        floor_ratio_goal=False,
    ),
)


def main() -> int:
    options = _arguments()
    exam = EXAM_TARGET in options.targets
    if exam:
        options.targets.remove(EXAM_TARGET)
        if options.targets == ["healthz"]:
            # The exam alone: it needs neither the large seed nor this server.
            return 0 if _exam_load(options)["pass"] else 1
    database_url = options.database_url
    env = _server_environment(database_url, options)
    _ensure_database(database_url)
    _manage(env, "migrate", "--noinput", "-v", "0")
    _manage(env, "seed", "--scale", options.scale, "--seed", str(options.seed), "--if-empty")
    if any(t.key.startswith("catalog") for t in TARGETS if t.key in options.targets):
        _catalog(env, options)
    rules = None
    if any(t.group == "learning" for t in TARGETS if t.key in options.targets):
        rules = _rules(env)

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
    runs: list[Run] = []
    idle: dict[str, LoadResult] = {}
    try:
        _wait_ready(port, server, log_path)
        for target in runnable:
            rotate: list[tuple[Any, ...]] = context["requests"].get(target.key) or [
                (path, context["headers"][credential]) for path, credential in target.requests
            ]
            headers = rotate[0][1]
            print(f"-- {target.key}: {target.method} {target.path} ({target.description})")
            # Unloaded: a trickle of requests shows the service time of one request.
            idle[target.key] = drive(
                host=HOST,
                port=port,
                path=target.path,
                headers=headers,
                rate=10,
                duration=min(max(2, len(rotate) / 10), 5),
                rotate=rotate,
            )
            for rate in target.rates or (options.rate,):
                drive(
                    host=HOST,
                    port=port,
                    path=target.path,
                    headers=headers,
                    rate=rate,
                    duration=options.warmup,
                    connections=max(options.connections, target.connections or 0),
                    rotate=rotate,
                )
                cpu_before = resource.getrusage(resource.RUSAGE_SELF)
                server_before, machine_before = _process_cpu(server.pid), _machine_cpu()
                result = drive(
                    host=HOST,
                    port=port,
                    path=target.path,
                    headers=headers,
                    rate=rate,
                    duration=options.duration,
                    connections=max(options.connections, target.connections or 0),
                    rotate=rotate,
                )
                cpu_after = resource.getrusage(resource.RUSAGE_SELF)
                server_cpu = _process_cpu(server.pid) - server_before
                machine_after = _machine_cpu()
                machine_busy = machine_after[0] - machine_before[0]
                machine_total = machine_after[1] - machine_before[1]
                cpu = (cpu_after.ru_utime + cpu_after.ru_stime) - (
                    cpu_before.ru_utime + cpu_before.ru_stime
                )
                run = Run(
                    target,
                    rate,
                    result,
                    cpu,
                    server_cpu,
                    machine_busy / machine_total if machine_total else float("nan"),
                )
                runs.append(run)
                # A target the server could not keep up with leaves it working off requests the
                # client abandoned: let it finish before the next measurement starts.
                _settle(server.pid)
                if len(target.rates) > 1:
                    print(
                        f"   at {rate:.0f}/s: {result.achieved_rate:.1f}/s achieved, "
                        f"p95 {result.percentile(0.95):.1f} ms, {result.errors} errors; "
                        f"server {run.server_cpu_ms:.2f} ms CPU per response, "
                        f"machine {run.machine_busy:.0%} busy"
                    )
    finally:
        _stop_server(server)
    if any(run.target.key == "heartbeat" for run in runs):
        # What the heartbeats left in Redis goes to the database, as the minute's sweep does.
        _manage(env, "flush_heartbeats")
    exam_result = _exam_load(options) if exam else None
    report = _report(options, context, runs, idle, rules, exam_result)
    _write(report)
    passed = all(t["pass"] for t in report["targets"]) and (rules is None or rules["pass"])
    return 0 if passed and (exam_result is None or exam_result["pass"]) else 1


@dataclass(frozen=True)
class Run:
    """One target driven at one rate."""

    target: Target
    rate: float
    result: LoadResult
    client_cpu_seconds: float
    # CPU seconds the gunicorn processes used during the run, and the share of the whole
    # machine's CPU that was busy (this benchmark, the database and anything else running).
    server_cpu_seconds: float
    machine_busy: float

    @property
    def server_cpu_ms(self) -> float:
        """Server CPU per response: how many of them the cores could serve at most."""
        served = self.result.completed or 1
        return self.server_cpu_seconds / served * 1000


def _process_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by a process and its descendants (Linux)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks
            for task in Path(f"/proc/{current}/task").iterdir():
                pending.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, IndexError, ValueError):
            continue
    return total


def _settle(pid: int, *, limit: float = 60.0) -> None:
    """Wait (at most `limit` seconds) until the server uses under a tenth of a core."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        before = _process_cpu(pid)
        time.sleep(0.5)
        if _process_cpu(pid) - before < 0.05:
            return


def _machine_cpu() -> tuple[float, float]:
    """(busy, total) CPU time of the whole machine so far, from /proc/stat (Linux)."""
    try:
        values = [float(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    except (OSError, ValueError):
        return 0.0, 0.0
    idle = values[3] + (values[4] if len(values) > 4 else 0.0)
    return sum(values[:8]) - idle, sum(values[:8])


# --- setup ------------------------------------------------------------------------------------


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL),
        help="the server's cache (empty: each worker's memory)",
    )
    parser.add_argument("--scale", default="large", help="seed scale when the program is absent")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--rate", type=float, default=200.0, help="requests per second")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds per target")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds per target, discarded")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    # The exam's server: CPU-bound requests do better on processes than threads (README).
    parser.add_argument("--exam-workers", type=int, default=4)
    parser.add_argument("--exam-threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=32, help="client connections")
    parser.add_argument(
        "--targets",
        default=",".join(t.key for t in TARGETS),
        type=lambda value: [v.strip() for v in value.split(",") if v.strip()],
        help="comma-separated subset of: " + ", ".join(t.key for t in TARGETS),
    )
    parser.add_argument(
        "--only",
        choices=GROUPS,
        default=os.environ.get("BENCH_ONLY") or None,
        help="only the targets of one part (learning: also the assignment-rule timing)",
    )
    options = parser.parse_args()
    unknown = set(options.targets) - {t.key for t in TARGETS}
    if unknown:
        parser.error(f"unknown targets: {', '.join(sorted(unknown))}")
    if options.only:
        options.targets = [t.key for t in TARGETS if t.group == options.only]
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
        REDIS_URL=options.redis_url,
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


def _rules(env: dict[str, str]) -> dict[str, Any]:
    """Time an assignment rule reaching about 100,000 people (bench/learning_rules.py)."""
    print("== an assignment rule for about 100,000 people (rule_apply, then cleaned up)")
    script = ROOT / "bench" / "learning_rules.py"
    env = {**env, "DATABASE_POOL": "0"}
    completed = subprocess.run(
        [sys.executable, str(script)], env=env, cwd=ROOT, check=True, capture_output=True, text=True
    )
    result: dict[str, Any] = {}
    for line in completed.stdout.splitlines():
        if line.startswith("RESULT "):
            result = json.loads(line.removeprefix("RESULT "))
        else:
            print(line)
    return result


def _exam_load(options: argparse.Namespace) -> dict[str, Any]:
    """Run bench/exam_load.py in its own process, against the database named after this one's
    with `_exam` appended, and return its result (its output is shown as it comes)."""
    print("\n== the exam under load (bench/exam_load.py): its own database, server and floor")
    parts = urlsplit(options.database_url)
    database_url = urlunsplit(parts._replace(path=f"{parts.path}_exam"))
    command = [
        sys.executable,
        str(ROOT / "bench" / "exam_load.py"),
        "--database-url",
        database_url,
        "--workers",
        str(options.exam_workers),
        "--threads",
        str(options.exam_threads),
    ]
    result: dict[str, Any] = {}
    with subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True) as process:
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith("RESULT "):
                result = json.loads(line.removeprefix("RESULT "))
            else:
                print(line, end="", flush=True)
    if not result:
        raise SystemExit(f"bench/exam_load.py ended ({process.returncode}) without a result")
    return result


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
        learners = _learner_tokens(
            tenant, [t for t in targets if t.group in ("catalog", "learning")]
        )
        catalog = _catalog_dataset(tenant) if learners else {}
    requests: dict[str, list[tuple[Any, ...]]] = {}
    learning: dict[str, Any] = {}
    if any(t.key == "learner_home" for t in targets):
        sessions, home_info = home_sessions(tenant, learners, HOST)
        learning.update(home_info)
    if any(t.key == "heartbeat" for t in targets):
        requests["heartbeat"], heartbeat_info = heartbeat_requests(tenant, HOST)
        learning.update(heartbeat_info)
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
        if "learner_home" in {t.key for t in targets}:
            headers[f"learner_session:{key}"] = sessions[key]
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
        if target.key in requests:
            if not requests[target.key]:
                skipped[target.key] = "no requests to send in this program"
                continue
            counts, timings = _count_posts(requests[target.key])
            queries[target.key] = max(counts)
            query_range[target.key] = [min(counts), max(counts)]
            in_process_ms[target.key] = round(sorted(timings)[len(timings) // 2], 2)
            continue
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
        "requests": requests,
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
            **learning,
            "learners": {
                key: {k: v for k, v in learner.items() if k != "secret"}
                for key, learner in learners.items()
            },
        },
        "postgres": connection.cursor().connection.info.server_version,
    }


def _count_posts(requests: list[tuple[Any, ...]]) -> tuple[list[int], list[float]]:
    """Queries and time in process of a few of a target's POST requests (one warm-up each, then
    one measured), through Django's test client with CSRF checks on, as a browser sends them."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    counts: list[int] = []
    timings: list[float] = []
    step = max(1, len(requests) // 8)
    for path, headers, method, body in requests[::step][:8]:
        sent = {k: v for k, v in headers.items() if k != "Content-Type"}
        client = Client(HTTP_HOST=HOST, enforce_csrf_checks=True)
        for attempt in range(2):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.generic(
                    method, path, body, content_type=headers.get("Content-Type"), headers=sent
                )
                elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                raise SystemExit(f"{method} {path} answers {response.status_code} in process")
            if attempt:
                counts.append(len(captured.captured_queries))
                timings.append(elapsed)
    return counts, timings


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
    runs: list[Run],
    idle: dict[str, LoadResult],
    rules: dict[str, Any] | None,
    exam: dict[str, Any] | None = None,
) -> dict[str, Any]:
    floor = next((run.result for run in runs if run.target.floor), None)
    floor_p95 = floor.percentile(0.95) if floor else float("nan")
    rows = []
    for run in runs:
        target, result, rate = run.target, run.result, run.rate
        p95 = result.percentile(0.95)
        ratio = p95 / floor_p95 if floor_p95 else float("nan")
        held = result.errors == 0 and result.achieved_rate >= 0.95 * rate
        if target.throughput_goal is not None:
            # Throughput: sustained (no errors, 98% of the rate) at the goal's rate; the other
            # rates show the way there and beyond.
            sustained = result.errors == 0 and result.achieved_rate >= 0.98 * rate
            latency_goal = None
            throughput_goal = sustained if rate == target.throughput_goal else None
        elif target.latency_goal_rate is not None and rate != target.latency_goal_rate:
            latency_goal = throughput_goal = None
        else:
            latency_goal = p95 < GOAL_P95_MS and held
            throughput_goal = None
        ratio_goal = target.floor or ratio <= GOAL_FLOOR_RATIO if target.floor_ratio_goal else None
        verdicts = [v for v in (latency_goal, ratio_goal, throughput_goal) if v is not None]
        rows.append(
            {
                "target": target.key,
                "method": target.method,
                "path": target.path,
                "description": target.description,
                "idle_p50_ms": round(idle[target.key].percentile(0.50), 2),
                "idle_p95_ms": round(idle[target.key].percentile(0.95), 2),
                "p50_ms": round(result.percentile(0.50), 2),
                "p95_ms": round(p95, 2),
                "p99_ms": round(result.percentile(0.99), 2),
                "rate_requested": rate,
                "rate_achieved": round(result.achieved_rate, 1),
                "requests": result.scheduled,
                "errors": result.errors,
                "statuses": {str(k): v for k, v in sorted(result.statuses.items())},
                "failures": dict(sorted(result.failures.items())),
                "queries_per_request": context["queries"][target.key],
                # Fewest and most queries among the target's requests (callers, queries).
                "queries_range": context["query_range"][target.key],
                "in_process_ms": context["in_process_ms"][target.key],
                # Seconds of CPU the load generator used per second of load (1.0 = one core).
                "client_cpu_share": round(run.client_cpu_seconds / options.duration, 2),
                "server_cpu_ms_per_response": round(run.server_cpu_ms, 3),
                "machine_busy_share": round(run.machine_busy, 2),
                "p95_to_floor": round(ratio, 2),
                "goal_p95_under_50ms_at_rate": latency_goal,
                "goal_p95_within_5x_floor": ratio_goal,
                "goal_sustains_rate": throughput_goal,
                "pass": all(verdicts),
            }
        )
    print(
        f"\n== results: {options.duration:.0f} s per target and rate (open loop), "
        f"{options.workers} workers x {options.threads} threads"
    )
    header = (
        f"{'target':<15}{'req/s':>7}{'idle ms':>8}{'idle p95':>9}{'p50 ms':>8}{'p95 ms':>8}"
        f"{'p99 ms':>8}{'rate/s':>8}{'errors':>7}{'queries':>8}{'client':>7}{'p95/floor':>10}"
        f"   p95<{GOAL_P95_MS:.0f}ms   <={GOAL_FLOOR_RATIO:.0f}x floor   sustained"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        fewest, most = row["queries_range"]
        queries = str(most) if fewest == most else f"{fewest}-{most}"
        ratio = "-" if row["target"] == "healthz" else _verdict(row["goal_p95_within_5x_floor"])
        print(
            f"{row['target']:<15}{row['rate_requested']:>7.0f}{row['idle_p50_ms']:>8.1f}"
            f"{row['idle_p95_ms']:>9.1f}{row['p50_ms']:>8.1f}{row['p95_ms']:>8.1f}"
            f"{row['p99_ms']:>8.1f}{row['rate_achieved']:>8.1f}{row['errors']:>7}{queries:>8}"
            f"{row['client_cpu_share']:>7.2f}{row['p95_to_floor']:>10.1f}"
            f"   {_verdict(row['goal_p95_under_50ms_at_rate']):<8}   {ratio:<12}"
            f"   {_verdict(row['goal_sustains_rate'])}"
        )
    for key, reason in context["skipped"].items():
        print(f"{key:<15}skipped: {reason}")
    if rules:
        print(
            f"assignment rule: {rules['assigned']:,} of {rules['matching_people']:,} matching "
            f"people assigned in {rules['seconds']:.1f} s, {rules['queries']} queries "
            f"({rules['insert_statements']} bulk inserts)   <{rules['goal_seconds']:.0f} s: "
            f"{_verdict(rules['pass'])}"
        )
    if exam:
        print("\n".join(["", *exam["report"], ""]))
    print(
        "idle ms, idle p95: median and p95 latency at 10 req/s (one request's service time);\n"
        "rate/s: successful responses per second; errors: failed, non-2xx/3xx or abandoned "
        "requests;\nqueries: SQL queries of one request (fewest-most among a target's callers and "
        "queries);\nclient: CPU of the load generator, in cores; sustained: no errors and 98% of "
        f"the rate achieved at {GOAL_HEARTBEATS_PER_SECOND:.0f}/s (heartbeats)."
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
        "goals": {
            "p95_ms_under": GOAL_P95_MS,
            "p95_to_floor_at_most": GOAL_FLOOR_RATIO,
            "heartbeats_per_second": GOAL_HEARTBEATS_PER_SECOND,
            "assignment_rule_seconds_under": rules["goal_seconds"] if rules else None,
        },
        "targets": rows,
        "assignment_rule": rules,
        "exam_load": exam,
        "skipped": context["skipped"],
    }


def _verdict(passed: bool | None) -> str:
    return "-" if passed is None else ("PASS" if passed else "MISS")


def _write(report: dict[str, Any]) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    text = json.dumps(report, indent=2)
    (RESULTS / f"bench-{stamp}.json").write_text(text)
    (RESULTS / "latest.json").write_text(text)
    print(f"\nresults written to bench/results/bench-{stamp}.json (and latest.json)")


if __name__ == "__main__":
    sys.exit(main())
