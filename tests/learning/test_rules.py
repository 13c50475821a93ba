"""Dynamic assignment rules: everyone matching now gets the item, in bulk; people who come to
match later get it too (a newcomer at once, a tier change on the sweep); nobody gets it twice."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cascade.catalog.audiences import RuleSpec
from cascade.catalog.services import audience_create
from cascade.core.errors import PermissionDenied, ValidationFailed
from cascade.identity.services.memberships import membership_move
from cascade.learning.models import AssignmentRule, Enrollment, EnrollmentSource
from cascade.learning.rules import rule_apply, rule_create
from cascade.learning.services import enroll_self
from tests.catalog.conftest import Studio
from tests.conftest import make_member


def _gold_rule(studio: Studio, **kwargs: Any) -> AssignmentRule:
    world = studio.world
    path = studio.published(title="Gold onboarding", audience=studio.everyone)
    gold = audience_create(
        actor=world.actor("author"),
        name="Gold partners",
        rules=[RuleSpec.of(tier=[world.structure["gold"].pk])],
    )
    return rule_create(
        actor=world.actor("vendor_admin"),
        name="Gold onboarding for everyone at Gold",
        audience=gold,
        item_id=path.pk,
        **kwargs,
    )


def _assigned(studio: Studio) -> set[str]:
    return {
        person.email
        for person in (e.person for e in Enrollment.objects.filter(source=EnrollmentSource.RULE))
    }


def test_a_rule_assigns_everyone_in_its_audience_now(studio: Studio) -> None:
    # Distri Europe is Gold (manager, partner_admin); the others are Silver
    _gold_rule(studio, due_days=30)
    assert _assigned(studio) == {"manager@partner.example", "partner_admin@partner.example"}
    due = {e.due_on for e in Enrollment.objects.all()}
    assert due == {timezone.localdate() + timedelta(days=30)}


def test_applying_again_assigns_nobody_twice_even_after_a_withdrawal(studio: Studio) -> None:
    rule = _gold_rule(studio)
    Enrollment.objects.update(state="withdrawn")
    assert rule_apply(tenant=studio.world.tenant, rule=rule) == 0
    assert Enrollment.objects.count() == 2


def test_people_already_enrolled_keep_their_enrollment(studio: Studio) -> None:
    world = studio.world
    path = studio.published(title="Gold onboarding", audience=studio.everyone)
    own = enroll_self(actor=world.actor("manager"), item_id=path.pk)
    gold = audience_create(
        actor=world.actor("author"),
        name="Gold partners",
        rules=[RuleSpec.of(tier=[world.structure["gold"].pk])],
    )
    rule_create(actor=world.actor("vendor_admin"), name="Gold", audience=gold, item_id=path.pk)
    assert Enrollment.objects.filter(person=world.people["manager"]).get().pk == own.pk


def test_a_newcomer_who_matches_gets_the_item_at_once(studio: Studio, commit: Any) -> None:
    world = studio.world
    _gold_rule(studio)
    with commit():
        make_member(world, "newcomer", world.tenant, world.orgs["dist"], ["learner"])
        # the membership service emits membership.started; make_member writes rows directly
        from cascade.events.services import event_record

        event_record(
            tenant=world.tenant,
            name="membership.started",
            payload={
                "membership_id": world.memberships["newcomer"].pk,
                "person_id": world.people["newcomer"].pk,
                "organization_id": world.orgs["dist"].pk,
            },
        )
    assert "newcomer@partner.example" in _assigned(studio)


def test_a_move_into_a_matching_organization_assigns_it(studio: Studio, commit: Any) -> None:
    world = studio.world
    _gold_rule(studio)
    with commit():
        membership_move(
            actor=world.actor("vendor_admin"),
            person=world.people["other_admin"],
            to_organization=world.orgs["dist"],
            roles=["learner"],
            job_role="sales",
            reason="Joined Distri Europe",
        )
    assert "other_admin@partner.example" in _assigned(studio)


def test_a_tier_change_is_caught_by_the_daily_sweep(studio: Studio) -> None:
    world = studio.world
    _gold_rule(studio)
    other = world.orgs["other"]
    other.tier = world.structure["gold"]
    other.save()
    call_command("apply_assignment_rules")
    assert "other_admin@partner.example" in _assigned(studio)


def test_applying_costs_the_same_queries_for_few_or_many_people(studio: Studio) -> None:
    world = studio.world
    rule = _gold_rule(studio)
    Enrollment.objects.all().delete()
    with CaptureQueriesContext(connection) as few:
        rule_apply(tenant=world.tenant, rule=rule)
    Enrollment.objects.all().delete()
    for index in range(30):
        make_member(world, f"extra{index}", world.tenant, world.orgs["dist"], ["learner"])
    with CaptureQueriesContext(connection) as many:
        assert rule_apply(tenant=world.tenant, rule=rule) == 32
    assert len(many) == len(few)


def test_only_program_admins_write_rules_and_bad_rules_are_refused(studio: Studio) -> None:
    world = studio.world
    lesson = studio.published(title="Lesson", audience=studio.everyone)
    draft = studio.draft(title="Draft", audience=studio.everyone)
    admin = world.actor("vendor_admin")
    with pytest.raises(PermissionDenied):
        rule_create(
            actor=world.actor("author"), name="R", audience=studio.everyone, item_id=lesson.pk
        )
    with pytest.raises(ValidationFailed):
        rule_create(actor=admin, name="R", audience=studio.everyone, item_id=draft.pk)
    with pytest.raises(ValidationFailed):
        rule_create(actor=admin, name="R", audience=studio.everyone, item_id=lesson.pk, due_days=0)
    assert not AssignmentRule.objects.exists()
    assert not Enrollment.objects.exists()


def test_due_after_joining_never_lands_in_the_past(studio: Studio) -> None:
    world = studio.world
    today = timezone.localdate()
    world.memberships["manager"].started_on = today - timedelta(days=400)
    world.memberships["manager"].save()
    world.memberships["partner_admin"].started_on = today - timedelta(days=10)
    world.memberships["partner_admin"].save()
    _gold_rule(studio, due_days=30, due_from="joining")
    due = dict(Enrollment.objects.values_list("person__email", "due_on"))
    assert due["manager@partner.example"] == today + timedelta(days=30)
    assert due["partner_admin@partner.example"] == today + timedelta(days=20)
