"""URLs of the exhibitor pages."""

from django.urls import path

from . import views

app_name = "exhibitors"
urlpatterns = [
    path("expositores/", views.directory, name="directory"),
]
