from django.urls import path

from . import public_views

app_name = "lapor"
urlpatterns = [
    path("", public_views.report, name="report"),
    path("status/", public_views.lookup, name="lookup"),
    path("status/<str:code>/", public_views.status, name="status"),
    path("statistik/", public_views.statistics, name="statistics"),
]
