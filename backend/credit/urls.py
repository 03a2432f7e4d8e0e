from django.urls import path
from rest_framework.routers import SimpleRouter

from credit.api import CreditAccessViewSet, CreditAuthorizationViewSet, CreditReportView, PenaltyViewSet

router = SimpleRouter()
router.register("credit-authorizations", CreditAuthorizationViewSet, basename="credit-authorization")
router.register("credit/accesses", CreditAccessViewSet, basename="credit-access")
router.register("credit/penalties", PenaltyViewSet, basename="penalty")

urlpatterns = [
    path("credit-reports/<uuid:exporter_id>/", CreditReportView.as_view(), name="credit-report"),
    *router.urls,
]
