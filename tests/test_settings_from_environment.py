"""Settings come from the environment through strict helpers."""

import pytest

from acsreview.web.env import ConfigError, env_bool, env_int, env_list, secret_key


@pytest.mark.parametrize("raw, value", [("true", True), ("FALSE", False), ("1", True),
                                         ("0", False), ("", False)])
def test_env_bool_reads_true_and_false(monkeypatch, raw, value):
    monkeypatch.setenv("ACSREVIEW_X", raw)
    assert env_bool("ACSREVIEW_X", not value) is value


def test_env_bool_refuses_anything_else(monkeypatch):
    monkeypatch.setenv("ACSREVIEW_X", "maybe")
    with pytest.raises(ConfigError, match="ACSREVIEW_X='maybe': expected true or false"):
        env_bool("ACSREVIEW_X", False)


def test_env_bool_uses_the_default_when_unset(monkeypatch):
    monkeypatch.delenv("ACSREVIEW_X", raising=False)
    assert env_bool("ACSREVIEW_X", True) is True


def test_env_list_splits_on_commas(monkeypatch):
    monkeypatch.setenv("ACSREVIEW_X", " a.example, b.example ,,")
    assert env_list("ACSREVIEW_X", []) == ["a.example", "b.example"]


def test_env_int_refuses_text_and_small_values(monkeypatch):
    monkeypatch.setenv("ACSREVIEW_X", "five")
    with pytest.raises(ConfigError, match="expected a whole number"):
        env_int("ACSREVIEW_X", 5)
    monkeypatch.setenv("ACSREVIEW_X", "2")
    with pytest.raises(ConfigError, match="must be at least 3"):
        env_int("ACSREVIEW_X", 5, minimum=3)


def test_the_secret_key_is_generated_once_and_kept_private(monkeypatch, tmp_path):
    monkeypatch.delenv("ACSREVIEW_SECRET_KEY", raising=False)
    first = secret_key(tmp_path)
    assert len(first) >= 50 and secret_key(tmp_path) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_a_secret_key_from_the_environment_wins_and_must_be_long(monkeypatch, tmp_path):
    monkeypatch.setenv("ACSREVIEW_SECRET_KEY", "x" * 40)
    assert secret_key(tmp_path) == "x" * 40
    monkeypatch.setenv("ACSREVIEW_SECRET_KEY", "short")
    with pytest.raises(ConfigError, match="too short"):
        secret_key(tmp_path)


def test_the_test_database_follows_acsreview_test_database_url(settings):
    import os

    engine = settings.DATABASES["default"]["ENGINE"]
    if os.environ.get("ACSREVIEW_TEST_DATABASE_URL"):
        assert engine == "django.db.backends.postgresql"
    else:
        assert engine == "django.db.backends.sqlite3"
