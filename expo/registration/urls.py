"""URLs of registration: visitor pages (register, sign in, my registration) and the desk (doors, walk-ins, badges)."""

from django.urls import path

from . import desk_views, views

app_name = "registration"
urlpatterns = [
    path("registro/", views.register, name="register"),
    path("registro/listo/", views.registration_done, name="done"),
    path("aviso-de-privacidad/", views.privacy_notice, name="privacy"),
    path("acceso/", views.signin, name="signin"),
    path("acceso/<str:token>/", views.signin_link, name="signin-link"),
    path("salir/", views.signout, name="signout"),
    path("mi-registro/", views.my_registration, name="mine"),
    path("mi-registro/gafete.pdf", views.my_badge_pdf, name="my-badge"),
    path("mi-registro/cancelar/", views.my_registration_cancel, name="cancel"),
    path("mi-registro/registrar-de-nuevo/", views.my_registration_reactivate, name="reactivate"),
    path("mostrador/acceso/", desk_views.checkin, name="checkin"),
    path("mostrador/acceso/escanear/", desk_views.checkin_scan, name="checkin-scan"),
    path("mostrador/acceso/buscar/", desk_views.checkin_search, name="checkin-search"),
    path("mostrador/registro/", desk_views.walkin, name="walkin"),
    path("mostrador/registro/<id:attendee_id>/", desk_views.walkin_done, name="walkin-done"),
    path("mostrador/gafetes/<id:attendee_id>.pdf", desk_views.attendee_badge, name="badge"),
    path("mostrador/gafetes.pdf", desk_views.badges_pdf_small, name="badges"),
    path("mostrador/gafetes/", desk_views.badge_batches, name="badge-batches"),
    path("mostrador/gafetes/lotes/<id:batch_id>/", desk_views.badge_batch, name="badge-batch"),
    path("mostrador/gafetes/lotes/<id:batch_id>.pdf", desk_views.badge_batch_pdf, name="badge-batch-pdf"),
]
