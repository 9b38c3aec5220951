from django.urls import path

from . import views

app_name = "finance"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("absorption/", views.absorption, name="absorption"),
    path("report/", views.realisation_report, name="report"),
    path("setup/", views.setup, name="setup"),
    path("lines/new/", views.line_create, name="line_create"),
    path("lines/<int:pk>/", views.line_detail, name="line_detail"),
    path("lines/<int:pk>/edit/", views.line_edit, name="line_edit"),
    path("lines/<int:pk>/revise/", views.line_revise, name="line_revise"),
    path("lines/<int:pk>/plan/", views.line_plan, name="line_plan"),
    path("commitments/<int:pk>/close/", views.commitment_close, name="commitment_close"),
]

for kind in ("expenditure", "commitment"):
    urlpatterns += [
        path(f"{kind}s/", views.entry_list, {"kind": kind}, name=f"{kind}_list"),
        path(f"{kind}s/new/", views.entry_create, {"kind": kind}, name=f"{kind}_create"),
        path(f"{kind}s/<int:pk>/", views.entry_detail, {"kind": kind}, name=f"{kind}_detail"),
        path(
            f"{kind}s/<int:pk>/approve/",
            views.entry_approve,
            {"kind": kind},
            name=f"{kind}_approve",
        ),
        path(
            f"{kind}s/<int:pk>/reject/", views.entry_reject, {"kind": kind}, name=f"{kind}_reject"
        ),
        path(
            f"{kind}s/<int:pk>/reverse/",
            views.entry_reverse,
            {"kind": kind},
            name=f"{kind}_reverse",
        ),
        path(
            f"{kind}s/<int:pk>/evidence/",
            views.entry_evidence,
            {"kind": kind},
            name=f"{kind}_evidence",
        ),
    ]
