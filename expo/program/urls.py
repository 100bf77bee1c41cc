"""URLs of the program: visitor pages, the public certificate check, room scanning and organizers' pages."""

from django.urls import path

from . import staff_views, views

app_name = "program"
urlpatterns = [
    path("programa/", views.program, name="list"),
    path("programa/sesion/<id:session_id>/", views.session_detail, name="session"),
    path("programa/sesion/<id:session_id>.ics", views.session_ics, name="session-ics"),
    path("programa/sesion/<id:session_id>/guardar/", views.session_save, name="session-save"),
    path("programa/sesion/<id:session_id>/inscribirme/", views.session_enroll, name="session-enroll"),
    path("programa/sesion/<id:session_id>/cancelar-inscripcion/", views.enrollment_cancel, name="enrollment-cancel"),
    path("programa/sesion/<id:session_id>/aceptar-lugar/", views.offer_accept, name="offer-accept"),
    path("programa/sesion/<id:session_id>/rechazar-lugar/", views.offer_decline, name="offer-decline"),
    path("programa/ponente/<id:speaker_id>/", views.speaker_detail, name="speaker"),
    path("programa/mi-agenda/", views.my_agenda, name="agenda"),
    path("programa/mi-agenda.ics", views.my_agenda_ics, name="agenda-ics"),
    path("programa/mi-agenda/nuevo-enlace/", views.agenda_feed_reset, name="agenda-feed-reset"),
    path("programa/calendario/<str:token>.ics", views.agenda_feed, name="agenda-feed"),
    path("programa/mis-horas/", views.my_hours, name="hours"),
    path("programa/mis-horas/constancia.pdf", views.my_certificate_pdf, name="certificate-pdf"),
    path("constancia/", views.certificate_lookup, name="certificate-lookup"),
    path("constancia/<str:code>/", views.certificate_verify, name="certificate-verify"),
    path("mostrador/sala/", staff_views.room_scanner, name="room-scanner"),
    path("mostrador/sala/escanear/", staff_views.room_scan, name="room-scan"),
    path("programa/organizadores/horas/", staff_views.hours_sessions, name="staff-hours"),
    path("programa/organizadores/horas/visitantes/", staff_views.hours_visitors, name="staff-hours-visitors"),
    path("programa/organizadores/constancias/", staff_views.certificates, name="staff-certificates"),
    path(
        "programa/organizadores/constancias/lotes/<id:batch_id>/",
        staff_views.certificate_batch_progress,
        name="staff-batch",
    ),
    path(
        "programa/organizadores/constancias/<id:certificate_id>/revocar/",
        staff_views.certificate_revoke,
        name="staff-certificate-revoke",
    ),
    path(
        "programa/organizadores/constancias/<id:certificate_id>.pdf",
        staff_views.certificate_download,
        name="staff-certificate-pdf",
    ),
]
