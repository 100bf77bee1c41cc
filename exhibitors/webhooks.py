"""Webhook signing, address checks and the HTTP request (no database).

Every delivery is a POST of a JSON body with these headers:

    Expo-Webhook-Id: 5f0c...          the event's id (the same on every retry: receivers deduplicate by it)
    Expo-Webhook-Event: lead.created
    Expo-Webhook-Timestamp: 1761667200     Unix seconds when this attempt was signed
    Expo-Webhook-Signature: v1=<hex>       HMAC-SHA256(secret, timestamp + "." + body)

A receiver recomputes the signature with its endpoint's secret, compares it in constant time,
rejects a timestamp more than five minutes away from its clock (a replayed request) and ignores an
id it has already processed.

No SSRF: a webhook URL must not reach the platform's own network. The host is resolved at every
attempt, every address it resolves to must be public, and the connection goes to the address that
was checked (so a DNS answer that changes between the check and the connection cannot redirect it).
Redirects are not followed.
"""

import hashlib
import hmac
import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

SIGNATURE_VERSION = "v1"
TOLERANCE_SECONDS = 300
TIMEOUT_SECONDS = 10
USER_AGENT = "MedicalExpo-Webhooks/1.0"


class UnsafeURL(ValueError):
    """The URL may not receive webhooks (scheme, or an address inside a private network)."""


def signature_make(*, secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"{SIGNATURE_VERSION}={digest}"


def signature_verify(*, secret: str, timestamp: str, signature: str, body: bytes, now: float | None = None) -> bool:
    """What a receiver does: a fresh timestamp and a matching signature."""
    try:
        age = abs((now if now is not None else time.time()) - int(timestamp))
    except (TypeError, ValueError):
        return False
    return age <= TOLERANCE_SECONDS and hmac.compare_digest(
        signature_make(secret=secret, timestamp=int(timestamp), body=body), signature
    )


def headers_make(*, secret: str, event_id: str, event_type: str, body: bytes, timestamp: int | None = None) -> dict:
    timestamp = int(timestamp if timestamp is not None else time.time())
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "Expo-Webhook-Id": event_id,
        "Expo-Webhook-Event": event_type,
        "Expo-Webhook-Timestamp": str(timestamp),
        "Expo-Webhook-Signature": signature_make(secret=secret, timestamp=timestamp, body=body),
    }


def address_allowed(address: str, *, allow_private: bool = False) -> bool:
    """A public unicast address (or any, when private networks are allowed for local development)."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if allow_private:
        return not ip.is_multicast and not ip.is_unspecified
    return ip.is_global and not ip.is_multicast


def url_check(url: str, *, allow_http: bool, allow_private: bool) -> tuple[str, str, int, str]:
    """(scheme, host, port, path) of a URL that may receive webhooks; UnsafeURL says why not.

    Checks the form only (no DNS): https (http too when allowed), a host, no credentials, and a
    literal address that is public. Names are resolved and checked at delivery time.
    """
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise UnsafeURL("not a valid URL") from None
    if parts.scheme != "https" and not (allow_http and parts.scheme == "http"):
        raise UnsafeURL("only https URLs can receive webhooks")
    host = parts.hostname
    if not host:
        raise UnsafeURL("the URL has no host")
    if parts.username or parts.password:
        raise UnsafeURL("the URL must not carry a user or password")
    if not allow_private and (host == "localhost" or host.endswith((".localhost", ".local", ".internal"))):
        raise UnsafeURL("the address is inside a private network")
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None and not address_allowed(host, allow_private=allow_private):
        raise UnsafeURL("the address is inside a private network")
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return parts.scheme, host, port or (443 if parts.scheme == "https" else 80), path


def resolve_checked(host: str, port: int, *, allow_private: bool) -> str:
    """The address to connect to: every address the name resolves to must be allowed."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise UnsafeURL(f"the host does not resolve ({error.strerror})") from None
    addresses = [info[4][0] for info in infos]
    if not addresses or not all(address_allowed(a, allow_private=allow_private) for a in addresses):
        raise UnsafeURL("the address is inside a private network")
    return addresses[0]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host, port, *, address, **kwargs):
        super().__init__(host, port, **kwargs)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host, port, *, address, **kwargs):
        super().__init__(host, port, context=ssl.create_default_context(), **kwargs)
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


@dataclass
class Response:
    status: int | None
    duration_ms: int
    body: str = ""
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def post(url: str, *, body: bytes, headers: dict, allow_http: bool, allow_private: bool) -> Response:
    """POST `body` to `url` after the SSRF checks; never raises for network errors (they are in `error`)."""
    started = time.monotonic()

    def elapsed() -> int:
        return int((time.monotonic() - started) * 1000)

    try:
        scheme, host, port, path = url_check(url, allow_http=allow_http, allow_private=allow_private)
        address = resolve_checked(host, port, allow_private=allow_private)
    except UnsafeURL as error:
        return Response(None, elapsed(), error=f"refused: {error}")
    connection_class = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(host, port, address=address, timeout=TIMEOUT_SECONDS)
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read(500).decode("utf-8", "replace")
        return Response(response.status, elapsed(), body=text)
    except (OSError, http.client.HTTPException) as error:
        return Response(None, elapsed(), error=f"{error.__class__.__name__}: {error}"[:500])
    finally:
        connection.close()
