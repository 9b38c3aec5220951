from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("audit/", views.audit_list, name="audit_list"),
    path("access/", views.access_list, name="access_list"),
]
