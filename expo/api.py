"""The REST API: one router over every app's API views, and the error shape they share.

Strict pagination and the guard against NUL and over-long parameters are in expo/lib/api_input.py.
"""

import json

from django.http import Http404
from django.urls import path, re_path
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.routers import DefaultRouter
from rest_framework.views import exception_handler as drf_exception_handler

from exhibitors import api as exhibitor_api
from exhibitors.api import ExhibitorViewSet
from expo.events.api import EventViewSet
from expo.program.api import SessionViewSet, SpeakerViewSet
from networking import exhibitor_api as meetings_api

router = DefaultRouter()
router.register("events", EventViewSet, basename="event")
router.register("sessions", SessionViewSet, basename="session")
router.register("speakers", SpeakerViewSet, basename="speaker")
router.register("exhibitors", ExhibitorViewSet, basename="exhibitor")

# The exhibitor API: a Bearer token of one exhibitor (exhibitors/api_auth.py).
exhibitor_urls = [
    path("profile/", exhibitor_api.ProfileView.as_view(), name="api-profile"),
    path("products/", exhibitor_api.ProductListView.as_view(), name="api-products"),
    path("products/<id:pk>/", exhibitor_api.ProductDetailView.as_view(), name="api-product"),
    path("leads/", exhibitor_api.LeadListView.as_view(), name="api-leads"),
    path("leads/<id:pk>/", exhibitor_api.LeadDetailView.as_view(), name="api-lead"),
    path("meetings/", meetings_api.MeetingListView.as_view(), name="api-meetings"),
    path("meetings/<id:pk>/", meetings_api.MeetingDetailView.as_view(), name="api-meeting"),
    path("webhooks/", exhibitor_api.WebhookEndpointListView.as_view(), name="api-webhooks"),
    path("webhooks/<id:pk>/", exhibitor_api.WebhookEndpointDetailView.as_view(), name="api-webhook"),
    path("webhooks/<id:pk>/test/", exhibitor_api.WebhookTestView.as_view(), name="api-webhook-test"),
    path("webhooks/<id:pk>/deliveries/", exhibitor_api.WebhookDeliveryListView.as_view(), name="api-deliveries"),
]


def not_found(request, *args, **kwargs):
    """Any other address under /api/v1/ answers the API's JSON 404, not the site's HTML page."""
    from django.http import JsonResponse  # noqa: PLC0415
    from django.utils.translation import gettext  # noqa: PLC0415

    return JsonResponse({"detail": gettext("Not found.")}, status=404)


urlpatterns = [*router.urls, *exhibitor_urls, re_path(r"^.*$", not_found)]


def exception_handler(exc, context):
    """DRF's handler, but in the reader's language where DRF or Django answer in English only: a
    missing object is DRF's translated "Not found." (not "No Event matches the given query."), and a
    body the parsers cannot read says where, not Python's "JSON parse error - Expecting value: ..."."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, exceptions.ParseError):
        exc = exceptions.ParseError(parse_error_message(exc))
    return drf_exception_handler(exc, context)


def parse_error_message(exc: exceptions.ParseError) -> str:
    """DRF's parsers raise ParseError from the decoder's error, with an untranslated message."""
    cause = exc.__cause__ or exc.__context__
    if isinstance(cause, UnicodeError):
        return _("The request body is not valid UTF-8 text.")
    if isinstance(cause, json.JSONDecodeError):
        return _("The request body is not valid JSON (line %(line)s, column %(column)s).") % {
            "line": cause.lineno, "column": cause.colno}  # fmt: skip
    if isinstance(cause, ValueError):  # JSON that decodes to a constant JSON forbids (NaN, Infinity)
        return _("The request body is not valid JSON.")
    return _("The request body could not be read: check that it matches its Content-Type.")
