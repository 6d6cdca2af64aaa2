"""Field forms (ODK Collect, KoboToolbox): /reviews/<slug>/consultation/field/..."""

from django.urls import path

from .views import field

urlpatterns = [
    path("<int:pk>/<slug:group>/form.xlsx", field.field_form, name="field_form"),
    path("import/", field.field_import, name="field_import"),
]
