"""The profile page: details, notification choices, and personal API tokens."""

from __future__ import annotations

from cascade.identity.models import ApiToken
from cascade.identity.services import api_token_create
from cascade.notifications.models import NotificationPreference
from tests.conftest import World


def test_profile_update_saves_name_language_and_time_zone(world: World) -> None:
    # when
    response = world.browser("learner").post(
        "/profile/",
        {"full_name": "Léa Learner", "preferred_locale": "fr", "time_zone": "Europe/Paris"},
    )
    # then
    assert response["Location"] == "/profile/"
    person = world.people["learner"]
    person.refresh_from_db()
    assert (person.full_name, person.preferred_locale, person.time_zone) == (
        "Léa Learner",
        "fr",
        "Europe/Paris",
    )


def test_profile_with_bad_input_shows_errors_and_changes_nothing(world: World) -> None:
    # when
    response = world.browser("learner").post(
        "/profile/", {"full_name": "   ", "preferred_locale": "xx", "time_zone": "Mars/Olympus"}
    )
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert "This field is required." in html
    assert "Select a valid choice. xx is not one of the available choices." in html
    assert "Select a valid choice. Mars/Olympus is not one of the available choices." in html
    person = world.people["learner"]
    person.refresh_from_db()
    assert (person.full_name, person.preferred_locale, person.time_zone) == (
        "Learner",
        "",
        "UTC",
    )


def test_notification_choices_are_saved_per_kind(world: World) -> None:
    # when
    response = world.browser("partner_admin").post(
        "/profile/notifications/",
        {"registration.pending:in_app": "on", "membership.ended:email": "on"},
    )
    # then
    assert response["Location"] == "/profile/#notifications"
    chosen = {
        p.kind: (p.in_app, p.email)
        for p in NotificationPreference.objects.filter(person=world.people["partner_admin"])
    }
    assert chosen["registration.pending"] == (True, False)
    assert chosen["membership.ended"] == (False, True)
    assert chosen["invitation.accepted"] == (False, False)


def test_creating_a_token_shows_the_secret_once(world: World) -> None:
    # given
    client = world.browser("learner")
    # when
    response = client.post(
        "/profile/tokens/", {"name": "CRM sync", "scopes": ["people:read"], "expires_on": ""}
    )
    # then
    token = ApiToken.objects.get(person=world.people["learner"], name="CRM sync")
    secret = response.context["issued"].secret
    assert secret.startswith(f"cas_{token.prefix}_")
    assert secret in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    assert token.scopes == ["people:read"]
    assert secret not in client.get("/profile/").content.decode()


def test_a_token_without_name_or_scopes_is_refused(world: World) -> None:
    before = ApiToken.objects.count()
    response = world.browser("learner").post("/profile/tokens/", {"name": "", "scopes": []})
    assert response.status_code == 200
    assert response.context["token_form"].errors == {
        "name": ["This field is required."],
        "scopes": ["This field is required."],
    }
    assert ApiToken.objects.count() == before


def test_a_token_expiring_in_the_past_is_refused(world: World) -> None:
    before = ApiToken.objects.count()
    response = world.browser("learner").post(
        "/profile/tokens/", {"name": "Old", "scopes": ["people:read"], "expires_on": "2001-01-01"}
    )
    assert "The expiry must be in the future." in response.content.decode()
    assert ApiToken.objects.count() == before


def test_revoking_a_token_stops_it(world: World) -> None:
    # given
    issued = api_token_create(
        actor=world.actor("learner"), kind="personal", name="Temp", scopes=["people:read"]
    )
    # when
    response = world.browser("learner").post(f"/profile/tokens/{issued.token.pk}/revoke/")
    # then
    assert response["Location"] == "/profile/#tokens"
    issued.token.refresh_from_db()
    assert issued.token.revoked_at is not None


def test_nobody_revokes_someone_elses_token(world: World) -> None:
    # given
    token = ApiToken.objects.get(person=world.people["manager"])
    # when
    response = world.browser("learner").post(f"/profile/tokens/{token.pk}/revoke/")
    # then
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_token_list_shows_only_ones_own_personal_tokens(world: World) -> None:
    # given: an integration token the program admin manages elsewhere
    api_token_create(
        actor=world.actor("vendor_admin"), kind="integration", name="PRM", scopes=["people:read"]
    )
    # when
    tokens = world.browser("vendor_admin").get("/profile/").context["tokens"]
    # then
    assert [t.name for t in tokens] == ["vendor_admin token"]
