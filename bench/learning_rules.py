"""How long an assignment rule takes to reach 100,000 people, in the benchmark program.

The audience is every Silver partner in EMEA (about 99,000 active memberships in the large
seed); the rule gives them a published course, due 30 days after assignment. The script times
`cascade.learning.rules.rule_apply` (wall time, queries issued and rows written: applying is
bulk, so the queries stay a handful however many people match), then deletes the rule and its
enrollments so that every run starts from the same state (vacuumed, so that the targets measured
next do not share the machine with autovacuum). The audience is kept and reused.

Run by bench/run.py with the server's environment; prints one JSON line prefixed `RESULT `.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

from django.core.exceptions import ImproperlyConfigured

AUDIENCE_NAME = "Benchmark: Silver partners in EMEA"
RULE_NAME = "Benchmark: Silver EMEA onboarding course"
GOAL_SECONDS = 60.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cascade.settings")
    os.environ["DATABASE_POOL"] = "0"
    import django

    try:
        django.setup()
    except ImproperlyConfigured as error:
        raise SystemExit(f"learning_rules: {error}") from error
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cascade.access.actor import actor_for_person
    from cascade.catalog.audiences import RuleSpec
    from cascade.catalog.browse import live_items
    from cascade.catalog.item_models import ItemKind
    from cascade.catalog.models import Audience
    from cascade.catalog.selectors import memberships_in_audience
    from cascade.catalog.services import audience_create
    from cascade.core.scoping import tenant_scope
    from cascade.demo.catalogue import DEFAULT_TENANT_SLUG
    from cascade.demo.logins import DEMO_LOGINS
    from cascade.identity.models import Person
    from cascade.identity.roles import Role
    from cascade.learning.models import AssignmentRule, Enrollment
    from cascade.learning.rules import rule_apply
    from cascade.tenancy.models import Region, Tenant, Tier

    tenant = Tenant.objects.get(slug=DEFAULT_TENANT_SLUG)
    with tenant_scope(tenant):
        author_login = next(login for login in DEMO_LOGINS if Role.CONTENT_AUTHOR in login.roles)
        author = actor_for_person(
            tenant=tenant, person=Person.objects.get(email=author_login.email())
        )
        audience = Audience.objects.filter(name=AUDIENCE_NAME).first()
        if audience is None:
            silver = Tier.objects.get(name="Silver")
            emea = Region.objects.get(code="EMEA")
            audience = audience_create(
                actor=author,
                name=AUDIENCE_NAME,
                description="Every active person of a Silver partner in EMEA (benchmark).",
                rules=[RuleSpec.of(tier=[silver.pk], region=[emea.pk])],
            )
        matching_people = (
            memberships_in_audience(audience.pk, default_locale=tenant.default_locale)
            .values("person_id")
            .distinct()
            .count()
        )
        item = live_items().filter(kind=ItemKind.COURSE).order_by("-published_at", "-id").first()
        assert item is not None, "the benchmark catalog has no published course"
        _clean(AssignmentRule, Enrollment)
        rule = AssignmentRule.objects.create(
            tenant=tenant,
            name=RULE_NAME,
            audience=audience,
            item=item,
            required=True,
            due_days=30,
        )
        print(
            f"   audience {AUDIENCE_NAME!r}: {matching_people:,} people match; "
            f"item {item.pk} ({item.kind})"
        )
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            assigned = rule_apply(tenant=tenant, rule=rule)
            seconds = time.perf_counter() - started
        written = Enrollment.objects.filter(rule=rule).count()
        # Applying again finds nobody new: the rule gives its item once per person.
        started = time.perf_counter()
        again = rule_apply(tenant=tenant, rule=rule)
        again_seconds = time.perf_counter() - started
        statements = [q["sql"] for q in captured.captured_queries]
        inserts = sum(1 for sql in statements if sql.lstrip().upper().startswith("INSERT"))
        _clean(AssignmentRule, Enrollment)
    # Deleting 100,000 rows leaves dead tuples that autovacuum would clean up while the next
    # targets are measured: clean them up now, before any of them starts.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM (ANALYZE) {Enrollment._meta.db_table}")
    result = {
        "audience": AUDIENCE_NAME,
        "matching_people": matching_people,
        "assigned": assigned,
        "enrollments_written": written,
        "seconds": round(seconds, 2),
        "people_per_second": round(assigned / seconds) if seconds else None,
        "queries": len(statements),
        "insert_statements": inserts,
        "reapply_assigned": again,
        "reapply_seconds": round(again_seconds, 2),
        "goal_seconds": GOAL_SECONDS,
        "pass": seconds < GOAL_SECONDS and written == assigned and again == 0,
    }
    print(
        f"   rule_apply: {assigned:,} enrollments in {seconds:.1f} s "
        f"({result['people_per_second']:,} people/s), {len(statements)} queries "
        f"({inserts} bulk inserts); applied again: {again} more in {again_seconds:.1f} s"
    )
    print("RESULT " + json.dumps(result))
    return 0


def _clean(rule_model: type, enrollment_model: type) -> None:
    """Remove the benchmark rule and what it assigned (a previous run's, or this one's)."""
    for rule in rule_model.objects.filter(name=RULE_NAME):
        enrollment_model.objects.filter(rule=rule).delete()
        rule.delete()


if __name__ == "__main__":
    sys.exit(main())
