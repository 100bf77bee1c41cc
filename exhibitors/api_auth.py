"""The exhibitor API's plumbing: Bearer tokens, scopes, rate limits per token, Idempotency-Key, the
error shape, and the schema of all that (drf-spectacular).

- `ExhibitorTokenAuthentication`: `Authorization: Bearer expo_...`; an unknown, revoked or expired
  token answers 401 with `WWW-Authenticate: Bearer` and says which.
- `TokenScope`: a view lists `required_scopes`; a token without one of them gets 403.
- `TokenRateThrottle`: requests per token (`API_TOKEN_RATE`), 429 with Retry-After.
- `IdempotentCreateMixin`: a POST with `Idempotency-Key` runs once; a retry with the same key gets
  the first answer (same status and body), a different request with the same key gets 422.
- `ExhibitorApiView`: the base of every exhibitor API view; `self.exhibitor` is the token's
  exhibitor, and `self.owned(queryset, pk)` fetches an object of that exhibitor or answers 404.
"""

import hashlib
import json

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, permissions, serializers, status
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from expo.lib.throttling import FailOpenMixin

from . import selectors, services
from .models import ApiToken
from .pagination import ApiPagination


class TokenUser:
    """What `request.user` is for a token request: authenticated, but no Django user (never staff)."""

    is_authenticated = True
    is_anonymous = False
    is_staff = False
    is_superuser = False
    is_active = True

    def __init__(self, token: ApiToken):
        self.token = token
        self.pk = None
        self.id = None

    def __str__(self) -> str:
        return f"token {self.token.prefix}"

    def has_perm(self, *args, **kwargs) -> bool:
        return False


REASONS = {
    "unknown": gettext_lazy("Invalid token."),
    "revoked": gettext_lazy("This token was revoked."),
    "expired": gettext_lazy("This token has expired."),
}


