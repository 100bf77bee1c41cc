"""URLs of the email outbox: the unsubscribe link of non-essential email."""

from django.urls import path

from . import views

app_name = "mail"
urlpatterns = [
    path("correo/baja/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
