"""ACSREVIEW_CACHE_URL: rate limits counted in one Redis for every worker and app server."""

import os
import subprocess
import sys
import uuid

import pytest

from acsreview.web.env import ConfigError, cache_settings

from .test_serve import app_env

REDIS = os.environ.get("ACSREVIEW_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def test_without_it_each_process_counts_in_its_own_memory(monkeypatch):
    monkeypatch.delenv("ACSREVIEW_CACHE_URL", raising=False)
    assert cache_settings()["default"]["BACKEND"].endswith("LocMemCache")


def test_a_redis_address_makes_a_shared_cache(monkeypatch):
    monkeypatch.setenv("ACSREVIEW_CACHE_URL", "redis://cache.internal:6379/2")
    assert cache_settings() == {"default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://cache.internal:6379/2", "KEY_PREFIX": "acsreview"}}


@pytest.mark.parametrize("url", ["memcached://x:11211", "cache.internal:6379", "http://x"])
def test_anything_else_is_refused_naming_the_variable(monkeypatch, url):
    monkeypatch.setenv("ACSREVIEW_CACHE_URL", url)
    with pytest.raises(ConfigError, match=r"^ACSREVIEW_CACHE_URL="):
        cache_settings()


def _redis_or_skip():
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is not reachable at {REDIS}: {exc}")
        pytest.skip(f"Redis is not reachable at {REDIS}")


def test_two_processes_count_the_same_visitor_together(tmp_path):
    """The survey rate limit, hit by two separate server processes: the second process sees
    the first one's count, as two app servers sharing the cache would."""
    _redis_or_skip()
    link = uuid.uuid4().hex
    script = (
        "from django.test import RequestFactory\n"
        "from acsreview.web import ratelimit\n"
        "r = RequestFactory().post('/', REMOTE_ADDR='203.0.113.7')\n"
        f"print([ratelimit.hit('survey-start', '{link}', r, limit=3, window=3600) is None"
        " for _ in range(2)])\n")
    outputs = []
    for _process in range(2):
        env = app_env(tmp_path, ACSREVIEW_CACHE_URL=REDIS)
        result = subprocess.run([sys.executable, "-m", "acsreview", "manage", "shell", "-c",
                                 script], env=env, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        outputs.append(result.stdout.strip().splitlines()[-1])
    # 4 starts in all against a limit of 3: the fourth, in the second process, is refused.
    assert outputs == ["[True, True]", "[True, False]"]
