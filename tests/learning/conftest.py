"""The catalog scene of tests/catalog (authors, reviewers, audiences) for learning tests."""

from tests.catalog.conftest import Studio, studio  # noqa: F401
