"""The project's own pages: the home page of the current edition, the health check, the error pages."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.translation import gettext
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from expo.events.selectors import event_current

from . import health, selectors


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    event = event_current()
    context = {"event": event}
    if event is not None:
        context["figures"] = selectors.event_figures(event=event)
    return render(request, "expo/home.html", context)


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says: send them to the site's icon."""
    return redirect(static("expo/favicon.svg"), permanent=True)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Readiness, for a request that reached the URLs (HealthProbeMiddleware answers it earlier)."""
    body, status = health.readiness()
    return JsonResponse(body, status=status)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    """The site's 404 page; under /api/ the API's JSON answer, as its schema documents."""
    if request.path.startswith("/api/"):
        from rest_framework.exceptions import NotFound  # noqa: PLC0415 -- only for the API's answer

        return JsonResponse({"detail": str(NotFound.default_detail)}, status=404)
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """The site's 500 page (templates/500.html: no query, no request context, so it renders even with
    the database gone); under /api/ the API's JSON error, which clients parse like every other."""
    if request.path.startswith("/api/"):
        detail = gettext("Something went wrong on our side. Try again in a few minutes; a POST retried with the "
                         "same Idempotency-Key is never applied twice.")  # fmt: skip
        return JsonResponse({"detail": detail}, status=500)
    return defaults.server_error(request)
