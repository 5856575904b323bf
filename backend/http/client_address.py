"""Who a request comes from: the peer's address, or, behind proxies the operator trusts, the
client they name in ``X-Forwarded-For``.

Only addresses in ``trusted_proxies`` may speak for someone else; the header is read from the
right (the nearest proxy) and the first address that is not a trusted proxy is the client, so a
client cannot pick its own identity by sending the header itself.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def networks(values: Iterable[str]) -> tuple[Network, ...]:
    """``trusted_proxies`` entries: addresses or networks (``10.0.0.0/8``)."""
    return tuple(ipaddress.ip_network(value.strip(), strict=False) for value in values)


def trusted(address: str, proxies: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in proxies)


def client_address(
    peer: str | None, forwarded_for: str | None, proxies: tuple[Network, ...]
) -> str:
    """The client's address for limits and logs."""
    client = peer or ""
    if not proxies or not forwarded_for or not trusted(client, proxies):
        return client
    for hop in reversed(forwarded_for.split(",")):
        hop = hop.strip()
        if not hop:
            continue
        client = hop
        if not trusted(hop, proxies):
            break
    return client[:64]
