"""The ACS inventory of a review, under ``<slug>/inventory/`` in the ``reviews`` namespace."""

from django.urls import path

from .views import inventory

urlpatterns = [
    path("", inventory.inventory, name="inventory"),
    path("utilisation/", inventory.utilisation, name="utilisation"),
    path("measures/new/", inventory.measure_new, name="measure_new"),
    path("measures/<int:pk>/", inventory.measure_edit, name="measure_edit"),
    path("measures/<int:pk>/statistics/", inventory.measure_stats, name="measure_stats"),
    path("measures/<int:pk>/confirm/", inventory.measure_confirm, name="measure_confirm"),
    path("measures/<int:pk>/delete/", inventory.measure_delete, name="measure_delete"),
    path("indicators/", inventory.indicators, name="indicators"),
    path("indicators/confirm/", inventory.indicator_confirm, name="indicator_confirm"),
    path("import/", inventory.inventory_import, name="inventory_import"),
    path("template.xlsx", inventory.inventory_template, name="inventory_template"),
]
