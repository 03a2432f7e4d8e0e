from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from common.api import HealthView, TokenView
from common.frontend import frontend_index

api_patterns = [
    path("health/", HealthView.as_view(), name="health"),
    path("auth/token/", TokenView.as_view(), name="auth-token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    path("", include("organizations.urls")),
    path("", include("customs.urls")),
    path("", include("receivables.urls")),
    path("", include("financing.urls")),
    path("", include("credit.urls")),
    path("", include("audit.urls")),
    path("", include("oversight.urls")),
    path("", include("chain.urls")),
]

urlpatterns = [
    path("api/", include(api_patterns)),
    re_path(r"^(?!api/|static/).*$", frontend_index, name="frontend"),
]

handler404 = "common.frontend.not_found"
handler500 = "common.frontend.server_error"
