"""URL map of the whole site."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from exhibitors import api as exhibitors_api
from exhibitors import views as exhibitors_views

from . import api, views

router = DefaultRouter()
router.register("events", api.EventViewSet, basename="event")
router.register("sessions", api.SessionViewSet, basename="session")
router.register("exhibitors", exhibitors_api.ExhibitorViewSet, basename="exhibitor")

urlpatterns = [
    path("", views.home, name="home"),
    path("programa/", views.program, name="program"),
    path("expositores/", exhibitors_views.directory, name="exhibitor-directory"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api-redoc"),
]
