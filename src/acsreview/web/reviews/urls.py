from django.urls import include, path

from .views import diagnostic, jurisdictions, reviews

app_name = "reviews"

urlpatterns = [
    path("", reviews.review_list, name="list"),
    path("new/", reviews.review_new, name="new"),
    path("jurisdictions/", jurisdictions.jurisdiction_list, name="jurisdictions"),
    path("<slug:slug>/", reviews.review_detail, name="detail"),
    path("<slug:slug>/status/", reviews.review_status, name="status"),
    path("<slug:slug>/history/", reviews.review_history, name="history"),
    path("<slug:slug>/members/", reviews.review_members, name="members"),
    path("<slug:slug>/diagnostic/", diagnostic.diagnostic, name="diagnostic"),
    path("<slug:slug>/diagnostic/<str:domain_id>/", diagnostic.diagnostic, name="domain"),
    path("<slug:slug>/answers/<str:item_id>/", diagnostic.save, name="save_answer"),
    path("<slug:slug>/items/<str:item_id>/", diagnostic.item, name="domain_item"),
    path("<slug:slug>/principles/", diagnostic.principles, name="principles"),
    path("<slug:slug>/correspondents/", diagnostic.correspondents, name="correspondents"),
    path("<slug:slug>/inventory/", include("acsreview.web.reviews.inventory_urls")),
]
