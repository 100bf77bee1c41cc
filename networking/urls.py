"""URLs of the B2B pages, mounted at /b2b/."""

from django.urls import path

from . import views

app_name = "networking"
urlpatterns = [
    path("", views.home, name="home"),
    path("perfil/", views.profile_edit, name="profile"),
    path("participantes/", views.participants, name="participants"),
    path("participantes/<id:profile_id>/", views.participant_detail, name="participant"),
    path("solicitar/<id:profile_id>/", views.request_send, name="request-send"),
    path("solicitudes/", views.requests_list, name="requests"),
    path("solicitudes/<id:request_id>/responder/", views.request_answer, name="request-answer"),
    path("solicitudes/<id:request_id>/agendar/", views.request_book, name="request-book"),
    path("agenda/", views.agenda, name="agenda"),
    path("agenda.ics", views.agenda_ics, name="agenda-ics"),
    path("calendario/<str:token>.ics", views.agenda_feed, name="agenda-feed"),
    path("agenda/<id:meeting_id>/cancelar/", views.meeting_cancel, name="meeting-cancel"),
    path("agenda/<id:meeting_id>/resultado/", views.meeting_outcome, name="meeting-outcome"),
    path("mesa/<str:code>/", views.table_checkin, name="table-checkin"),
    path("organizadores/mesas/<id:space_id>/", views.tables_sheet, name="tables-sheet"),
    path("organizadores/resultados/", views.outcome_report, name="outcome-report"),
]
