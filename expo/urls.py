"""URL map of the whole site: the project's own pages, each app's URLs, the admin and the API."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from expo.lib.login_lockout import LockoutAuthenticationForm

from . import api, views

# Staff sign-in says "locked for N minutes" after repeated wrong passwords (expo/lib/login_lockout.py).
admin.site.login_form = LockoutAuthenticationForm

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("expo.program.urls")),
    path("", include("expo.registration.urls")),
    path("", include("exhibitors.urls")),
    path("b2b/", include("networking.urls")),
    path("", include("expo.mail.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api.urlpatterns)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file: no inline script for the CSP.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api-redoc"),
]

# Not found: the site's page, or JSON under /api/ (expo.views.page_not_found).
handler404 = "expo.views.page_not_found"
# Server error: the site's page in the request's language, or JSON under /api/ (expo.views.server_error).
handler500 = "expo.views.server_error"
