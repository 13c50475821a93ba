"""`cascade createtenant`: a new partner program and its first admin, or nothing at all."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from cascade.audit.models import AuditEntry
from cascade.core.scoping import scopes_disabled
from cascade.identity.models import Membership, MembershipStatus, Person
from cascade.tenancy.models import Tenant, TenantDomain
from tests.factories import PersonFactory, TenantDomainFactory, TenantFactory

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("createtenant", *args, stdout=out)
    return out.getvalue()


def snapshot() -> tuple[int, int, int, int, int]:
    with scopes_disabled():
        return (
            Tenant.objects.count(),
            TenantDomain.objects.count(),
            Person.objects.count(),
            Membership.objects.count(),
            AuditEntry.objects.count(),
        )


def test_createtenant_creates_the_program_and_its_first_admin() -> None:
    # when
    output = run(
        "--name", "Acme Partners",
        "--slug", "acme",
        "--domain", "partners.acme.example",
        "--domain", "acme.localhost",
        "--default-locale", "en",
        "--locale", "fr",
        "--locale", "de",
        "--admin-email", "Ada@Acme.example",
        "--admin-name", "Ada Lovelace",
    )  # fmt: skip

    # then
    tenant = Tenant.objects.get(slug="acme")
    assert tenant.name == "Acme Partners"
    assert tenant.default_locale == "en"
    assert tenant.supported_locales == ["en", "fr", "de"]
    domains = list(tenant.domains.order_by("id").values_list("domain", "is_primary"))
    assert domains == [("partners.acme.example", True), ("acme.localhost", False)]
    with scopes_disabled():
        membership = Membership.objects.select_related("person").get(tenant=tenant)
        assert AuditEntry.objects.filter(tenant=tenant, action="membership.create").count() == 1
    assert membership.person.email == "ada@acme.example"
    assert membership.person.full_name == "Ada Lovelace"
    assert membership.person.has_usable_password() is False
    assert membership.organization_id is None
    assert membership.roles == ",program_admin,"
    assert membership.status == MembershipStatus.ACTIVE
    assert f"Created program Acme Partners (acme), id {tenant.pk}." in output
    assert "Host names: partners.acme.example, acme.localhost" in output
    assert "Program admin: Ada Lovelace <ada@acme.example>" in output
    assert "cascade changepassword ada@acme.example" in output


def test_createtenant_prints_a_link_that_lets_the_admin_choose_a_password() -> None:
    # given
    output = run(
        "--name", "Acme Partners", "--slug", "acme", "--domain", "partners.acme.example",
        "--admin-email", "ada@acme.example", "--admin-name", "Ada Lovelace",
    )  # fmt: skip
    link = next(line.strip() for line in output.splitlines() if "://" in line)
    assert link.startswith("http://partners.acme.example/accounts/password-reset/")
    client = Client(HTTP_HOST="partners.acme.example")

    # when
    opened = client.get(link.removeprefix("http://partners.acme.example"))
    chosen = client.post(
        opened["Location"],
        {"new_password1": "a-long-new-passphrase", "new_password2": "a-long-new-passphrase"},
    )

    # then
    assert opened.status_code == 302
    assert chosen.status_code == 302
    person = Person.objects.get(email="ada@acme.example")
    assert person.check_password("a-long-new-passphrase") is True


def test_createtenant_without_an_admin_creates_only_the_program() -> None:
    # when
    output = run("--name", "Globex", "--slug", "globex")

    # then
    tenant = Tenant.objects.get(slug="globex")
    assert tenant.supported_locales == ["en"]
    assert tenant.domains.count() == 0
    with scopes_disabled():
        assert Membership.objects.filter(tenant=tenant).count() == 0
    assert "Program admin" not in output


def test_createtenant_makes_an_existing_person_the_admin_of_the_new_program() -> None:
    # given: people are global; the admin of one program can run another
    person = PersonFactory(email="grace@example.com", full_name="Grace Hopper")

    # when
    output = run(
        "--name", "Initech", "--slug", "initech",
        "--admin-email", "grace@example.com", "--admin-name", "Grace Hopper",
    )  # fmt: skip

    # then
    with scopes_disabled():
        membership = Membership.objects.get(tenant__slug="initech")
    assert membership.person_id == person.pk
    assert Person.objects.count() == 1
    assert "They sign in with the password they already have." in output
    assert "changepassword" not in output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(
            ["--name", "Other", "--slug", "taken"],
            "A tenant with slug 'taken' already exists. Nothing was created.",
            id="duplicate slug",
        ),
        pytest.param(
            ["--name", "Other", "--slug", "Not A Slug"],
            "--slug: Enter a valid “slug” consisting of letters, numbers, underscores or "
            "hyphens. Use a-z, 0-9 and -. Nothing was created.",
            id="invalid slug",
        ),
        pytest.param(
            ["--name", "Other", "--slug", "other", "--domain", "not a domain"],
            "--domain: 'not a domain' is not a valid domain name. Nothing was created.",
            id="invalid domain",
        ),
        pytest.param(
            ["--name", "Other", "--slug", "other", "--domain", "ok.example", "--domain", "x..y"],
            "--domain: 'x..y' is not a valid domain name. Nothing was created.",
            id="second domain invalid",
        ),
        pytest.param(
            ["--name", "Other", "--slug", "other", "--domain", "taken.example"],
            "taken.example already serves another tenant. Nothing was created.",
            id="domain of another program",
        ),
        pytest.param(
            ["--name", "Other", "--slug", "other", "--primary-colour", "blue"],
            "--primary-colour: Use a colour such as #1a73e8. Nothing was created.",
            id="invalid colour",
        ),
        pytest.param(
            ["--name", "Other", "--slug", "other", "--admin-email", "bad", "--admin-name", "N"],
            "--admin-email: 'bad' is not a valid e-mail address. Nothing was created.",
            id="invalid admin e-mail",
        ),
        pytest.param(
            ["--name", "Other", "--slug", "other", "--admin-email", "a@other.example"],
            "Give both --admin-email and --admin-name, or neither.",
            id="admin e-mail without a name",
        ),
        pytest.param(
            ["--name", "Other", "--slug", "other", "--locale", "xx"],
            "Unsupported language(s): xx. Choose among: en, fr, fr-ca, de, es, ja, pt-br.",
            id="unknown language",
        ),
    ],
)
def test_createtenant_reports_bad_input_and_writes_nothing(args: list[str], message: str) -> None:
    # given
    taken = TenantFactory(slug="taken")
    TenantDomainFactory(tenant=taken, domain="taken.example")
    before = snapshot()

    # when
    with pytest.raises(CommandError) as raised:
        run(*args)

    # then
    assert str(raised.value) == message
    assert snapshot() == before


def test_createtenant_fails_with_a_non_zero_exit_status(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # given
    TenantFactory(slug="taken")
    from django.core.management import ManagementUtility

    # when
    with pytest.raises(SystemExit) as exited:
        ManagementUtility(["cascade", "createtenant", "--name", "X", "--slug", "taken"]).execute()

    # then
    assert exited.value.code == 1
    assert "A tenant with slug 'taken' already exists." in capsys.readouterr().err
