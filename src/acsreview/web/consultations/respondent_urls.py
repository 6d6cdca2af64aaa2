"""The respondents' anonymous survey, mounted at /c/ with the namespace "survey"."""

from django.urls import path

from .views import survey

urlpatterns = [
    path("<str:token>/", survey.start, name="start"),
    path("<str:token>/p/<int:page>/", survey.page, name="page"),
    path("<str:token>/review/", survey.review, name="review"),
    path("<str:token>/submit/", survey.submit, name="submit"),
]
