from django.urls import path
from rest_framework.routers import SimpleRouter

from oversight.api import AlertViewSet, AuditEventsCsvView, FinancingsCsvView, OversightStatsView

router = SimpleRouter()
router.register("oversight/alerts", AlertViewSet, basename="alert")

urlpatterns = [
    path("oversight/stats/", OversightStatsView.as_view(), name="oversight-stats"),
    path("oversight/exports/financings.csv", FinancingsCsvView.as_view(), name="oversight-export-financings"),
    path("oversight/exports/audit-events.csv", AuditEventsCsvView.as_view(), name="oversight-export-audit-events"),
    *router.urls,
]
