from django.urls import include, path

app_name = "registry"

urlpatterns: list = [
    path("imports/", include("bakti.registry.importing.urls")),
    path("duplicates/", include("bakti.registry.dedup.urls")),
]
