"""Role-based curricula: what the vendor recommends for a job role in a business model."""

from __future__ import annotations

import pytest

from cascade.core.errors import PermissionDenied, ValidationFailed
from cascade.learning.curricula import curriculum_set, recommended_for
from cascade.learning.models import Curriculum
from tests.catalog.conftest import Studio


def test_a_person_sees_their_roles_curriculum_specific_first_and_only_what_they_can_see(
    studio: Studio,
) -> None:
    world = studio.world
    admin = world.actor("vendor_admin")
    reseller_model = world.orgs["reseller"].business_model
    first = studio.published(title="Pitch basics", audience=studio.everyone)
    second = studio.published(title="Pricing", audience=studio.everyone)
    general = studio.published(title="Portal tour", audience=studio.everyone)
    gold_only = studio.published(title="Gold deal desk")  # the learner's organization is Silver
    curriculum_set(
        actor=admin,
        job_role="sales",
        business_model=reseller_model,
        name="Reseller sales",
        item_ids=[first.pk, gold_only.pk, second.pk],
    )
    curriculum_set(
        actor=admin, job_role="sales", business_model="", name="Sales", item_ids=[general.pk]
    )
    curriculum_set(
        actor=admin, job_role="support", business_model="", name="Support", item_ids=[second.pk]
    )
    recommended = recommended_for(world.actor("learner"))  # sales, at Reseller Paris
    assert [item.pk for item in recommended] == [first.pk, second.pk, general.pk]


def test_setting_a_curriculum_again_replaces_it(studio: Studio) -> None:
    admin = studio.world.actor("vendor_admin")
    one = studio.published(title="One", audience=studio.everyone)
    two = studio.published(title="Two", audience=studio.everyone)
    curriculum_set(actor=admin, job_role="sales", business_model="", name="S", item_ids=[one.pk])
    curriculum_set(actor=admin, job_role="sales", business_model="", name="S2", item_ids=[two.pk])
    curriculum = Curriculum.objects.get()
    assert curriculum.name == "S2"
    assert [s.item_id for s in curriculum.steps.all()] == [two.pk]


def test_bad_curricula_are_refused(studio: Studio) -> None:
    world = studio.world
    admin = world.actor("vendor_admin")
    draft = studio.draft(title="Draft", audience=studio.everyone)
    with pytest.raises(ValidationFailed):
        curriculum_set(actor=admin, job_role="pilot", business_model="", name="X", item_ids=[])
    with pytest.raises(ValidationFailed):
        curriculum_set(actor=admin, job_role="sales", business_model="x", name="X", item_ids=[])
    with pytest.raises(ValidationFailed):
        curriculum_set(
            actor=admin, job_role="sales", business_model="", name="X", item_ids=[draft.pk]
        )
    with pytest.raises(PermissionDenied):
        curriculum_set(
            actor=world.actor("author"), job_role="sales", business_model="", name="X", item_ids=[]
        )
    assert not Curriculum.objects.exists()
