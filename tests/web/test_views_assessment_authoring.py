"""The assessment authoring pages: who may use them (authors write, reviewers read, nobody else
gets in), the competency framework, question banks and a bank's items (filters, paging, a fixed
number of queries).

The scene (`authoring`) is shared with the items' and exams' page tests."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from cascade.assessments.exam_services import DrawSpec, exam_blueprint_set, exam_create
from cascade.assessments.models import (
    Competency,
    CompetencyDomain,
    Exam,
    Item,
    ItemVersion,
    QuestionBank,
)
from cascade.assessments.services import (
    bank_create,
    competency_create,
    competency_domain_create,
    item_create,
)
from cascade.audit.models import AuditEntry
from tests.conftest import World, make_member
from tests.web.conftest import queries

SINGLE: dict[str, Any] = {
    "type": "single_choice",
    "prompt": "Which port does the management plane listen on?",
    "options": [
        {"id": "a", "text": "443", "correct": True, "feedback": "Right: HTTPS."},
        {"id": "b", "text": "80", "feedback": "Plain HTTP is disabled."},
        {"id": "c", "text": "22"},
    ],
}

SCENARIO: dict[str, Any] = {
    "type": "scenario",
    "prompt": "A customer calls: the branch office lost its internet link.",
    "start": "call",
    "steps": [
        {
            "id": "call",
            "situation": "The customer is upset. What do you do first?",
            "options": [
                {"id": "ask", "text": "Ask what changed", "next": "logs", "score": 2},
                {
                    "id": "reboot",
                    "text": "Reboot the device",
                    "next": "",
                    "score": -1,
                    "feedback": "Rebooting first loses the evidence.",
                },
            ],
        },
        {
            "id": "logs",
            "situation": "They changed the WAN cable yesterday.",
            "options": [
                {
                    "id": "check",
                    "text": "Check the interface counters",
                    "score": 3,
                    "feedback": "The counters show CRC errors: a bad cable.",
                },
                {"id": "escalate", "text": "Escalate to the vendor", "score": 1},
            ],
        },
    ],
}


@dataclass
class Authoring:
    world: World
    domain: CompetencyDomain
    install: Competency
    objections: Competency
    bank: QuestionBank
    single: Item
    scenario: Item
    fixed: Exam
    drawn: Exam

    def item(self, definition: dict[str, Any] | None = None, **kwargs: Any) -> Item:
        kwargs.setdefault("bank_id", self.bank.pk)
        return item_create(
            actor=self.world.actor("author"), definition=definition or SINGLE, **kwargs
        )


@pytest.fixture
def authoring(world: World) -> Authoring:
    """An author and a reviewer; a domain with two competencies; a bank with a single-choice
    item and a scenario; a draft fixed exam and a draft blueprint exam."""
    make_member(world, "author", world.tenant, None, ["content_author"], "other")
    make_member(world, "reviewer", world.tenant, None, ["reviewer"], "other")
    make_member(world, "analyst", world.tenant, None, ["analyst"], "other")
    author = world.actor("author")
    domain = competency_domain_create(actor=author, name="Deployment")
    install = competency_create(actor=author, domain_id=domain.pk, name="Firewall install")
    objections = competency_create(actor=author, domain_id=domain.pk, name="Objection handling")
    bank = bank_create(actor=author, name="Firewall basics", description="Ports and zones.")
    single = item_create(
        actor=author,
        bank_id=bank.pk,
        definition=SINGLE,
        points=2,
        difficulty=1,
        competency_ids=[install.pk],
    )
    scenario = item_create(actor=author, bank_id=bank.pk, definition=SCENARIO, difficulty=3)
    fixed = exam_create(actor=author, name="Firewall associate", mode="fixed")
    drawn = exam_create(actor=author, name="Firewall drawn", mode="blueprint")
    exam_blueprint_set(actor=author, exam=drawn, draws=[DrawSpec(count=1, bank_id=bank.pk)])
    return Authoring(world, domain, install, objections, bank, single, scenario, fixed, drawn)


def reading_pages(a: Authoring) -> list[str]:
    """Every page a reviewer reads."""
    item = a.single.pk
    return [
        "/program/assessments/",
        "/program/assessments/competencies/",
        f"/program/assessments/banks/{a.bank.pk}/",
        f"/program/assessments/items/{item}/",
        f"/program/assessments/items/{a.scenario.pk}/",
        f"/program/assessments/items/{item}/versions/",
        f"/program/assessments/items/{item}/versions/1/",
        "/program/assessments/exams/",
        f"/program/assessments/exams/{a.fixed.pk}/",
        f"/program/assessments/exams/{a.drawn.pk}/",
    ]


def writing_pages(a: Authoring) -> list[str]:
    """Every page only an author opens."""
    return [
        "/program/assessments/banks/new/",
        f"/program/assessments/banks/{a.bank.pk}/items/new/",
        f"/program/assessments/banks/{a.bank.pk}/items/new/?type=single_choice",
        f"/program/assessments/banks/{a.bank.pk}/items/new/?type=scenario",
        f"/program/assessments/items/{a.single.pk}/revise/",
        f"/program/assessments/items/{a.scenario.pk}/revise/",
        "/program/assessments/exams/new/",
        f"/program/assessments/exams/{a.fixed.pk}/form/",
        f"/program/assessments/exams/{a.drawn.pk}/blueprint/",
    ]


def posts(a: Authoring) -> list[tuple[str, dict[str, Any]]]:
    """Every change, with input that would be accepted from an author."""
    return [
        ("/program/assessments/banks/new/", {"name": "Another bank"}),
        ("/program/assessments/competencies/domains/new/", {"domain-name": "Selling"}),
        (
            "/program/assessments/competencies/new/",
            {"competency-domain_id": str(a.domain.pk), "competency-name": "Pricing"},
        ),
        (
            f"/program/assessments/banks/{a.bank.pk}/items/new/",
            {
                "type": "true_false",
                "prompt": "NAT hides addresses.",
                "statement_is_true": "true",
                "points": "1",
                "difficulty": "2",
            },
        ),
        (
            "/program/assessments/items/preview/",
            {"type": "true_false", "prompt": "X", "statement_is_true": "true"},
        ),
        (
            "/program/assessments/exams/new/",
            {
                "name": "Another exam",
                "mode": "fixed",
                "passing_percent": "70",
                "cooldown_hours": "0",
                "feedback_policy": "after_submission",
            },
        ),
        (
            f"/program/assessments/exams/{a.fixed.pk}/form/",
            {"op": "add", "add": [str(a.single.pk)]},
        ),
        (f"/program/assessments/exams/{a.drawn.pk}/publish/", {}),
        (f"/program/assessments/items/{a.single.pk}/retire/", {}),
    ]


def written() -> dict[str, Any]:
    return {
        "audit": AuditEntry.objects.count(),
        "banks": QuestionBank.objects.count(),
        "domains": CompetencyDomain.objects.count(),
        "competencies": Competency.objects.count(),
        "versions": ItemVersion.objects.count(),
        "retired": Item.objects.filter(retired_at__isnull=False).count(),
        "exams": sorted(Exam.objects.values_list("name", "state")),
    }


# --- who may use the pages ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["author", "vendor_admin"])
def test_every_page_opens_for_authors_and_program_admins(authoring: Authoring, name: str) -> None:
    client = authoring.world.browser(name)
    for url in reading_pages(authoring) + writing_pages(authoring):
        response = client.get(url)
        assert (url, response.status_code) == (url, 200)


def test_reviewers_read_every_page_and_change_nothing(authoring: Authoring) -> None:
    # given
    client = authoring.world.browser("reviewer")
    before = written()
    # when
    read = {url: client.get(url) for url in reading_pages(authoring)}
    opened = {url: client.get(url).status_code for url in writing_pages(authoring)}
    changed = {url: client.post(url, data).status_code for url, data in posts(authoring)}
    # then
    assert {url: r.status_code for url, r in read.items()} == dict.fromkeys(read, 200)
    assert opened == dict.fromkeys(opened, 403)
    assert changed == dict.fromkeys(changed, 403)
    assert written() == before
    html = "".join(r.content.decode() for r in read.values())
    for author_only in ("New bank</a>", "New item</a>", "New exam</a>", "Correct it</a>"):
        assert author_only not in html
    assert "Retire this item" not in html
    assert "Publish the exam" not in html
    # and the keys are there for reviewers to check
    assert (
        '<span class="tag tag--correct">Correct</span> 443'
        in read[reading_pages(authoring)[3]].content.decode()
    )


@pytest.mark.parametrize("name", ["learner", "manager", "partner_admin", "other_admin", "analyst"])
def test_everyone_else_is_refused_and_nothing_changes(authoring: Authoring, name: str) -> None:
    # given
    client = authoring.world.browser(name)
    before = written()
    # when
    opened = [client.get(url) for url in reading_pages(authoring) + writing_pages(authoring)]
    changed = [client.post(url, data).status_code for url, data in posts(authoring)]
    # then
    assert {r.status_code for r in opened} == {403}
    assert set(changed) == {403}
    assert written() == before
    assert all(b"management plane" not in r.content for r in opened)
    assert b"Assessments are written by content authors and read by reviewers." in opened[0].content


def test_anonymous_visitors_are_sent_to_sign_in(authoring: Authoring) -> None:
    response = authoring.world.browser().get("/program/assessments/")
    assert (response.status_code, response["Location"]) == (
        302,
        "/accounts/sign-in/?next=/program/assessments/",
    )


def test_authors_and_reviewers_find_assessments_in_the_navigation(authoring: Authoring) -> None:
    def nav(name: str) -> str:
        html = authoring.world.browser(name).get("/").content.decode()
        start = html.index('<nav class="main-nav"')
        return html[start : html.index("</nav>", start)]

    assert '<a href="/program/assessments/">Assessments</a>' in nav("author")
    assert '<a href="/program/assessments/">Assessments</a>' in nav("reviewer")
    assert '<a href="/program/assessments/">Assessments</a>' in nav("vendor_admin")
    for name in ("analyst", "learner", "partner_admin"):
        assert "Assessments" not in nav(name)
    exams = authoring.world.browser("author").get("/program/assessments/exams/").content.decode()
    assert '<a href="/program/assessments/" aria-current="page">Assessments</a>' in exams


# --- the competency framework ---------------------------------------------------------------------


def test_an_author_adds_a_domain_and_a_competency(authoring: Authoring) -> None:
    # given
    client = authoring.world.browser("author")
    # when
    domain = client.post(
        "/program/assessments/competencies/domains/new/",
        {"domain-name": "Selling", "domain-description": "Winning deals."},
        follow=True,
    )
    selling = CompetencyDomain.objects.get(name="Selling")
    competency = client.post(
        "/program/assessments/competencies/new/",
        {"competency-domain_id": str(selling.pk), "competency-name": "Pricing"},
        follow=True,
    )
    # then
    assert "The domain “Selling” is added." in domain.content.decode()
    assert "The competency “Pricing” is added." in competency.content.decode()
    assert list(selling.competencies.values_list("name", flat=True)) == ["Pricing"]
    assert selling.position == 1
    html = competency.content.decode()
    html = html[html.index('class="framework-domains"') :]
    assert html.index("Deployment") < html.index("Selling") < html.index("Pricing")


def test_a_taken_or_empty_name_is_shown_beside_it_and_nothing_is_written(
    authoring: Authoring,
) -> None:
    # given
    client = authoring.world.browser("author")
    before = written()
    # when
    taken = client.post(
        "/program/assessments/competencies/domains/new/", {"domain-name": "Deployment"}
    )
    empty = client.post(
        "/program/assessments/competencies/new/",
        {"competency-domain_id": str(authoring.domain.pk), "competency-name": "  "},
    )
    unknown = client.post(
        "/program/assessments/competencies/new/",
        {"competency-domain_id": "999999", "competency-name": "Pricing"},
    )
    # then
    assert (taken.status_code, empty.status_code, unknown.status_code) == (409, 422, 422)
    assert taken.context["domain_form"].errors == {"name": ["A domain with that name exists."]}
    assert empty.context["competency_form"].errors == {"name": ["This field is required."]}
    assert "domain_id" in unknown.context["competency_form"].errors
    assert written() == before


# --- banks ----------------------------------------------------------------------------------------


def test_the_banks_list_counts_live_and_retired_items(authoring: Authoring) -> None:
    # given
    authoring.item(definition={**SINGLE, "prompt": "Another"})
    from cascade.assessments.services import item_retire

    item_retire(actor=authoring.world.actor("author"), item=authoring.single)
    bank_create(actor=authoring.world.actor("author"), name="Anti-virus")
    # when
    response = authoring.world.browser("reviewer").get("/program/assessments/")
    # then
    rows = [(b.name, b.live_count, b.retired_count) for b in response.context["banks"]]
    assert rows == [("Anti-virus", 0, 0), ("Firewall basics", 2, 1)]


def test_an_author_creates_a_bank_and_a_taken_name_is_refused(authoring: Authoring) -> None:
    client = authoring.world.browser("author")
    created = client.post(
        "/program/assessments/banks/new/", {"name": "VPN", "description": "Tunnels."}
    )
    bank = QuestionBank.objects.get(name="VPN")
    assert (created.status_code, created["Location"]) == (
        302,
        f"/program/assessments/banks/{bank.pk}/",
    )
    before = written()
    taken = client.post("/program/assessments/banks/new/", {"name": "VPN"})
    assert taken.status_code == 409
    assert taken.context["form"].errors == {"name": ["A bank with that name exists."]}
    assert 'aria-invalid="true"' in taken.content.decode()
    assert written() == before


def test_a_bank_lists_its_items_with_their_current_version_and_tags(
    authoring: Authoring,
) -> None:
    response = authoring.world.browser("reviewer").get(
        f"/program/assessments/banks/{authoring.bank.pk}/"
    )
    rows = [
        (
            r.type_label,
            r.prompt[:20],
            r.item.current_version.number,
            r.item.current_version.get_difficulty_display(),
            [c.name for c in r.item.current_version.competencies.all()],
        )
        for r in response.context["items"]
    ]
    assert rows == [
        ("Scenario", "A customer calls: th", 1, "Hard", []),
        ("Single choice", "Which port does the ", 1, "Easy", ["Firewall install"]),
    ]
    html = response.content.decode()
    assert '<td data-label="Competencies">Firewall install</td>' in html


def test_a_bank_filters_its_items_by_type_competency_difficulty_and_status(
    authoring: Authoring,
) -> None:
    # given
    from cascade.assessments.services import item_retire

    retired = authoring.item(definition={**SINGLE, "prompt": "Old question"})
    item_retire(actor=authoring.world.actor("author"), item=retired)
    client = authoring.world.browser("author")
    url = f"/program/assessments/banks/{authoring.bank.pk}/"

    def prompts(query: str) -> list[str]:
        return [r.prompt for r in client.get(url + query).context["items"]]

    # then
    assert prompts("?type=scenario") == [SCENARIO["prompt"]]
    assert prompts(f"?competency={authoring.install.pk}") == [SINGLE["prompt"]]
    assert prompts("?difficulty=3") == [SCENARIO["prompt"]]
    assert prompts("?status=retired") == ["Old question"]
    assert prompts("?type=ordering") == []
    # unknown values are errors on the form, not failures
    response = client.get(url + "?type=boat&competency=x")
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"type", "competency"}


def test_a_bank_pages_its_items_and_htmx_gets_the_rows(authoring: Authoring) -> None:
    # given
    from cascade.assessments.views import authoring_banks

    for n in range(authoring_banks.ITEMS_PAGE_SIZE):
        authoring.item(definition={**SINGLE, "prompt": f"Question {n}"})
    client = authoring.world.browser("author")
    url = f"/program/assessments/banks/{authoring.bank.pk}/"
    # when
    first = client.get(url)
    cursor = first.context["next_cursor"]
    rest = client.get(url, {"cursor": cursor}, headers={"HX-Request": "true"})
    # then
    assert len(first.context["items"]) == authoring_banks.ITEMS_PAGE_SIZE
    assert [r.prompt for r in rest.context["items"]] == [SCENARIO["prompt"], SINGLE["prompt"]]
    assert rest.templates[0].name == "assessments/authoring/_bank_item_rows.html"
    assert "Show more items" in first.content.decode()


def test_list_pages_read_a_fixed_number_of_queries(authoring: Authoring) -> None:
    # given
    client = authoring.world.browser("author")
    pages = [
        "/program/assessments/",
        f"/program/assessments/banks/{authoring.bank.pk}/",
        "/program/assessments/exams/",
        "/program/assessments/competencies/",
    ]
    for url in pages:
        client.get(url)
    few = {url: queries(lambda url=url: client.get(url)) for url in pages}
    # when: more of everything
    author = authoring.world.actor("author")
    for n in range(6):
        bank = bank_create(actor=author, name=f"Bank {n}")
        authoring.item(
            definition={**SINGLE, "prompt": f"Question {n}"},
            competency_ids=[authoring.install.pk, authoring.objections.pk],
        )
        item_create(actor=author, bank_id=bank.pk, definition=SINGLE)
        exam_create(actor=author, name=f"Exam {n}", mode="fixed")
        competency_create(actor=author, domain_id=authoring.domain.pk, name=f"Competency {n}")
        competency_domain_create(actor=author, name=f"Domain {n}")
    many = {url: queries(lambda url=url: client.get(url)) for url in pages}
    # then
    assert many == few
    assert max(few.values()) <= 14


def test_dates_and_numbers_show_in_the_pages_words(authoring: Authoring) -> None:
    version = authoring.single.current_version
    assert version is not None
    assert version.points == Decimal("2.00")
    html = (
        authoring.world.browser("reviewer")
        .get(f"/program/assessments/items/{authoring.single.pk}/")
        .content.decode()
    )
    assert "<dt>Points</dt><dd>2</dd>" in html
    assert f"{timezone.localdate():%-d %b %Y}" in html
