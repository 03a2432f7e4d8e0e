"""Refuse oversized bodies before anything reads them."""

from django.conf import settings
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
