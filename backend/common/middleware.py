"""The client's address behind trusted proxies; refuse oversized bodies before anything reads them."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, MiddlewareNotUsed
from django.http import JsonResponse

from common.errors import error_body


class BodySizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.MAX_REQUEST_BODY_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return JsonResponse(error_body("malformed_request", "Invalid Content-Length header."), status=400)
        if length > limit:
            return JsonResponse(
                error_body("request_too_large", f"The request body is larger than {limit} bytes.", {"limit": limit}),
                status=413,
            )
        return self.get_response(request)


def _address(value: str | None) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address((value or "").strip())
    except ValueError:
        return None
    return getattr(address, "ipv4_mapped", None) or address


class ClientAddressMiddleware:
    """Behind reverse proxies, REMOTE_ADDR is the proxy's: every client would share the login limit
    kept per address (LOGIN_FAILURE_ADDRESS_LIMIT), so that a password spray through the proxy locked
    everyone out. With TRUSTED_PROXIES (addresses or networks) set, a request whose peer is one of them
    gets as REMOTE_ADDR the nearest address in X-Forwarded-For that is not a trusted proxy: the list is
    read from the right, where each proxy appended the peer it saw, so a client cannot choose its own
    address by sending the header (whatever it sent is to the left of what the first proxy appended).
    A malformed entry ends the walk (the address reached so far stays). Without TRUSTED_PROXIES the
    header is ignored and this middleware is not installed at all.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        try:
            self.trusted = tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in settings.TRUSTED_PROXIES)
        except ValueError as exc:
            raise ImproperlyConfigured(f"TRUSTED_PROXIES: {exc}") from exc
        if not self.trusted:
            raise MiddlewareNotUsed

    def _is_trusted(self, address) -> bool:
        return any(address in network for network in self.trusted)

    def __call__(self, request):
        meta = request.META
        peer = _address(meta.get("REMOTE_ADDR"))
        if peer is not None and self._is_trusted(peer):
            for hop in reversed(meta.get("HTTP_X_FORWARDED_FOR", "").split(",")):
                address = _address(hop)
                if address is None:
                    break
                meta["REMOTE_ADDR"] = str(address)
                if not self._is_trusted(address):
                    break
        return self.get_response(request)
