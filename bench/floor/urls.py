"""The platform's URL conf with the floor endpoint added under api/ (before the portals' catch-all)."""

from django.urls import path

from bench.floor.views import FloorView
from config.urls import handler404, handler500, urlpatterns as platform  # noqa: F401 - re-exported

urlpatterns = [platform[0], path("api/bench-floor/", FloorView.as_view()), *platform[1:]]
