from django.urls import path

from . import views
from .pdp import urls as pdp_urls

app_name = "privacy"
urlpatterns = [
    path("audit/", views.audit_list, name="audit_list"),
    path("access/", views.access_list, name="access_list"),
]
# The UU PDP duties live in their own app (bakti.privacy.pdp), in the same namespace.
urlpatterns += pdp_urls.urlpatterns
