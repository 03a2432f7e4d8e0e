"""Serves the built web portals from the API's origin, and JSON errors outside DRF."""

from django.conf import settings
from django.http import FileResponse, JsonResponse

from common.errors import error_body


def frontend_index(request):
    index = settings.FRONTEND_DIST / "index.html"
    if not index.exists():
        return JsonResponse(
            error_body("frontend_not_built", "The web portals are not built; run `make frontend`."), status=404
        )
    return FileResponse(index.open("rb"), content_type="text/html")


def not_found(request, exception=None):
    return JsonResponse(error_body("not_found", "Not found."), status=404)


def server_error(request):
    return JsonResponse(error_body("server_error", "Internal error; it has been logged."), status=500)
