"""One error type for business failures and one handler that shapes every error.

Every error leaves the API as {"code", "message", "details"}.
"""

from __future__ import annotations

import logging
from typing import Any

from django import db
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response

logger = logging.getLogger(__name__)


class ApiError(Exception):
    """A failure with a stable code that clients can branch on."""

    status_code = status.HTTP_409_CONFLICT

    def __init__(
        self,
        code: str,
        message: str,
        *,
        details: dict[str, Any] | None = None,
        status_code: int | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details or {}
        if status_code is not None:
            self.status_code = status_code


class BusinessConflict(ApiError):
    status_code = status.HTTP_409_CONFLICT


class InvalidInput(ApiError):
    status_code = status.HTTP_400_BAD_REQUEST

    def __init__(self, field: str, message: str, *, code: str = "invalid") -> None:
        super().__init__(code, message, details={field: [message]})


class Forbidden(ApiError):
    status_code = status.HTTP_403_FORBIDDEN


class NotFound(ApiError):
    status_code = status.HTTP_404_NOT_FOUND

    def __init__(self, message: str = "Not found.") -> None:
        super().__init__("not_found", message)


def error_body(code: str, message: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"code": code, "message": message, "details": details or {}}


_DRF_CODES = {
    exceptions.NotAuthenticated: ("not_authenticated", status.HTTP_401_UNAUTHORIZED),
    exceptions.AuthenticationFailed: ("authentication_failed", status.HTTP_401_UNAUTHORIZED),
    exceptions.PermissionDenied: ("permission_denied", status.HTTP_403_FORBIDDEN),
    exceptions.NotFound: ("not_found", status.HTTP_404_NOT_FOUND),
    exceptions.MethodNotAllowed: ("method_not_allowed", status.HTTP_405_METHOD_NOT_ALLOWED),
    exceptions.NotAcceptable: ("not_acceptable", status.HTTP_406_NOT_ACCEPTABLE),
    exceptions.UnsupportedMediaType: ("unsupported_media_type", status.HTTP_415_UNSUPPORTED_MEDIA_TYPE),
    exceptions.Throttled: ("rate_limited", status.HTTP_429_TOO_MANY_REQUESTS),
    exceptions.ParseError: ("malformed_request", status.HTTP_400_BAD_REQUEST),
}


def _flatten_detail(detail: Any) -> Any:
    if isinstance(detail, dict):
        return {str(k): _flatten_detail(v) for k, v in detail.items()}
    if isinstance(detail, list):
        return [_flatten_detail(v) for v in detail]
    return str(detail)


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ApiError):
        return Response(error_body(exc.code, exc.message, exc.details), status=exc.status_code)
    if isinstance(exc, (db.OperationalError, db.InterfaceError)):
        logger.warning("database unavailable: %s", exc)
        response = Response(
            error_body("service_unavailable", "The database is unavailable; retry shortly. Nothing was changed."),
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
        )
        response["Retry-After"] = "2"
        return response
    if isinstance(exc, db.DataError):
        # PostgreSQL refused a value (SQLSTATE class 22: out of range, bad time zone offset, ...) that validation
        # let through: the client's input, so a 400, never a 500. Logged, because validation should catch it first.
        logger.warning("database refused a value: %s", exc, exc_info=True)
        return Response(
            error_body("invalid", "A value is out of the range the platform can store or compare.", {}),
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, RequestDataTooBig):
        return Response(
            error_body("request_too_large", "The request body is too large."),
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    if isinstance(exc, exceptions.ValidationError):
        detail = _flatten_detail(exc.detail)
        if not isinstance(detail, dict):
            detail = {"non_field_errors": detail if isinstance(detail, list) else [detail]}
        fields = ", ".join(sorted(detail)) or "the request"
        return Response(
            error_body("invalid", f"Invalid input: {fields}.", detail), status=status.HTTP_400_BAD_REQUEST
        )

    from rest_framework.views import exception_handler

    response = exception_handler(exc, context)
    if response is None:
        return None
    code, http_status = "error", response.status_code
    for cls, (mapped_code, mapped_status) in _DRF_CODES.items():
        if isinstance(exc, cls):
            code, http_status = mapped_code, mapped_status
            break
    message = str(getattr(exc, "detail", "")) or "Request failed."
    details: dict[str, Any] = {}
    if isinstance(exc, exceptions.Throttled) and exc.wait:
        details["retry_after_seconds"] = int(exc.wait)
    response.data = error_body(code, message, details)
    response.status_code = http_status
    return response


def violated_constraint(exc: Exception) -> str | None:
    """The name of the database constraint an IntegrityError reports, if any."""
    cause = getattr(exc, "__cause__", None)
    diag = getattr(cause, "diag", None)
    return getattr(diag, "constraint_name", None)
