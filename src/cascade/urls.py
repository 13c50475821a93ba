from django.urls import include, path

from cascade.api.v1 import api
from cascade.web import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("api/v1/", api.urls),
    path("", include("cascade.web.urls")),
]

handler404 = "cascade.api.problems.not_found_view"
handler500 = "cascade.api.problems.server_error_view"
