from rest_framework.routers import SimpleRouter

from customs.api import DeclarationViewSet

router = SimpleRouter()
router.register("customs/declarations", DeclarationViewSet, basename="declaration")

urlpatterns = router.urls
