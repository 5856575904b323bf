"""The abuse limits and the stream store an app uses: in this worker's memory by default, in
Redis with ``redis_url`` (shared by every worker and machine). Routes see one async interface
either way."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from ..settings import Settings, SettingsError
from ..streams.live_streams import Hub, StreamHub
from ..streams.stream_slots import StreamSlots
from .rate_limit import RateLimiter


class Rate(Protocol):
    async def allow(self, key: str) -> float:
        """0 when allowed (and counted), else the seconds to wait."""
        ...


class Slots(Protocol):
    async def take(self, key: str) -> bool: ...

    async def give_back(self, key: str) -> None: ...


class LocalRate:
    def __init__(self, per_minute: int) -> None:
        self.limiter = RateLimiter(per_minute)

    async def allow(self, key: str) -> float:
        return self.limiter.allow(key)


class LocalSlots:
    def __init__(self, per_client: int) -> None:
        self.slots = StreamSlots(per_client)

    async def take(self, key: str) -> bool:
        return self.slots.take(key)

    async def give_back(self, key: str) -> None:
        self.slots.give_back(key)


@dataclass(frozen=True)
class Limits:
    messages: Rate
    uploads: Rate
    feedback: Rate
    logins: Rate
    streams: Slots
    hub: Hub


def make_limits(settings: Settings, app_id: str) -> Limits:
    if settings.redis_url:
        try:
            import redis.asyncio as aioredis
        except ImportError:
            raise SettingsError(
                "redis_url needs the redis package: pip install 'chatbubble[redis]'"
            ) from None

        from ..streams.redis_hub import RedisHub
        from .redis_limits import RedisRateLimiter, RedisSlots

        prefix = f"chatbubble:{app_id}"
        hub = RedisHub(
            settings.redis_url,
            prefix=prefix,
            grace=settings.stream_reattach_grace,
            retention=settings.stream_retention,
            heartbeat=settings.heartbeat_interval,
            max_duration=settings.stream_max_duration,
        )
        redis: aioredis.Redis = hub.redis
        ttl = int(settings.stream_max_duration) + 60
        return Limits(
            messages=RedisRateLimiter(redis, f"{prefix}:rate:m", settings.message_rate_limit),
            uploads=RedisRateLimiter(redis, f"{prefix}:rate:u", settings.upload_rate_limit),
            feedback=RedisRateLimiter(redis, f"{prefix}:rate:f", settings.feedback_rate_limit),
            logins=RedisRateLimiter(redis, f"{prefix}:rate:l", settings.login_rate_limit),
            streams=RedisSlots(redis, f"{prefix}:slots", settings.max_streams_per_client, ttl),
            hub=hub,
        )
    return Limits(
        messages=LocalRate(settings.message_rate_limit),
        uploads=LocalRate(settings.upload_rate_limit),
        feedback=LocalRate(settings.feedback_rate_limit),
        logins=LocalRate(settings.login_rate_limit),
        streams=LocalSlots(settings.max_streams_per_client),
        hub=StreamHub(grace=settings.stream_reattach_grace, retention=settings.stream_retention),
    )
