"""The consultation's results and the lead's decisions.

Under /reviews/<slug>/consultation/results/.
"""

from django.urls import path

from .views import results

urlpatterns = [
    path("", results.results, name="results"),
    path("decisions/<str:item_id>/", results.adopt, name="adopt"),
]
