"""Who reads whose enrollments: oneself; a partner manager their organization and below; the
vendor everyone whose organization shares individual data; never another organization."""

from __future__ import annotations

from cascade.learning.models import Enrollment, EnrollmentSource
from cascade.learning.selectors import enrollments_visible_to
from cascade.tenancy.models import VendorDataAccess
from tests.catalog.conftest import Studio

NAMES = ("learner", "manager", "partner_admin", "other_admin")


def _visible(studio: Studio, name: str) -> set[str]:
    """Whose enrollments `name` reads, everyone named being enrolled in one lesson."""
    world = studio.world
    if not Enrollment.objects.exists():
        lesson = studio.published(title="Open lesson", audience=studio.everyone)
        for person in NAMES:
            Enrollment.objects.create(
                tenant=world.tenant,
                person=world.people[person],
                item=lesson,
                source=EnrollmentSource.SELF,
            )
    names = {world.people[n].pk: n for n in NAMES}
    visible = enrollments_visible_to(world.actor(name)).values_list("person_id", flat=True)
    return {names[pk] for pk in visible}


def test_a_learner_reads_only_their_own(studio: Studio) -> None:
    assert _visible(studio, "learner") == {"learner"}


def test_a_partner_manager_reads_their_organization_and_below(studio: Studio) -> None:
    assert _visible(studio, "manager") == {"learner", "manager", "partner_admin"}


def test_another_partners_admin_reads_only_their_own_people(studio: Studio) -> None:
    assert _visible(studio, "other_admin") == {"other_admin"}


def test_the_vendor_reads_everyone_unless_an_organization_shares_only_aggregates(
    studio: Studio,
) -> None:
    assert _visible(studio, "vendor_admin") == {
        "learner",
        "manager",
        "partner_admin",
        "other_admin",
    }
    other = studio.world.orgs["other"]
    other.vendor_data_access = VendorDataAccess.AGGREGATES
    other.save(update_fields=["vendor_data_access"])
    assert _visible(studio, "vendor_admin") == {"learner", "manager", "partner_admin"}
