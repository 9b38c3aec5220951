from django.urls import path

from .views import framework, programs, risks, workplan

app_name = "programs"

urlpatterns = [
    path("", programs.program_list, name="program_list"),
    path("new/", programs.program_create, name="program_create"),
    path("new/from-template/", programs.program_from_template, name="program_from_template"),
    path("<int:pk>/", programs.program_detail, name="program_detail"),
    path("<int:pk>/edit/", programs.program_edit, name="program_edit"),
    path("<int:pk>/step/<slug:action>/", programs.program_transition, name="program_transition"),
    path("<int:pk>/history/", programs.program_history, name="program_history"),
    path("<int:pk>/framework/", framework.framework, name="framework"),
    path("<int:pk>/results/new/", framework.result_form, name="result_create"),
    path("<int:pk>/results/<int:result_pk>/", framework.result_form, name="result_edit"),
    path("<int:pk>/results/<int:result_pk>/delete/", framework.result_delete, name="result_delete"),
    path("<int:pk>/indicators/new/", framework.indicator_form, name="indicator_create"),
    path(
        "<int:pk>/indicators/<int:indicator_pk>/", framework.indicator_form, name="indicator_edit"
    ),
    path(
        "<int:pk>/indicators/<int:indicator_pk>/targets/",
        framework.indicator_targets,
        name="indicator_targets",
    ),
    path(
        "<int:pk>/indicators/<int:indicator_pk>/delete/",
        framework.indicator_delete,
        name="indicator_delete",
    ),
    path("<int:pk>/workplan/", workplan.workplan, name="workplan"),
    path("<int:pk>/activities/new/", workplan.activity_form, name="activity_create"),
    path("<int:pk>/activities/<int:activity_pk>/", workplan.activity_form, name="activity_edit"),
    path(
        "<int:pk>/activities/<int:activity_pk>/delete/",
        workplan.activity_delete,
        name="activity_delete",
    ),
    path("<int:pk>/milestones/new/", workplan.milestone_form, name="milestone_create"),
    path("<int:pk>/milestones/<int:milestone_pk>/", workplan.milestone_form, name="milestone_edit"),
    path(
        "<int:pk>/milestones/<int:milestone_pk>/delete/",
        workplan.milestone_delete,
        name="milestone_delete",
    ),
    path("<int:pk>/risks/", risks.risks, name="risks"),
    path("<int:pk>/risks/new/", risks.risk_form, name="risk_create"),
    path("<int:pk>/risks/<int:risk_pk>/", risks.risk_form, name="risk_edit"),
    path("<int:pk>/risks/<int:risk_pk>/delete/", risks.risk_delete, name="risk_delete"),
    path("<int:pk>/team/", risks.team, name="team"),
    path("<int:pk>/team/add/", risks.team_form, name="team_add"),
    path("<int:pk>/team/<int:member_pk>/", risks.team_form, name="team_edit"),
    path("<int:pk>/team/<int:member_pk>/remove/", risks.team_remove, name="team_remove"),
]
