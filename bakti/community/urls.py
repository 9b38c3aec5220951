from django.urls import path

from . import views

app_name = "community"
urlpatterns = [
    path("", views.ticket_list, name="ticket_list"),
    path("tickets/new/", views.ticket_create, name="ticket_create"),
    path("tickets/<int:pk>/", views.ticket_detail, name="ticket_detail"),
    path(
        "tickets/<int:pk>/attachments/<int:attachment_id>/",
        views.attachment_download,
        name="attachment_download",
    ),
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/new/", views.meeting_edit, name="meeting_create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("settings/sla/", views.sla_matrix, name="sla_matrix"),
    path("settings/holidays/", views.holiday_list, name="holiday_list"),
    path("settings/categories/", views.category_list, name="category_list"),
]
