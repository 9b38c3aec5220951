from django.urls import include, path

from . import targeting_views, views

app_name = "registry"

urlpatterns = [
    path("imports/", include("bakti.registry.importing.urls")),
    path("duplicates/", include("bakti.registry.dedup.urls")),
    path("", views.search, name="search"),
    path("people/", views.person_list, name="person_list"),
    path("households/new/", views.household_create, name="household_create"),
    path("households/<int:pk>/", views.household_detail, name="household_detail"),
    path("households/<int:pk>/edit/", views.household_edit, name="household_edit"),
    path("households/<int:pk>/reveal/", views.household_reveal_kk, name="household_reveal"),
    path("households/<int:pk>/members/new/", views.member_add, name="member_add"),
    path("households/<int:pk>/birth/", views.birth_record, name="birth_record"),
    path("households/<int:pk>/head/", views.household_set_head, name="household_set_head"),
    path("households/<int:pk>/propose/", views.enrolment_propose, name="enrolment_propose"),
    path(
        "households/<int:pk>/assessments/new/",
        targeting_views.assessment_create,
        name="assessment_create",
    ),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/reveal/", views.person_reveal_nik, name="person_reveal"),
    path("people/<int:pk>/move/", views.person_move, name="person_move"),
    path("people/<int:pk>/death/", views.person_death, name="person_death"),
    path("people/<int:pk>/consents/new/", views.consent_create, name="consent_create"),
    path("consents/<int:pk>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("nik-check/", views.nik_check, name="nik_check"),
    path("enrolments/", views.enrolment_list, name="enrolment_list"),
    path(
        "enrolments/approve/", views.enrolment_approve_selected, name="enrolment_approve_selected"
    ),
    path("enrolments/<int:pk>/<slug:action>/", views.enrolment_action, name="enrolment_action"),
    path("scoring/", targeting_views.scoring_list, name="scoring_list"),
    path("scoring/new/", targeting_views.scoring_edit, name="scoring_create"),
    path("scoring/<int:pk>/", targeting_views.scoring_detail, name="scoring_detail"),
    path("scoring/<int:pk>/edit/", targeting_views.scoring_edit, name="scoring_edit"),
    path("scoring/<int:pk>/run/", targeting_views.scoring_run, name="scoring_run"),
    path(
        "scoring/runs/<int:pk>/progress/",
        targeting_views.scoring_run_progress,
        name="scoring_run_progress",
    ),
    path("targeting/", targeting_views.targeting_list, name="targeting_list"),
    path("targeting/new/", targeting_views.targeting_edit, name="targeting_create"),
    path("targeting/<int:pk>/", targeting_views.targeting_detail, name="targeting_detail"),
    path("targeting/<int:pk>/edit/", targeting_views.targeting_edit, name="targeting_edit"),
    path("targeting/<int:pk>/apply/", targeting_views.targeting_apply, name="targeting_apply"),
]
