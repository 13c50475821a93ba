"""Settings for the test suite: the real settings with CASCADE_TESTING on (inline tasks,
locmem e-mail, fast password hashing). DATABASE_URL picks SQLite (default) or PostgreSQL."""

import os

os.environ["CASCADE_TESTING"] = "1"
os.environ.setdefault(
    "CASCADE_VAR_DIR", os.path.join(os.path.dirname(__file__), "..", "var", "test")
)

from cascade.settings import *  # noqa: F403

ALLOWED_HOSTS = ["*"]
