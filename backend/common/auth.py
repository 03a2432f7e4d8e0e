"""Expiring bearer tokens and a limit on failed logins."""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.cache import cache
from django.utils import timezone
from rest_framework import authentication, exceptions

from common.errors import ApiError
from common.models import AuthToken

logger = logging.getLogger(__name__)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def token_issue(*, user) -> tuple[str, datetime]:
    key = secrets.token_urlsafe(32)
    expires_at = timezone.now() + timedelta(seconds=settings.AUTH_TOKEN_TTL_SECONDS)
    AuthToken.objects.create(user=user, key_hash=_hash(key), expires_at=expires_at)
    AuthToken.objects.filter(user=user, expires_at__lt=timezone.now()).delete()
    return key, expires_at


def _failure_key(username: str, remote: str) -> str:
    return "login-fail:" + hashlib.sha256(f"{username.lower()}|{remote}".encode()).hexdigest()


def _address_failure_key(remote: str) -> str:
    """All failures from one address, whatever the username: password spraying."""
    return "login-fail-addr:" + hashlib.sha256(remote.encode()).hexdigest()


def _cache_call(fn, *args, default=None, **kwargs):
    """The failed-login counter lives in Redis; if Redis is down, logins still work (logged)."""
    try:
        return fn(*args, **kwargs)
    except Exception:  # noqa: BLE001 - redis.exceptions.ConnectionError and friends
        logger.warning("login rate limiter unavailable (cache down)", exc_info=True)
        return default


def login(*, username: str, password: str, remote_addr: str) -> tuple[str, datetime]:
    """Exchange credentials for a token; repeated failures are rate limited (429)."""
    key = _failure_key(username, remote_addr)
    limits = {key: settings.LOGIN_FAILURE_LIMIT, _address_failure_key(remote_addr): settings.LOGIN_FAILURE_ADDRESS_LIMIT}
    failures = _cache_call(cache.get_many, list(limits), default={})
    if any(failures.get(k, 0) >= limit for k, limit in limits.items()):
        raise ApiError(
            "too_many_failed_logins",
            "Too many failed logins; try again later.",
            details={"retry_after_seconds": settings.LOGIN_FAILURE_WINDOW_SECONDS},
            status_code=429,
        )
    user = authenticate(username=username, password=password)
    if user is None or not user.is_active:
        for counter in limits:
            if _cache_call(cache.add, counter, 1, timeout=settings.LOGIN_FAILURE_WINDOW_SECONDS, default=True) is False:
                _cache_call(cache.incr, counter)
        raise ApiError("invalid_credentials", "Wrong username or password.", status_code=401)
    _cache_call(cache.delete, key)  # not the address's counter: one good login must not reset a spray
    return token_issue(user=user)


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        parts = header.split()
        if len(parts) != 2 or parts[0] != self.keyword:
            raise exceptions.AuthenticationFailed("Use 'Authorization: Bearer <token>'.")
        try:  # get(), not first(): the hash is unique, and first() would compile an ORDER BY for nothing
            token = AuthToken.objects.select_related("user", "user__organization").get(key_hash=_hash(parts[1]))
        except AuthToken.DoesNotExist:
            token = None
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed("Invalid token.")
        if token.expires_at <= timezone.now():
            raise exceptions.AuthenticationFailed("Token expired.")
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword
