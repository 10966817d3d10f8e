"""What stands between the network and a local archive: the Host check (DNS rebinding), the access
token for a server bound beyond loopback, read-only methods and the security headers of every answer.

One small ASGI middleware, so that every response, static files and errors included, passes here.
"""

from __future__ import annotations

import hmac
import ipaddress
import socket
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qsl

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: Names the server answers to on every host: the loopback ones.
LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})
TOKEN_COOKIE = "searchkit_token"

#: No inline script, nothing from elsewhere; htmx needs only its own file and same-origin requests.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    # Queries are in the URL: do not hand them to another site.
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


def is_loopback(host: str) -> bool:
    """True for the names and addresses that only this machine can reach."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")) in (
            ipaddress.ip_address("127.0.0.1"),
            ipaddress.ip_address("::1"),
        )
    except ValueError:
        return False


#: In :func:`allowed_hosts`: any IP address literal is accepted too.
ANY_IP = "*ip*"


def allowed_hosts(bound: str) -> frozenset[str]:
    """The Host header values accepted for a server bound to ``bound``. A wildcard bind (0.0.0.0)
    also accepts the machine's names and any IP address literal (:data:`ANY_IP`): its addresses
    are not known in advance.

    A DNS-rebinding page reaches the server under its *own* domain name, so refusing unknown names
    is what defeats it; an IP address in the Host header cannot come from rebinding.
    """
    names = set(LOOPBACK_NAMES) | {bound.strip("[]").lower()}
    if bound in ("0.0.0.0", "::", ""):
        names |= {socket.gethostname().lower(), socket.getfqdn().lower()}
        names.add(ANY_IP)
    return frozenset(names)


def host_of(header: str) -> str:
    """The host part of a Host header: ``[::1]:8017`` -> ``::1``, ``Localhost:80`` -> ``localhost``."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1 : header.find("]")] if "]" in header else header
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


class Guard:
    """Refuse foreign Host headers (400), requests without the token when one is set (403) and
    anything but GET and HEAD (405); add the security headers to every response."""

    def __init__(self, app: ASGIApp, *, hosts: frozenset[str], token: str | None) -> None:
        self.app, self.hosts, self.token = app, hosts, token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        host = host_of(headers.get("host", ""))
        if not self._host_ok(host):
            await _plain(send, 400, "Host not allowed: this server answers only to its own address")
            return
        if scope["method"] not in ("GET", "HEAD"):
            await _plain(send, 405, "This server is read-only: only GET requests", allow=True)
            return
        set_cookie = False
        if self.token is not None:
            given = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1"))).get("token")
            cookie = SimpleCookie(headers.get("cookie", "")).get(TOKEN_COOKIE)
            if given is not None and hmac.compare_digest(given, self.token):
                set_cookie = True
            elif cookie is None or not hmac.compare_digest(cookie.value, self.token):
                await _plain(send, 403, "Access token missing or wrong: open the URL the server printed")
                return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                extra = list(SECURITY_HEADERS)
                if set_cookie and self.token is not None:
                    value = f"{TOKEN_COOKIE}={self.token}; Path=/; HttpOnly; SameSite=Strict"
                    extra.append((b"set-cookie", value.encode("latin-1")))
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _host_ok(self, host: str) -> bool:
        if host in self.hosts:
            return True
        if ANY_IP in self.hosts:
            try:
                ipaddress.ip_address(host)
                return True
            except ValueError:
                return False
        return False


async def _plain(send: Send, status: int, text: str, allow: bool = False) -> None:
    body = (text + "\n").encode("utf-8")
    headers = [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
        *SECURITY_HEADERS,
    ]
    if allow:
        headers.append((b"allow", b"GET, HEAD"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
