"""The demo program's onboarding shows people in every state, through the same selectors as
the pages."""

from __future__ import annotations

from collections import Counter

from cascade.access.actor import system_actor
from cascade.core.scoping import tenant_scope
from cascade.demo.scales import SCALES
from cascade.demo.seed import seed_program
from cascade.learning.onboarding_models import OnboardingProgram
from cascade.learning.onboarding_selectors import onboarding_people, onboarding_people_queryset


def test_the_demo_onboarding_has_people_on_track_at_risk_late_and_done(db: None) -> None:
    # given
    report = seed_program(scale=SCALES["tiny"], seed=3)
    # when
    with tenant_scope(report.tenant):
        actor = system_actor(report.tenant)
        entries = onboarding_people(actor, list(onboarding_people_queryset(actor)))
        program = OnboardingProgram.objects.get()
        phases = list(program.phases.values_list("name", flat=True))
    # then
    assert phases == [
        "Week 1: foundations",
        "Month 1: first customer pitch",
        "Month 3: certified",
    ]
    statuses = Counter(str(entry.status) for entry in entries)
    assert {"on_track", "at_risk", "late", "done"} <= set(statuses)
    assert report.rows["onboarding programs"] == 1
    assert report.rows["onboarding business events"] > 0
