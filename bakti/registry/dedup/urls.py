from django.urls import path

from . import views

app_name = "duplicates"

urlpatterns = [
    path("", views.duplicate_list, name="list"),
    path("search/", views.search, name="search"),
    path("merges/", views.merge_list, name="merges"),
    path("merges/<int:pk>/undo/", views.merge_undo, name="undo"),
    path("<int:pk>/", views.duplicate_detail, name="detail"),
    path("<int:pk>/merge/", views.merge, name="merge"),
    path("<int:pk>/distinct/", views.distinct, name="distinct"),
]
