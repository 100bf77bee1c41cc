"""The REST API: one router over every app's API views, and the error shape they share.

Strict pagination and the guard against NUL and over-long parameters are in expo/lib/api_input.py.
"""

from django.http import Http404
from rest_framework import exceptions
from rest_framework.routers import DefaultRouter
from rest_framework.views import exception_handler as drf_exception_handler

from exhibitors.api import ExhibitorViewSet
from expo.events.api import EventViewSet
from expo.program.api import SessionViewSet

router = DefaultRouter()
router.register("events", EventViewSet, basename="event")
router.register("sessions", SessionViewSet, basename="session")
router.register("exhibitors", ExhibitorViewSet, basename="exhibitor")


def exception_handler(exc, context):
    """DRF's handler, but a missing object answers with DRF's translated "Not found." rather than
    Django's English "No Event matches the given query."."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    return drf_exception_handler(exc, context)
