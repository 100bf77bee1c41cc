"""URLs of the B2B pages, mounted at /b2b/."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="b2b-home"),
    path("perfil/", views.profile_edit, name="b2b-profile"),
    path("solicitar/<int:profile_id>/", views.request_send, name="b2b-request-send"),
    path("solicitudes/", views.requests_list, name="b2b-requests"),
    path("solicitudes/<int:request_id>/responder/", views.request_answer, name="b2b-request-answer"),
    path("solicitudes/<int:request_id>/agendar/", views.request_book, name="b2b-request-book"),
    path("agenda/", views.agenda, name="b2b-agenda"),
    path("agenda.ics", views.agenda_ics, name="b2b-agenda-ics"),
    path("calendario/<str:token>.ics", views.agenda_feed, name="b2b-agenda-feed"),
    path("agenda/<int:meeting_id>/cancelar/", views.meeting_cancel, name="b2b-meeting-cancel"),
    path("agenda/<int:meeting_id>/resultado/", views.meeting_outcome, name="b2b-meeting-outcome"),
    path("mesa/<str:code>/", views.table_checkin, name="b2b-table-checkin"),
    path("organizadores/mesas/<int:space_id>/", views.tables_sheet, name="b2b-tables-sheet"),
    path("organizadores/resultados/", views.outcome_report, name="b2b-outcome-report"),
]
