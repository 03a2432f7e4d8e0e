from django.urls import path
from rest_framework.routers import SimpleRouter

from audit.api import AuditEventViewSet, AuditExportView, AuditVerificationView

router = SimpleRouter()
router.register("audit/events", AuditEventViewSet, basename="audit-event")

urlpatterns = [
    path("audit/verification/", AuditVerificationView.as_view(), name="audit-verification"),
    path("audit/export/", AuditExportView.as_view(), name="audit-export"),
    *router.urls,
]
