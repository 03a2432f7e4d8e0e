from rest_framework.routers import SimpleRouter

from financing.api import FinancingViewSet, FxReceiptViewSet

router = SimpleRouter()
router.register("financings", FinancingViewSet, basename="financing")
router.register("fx-receipts", FxReceiptViewSet, basename="fx-receipt")

urlpatterns = router.urls
