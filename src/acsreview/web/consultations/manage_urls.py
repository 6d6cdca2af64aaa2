"""Managing a review's consultations: under /reviews/<slug>/consultation/."""

from django.urls import path

from .views import manage

urlpatterns = [
    path("", manage.consultation_list, name="list"),
    path("new/", manage.consultation_new, name="new"),
    path("links/<int:link_id>/qr.svg", manage.link_qr, name="qr"),
    path("links/<int:link_id>/toggle/", manage.link_toggle, name="link_toggle"),
    path("<uuid:public_id>/purge/", manage.consultation_purge, name="purge"),
]
