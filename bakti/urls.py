from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, reverse_lazy
from django.views.static import serve

from bakti.accounts.views import set_language
from bakti.core.views import healthz

from .api import api

urlpatterns = [
    path("", include("bakti.core.urls")),
    path("accounts/", include("bakti.accounts.urls")),
    path(
        "accounts/password/change/",
        auth_views.PasswordChangeView.as_view(success_url=reverse_lazy("password_change_done")),
        name="password_change",
    ),
    path(
        "accounts/password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "accounts/password/reset/",
        auth_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "accounts/password/reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("privacy/", include("bakti.privacy.urls")),
    path("programs/", include("bakti.programs.urls")),
    path("partners/", include("bakti.partners.urls")),
    path("community/", include("bakti.community.urls")),
    path("lapor/", include("bakti.community.public_urls")),
    path("registry/", include("bakti.registry.urls")),
    path("delivery/", include("bakti.delivery.urls")),
    path("cases/", include("bakti.cases.urls")),
    path("finance/", include("bakti.finance.urls")),
    path("monitoring/", include("bakti.monitoring.urls")),
    path("reports/", include("bakti.reports.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
]

if settings.DEBUG:
    urlpatterns.append(path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}))

admin.site.site_header = "Bakti"
admin.site.site_title = "Bakti"
