"""The suite runs on the profile the environment selects; CI sets DATABASE_URL and REDIS_URL."""

import asyncio
import os
from concurrent.futures import ThreadPoolExecutor

import pytest
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.cache import cache
from django.db import connection


@pytest.mark.django_db
def test_database_matches_environment():
    if os.environ.get("DATABASE_URL"):
        assert connection.vendor == "postgresql"
    else:
        assert connection.vendor == "sqlite"
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA foreign_keys")
            assert cursor.fetchone()[0] == 1


def test_channel_layer_round_trip():
    layer = get_channel_layer()
    expected = "RedisChannelLayer" if os.environ.get("REDIS_URL") else "InMemoryChannelLayer"
    assert type(layer).__name__ == expected

    async def round_trip():
        channel = await layer.new_channel()
        await layer.send(channel, {"type": "test.message", "text": "你好"})
        return await layer.receive(channel)

    # In a fresh thread: a browser test's event loop may still own this thread.
    with ThreadPoolExecutor(max_workers=1) as pool:
        assert pool.submit(asyncio.run, round_trip()).result(timeout=10)["text"] == "你好"


def test_cache_matches_environment():
    backend = settings.CACHES["default"]["BACKEND"]
    assert backend.endswith("RedisCache" if os.environ.get("REDIS_URL") else "LocMemCache")
    cache.set("qiaoban-probe", {"n": 1}, 10)
    assert cache.get("qiaoban-probe") == {"n": 1}


def test_sqlite_pragmas_give_wal_on_a_file(tmp_path):
    # The embedded default's pragmas, checked on a real file (the test database is in memory).
    import sqlite3

    conn = sqlite3.connect(tmp_path / "probe.sqlite3")
    conn.executescript(settings.SQLITE_INIT_COMMAND)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    conn.close()
