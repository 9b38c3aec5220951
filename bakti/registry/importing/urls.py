from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("", views.job_list, name="list"),
    path("new/", views.upload, name="upload"),
    path("template.csv", views.template_csv, name="template"),
    path("<int:pk>/", views.job_detail, name="detail"),
    path("<int:pk>/columns/", views.columns, name="columns"),
    path("<int:pk>/errors.csv", views.error_report, name="errors"),
    path("<int:pk>/warnings.csv", views.warning_report, name="warnings"),
]
