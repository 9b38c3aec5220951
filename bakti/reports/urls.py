from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.portfolio, name="portfolio"),
    path("portfolio/report/", views.portfolio_report, name="portfolio_report"),
    path("regions/", views.region_view, name="region_view"),
    path("programs/<int:pk>/", views.program_dashboard, name="program_dashboard"),
    path("programs/<int:pk>/report/", views.program_report, name="program_report"),
    path("programs/<int:pk>/narrative/", views.narrative_edit, name="narrative_edit"),
    path("jobs/new/", views.job_create, name="job_create"),
    path("jobs/<int:pk>/", views.job_detail, name="job_detail"),
    path("jobs/<int:pk>/download/", views.job_download, name="job_download"),
    path("iati/", views.iati_export, name="iati"),
]
