"""Settings for the test suite: SQLite by default, PostgreSQL by ACSREVIEW_TEST_DATABASE_URL."""

import os
import tempfile

os.environ.setdefault("ACSREVIEW_DATA_DIR", tempfile.mkdtemp(prefix="acsreview-test-"))
if os.environ.get("ACSREVIEW_TEST_DATABASE_URL"):
    os.environ["DATABASE_URL"] = os.environ["ACSREVIEW_TEST_DATABASE_URL"]
else:
    os.environ.pop("DATABASE_URL", None)

from .settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
