"""Happy paths of the API token endpoints and of /me."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from cascade.audit.models import AuditEntry
from cascade.identity.models import ApiToken, Person, TokenKind
from cascade.identity.services.tokens import _digest
from tests.api.conftest import Scene, assert_problem, iso
from tests.conftest import ApiClient, World

EVERY_SCOPE = [
    "assessments:read",
    "assessments:write",
    "audit:read",
    "catalog:read",
    "catalog:write",
    "invitations:write",
    "learning:read",
    "learning:write",
    "organizations:read",
    "organizations:write",
    "people:read",
    "people:write",
]


def _token(token: ApiToken) -> dict[str, Any]:
    token = ApiToken.unscoped.select_related("person").get(pk=token.pk)
    person = token.person
    return {
        "id": token.pk,
        "kind": token.kind,
        "name": token.name,
        "prefix": token.prefix,
        "scopes": token.scopes,
        "person": (
            {"id": person.pk, "email": person.email, "full_name": person.full_name}
            if person
            else None
        ),
        "created_at": iso(token.created_at),
        "expires_at": iso(token.expires_at),
        "last_used_at": iso(token.last_used_at),
        "revoked_at": iso(token.revoked_at),
    }


def _own_token(world: World, name: str) -> ApiToken:
    return ApiToken.objects.get(person=world.people[name], kind=TokenKind.PERSONAL)


def test_list_tokens_gives_a_person_their_own(scene: Scene) -> None:
    # when
    response = scene.world.api("learner").get("/tokens")
    # then
    assert response.status_code == 200
    own = _own_token(scene.world, "learner")
    assert response.json() == {"items": [_token(own)], "next_cursor": None}
    assert response.json()["items"][0]["person"] == {
        "id": scene.world.people["learner"].pk,
        "email": "learner@partner.example",
        "full_name": "Learner",
    }
    assert response.json()["items"][0]["last_used_at"] is not None


def test_list_tokens_adds_integration_tokens_for_a_program_admin(scene: Scene) -> None:
    # when
    response = scene.world.api("vendor_admin").get("/tokens")
    # then
    own = _own_token(scene.world, "vendor_admin")
    assert [t["id"] for t in response.json()["items"]] == [scene.integration_token.pk, own.pk]
    assert response.json()["items"][0] == _token(scene.integration_token)
    assert response.json()["items"][0]["person"] is None
    assert "digest" not in response.content.decode()


def test_create_personal_token_shows_the_secret_once_and_it_works(world: World) -> None:
    # given
    client = world.api("learner")
    # when
    response = client.post(
        "/tokens",
        {"name": " Laptop ", "scopes": ["organizations:read", "people:read"]},
    )
    # then
    assert response.status_code == 201
    token = ApiToken.objects.get(name="Laptop")
    body = response.json()
    secret = body.pop("secret")
    assert body == _token(token)
    assert (body["kind"], body["scopes"], body["expires_at"]) == (
        "personal",
        ["organizations:read", "people:read"],
        None,
    )
    assert secret.startswith(f"cas_{token.prefix}_")
    assert token.digest == _digest(secret)
    listed = client.get("/tokens")
    assert secret not in listed.content.decode()
    me = ApiClient(world.host, secret).get("/me").json()
    assert (me["person"]["id"], me["scopes"]) == (
        world.people["learner"].pk,
        ["organizations:read", "people:read"],
    )
    assert AuditEntry.objects.get().action == "api_token.create"


def test_create_integration_token_with_an_expiry(world: World) -> None:
    # given
    expires = (timezone.now() + timedelta(days=30)).replace(microsecond=0)
    # when
    response = world.api("vendor_admin").post(
        "/tokens",
        {
            "kind": "integration",
            "name": "CRM sync",
            "scopes": ["people:read"],
            "expires_at": expires.isoformat(),
        },
    )
    # then
    assert response.status_code == 201
    token = ApiToken.objects.get(name="CRM sync")
    assert (token.kind, token.person_id, token.expires_at) == ("integration", None, expires)
    assert response.json()["person"] is None
    assert response.json()["expires_at"] == iso(expires)


def test_revoke_token_stops_it_working(world: World) -> None:
    # given
    own = _own_token(world, "manager")
    client = world.api("manager")
    # when
    response = client.delete(f"/tokens/{own.pk}")
    # then
    assert response.status_code == 204
    own.refresh_from_db()
    assert own.revoked_at is not None
    assert_problem(client.get("/me"), 401, "unauthenticated")
    assert AuditEntry.objects.get().action == "api_token.revoke"


def test_program_admin_revokes_an_integration_token(scene: Scene) -> None:
    # when
    response = scene.world.api("vendor_admin").delete(f"/tokens/{scene.integration_token.pk}")
    # then
    assert response.status_code == 204
    listed = scene.world.api("vendor_admin").get("/tokens").json()["items"]
    assert listed[0]["id"] == scene.integration_token.pk
    assert listed[0]["revoked_at"] is not None
    assert_problem(
        ApiClient(scene.world.host, scene.integration_secret).get("/organizations"),
        401,
        "unauthenticated",
    )


def test_me_describes_the_caller(world: World) -> None:
    # when
    response = world.api("partner_admin").get("/me")
    # then
    assert response.status_code == 200
    membership = world.memberships["partner_admin"]
    token = _own_token(world, "partner_admin")
    assert response.json() == {
        "kind": "person",
        "person": {
            "id": world.people["partner_admin"].pk,
            "email": "partner_admin@partner.example",
            "full_name": "Partner Admin",
            "preferred_locale": "",
            "time_zone": "UTC",
        },
        "membership": {
            "id": membership.pk,
            "organization": {"id": world.orgs["dist"].pk, "name": "Distri Europe"},
            "vendor_staff": False,
            "roles": ["learner", "partner_admin"],
            "job_role": "executive",
            "status": "active",
            "started_on": iso(membership.started_on),
            "ended_on": None,
            "end_reason": "",
            "created_at": iso(membership.created_at),
        },
        "roles": ["learner", "partner_admin"],
        "scopes": EVERY_SCOPE,
        "token": {"id": token.pk, "kind": "personal", "name": "partner_admin token"},
    }


def test_update_me_changes_the_profile(world: World) -> None:
    # when
    response = world.api("learner").patch(
        "/me", {"full_name": " Léa Learner ", "preferred_locale": "fr", "time_zone": "Europe/Paris"}
    )
    # then
    assert response.status_code == 200
    assert response.json()["person"] == {
        "id": world.people["learner"].pk,
        "email": "learner@partner.example",
        "full_name": "Léa Learner",
        "preferred_locale": "fr",
        "time_zone": "Europe/Paris",
    }
    person = Person.objects.get(pk=world.people["learner"].pk)
    assert (person.full_name, person.preferred_locale, person.time_zone) == (
        "Léa Learner",
        "fr",
        "Europe/Paris",
    )


def test_update_me_leaves_out_what_is_not_sent(world: World) -> None:
    # when
    response = world.api("learner").patch("/me", {"time_zone": "Asia/Tokyo"})
    # then
    assert (response.json()["person"]["full_name"], response.json()["person"]["time_zone"]) == (
        "Learner",
        "Asia/Tokyo",
    )


def test_an_integration_token_has_no_profile_inbox_or_tokens(scene: Scene) -> None:
    # given
    integration = ApiClient(scene.world.host, scene.integration_secret)
    # when
    me = integration.get("/me")
    # then
    assert me.json() == {
        "kind": "integration",
        "person": None,
        "membership": None,
        "roles": [],
        "scopes": ["organizations:read", "people:read"],
        "token": {"id": scene.integration_token.pk, "kind": "integration", "name": "PRM sync"},
    }
    assert_problem(integration.patch("/me", {"time_zone": "UTC"}), 403, "person_required")
    assert_problem(integration.get("/notifications"), 403, "person_required")
    assert_problem(integration.get("/tokens"), 403, "person_required")
    assert_problem(
        integration.post("/tokens", {"name": "More", "scopes": ["people:read"]}), 403, "forbidden"
    )
    assert integration.get("/people").status_code == 200
