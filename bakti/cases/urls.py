from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("open/", views.case_open, name="case_open"),
    path("<int:pk>/", views.case_detail, name="case_detail"),
    path("<int:pk>/edit/", views.case_edit, name="case_edit"),
    path("<int:pk>/do/<slug:action>/", views.case_action, name="case_action"),
    path("approvals/", views.approval_list, name="approval_list"),
    path("approvals/<int:pk>/decide/", views.approval_decide, name="approval_decide"),
    path("overdue/", views.overdue_board, name="overdue_board"),
    path("referrals/", views.referral_list, name="referral_list"),
    path("referrals/inbox/", views.referral_inbox, name="referral_inbox"),
    path("referrals/inbox/<int:pk>/", views.referral_detail, name="referral_detail"),
    path("referrals/inbox/<int:pk>/answer/", views.referral_respond, name="referral_respond"),
]
