"""Routes of the data-protection duties, mounted in the ``privacy`` namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("pdp/", views.dashboard, name="pdp_dashboard"),
    path("requests/", views.dsr_list, name="dsr_list"),
    path("requests/new/", views.dsr_create, name="dsr_create"),
    path("requests/<int:pk>/", views.dsr_detail, name="dsr_detail"),
    path("requests/<int:pk>/export.<str:file_format>", views.dsr_export, name="dsr_export"),
    path("requests/<int:pk>/<str:action>/", views.dsr_action, name="dsr_action"),
    path("limits/<int:pk>/lift/", views.limit_lift, name="limit_lift"),
    path("breaches/", views.breach_list, name="breach_list"),
    path("breaches/new/", views.breach_create, name="breach_create"),
    path("breaches/<int:pk>/", views.breach_detail, name="breach_detail"),
    path("breaches/<int:pk>/notice/", views.breach_notice, name="breach_notice"),
    path("breaches/<int:pk>/close/", views.breach_close, name="breach_close"),
    path("retention/", views.retention, name="retention"),
    path("retention/run/", views.retention_run, name="retention_run"),
    path("retention/<int:pk>/edit/", views.retention_policy_edit, name="retention_policy_edit"),
    path("processing/", views.ropa_list, name="ropa_list"),
    path("processing/<int:program_pk>/", views.ropa_detail, name="ropa_detail"),
    path("processing/<int:program_pk>/edit/", views.ropa_edit, name="ropa_edit"),
    path("processing/<int:program_pk>/dpia/new/", views.dpia_form, name="dpia_create"),
    path("processing/<int:program_pk>/dpia/<int:pk>/", views.dpia_form, name="dpia_edit"),
    path("dpia/<int:pk>/sign-off/", views.dpia_sign_off, name="dpia_sign_off"),
]
