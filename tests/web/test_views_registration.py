"""Self-registration: a verified domain makes a pending member; bad input writes nothing."""

from __future__ import annotations

from typing import Any

from cascade.identity.models import Membership, MembershipStatus, Person
from tests.conftest import World

GOOD = {
    "full_name": "Rita Reseller",
    "email": "rita@reseller-paris.example",
    "job_role": "presales",
    "password": "a-long-enough-passphrase",
    "password_again": "a-long-enough-passphrase",
}


def _people_and_memberships() -> tuple[int, int]:
    return Person.objects.count(), Membership.unscoped.count()


def test_registration_with_a_verified_domain_lands_pending(world: World) -> None:
    # given
    client = world.browser()
    # when
    response = client.post("/accounts/register/", GOOD)
    # then
    assert response["Location"] == "/accounts/register/sent/"
    membership = Membership.objects.get(person__email="rita@reseller-paris.example")
    assert membership.status == MembershipStatus.PENDING
    assert membership.organization == world.orgs["reseller"]
    assert membership.job_role == "presales"
    done = client.get("/accounts/register/sent/")
    assert b"The admins of <strong>Reseller Paris</strong> will review it." in done.content


def _refused(world: World, **changes: Any) -> str:
    before = _people_and_memberships()
    response = world.browser().post("/accounts/register/", {**GOOD, **changes})
    assert response.status_code == 200
    assert _people_and_memberships() == before
    return str(response.content.decode())


def test_unknown_domain_is_explained(world: World) -> None:
    html = _refused(world, email="rita@elsewhere.example")
    assert "No partner organization in this program uses that e-mail domain." in html


def test_an_existing_account_in_a_verified_domain_is_told_to_sign_in(world: World) -> None:
    # given
    from tests.factories import PersonFactory

    PersonFactory(email="rita@reseller-paris.example")
    # when
    html = _refused(world)
    # then
    assert "An account with this e-mail already exists. Sign in, or reset your password." in html


def test_weak_and_mismatched_passwords_are_refused(world: World) -> None:
    weak = _refused(world, password="password", password_again="password")
    mismatched = _refused(world, password_again="something-else-entirely")
    assert "This password is too common." in weak
    assert "The two passwords are not the same." in mismatched


def test_missing_fields_are_refused(world: World) -> None:
    html = _refused(world, full_name="", email="not-an-address")
    assert "This field is required." in html
    assert "Enter a valid email address." in html


def test_signed_in_people_are_sent_home(world: World) -> None:
    response = world.browser("learner").get("/accounts/register/")
    assert response["Location"] == "/"
