"""RFC 5849 3.4.1.2: the base string URI, one small function per component.

    base string URI = scheme "://" host [ ":" port ] path
    - scheme and host in lower case;
    - the port only when it is not the scheme's default (80 for http, 443 for https);
    - an empty path becomes "/"; no query, no fragment; IPv6 hosts keep their brackets.

The keyword options describe deviations people make (see :mod:`oauth_debug.recipe`); the defaults
are the RFC.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import SplitResult, quote, urlsplit

from .errors import InvalidURLError
from .redact import redact

DEFAULT_PORTS = {"http": 80, "https": 443}
# RFC 3986 pchar plus "/" and "%" (existing escapes are kept as sent).
_PATH_SAFE = "/%!$&'()*+,;=:@-._~"
_TILDE_ESCAPE = re.compile("%7E", re.IGNORECASE)


@dataclass(frozen=True)
class UrlParts:
    """A request URL taken apart, validated, and kept as sent (no case folding yet).

    Its repr elides an oauth_signature in the query (3.5.3), like every repr of the package.
    """

    scheme: str
    host: str
    port: int | None
    path: str
    query: str

    @property
    def is_ipv6(self) -> bool:
        return ":" in self.host

    def __repr__(self) -> str:
        return (
            f"UrlParts(scheme={self.scheme!r}, host={self.host!r}, port={self.port!r}, "
            f"path={self.path!r}, query={redact(self.query)!r})"
        )


def split_url(url: str) -> UrlParts:
    """Take ``url`` apart, raising :class:`InvalidURLError` with the faulty component named.

    Not cached (a URL may carry a PLAINTEXT signature, which is the key): a request is split
    once, by :func:`oauth_debug.reading.read`, and the parts handed on.
    """
    # Every message and every InvalidURLError.url shows the URL redacted: a signed URL carries
    # its oauth_signature in the query (3.5.3), and a PLAINTEXT one is the key itself (3.4.4).
    if not isinstance(url, str) or not url.strip():
        raise InvalidURLError(
            "the URL is empty; give an absolute URL such as https://host/path",
            url=str(url),
            component="url",
        )
    try:
        parts: SplitResult = urlsplit(url.strip())
    except ValueError as error:
        shown = redact(url)
        raise InvalidURLError(
            f"cannot parse URL {shown!r}: {error}", url=shown, component="url"
        ) from None
    if not parts.scheme:
        shown = redact(url)
        raise InvalidURLError(
            f"URL {shown!r} has no scheme; write it in full{_with_scheme(shown)}",
            url=shown,
            component="scheme",
        )
    host = _host(parts, url)
    # urlsplit lower-cases the scheme; keep it as sent, as the docstring of UrlParts promises, so
    # that a recipe keeping the case (a mistake people make) can be replayed.
    scheme = url.strip()[: len(parts.scheme)]
    return UrlParts(scheme, host, _port(parts, url), parts.path, parts.query)


def _with_scheme(url: str) -> str:
    """The URL with https:// in front, as a suggestion, when that makes an absolute URL of it.

    A URL that lost its scheme may keep some of the separator ("://x", "//x"), which goes; what
    is left must start like a host name or an IPv6 literal, or nothing is suggested.
    """
    rest = url.strip().lstrip(":/")
    if rest and (rest[0].isalnum() or rest[0] == "["):
        return f", e.g. https://{rest}"
    return ", e.g. https://host/path"


def _host(parts: SplitResult, raw: str) -> str:
    """The host; ``raw`` is the URL as given, redacted only for an error (a redaction costs a
    scan of the whole URL, and splitting is on every reading)."""
    netloc = parts.netloc.rpartition("@")[2]  # userinfo is never part of the base string URI
    if netloc.startswith("["):
        end = netloc.find("]")
        if end < 0:
            url = redact(raw)  # for the message only
            raise InvalidURLError(
                f"URL {url!r} has an unclosed IPv6 bracket", url=url, component="host"
            )
        host = netloc[1:end]
    else:
        host = netloc.rpartition(":")[0] if ":" in netloc else netloc
    if any(char.isspace() or ord(char) < 0x20 for char in host):
        url = redact(raw)  # for the message only
        raise InvalidURLError(
            f"the host of URL {url!r} contains a space or a control character; a host name is "
            "letters, digits, '-' and '.' (or an IP address)",
            url=url,
            component="host",
        )
    if not host:
        url = redact(raw)  # for the message only
        raise InvalidURLError(
            f"URL {url!r} has no host; an OAuth signature covers the host, so give an absolute "
            "URL such as https://api.example.com/path",
            url=url,
            component="host",
        )
    return host


def _port(parts: SplitResult, raw: str) -> int | None:
    try:
        return parts.port
    except ValueError:
        url = redact(raw)  # for the message only
        raise InvalidURLError(
            f"URL {url!r} has a port that is not a number from 0 to 65535",
            url=url,
            component="port",
        ) from None


def scheme_component(parts: UrlParts, *, keep_case: bool = False, flip: bool = False) -> str:
    """3.4.1.2 item 1: the scheme, lower-cased."""
    scheme = parts.scheme if keep_case else parts.scheme.lower()
    if flip:
        lowered = scheme.lower()
        flipped = {"http": "https", "https": "http"}.get(lowered, lowered)
        scheme = flipped.upper() if keep_case and scheme.isupper() else flipped
    return scheme


def authority_component(
    parts: UrlParts, scheme: str, *, keep_case: bool = False, port_rule: str = "rfc"
) -> str:
    """3.4.1.2 items 1-3: host lower-cased, the port kept only when it is not the default."""
    host = parts.host if keep_case else parts.host.lower()
    if parts.is_ipv6:
        host = f"[{host}]"
    default = DEFAULT_PORTS.get(scheme.lower())
    port = parts.port
    if port_rule == "always" and port is None and default is not None:
        port = default
    if port is None or port_rule == "never" or (port_rule == "rfc" and port == default):
        return host
    return f"{host}:{port}"


def path_component(
    parts: UrlParts, *, toggle_trailing_slash: bool = False, signed_path: str = "sent"
) -> str:
    """3.4.1.2: the path as sent (still percent-encoded), "/" when empty.

    Characters RFC 3986 does not allow in a path (a raw space, a non-ASCII letter) are
    percent-encoded first, because an HTTP client does that before sending: the server signs
    ``/a%20b`` for a URL written ``/a b``. Existing escapes stay as they are.
    """
    try:
        path = quote(parts.path, safe=_PATH_SAFE) or "/"
    except UnicodeEncodeError as error:  # a lone surrogate: text that is no Unicode string
        raise InvalidURLError(
            f"the path of {parts.path!r} is not valid text ({error.reason} at position "
            f"{error.start}); a URL path is UTF-8 before percent-encoding (RFC 3986 2.5)",
            url=parts.path,
            component="path",
        ) from None
    if signed_path == "tilde-encoded":
        path = path.replace("~", "%7E")  # as quote() did before Python 3.7
    elif signed_path == "tilde-decoded":
        path = _TILDE_ESCAPE.sub("~", path)  # requests' requote_uri: unreserved escapes decoded
    if toggle_trailing_slash:
        path = path[:-1] if path.endswith("/") and path != "/" else path + "/"
        path = path or "/"
    return path


def base_string_uri(
    url: str | UrlParts,
    *,
    keep_case: bool = False,
    flip_scheme: bool = False,
    port_rule: str = "rfc",
    keep_query: bool = False,
    toggle_trailing_slash: bool = False,
    query_in_uri: str = "none",
    signed_path: str = "sent",
) -> str:
    """The base string URI of ``url`` or its parts (3.4.1.2). The keywords are the deviations
    people make."""
    parts = url if isinstance(url, UrlParts) else split_url(url)
    scheme = scheme_component(parts, keep_case=keep_case, flip=flip_scheme)
    authority = authority_component(parts, scheme, keep_case=keep_case, port_rule=port_rule)
    path = path_component(
        parts, toggle_trailing_slash=toggle_trailing_slash, signed_path=signed_path
    )
    uri = f"{scheme}://{authority}{path}"
    if keep_query and parts.query:
        uri += "?" + parts.query
    elif query_in_uri == "own" and own_query(parts.query):
        uri += "?" + own_query(parts.query)
    return uri


def own_query(query: str) -> str:
    """The query without its oauth_* parameters: the URL as the person had it before a library
    appended the protocol parameters to it (3.5.3 query placement)."""
    return "&".join(piece for piece in query.split("&") if piece and not piece.startswith("oauth_"))
