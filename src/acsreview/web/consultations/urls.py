"""A review's consultation: management, field forms, results (/reviews/<slug>/consultation/)."""

from django.urls import include, path

app_name = "consultations"

urlpatterns = [
    path("", include("acsreview.web.consultations.manage_urls")),
    path("field/", include("acsreview.web.consultations.field_urls")),
    path("results/", include("acsreview.web.consultations.results_urls")),
]
