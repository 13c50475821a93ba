from __future__ import annotations

import pytest
from django.db import connection

from cascade.identity.models import Membership
from cascade.identity.selectors import MembershipFilters, membership_list
from tests.conftest import World


@pytest.mark.django_db
def test_people_search_has_trigram_indexes_on_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("trigram indexes exist on PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'identity_person' "
            "AND indexname LIKE '%%trigram' ORDER BY indexname"
        )
        assert [row[0] for row in cursor.fetchall()] == [
            "person_email_trigram",
            "person_full_name_trigram",
        ]


def test_people_search_matches_part_of_a_name_or_an_email(world: World) -> None:
    found = membership_list(actor=world.actor("vendor_admin"), filters=MembershipFilters(q="ADMI"))
    assert sorted(m.person.email for m in found) == [
        "other_admin@partner.example",
        "partner_admin@partner.example",
        "vendor_admin@vendor.example",
    ]
    assert isinstance(found.first(), Membership)
