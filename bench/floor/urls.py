"""The platform's URL conf with the floor endpoints added under api/ (before the portals' catch-all)."""

from django.urls import path

from bench.floor.views import FloorView, OneStatementSubmissionView
from config.urls import handler404, handler500, urlpatterns as platform  # noqa: F401 - re-exported

urlpatterns = [
    platform[0],
    path("api/bench-floor/", FloorView.as_view()),
    path("api/bench-floor/one-statement-submission/", OneStatementSubmissionView.as_view()),
    *platform[1:],
]
