"""Signing in and out, lockout after repeated failures, and password reset by e-mail."""

from __future__ import annotations

import re

from axes.models import AccessAttempt
from django.core import mail

from tests.conftest import PASSWORD, World


def test_sign_in_with_email_and_password_lands_on_home(world: World) -> None:
    # given
    client = world.browser()
    # when
    response = client.post(
        "/accounts/sign-in/", {"username": "Learner@Partner.example", "password": PASSWORD}
    )
    # then
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").context["user"] == world.people["learner"]


def test_sign_in_follows_a_safe_next_address(world: World) -> None:
    response = world.browser().post(
        "/accounts/sign-in/",
        {"username": "learner@partner.example", "password": PASSWORD, "next": "/profile/"},
    )
    assert response["Location"] == "/profile/"


def test_wrong_password_says_so_and_signs_nobody_in(world: World) -> None:
    # given
    client = world.browser()
    # when
    response = client.post(
        "/accounts/sign-in/", {"username": "learner@partner.example", "password": "nope"}
    )
    # then
    assert response.status_code == 200
    assert "That e-mail address and password do not match an account." in response.content.decode()
    assert client.get("/").status_code == 302


def test_five_failures_lock_that_address_from_this_client(world: World) -> None:
    # given
    client = world.browser()
    for _ in range(4):
        client.post(
            "/accounts/sign-in/", {"username": "learner@partner.example", "password": "nope"}
        )
    # when
    fifth = client.post(
        "/accounts/sign-in/", {"username": "learner@partner.example", "password": "nope"}
    )
    right_password = client.post(
        "/accounts/sign-in/", {"username": "learner@partner.example", "password": PASSWORD}
    )
    someone_else = world.browser().post(
        "/accounts/sign-in/", {"username": "manager@partner.example", "password": PASSWORD}
    )
    # then
    assert fifth.status_code == 429
    assert "<h1>Sign-in paused</h1>" in fifth.content.decode()
    assert "for 15 minutes" in fifth.content.decode()
    assert right_password.status_code == 429
    assert someone_else.status_code == 302
    assert list(AccessAttempt.objects.values_list("username", "failures_since_start")) == [
        ("learner@partner.example", 6)
    ]


def test_sign_out_needs_a_post(world: World) -> None:
    # given
    client = world.browser("learner")
    # when
    refused = client.get("/accounts/sign-out/")
    signed_out = client.post("/accounts/sign-out/")
    # then
    assert refused.status_code == 405
    assert signed_out.status_code == 302
    assert signed_out["Location"] == "/accounts/sign-in/"
    assert client.get("/").status_code == 302


def test_password_reset_mails_a_link_that_sets_a_new_password(world: World) -> None:
    # given
    client = world.browser()
    # when
    sent = client.post("/accounts/password-reset/", {"email": "learner@partner.example"})
    # then
    assert sent["Location"] == "/accounts/password-reset/sent/"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["learner@partner.example"]
    path = re.search(r"http://a\.test(/accounts/password-reset/\S+/)", mail.outbox[0].body)
    assert path is not None
    # when the link is opened and a new password chosen
    form = client.get(path.group(1), follow=True)
    assert form.context["validlink"] is True
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a-brand-new-passphrase", "new_password2": "a-brand-new-passphrase"},
    )
    # then
    assert done["Location"] == "/accounts/password-reset/complete/"
    world.people["learner"].refresh_from_db()
    assert world.people["learner"].check_password("a-brand-new-passphrase")


def test_password_reset_reaches_people_who_never_chose_a_password(world: World) -> None:
    # given: added by an admin, without a password
    person = world.people["manager"]
    person.set_unusable_password()
    person.save()
    # when
    world.browser().post("/accounts/password-reset/", {"email": person.email})
    # then
    assert [m.to for m in mail.outbox] == [[person.email]]


def test_password_reset_for_an_unknown_address_reveals_nothing(world: World) -> None:
    response = world.browser().post("/accounts/password-reset/", {"email": "who@nowhere.example"})
    assert response["Location"] == "/accounts/password-reset/sent/"
    assert mail.outbox == []


def test_a_wrong_reset_link_says_it_does_not_work(world: World) -> None:
    response = world.browser().get("/accounts/password-reset/MQ/bad-token/")
    assert response.status_code == 200
    assert b"This link does not work any more" in response.content
