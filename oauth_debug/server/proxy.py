"""The URL the client signed, when a proxy stands between it and the server.

A client signs the URL it sends to (RFC 5849 3.4.1.2: scheme, host and port included). Behind a
TLS-terminating load balancer the server sees ``http://internal:8000/...`` for a request signed for
``https://tool.example.edu/...``: the signature cannot hold, the classic LTI failure. The proxy says
what the client asked for in ``Forwarded`` (RFC 7239) or ``X-Forwarded-Proto/Host/Port``; anyone
can send those headers, so they are honoured only from the addresses in ``trusted_proxies``.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from ..errors import InvalidOptionError
from ..model import HttpRequest
from ..rules import HTTP_TOKEN, whole_number

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

# RFC 7239 4: forwarded-pair = token "=" value, value = token / quoted-string.
_PAIR = re.compile(rf'\s*({HTTP_TOKEN.pattern})\s*=\s*("(?:[^"\\]|\\.)*"|[^;,\s]*)\s*')


def networks(trusted: Iterable[str]) -> tuple[Network, ...]:
    """Parse ``trusted_proxies``: addresses or networks (``10.0.0.0/8``, ``::1``)."""
    if isinstance(trusted, str):
        trusted = (trusted,)
    parsed: list[Network] = []
    for entry in trusted:
        try:
            parsed.append(ipaddress.ip_network(str(entry).strip(), strict=False))
        except ValueError:
            raise InvalidOptionError(
                f"trusted_proxies: {entry!r:.60} is not an IP address or network (e.g. "
                "10.0.0.0/8 or ::1)"
            ) from None
    return tuple(parsed)


def is_trusted(address: str | None, trusted: tuple[Network, ...]) -> bool:
    """Whether ``address`` (an IP, optionally ``[v6]`` or with a port) is one of ``trusted``."""
    if not address or not trusted:
        return False
    text = address.strip().strip('"')
    if text.startswith("["):
        text = text[1:].split("]", 1)[0]
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]  # "1.2.3.4:5678"
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return False
    return any(ip in network for network in trusted)


def _forwarded_elements(values: tuple[str, ...]) -> list[dict[str, str]]:
    """RFC 7239 4: the elements of every Forwarded header, in order, names lower-cased."""
    elements: list[dict[str, str]] = []
    for value in values:
        for element in value.split(","):
            pairs: dict[str, str] = {}
            for piece in element.split(";"):
                match = _PAIR.fullmatch(piece)
                if match:
                    raw = match.group(2)
                    if raw.startswith('"'):
                        raw = re.sub(r"\\(.)", r"\1", raw[1:-1])
                    pairs[match.group(1).lower()] = raw
            if pairs:
                elements.append(pairs)
    return elements


@dataclass(frozen=True)
class Forwarding:
    """What the forwarding headers of a request claim, and whether they were honoured."""

    url: str | None
    """The URL the headers say the client used (None when they say nothing)."""
    honoured: bool
    """Whether the peer is a trusted proxy, so that ``url`` is the one verified."""
    header: str | None
    """Which header it came from: "Forwarded" or "X-Forwarded-*"."""


def _last(values: tuple[str, ...]) -> str | None:
    # A list (a, b) was built hop by hop: the last value is the one the nearest proxy set.
    items = [item.strip() for value in values for item in value.split(",") if item.strip()]
    return items[-1] if items else None


def forwarded(
    request: HttpRequest, remote_addr: str | None, trusted: tuple[Network, ...]
) -> Forwarding:
    """Read the forwarding headers of ``request`` as the peer ``remote_addr`` sent them.

    ``Forwarded`` wins over ``X-Forwarded-*`` (it is the standard). Its elements are read from the
    nearest proxy outwards: each element whose ``for=`` is itself a trusted proxy is passed over,
    so a chain of trusted proxies yields what the outermost one saw, and an element a client
    wrote itself, in front of the first trusted proxy's, is never the one used.
    """
    scheme: str | None = None
    host: str | None = None
    port: str | None = None
    header: str | None = None
    elements = _forwarded_elements(request.header_all("Forwarded"))
    if elements:
        index = len(elements) - 1
        while index > 0 and is_trusted(elements[index].get("for"), trusted):
            index -= 1
        chosen = elements[index]
        scheme, host, header = chosen.get("proto"), chosen.get("host"), "Forwarded"
    else:
        scheme = _last(request.header_all("X-Forwarded-Proto"))
        host = _last(request.header_all("X-Forwarded-Host"))
        port = _last(request.header_all("X-Forwarded-Port"))
        if scheme or host or port:
            header = "X-Forwarded-*"
    if header is None:
        return Forwarding(None, False, None)
    url = _rewritten(request.url, scheme, host, port)
    return Forwarding(url, is_trusted(remote_addr, trusted) and url is not None, header)


def _rewritten(url: str, scheme: str | None, host: str | None, port: str | None) -> str | None:
    parts = urlsplit(url)
    new_scheme = (scheme or parts.scheme).lower()
    if new_scheme not in ("http", "https"):
        return None
    netloc = host or parts.netloc
    if port:
        if whole_number(port) is None:
            return None
        bare = netloc.rsplit("@", 1)[-1]
        bare = bare.split("]", 1)[0] + "]" if bare.startswith("[") else bare.split(":", 1)[0]
        netloc = f"{bare}:{port}"
    elif scheme and not host:
        # Only the scheme was forwarded: the server's own port belongs to the internal hop.
        netloc = _without_port(netloc)
    if any(char in netloc for char in "/?#@ \\"):
        return None  # a host that is not one: ignore the header rather than trust it
    candidate = urlunsplit((new_scheme, netloc, parts.path, parts.query, ""))
    return None if candidate == url else candidate


def _without_port(netloc: str) -> str:
    if netloc.startswith("["):
        return netloc.split("]", 1)[0] + "]"
    return netloc.split(":", 1)[0]


def other_scheme(url: str) -> str:
    """The URL with http and https swapped and no explicit port (the rewrite a proxy does)."""
    parts = urlsplit(url)
    scheme = "https" if parts.scheme.lower() == "http" else "http"
    return urlunsplit((scheme, _without_port(parts.netloc), parts.path, parts.query, ""))
