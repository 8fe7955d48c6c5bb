"""The client's IP address, for rate limits and the audit log.

Behind a reverse proxy, REMOTE_ADDR is the proxy. `settings.LVZHI_TRUSTED_PROXIES` lists the proxies' addresses
or networks (comma-separated in the environment, e.g. `127.0.0.1,10.0.0.0/24`). When the request comes from one
of them, the client is the rightmost address of X-Forwarded-For that is not a trusted proxy: addresses further
left were written by the client itself and can be forged, so they are never used. With no trusted proxies set,
X-Forwarded-For is ignored and REMOTE_ADDR is the client.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(spec: tuple[str, ...]):
    return tuple(ipaddress.ip_network(item.strip(), strict=False) for item in spec if item.strip())


def _trusted(address, networks) -> bool:
    return any(address in network for network in networks)


def _parse(value: str):
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def client_ip(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    spec = getattr(settings, "LVZHI_TRUSTED_PROXIES", ())
    if isinstance(spec, str):
        spec = spec.split(",")
    networks = _networks(tuple(spec))
    hop = _parse(remote or "")
    if hop is None or not networks or not _trusted(hop, networks):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for value in reversed([v for v in forwarded.split(",") if v.strip()]):
        address = _parse(value)
        if address is None:  # a malformed hop: trust nothing further left
            break
        hop = address
        if not _trusted(address, networks):
            return str(address)
    return str(hop)
