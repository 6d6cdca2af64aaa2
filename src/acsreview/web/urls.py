from django.contrib import admin
from django.urls import include, path

from acsreview.web.pages import views as pages

admin.site.site_header = "acsreview"
admin.site.site_title = "acsreview"

urlpatterns = [
    path("", pages.home, name="home"),
    path("instrument/<slug:instrument_id>/<str:version>/", pages.instrument_detail,
         name="instrument"),
    path("healthz", pages.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
