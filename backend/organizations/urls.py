from django.urls import path
from rest_framework.routers import SimpleRouter

from organizations.api import MeView, OrganizationViewSet

router = SimpleRouter()
router.register("organizations", OrganizationViewSet, basename="organization")

urlpatterns = [path("me/", MeView.as_view(), name="me"), *router.urls]
