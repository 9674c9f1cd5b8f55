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
import re
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx


class BlockedAddress(Exception):
    """A request was refused because its host is internal."""


# IPv6 ranges Python's `is_global` counts as public although they are not, or not only:
_NEVER_PUBLIC = tuple(ipaddress.ip_network(n) for n in (
    "::/96",           # IPv4-compatible (::127.0.0.1), deprecated by RFC 4291: nothing public lives there
    "64:ff9b:1::/48",  # local-use NAT64 (RFC 8215): translates to whatever the local network chooses
    "fec0::/10",       # site-local, deprecated by RFC 3879 but still routed inside some networks
))
_NAT64 = ipaddress.ip_network("64:ff9b::/96")   # well-known NAT64 prefix (RFC 6052): the last 32 bits are IPv4


def embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address reaches through a translator or tunnel: mapped, NAT64, 6to4, Teredo."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]   # (server, client): the client is where the packets end up
    return None


def is_public(address: str) -> bool:
    """Whether an address is globally routable, counting an IPv6 address by the IPv4 address it embeds."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address):
        if any(ip in network for network in _NEVER_PUBLIC):
            return False
        inner = embedded_ipv4(ip)
        if inner is not None and not (inner.is_global and not inner.is_multicast):
            return False
        if ip.ipv4_mapped is not None:
            return True   # the IPv4 address itself was public (Python calls ::ffff:0:0/96 not global)
    return ip.is_global and not ip.is_multicast


_NUMERIC_LABEL = re.compile(r"^(?:0x[0-9a-f]*|[0-9]+)$")
_DOTTED_QUAD = re.compile(r"^(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}"
                          r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$")
_HOST_NAME = re.compile(r"^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*\.?$")


def url_problem(url: str) -> str | None:
    """Why a configured http(s) URL cannot be used as written; None when it can.

    Browsers and curl read `0177.0.0.1`, `0x7f.1` and `2130706433` as IPv4 addresses in octal,
    hex or one number, httpx refuses some of them at fetch time and passes others on to the
    resolver: either way the operator meant something the config does not say plainly. The
    SSRF guard still checks the address a name resolves to at every fetch.
    """
    try:
        parts = urlsplit(url)
        written = (parts.hostname or "").lower()
        parts.port   # noqa: B018 - raises ValueError for a port out of range
    except ValueError as exc:
        return f"not a valid URL: {exc}"
    labels = written.rstrip(".").split(".")
    if ":" not in written and _NUMERIC_LABEL.match(labels[-1]) and not _DOTTED_QUAD.match(written.rstrip(".")):
        return (f"host {written!r} reads as an IPv4 address in an unusual form (octal, hex, one number, or not "
                "four numbers from 0 to 255); write it as four decimal numbers, such as 192.0.2.10")
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError) as exc:
        return f"not a valid URL: {exc}"
    if parsed.scheme not in ("http", "https"):
        return None
    host = parsed.raw_host.decode("ascii", "replace").lower()
    if not host:
        return "the URL has no host"
    if ":" in host or _DOTTED_QUAD.match(host) or _HOST_NAME.match(host):
        return None   # an IPv6 literal (httpx has checked it), an IPv4 address, or a host name
    return f"host {host!r} is not a valid host name"


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
