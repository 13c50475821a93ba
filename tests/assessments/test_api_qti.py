"""QTI over the API: authors import a package into a bank and get the report; authors and
reviewers download a bank as a QTI 3.0 zip, and read what it leaves out; bad files are a 422
problem that writes nothing."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from cascade.assessments.models import Item
from cascade.assessments.services import bank_create
from tests.api.conftest import assert_problem, changed_tables, database_state
from tests.assessments.qti_helpers import (
    QTI_ITEM,
    bank_of_every_type,
    files_of,
    sample_package,
)
from tests.conftest import World


def _upload(world: World, who: str, bank_id: int, data: bytes, name: str = "bank.zip") -> Any:
    api = world.api(who)
    return api.client.post(
        f"/api/v1/assessments/banks/{bank_id}/qti",
        {"file": SimpleUploadedFile(name, data)},
        headers=api.headers,
    )


def test_an_author_imports_a_package_and_gets_the_report(authors: World) -> None:
    # given
    bank = bank_create(actor=authors.actor("author"), name="SD-WAN")
    # when
    response = _upload(authors, "author", bank.pk, sample_package("qti30_package"))
    # then
    assert response.status_code == 201, response.content
    body = response.json()
    items = {i.pk: i.type for i in Item.objects.filter(bank=bank)}
    assert [(i["identifier"], i["type"]) for i in body["imported"]] == [
        ("match-ports", "matching"),
        ("numeric-latency", "numeric"),
        ("choice-feedback", "single_choice"),
        ("tf-failover", "true_false"),
    ]
    assert {i["item_id"]: i["type"] for i in body["imported"]} == items
    assert body["skipped"] == [
        {
            "identifier": "graphic-order",
            "title": "Cable path",
            "reason": "It uses a graphic order interaction, which no Cascade item type answers.",
            "item_id": None,
            "type": "",
        }
    ]
    assert body["warnings"] == []
    assert body["imported"][0]["title"] == "Services and their ports"


def test_a_bank_downloads_as_a_qti_zip_with_its_report(authors: World) -> None:
    # given
    source = bank_of_every_type(authors)
    api = authors.api("reviewer")
    # when
    response = api.get(f"/assessments/banks/{source.bank.pk}/qti")
    report = api.get(f"/assessments/banks/{source.bank.pk}/qti/report").json()
    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="firewall-basics-qti.zip"'
    assert (response["X-Cascade-Exported"], response["X-Cascade-Skipped"]) == ("8", "4")
    assert zipfile.is_zipfile(io.BytesIO(response.content))
    assert sorted(files_of(response.content)) == sorted(
        ["imsmanifest.xml"] + [f"items/{i['identifier']}.xml" for i in report["exported"]]
    )
    assert [s["type"] for s in report["skipped"]] == [
        "scenario",
        "configuration",
        "evidence",
        "true_false",
    ]
    assert report["skipped"][0]["item_id"] == source.not_covered["scenario"].pk
    assert "no QTI 3.0 equivalent" in report["skipped"][0]["reason"]


def test_what_one_bank_exports_another_imports_through_the_api(authors: World) -> None:
    # given
    source = bank_of_every_type(authors)
    target = bank_create(actor=authors.actor("author"), name="Copy")
    package = authors.api("author").get(f"/assessments/banks/{source.bank.pk}/qti").content
    # when
    response = _upload(authors, "author", target.pk, package)
    # then
    assert response.status_code == 201
    assert [i["identifier"] for i in response.json()["imported"]] == [
        f"item-{i.pk}" for i in source.covered.values()
    ]
    copies = Item.objects.filter(bank=target).order_by("pk").select_related("current_version")
    definitions = [c.current_version.definition for c in copies if c.current_version]
    originals = [i.current_version for i in source.covered.values() if i.current_version]
    assert definitions == [o.definition for o in originals]


def test_a_bad_file_is_a_422_problem_and_writes_nothing(authors: World) -> None:
    # given
    bank = bank_create(actor=authors.actor("author"), name="SD-WAN")
    before = database_state()
    # when
    not_qti = _upload(authors, "author", bank.pk, b"Question 1: which port?", "notes.txt")
    unsafe = _upload(authors, "author", bank.pk, b"<!DOCTYPE x [<!ENTITY a 'b'>]><x>&a;</x>")
    # then
    problem = assert_problem(not_qti, 422, "malformed_qti")
    assert problem["errors"] == [
        {
            "field": "file",
            "message": "The file is neither a QTI content package (a zip) nor a QTI item "
            "(an XML file).",
        }
    ]
    assert_problem(unsafe, 422, "unsafe_xml")
    assert changed_tables(before, database_state()) == []


def test_a_file_over_the_limit_is_a_422_too_large(authors: World, settings: Any) -> None:
    # given
    settings.CASCADE_QTI_LIMITS = {"upload": 500}
    bank = bank_create(actor=authors.actor("author"), name="SD-WAN")
    before = database_state()
    # when
    response = _upload(authors, "author", bank.pk, QTI_ITEM, "item.xml")
    # then
    assert_problem(response, 422, "too_large")
    assert changed_tables(before, database_state()) == []


def test_reviewers_read_but_do_not_import_and_learners_reach_nothing(authors: World) -> None:
    # given
    bank = bank_create(actor=authors.actor("author"), name="SD-WAN")
    before = database_state()
    # when
    reviewer = _upload(authors, "reviewer", bank.pk, QTI_ITEM, "item.xml")
    learner = authors.api("learner").get(f"/assessments/banks/{bank.pk}/qti")
    # then
    assert_problem(reviewer, 403, "forbidden")
    assert_problem(learner, 403, "forbidden")
    assert changed_tables(before, database_state()) == []


def test_an_unknown_bank_is_a_404(authors: World) -> None:
    # when
    response = _upload(authors, "author", 999_999, QTI_ITEM, "item.xml")
    # then
    assert_problem(response, 404, "bank_not_found")
