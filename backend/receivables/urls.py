from rest_framework.routers import SimpleRouter

from receivables.api import ReceivableViewSet

router = SimpleRouter()
router.register("receivables", ReceivableViewSet, basename="receivable")

urlpatterns = router.urls
