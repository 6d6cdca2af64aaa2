from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from acsreview.web.accounts import language
from acsreview.web.api.api import urls as api_urls
from acsreview.web.pages import views as pages

admin.site.site_header = "acsreview"
admin.site.site_title = "acsreview"

urlpatterns = [
    path("", pages.home, name="home"),
    path("instrument/<slug:instrument_id>/<str:version>/", pages.instrument_detail,
         name="instrument"),
    path("instrument/<slug:instrument_id>/<str:version>/questionnaire/",
         pages.instrument_questionnaire, name="instrument_questionnaire"),
    path("healthz", pages.healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(template_name="accounts/login.html",
                                                         redirect_authenticated_user=True),
         name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("reviews/", include("acsreview.web.reviews.urls")),
    path("reviews/<slug:slug>/consultation/", include("acsreview.web.consultations.urls")),
    # The respondents' anonymous survey: short links for paper and QR codes.
    path("c/", include(("acsreview.web.consultations.respondent_urls", "survey"))),
    path("accounts/reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(
        template_name="accounts/set_password.html", success_url="/accounts/login/"),
        name="password_reset_confirm"),
    # Django's set_language, which also remembers a signed-in person's choice.
    path("accounts/language/", language.set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("api/", api_urls),
]
