"""The abuse limits kept in Redis (``--redis-url``), so every worker and machine counts a
client together: messages, uploads and flags a minute (fixed one-minute windows), and the
answers a client streams at once."""

from __future__ import annotations

import redis.asyncio as aioredis


class RedisRateLimiter:
    """``per_minute`` actions per key and minute; 0 disables the limit."""

    def __init__(self, redis: aioredis.Redis, name: str, per_minute: int) -> None:
        self.redis = redis
        self.name = name
        self.per_minute = per_minute

    async def allow(self, key: str) -> float:
        """0 when allowed (and counted), else the seconds to wait."""
        if self.per_minute <= 0:
            return 0.0
        counter = f"{self.name}:{key}"
        count = int(await self.redis.incr(counter))
        if count == 1:
            await self.redis.expire(counter, 60)
        if count <= self.per_minute:
            return 0.0
        ttl = int(await self.redis.ttl(counter))
        if ttl < 0:
            await self.redis.expire(counter, 60)
            ttl = 60
        return float(max(ttl, 1))


class RedisSlots:
    """At most ``per_client`` answers streaming at once per key, across workers."""

    def __init__(self, redis: aioredis.Redis, name: str, per_client: int, ttl: int) -> None:
        self.redis = redis
        self.name = name
        self.per_client = per_client
        self.ttl = ttl  # a crashed worker's slots expire with the longest answer

    async def take(self, key: str) -> bool:
        if self.per_client <= 0:
            return True
        counter = f"{self.name}:{key}"
        count = int(await self.redis.incr(counter))
        await self.redis.expire(counter, self.ttl)
        if count > self.per_client:
            await self.redis.decr(counter)
            return False
        return True

    async def give_back(self, key: str) -> None:
        if self.per_client <= 0:
            return
        counter = f"{self.name}:{key}"
        if int(await self.redis.decr(counter)) <= 0:
            await self.redis.delete(counter)
