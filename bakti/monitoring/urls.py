from django.urls import path

from . import views

app_name = "monitoring"

urlpatterns = [
    path("", views.program_list, name="program_list"),
    path("programs/<int:pk>/tracking/", views.tracking, name="tracking"),
    path("programs/<int:pk>/compute/", views.compute, name="compute"),
    path(
        "programs/<int:program_pk>/evaluations/new/",
        views.evaluation_create,
        name="evaluation_create",
    ),
    path("actuals/", views.result_list, name="result_list"),
    path("actuals/<int:pk>/", views.result_detail, name="result_detail"),
    path("actuals/<int:pk>/<str:action>/", views.result_action, name="result_action"),
    path("indicators/<int:indicator_pk>/enter/", views.result_enter, name="result_enter"),
    path("indicators/<int:indicator_pk>/rule/", views.rule_edit, name="rule_edit"),
    path("evaluations/", views.evaluation_list, name="evaluation_list"),
    path("evaluations/<int:pk>/", views.evaluation_detail, name="evaluation_detail"),
    path("evaluations/<int:pk>/edit/", views.evaluation_edit, name="evaluation_edit"),
    path(
        "evaluations/<int:pk>/documents/",
        views.evaluation_document_add,
        name="evaluation_document_add",
    ),
    path(
        "evaluations/<int:pk>/recommendations/new/",
        views.recommendation_create,
        name="recommendation_create",
    ),
    path("recommendations/<int:pk>/", views.recommendation_edit, name="recommendation_edit"),
    path("alerts/", views.alert_list, name="alert_list"),
    path("alerts/<int:pk>/read/", views.alert_read, name="alert_read"),
    path("thresholds/", views.health_settings, name="health_settings"),
]
