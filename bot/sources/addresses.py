"""Which hosts Beacon may fetch from: a guard against server-side request forgery.

A feed (or an article link fetched for its full text, or a redirect) can point at
`http://169.254.169.254/` or `http://localhost:8080/admin`; what Beacon fetches may end up in
an alert, so internal addresses are refused unless the operator allows them. Every hop is
checked, redirects included, after resolving the name, so `http://2130706433/` and
`http://[::ffff:127.0.0.1]/` are caught as the loopback addresses they are.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Iterable
from dataclasses import dataclass

import httpx


class BlockedAddress(Exception):
    """A request was refused because its host is internal."""


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


@dataclass(frozen=True)
class AddressPolicy:
    """Refuse internal addresses unless `allow_private`, or the host is in `allow_hosts` ("host" or "host:port")."""

    allow_private: bool = False
    allow_hosts: frozenset[str] = frozenset()

    @classmethod
    def from_config(cls, allow_private: bool, allow_hosts: Iterable[str]) -> AddressPolicy:
        return cls(allow_private, frozenset(h.lower() for h in allow_hosts))

    async def check(self, url: httpx.URL) -> None:
        """Raise BlockedAddress if `url` may not be fetched."""
        if self.allow_private:
            return
        host = url.host.lower()
        port = url.port or (443 if url.scheme == "https" else 80)
        if host in self.allow_hosts or f"{host}:{port}" in self.allow_hosts:
            return
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError:
            return  # unresolvable: the connection itself will fail with a clear error
        for info in infos:
            address = str(info[4][0])
            if not is_public(address):
                raise BlockedAddress(f"refused to fetch {url.scheme}://{host}:{port}/: it resolves to the internal "
                                     f"address {address} (set polling.allow_private or polling.allow_hosts to allow)")

    async def on_request(self, request: httpx.Request) -> None:
        """httpx request hook: runs before every request the shared client sends."""
        await self.check(request.url)
