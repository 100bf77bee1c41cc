"""The unsubscribe page of non-essential email: a button (GET never writes), and the one-click POST
that mail programs send (RFC 8058), which carries no CSRF token: the signed link is the credential."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import services
from .unsubscribe import unsubscribe_email


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    email = unsubscribe_email(token)
    if email is None:
        return render(request, "mail/unsubscribe.html", {"invalid": True}, status=400)
    if request.method == "POST":
        services.mail_opt_out(email=email)
        return render(request, "mail/unsubscribe.html", {"email": email, "done": True})
    return render(request, "mail/unsubscribe.html", {"email": email})
