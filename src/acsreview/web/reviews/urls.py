from django.urls import include, path

from .views import (
    actions,
    analysis,
    compare,
    compare_report,
    diagnostic,
    exports,
    jurisdictions,
    reviews,
)
from .views import report as report_views

app_name = "reviews"

urlpatterns = [
    path("", reviews.review_list, name="list"),
    path("new/", reviews.review_new, name="new"),
    path("jurisdictions/", jurisdictions.jurisdiction_list, name="jurisdictions"),
    path("compare/", compare.compare_page, name="compare"),
    path("compare/report/", compare_report.compare_report, name="compare_report"),
    path("export/<str:fmt>/", exports.all_export, name="export_all"),
    path("<slug:slug>/", reviews.review_detail, name="detail"),
    path("<slug:slug>/status/", reviews.review_status, name="status"),
    path("<slug:slug>/export/<str:fmt>/", exports.review_export, name="export"),
    path("<slug:slug>/history/", reviews.review_history, name="history"),
    path("<slug:slug>/members/", reviews.review_members, name="members"),
    path("<slug:slug>/diagnostic/", diagnostic.diagnostic, name="diagnostic"),
    path("<slug:slug>/diagnostic/<str:domain_id>/", diagnostic.diagnostic, name="domain"),
    path("<slug:slug>/answers/<str:item_id>/", diagnostic.save, name="save_answer"),
    path("<slug:slug>/items/<str:item_id>/", diagnostic.item, name="domain_item"),
    path("<slug:slug>/principles/", diagnostic.principles, name="principles"),
    path("<slug:slug>/correspondents/", diagnostic.correspondents, name="correspondents"),
    path("<slug:slug>/inventory/", include("acsreview.web.reviews.inventory_urls")),
    path("<slug:slug>/analysis/", analysis.analysis, name="analysis"),
    path("<slug:slug>/analysis/<str:domain_id>/", analysis.analysis_domain,
         name="analysis_domain"),
    path("<slug:slug>/trends/", analysis.trends, name="trends"),
    path("<slug:slug>/plan/", actions.plan, name="plan"),
    path("<slug:slug>/plan/<str:key>/", actions.decide_view, name="decide"),
    path("<slug:slug>/report/", report_views.report, name="report"),
    path("<slug:slug>/report.pdf", report_views.report_pdf, name="report_pdf"),
]
