"""URLs of the program pages."""

from django.urls import path

from . import views

app_name = "program"
urlpatterns = [
    path("programa/", views.program, name="list"),
]
