from __future__ import annotations

import pytest
from django.test import Client


@pytest.mark.django_db
def test_healthz_answers_without_a_tenant() -> None:
    response = Client(HTTP_HOST="anything.test").get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_checks_database_migrations_and_cache() -> None:
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}


@pytest.mark.django_db
def test_unknown_host_with_no_tenant_is_a_clear_404() -> None:
    response = Client(HTTP_HOST="nobody.test").get("/api/v1/organizations")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "unknown_tenant"


def test_unknown_api_address_is_problem_json(world: object) -> None:
    response = Client(HTTP_HOST="a.test").get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "not_found"


def test_unknown_page_is_the_html_404(world: object) -> None:
    response = Client(HTTP_HOST="a.test").get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_pages_are_labelled_english_whatever_the_browser_asks(world: object) -> None:
    response = Client(HTTP_HOST="a.test", headers={"Accept-Language": "fr"}).get(
        "/accounts/sign-in/"
    )
    assert b'<html lang="en">' in response.content