class ExhibitorTokenAuthentication(BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Send the token as: Authorization: Bearer <token>."))
        try:
            secret = header[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(REASONS["unknown"]) from None
        token, reason = services.api_token_authenticate(secret=secret)
        if token is None:
            raise exceptions.AuthenticationFailed(REASONS[reason], code=f"token_{reason}")
        return TokenUser(token), token

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'


class ExhibitorTokenScheme(OpenApiAuthenticationExtension):
    target_class = "exhibitors.api_auth.ExhibitorTokenAuthentication"
    name = "exhibitorToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An exhibitor API token (`expo_...`), made in the exhibitor portal or with "
            "`manage.py create_exhibitor_token`. Scopes: read, profile, leads, webhooks.",
        }


class TokenScope(permissions.BasePermission):
    """The request carries an exhibitor token with every scope the view requires for this method."""

    message = gettext_lazy("This token does not have the scope this request needs.")

    def has_permission(self, request, view) -> bool:
        token = request.auth
        if not isinstance(token, ApiToken):
            raise exceptions.NotAuthenticated(_("Send an exhibitor API token: Authorization: Bearer <token>."))
        needed = view.scopes_for(request.method)
        missing = [scope for scope in needed if not token.has_scope(scope)]
        if missing:
            self.message = _("This token lacks the scope: %(scopes)s.") % {"scopes": ", ".join(missing)}
            return False
        return True


class TokenRateThrottle(FailOpenMixin, SimpleRateThrottle):
    """Requests per token (API_TOKEN_RATE, e.g. 120/minute), counted in the cache (Redis in production);
    not applied while the cache is down (expo/lib/throttling.py says why)."""

    scope = "exhibitor_token"

    def get_rate(self) -> str:
        return settings.API_TOKEN_RATE

    def allow_request(self, request, view):
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


# Errors -----------------------------------------------------------------------------------------


class ErrorSerializer(serializers.Serializer):
    """What every error answers: `detail` says why; a validation error names each field instead."""

    detail = serializers.CharField(required=False)


def service_errors(error: DjangoValidationError) -> exceptions.ValidationError:
    """A service's ValidationError as DRF's: {"field": ["why"]}, or {"non_field_errors": [...]}."""
    if hasattr(error, "error_dict"):
        return exceptions.ValidationError(error.message_dict)
    return exceptions.ValidationError({"non_field_errors": error.messages})


# The schema --------------------------------------------------------------------------------------

IDEMPOTENCY_PARAMETER = OpenApiParameter(
    name="Idempotency-Key",
    type=str,
    location=OpenApiParameter.HEADER,
    required=False,
    description="Any unique string (a UUID). Retrying a POST with the same key returns the first answer and "
    "creates nothing twice, for 24 hours. The same key with a different request answers 422.",
)


class ApiSchema(AutoSchema):
    """The schema of every API operation (the project's DEFAULT_SCHEMA_CLASS): each one documents the
    errors it can answer, and the exhibitor API's operations their scopes and the Idempotency-Key."""

    def _uses_token(self) -> bool:
        return TokenScope in getattr(self.view, "permission_classes", [])

    def get_operation_id(self):
        if not self._uses_token():
            return super().get_operation_id()
        words = [w for w in self.path.strip("/").split("/")[2:] if not w.startswith("{")]
        detail = self.path.rstrip("/").endswith("}")
        action = {"GET": "retrieve" if detail else "list", "POST": "create", "PATCH": "partial_update",
                  "PUT": "update", "DELETE": "destroy"}.get(self.method, self.method.lower())  # fmt: skip
        if words[-1] in ("test", "deliveries") or words == ["profile"]:
            action = (
                {"GET": "retrieve", "POST": "send"}.get(self.method, action) if words[-1] != "deliveries" else "list"
            )
        return "_".join([*words, action])

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        scopes = self.view.scopes_for(self.method) if operation and hasattr(self.view, "scopes_for") else []
        if scopes:  # after any @extend_schema description, which replaces get_description
            text = operation.get("description", "")
            operation["description"] = f"{text}\n\n**Scope:** `{'`, `'.join(scopes)}`.".strip()
        return operation

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if self.method == "POST" and getattr(self.view, "idempotent", False):
            parameters.append(IDEMPOTENCY_PARAMETER)
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        errors = {"400": "The request is not valid: each field with its reasons, or `detail`."}
        detail = "{" in self.path
        if detail:
            errors["404"] = "Not found" + (" (or it belongs to another exhibitor)." if self._uses_token() else ".")
        if self._uses_token():
            errors["401"] = "No token, or an unknown, revoked or expired one."
            errors["403"] = "The token lacks the scope."
            errors["429"] = "Too many requests for this token: wait `Retry-After` seconds."
        if self.method == "POST" and getattr(self.view, "idempotent", False):
            errors["409"] = "The first request with this Idempotency-Key did not finish."
            errors["422"] = "The Idempotency-Key was used for a different request."
        for code, text in errors.items():
            if code not in responses:
                response = self._get_response_for_code(ErrorSerializer, code, direction=direction)
                response["description"] = text
                if code == "429":
                    response["headers"] = {"Retry-After": {"schema": {"type": "integer"},
                                                           "description": "Seconds to wait."}}  # fmt: skip
                responses[code] = response
        return responses


# Views -------------------------------------------------------------------------------------------


class ExhibitorApiView(APIView):
    """Base of the exhibitor API: a token of one exhibitor, scopes per method, throttled per token."""

    authentication_classes = [ExhibitorTokenAuthentication]
    permission_classes = [TokenScope]
    throttle_classes = [TokenRateThrottle]
    filter_backends: list = []  # lists that filter say so; no search or ordering they would ignore
    pagination_class = ApiPagination
    # {"GET": ["read"], "POST": ["leads"]...}; "*" for every method not listed.
    required_scopes: dict = {}
    idempotent = False

    def scopes_for(self, method: str) -> list[str]:
        if method in ("HEAD", "OPTIONS"):
            method = "GET"
        return self.required_scopes.get(method, self.required_scopes.get("*", []))

    @property
    def exhibitor(self):
        # None only while drf-spectacular inspects the view (no request token) to build the schema.
        return getattr(self.request.auth, "exhibitor", None)

    def owned(self, queryset, pk):
        return selectors.exhibitor_object(queryset, exhibitor=self.exhibitor, pk=pk)

    def handle_exception(self, exc):
        if isinstance(exc, DjangoValidationError):
            exc = service_errors(exc)
        return super().handle_exception(exc)


class IdempotentCreateMixin:
    """POST runs in one transaction that first claims the Idempotency-Key (see module docstring)."""

    idempotent = True

    def post(self, request, *args, **kwargs):
        key = request.headers.get("Idempotency-Key", "").strip()
        if not key:
            return self.create(request, *args, **kwargs)
        if len(key) > 255:
            raise exceptions.ValidationError({"Idempotency-Key": [_("Use a key of up to 255 characters.")]})
        body = request.body if request.body is not None else b""
        fingerprint = hashlib.sha256(request.method.encode() + b" " + request.path.encode() + b"\n" + body).hexdigest()
        token = request.auth
        with transaction.atomic():
            earlier = services.idempotent_request_begin(token=token, key=key, fingerprint=fingerprint)
            if earlier is None:
                response = self.create(request, *args, **kwargs)
                if response.status_code < 500:
                    data = json.loads(json.dumps(response.data, default=str)) if response.data is not None else None
                    services.idempotent_request_finish(token=token, key=key, status_code=response.status_code,
                                                       body=data)  # fmt: skip
                    response["Idempotency-Key"] = key
                return response
        if earlier.fingerprint != fingerprint:
            return Response(
                {"detail": _("This Idempotency-Key was used for a different request.")},
                status=status.HTTP_422_UNPROCESSABLE_ENTITY,
            )
        if earlier.status_code is None:  # the first request failed and left nothing to replay
            return Response({"detail": _("The first request with this key did not finish; retry with a new key.")},
                            status=status.HTTP_409_CONFLICT)  # fmt: skip
        response = Response(earlier.body, status=earlier.status_code)
        response["Idempotency-Key"] = key
        response["Idempotent-Replayed"] = "true"
        return response
