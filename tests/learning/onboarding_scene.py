"""A ready onboarding program for the onboarding tests: "New partner onboarding" for every
partner, measured from each person's join date, with three phases:

- Week 1: foundations (days 0-7): complete `foundations` (a lesson);
- Month 1: first customer pitch (days 7-30): complete `pitch`, and the person's
  `pitch_delivered` business event;
- Month 3: certified (days 30-90): complete `certification`, and the organization's
  `deal_registered` event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from cascade.catalog.item_models import CatalogItem
from cascade.identity.models import Membership
from cascade.learning.models import Enrollment, EnrollmentSource, EnrollmentState
from cascade.learning.onboarding import (
    milestone_add,
    phase_add,
    program_create,
)
from cascade.learning.onboarding_events import business_event_record
from cascade.learning.onboarding_models import OnboardingPhase, OnboardingProgram
from tests.catalog.conftest import Studio


@dataclass
class Onboarding:
    studio: Studio
    program: OnboardingProgram
    week1: OnboardingPhase
    month1: OnboardingPhase
    month3: OnboardingPhase
    foundations: CatalogItem
    pitch: CatalogItem
    certification: CatalogItem

    @property
    def world(self):  # type: ignore[no-untyped-def]
        return self.studio.world

    def joined(self, name: str, days_ago: int) -> Membership:
        """Move `name`'s join date `days_ago` days back (the program started long before)."""
        membership = self.world.memberships[name]
        membership.started_on = timezone.localdate() - timedelta(days=days_ago)
        membership.save(update_fields=["started_on"])
        return membership

    def complete(self, name: str, item: CatalogItem, when: datetime | None = None) -> None:
        Enrollment.objects.filter(person=self.world.people[name], item=item).delete()
        Enrollment.objects.create(
            tenant=self.world.tenant,
            person=self.world.people[name],
            item=item,
            source=EnrollmentSource.SELF,
            state=EnrollmentState.COMPLETED,
            completed_at=when or timezone.now(),
        )

    def event(
        self,
        key: str,
        external_id: str,
        *,
        person: str | None = None,
        organization: str | None = None,
    ) -> None:
        business_event_record(
            actor=self.world.actor("vendor_admin"),
            key=key,
            source="prm",
            external_id=external_id,
            occurred_at=timezone.now(),
            person_id=self.world.people[person].pk if person else None,
            organization_id=self.world.orgs[organization].pk if organization else None,
        )


def build_onboarding(studio: Studio, *, effective_from: date | None = None) -> Onboarding:
    world = studio.world
    admin = world.actor("vendor_admin")
    foundations = studio.published(title="Platform foundations", audience=studio.everyone)
    pitch = studio.published(title="Your first customer pitch", audience=studio.everyone)
    certification = studio.published(title="Certified associate", audience=studio.everyone)
    program = program_create(
        actor=admin,
        name="New partner onboarding",
        audience_id=studio.everyone.pk,
        effective_from=effective_from or timezone.localdate() - timedelta(days=3650),
    )
    week1 = phase_add(
        actor=admin,
        program=program,
        name="Week 1: foundations",
        starts_after_days=0,
        due_after_days=7,
    )
    month1 = phase_add(
        actor=admin,
        program=program,
        name="Month 1: first customer pitch",
        starts_after_days=7,
        due_after_days=30,
    )
    month3 = phase_add(
        actor=admin,
        program=program,
        name="Month 3: certified",
        starts_after_days=30,
        due_after_days=90,
    )
    milestone_add(actor=admin, phase=week1, kind="learning", item_id=foundations.pk)
    milestone_add(actor=admin, phase=month1, kind="learning", item_id=pitch.pk)
    milestone_add(
        actor=admin,
        phase=month1,
        kind="business_event",
        event_key="pitch_delivered",
        label="First customer pitch delivered",
    )
    milestone_add(actor=admin, phase=month3, kind="learning", item_id=certification.pk)
    milestone_add(
        actor=admin,
        phase=month3,
        kind="business_event",
        event_key="deal_registered",
        event_scope="organization",
        label="First deal registered",
    )
    program.refresh_from_db()
    return Onboarding(
        studio=studio,
        program=program,
        week1=week1,
        month1=month1,
        month3=month3,
        foundations=foundations,
        pitch=pitch,
        certification=certification,
    )
