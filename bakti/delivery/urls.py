from django.urls import path

from . import views

app_name = "delivery"

urlpatterns = [
    path("", views.home, name="home"),
    path("services/", views.service_type_list, name="service_type_list"),
    path("services/new/", views.service_type_edit, name="service_type_create"),
    path("services/<int:pk>/edit/", views.service_type_edit, name="service_type_edit"),
    path("workers/", views.worker_list, name="worker_list"),
    path("workers/new/", views.worker_edit, name="worker_create"),
    path("workers/workload/", views.workload, name="workload"),
    path("workers/<int:pk>/", views.worker_detail, name="worker_detail"),
    path("workers/<int:pk>/edit/", views.worker_edit, name="worker_edit"),
    path("workers/<int:pk>/assign/", views.worker_assign, name="worker_assign"),
    path("events/", views.event_list, name="event_list"),
    path("events/new/", views.event_edit, name="event_create"),
    path("events/<int:pk>/", views.event_detail, name="event_detail"),
    path("events/<int:pk>/edit/", views.event_edit, name="event_edit"),
    path("events/<int:pk>/search/", views.event_checkin_search, name="event_checkin_search"),
    path("events/<int:pk>/check-in/", views.event_checkin, name="event_checkin"),
    path("events/<int:pk>/headcount/", views.event_headcount, name="event_headcount"),
    path("deliveries/", views.delivery_list, name="delivery_list"),
    path("deliveries/new/", views.delivery_create, name="delivery_create"),
    path("rounds/", views.round_list, name="round_list"),
    path("rounds/new/", views.round_create, name="round_create"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/receive/", views.round_receive, name="round_receive"),
    path("rounds/<int:pk>/import/", views.round_import, name="round_import"),
    path("rounds/<int:pk>/close/", views.round_close, name="round_close"),
    path("rounds/<int:pk>/list.pdf", views.round_pdf, name="round_pdf"),
]
