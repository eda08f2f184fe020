"""Redis as a cache the site can lose (seethesigns/rediscache.py): no server is listening here."""

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError

from seethesigns.rediscache import TolerantRedisCache
from testing.liveserver import free_port


@pytest.fixture
def lost_redis():
    options = {"socket_connect_timeout": 1, "socket_timeout": 1}
    return TolerantRedisCache(f"redis://127.0.0.1:{free_port()}/0", {"OPTIONS": options})


def test_reads_miss_and_writes_are_skipped(lost_redis):
    assert lost_redis.get("page", "missed") == "missed"
    assert lost_redis.get_many(["a", "b"]) == {}
    assert lost_redis.has_key("page") is False
    lost_redis.set("page", "body")
    assert lost_redis.add("page", "body") is False
    assert lost_redis.delete("page") is False


def test_counting_still_fails_so_the_rate_limiter_decides(lost_redis):
    with pytest.raises(RedisConnectionError):
        lost_redis.incr("rl:concern")
