"""URL map of the whole site."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from exhibitors import api as exhibitors_api
from exhibitors import views as exhibitors_views

from . import api, desk_views, views, visitor_views

router = DefaultRouter()
router.register("events", api.EventViewSet, basename="event")
router.register("sessions", api.SessionViewSet, basename="session")
router.register("exhibitors", exhibitors_api.ExhibitorViewSet, basename="exhibitor")

urlpatterns = [
    path("", views.home, name="home"),
    path("programa/", views.program, name="program"),
    path("expositores/", exhibitors_views.directory, name="exhibitor-directory"),
    path("registro/", visitor_views.register, name="register"),
    path("registro/listo/", visitor_views.registration_done, name="registration-done"),
    path("aviso-de-privacidad/", visitor_views.privacy_notice, name="privacy-notice"),
    path("acceso/", visitor_views.signin, name="signin"),
    path("acceso/<str:token>/", visitor_views.signin_link, name="signin-link"),
    path("salir/", visitor_views.signout, name="signout"),
    path("mi-registro/", visitor_views.my_registration, name="my-registration"),
    path("mi-registro/gafete.pdf", visitor_views.my_badge_pdf, name="my-badge"),
    path("mi-registro/cancelar/", visitor_views.my_registration_cancel, name="my-registration-cancel"),
    path("mostrador/acceso/", desk_views.checkin, name="desk-checkin"),
    path("mostrador/acceso/escanear/", desk_views.checkin_scan, name="desk-checkin-scan"),
    path("mostrador/registro/", desk_views.walkin, name="desk-walkin"),
    path("mostrador/registro/<int:attendee_id>/", desk_views.walkin_done, name="desk-walkin-done"),
    path("mostrador/gafetes/<int:attendee_id>.pdf", desk_views.attendee_badge, name="desk-badge"),
    path("mostrador/gafetes.pdf", desk_views.badges_batch, name="desk-badges"),
    path("b2b/", include("networking.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api-redoc"),
]
