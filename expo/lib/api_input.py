"""API input for every app's API views: strict limit/offset pagination, and a guard that turns
malformed query input into a 400 before it reaches a view.

Pagination: `limit` 1-200 (default 50), `offset` 0 or more, plain ASCII digits, each given at most
once; anything else is a 400 naming the parameter, and the OpenAPI schema says the same (minimum,
maximum), so the schema and the API agree (schemathesis checks it: tests/expo/test_api_schemathesis.py).

JSON bodies: a string holding a lone surrogate (`"\\udc80"`: valid JSON, but no text) is a 400 naming
the field, before any view (the database and the JSON renderer cannot encode it: it was a 500).
"""

import json

import django_filters
from django.http import HttpResponse, QueryDict
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.parsers import JSONParser

MAX_OFFSET = 10**9


class StrictLimitOffsetPagination(LimitOffsetPagination):
    default_limit = 50
    max_limit = 200

    def _number(self, request, name: str, *, default: int | None, minimum: int, maximum: int) -> int | None:
        values = request.query_params.getlist(name)
        if not values:
            return default
        value = values[0]
        if len(values) > 1 or not (value.isascii() and value.isdigit() and len(value) <= 10):
            raise exceptions.ValidationError({name: [_("Give one whole number.")]})
        number = int(value)
        if not minimum <= number <= maximum:
            raise exceptions.ValidationError(
                {name: [_("Must be between %(minimum)d and %(maximum)d.") % {"minimum": minimum, "maximum": maximum}]}
            )
        return number

    def get_limit(self, request):
        return self._number(request, self.limit_query_param, default=self.default_limit, minimum=1,
                            maximum=self.max_limit)  # fmt: skip

    def get_offset(self, request):
        return self._number(request, self.offset_query_param, default=0, minimum=0, maximum=MAX_OFFSET)

    def get_schema_operation_parameters(self, view):
        limit, offset = super().get_schema_operation_parameters(view)
        limit["schema"].update(minimum=1, maximum=self.max_limit, default=self.default_limit)
        offset["schema"].update(minimum=0, maximum=MAX_OFFSET, default=0)
        return [limit, offset]


MAX_PARAMETER_LENGTH = 1000


class ApiInputGuardMiddleware:
    """Under /api/: a NUL character in the path or the query, or a query value longer than
    MAX_PARAMETER_LENGTH, is a 400 in JSON (PostgreSQL cannot store NUL in text: it used to be a 500).

    Elsewhere (pages), a NUL character in the query becomes U+FFFD before any view reads it, as an
    undecodable byte already does: the program's and the directory's search, the desk's search and
    the badge lists answered 500 on PostgreSQL to `?q=a%00b`. Replaced, not dropped, so that
    `?event=1%00` stays a wrong id rather than becoming `1`.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/"):
            problem = self._problem(request)
            if problem:
                return HttpResponse(json.dumps({"detail": problem}), status=400, content_type="application/json")
        elif any("\x00" in "".join([name, *values]) for name, values in request.GET.lists()):
            self._replace_nul(request)
        return self.get_response(request)

    @staticmethod
    def _replace_nul(request) -> None:
        clean = QueryDict(mutable=True)
        for name, values in request.GET.lists():
            clean.setlist(name.replace("\x00", "\ufffd"), [value.replace("\x00", "\ufffd") for value in values])
        clean._mutable = False
        request.GET = clean
        request.META["QUERY_STRING"] = clean.urlencode()

    @staticmethod
    def _problem(request) -> str:
        if "\x00" in request.path:
            return _("The address contains a NUL character.")
        for name, values in request.GET.lists():
            for value in [name, *values]:
                if "\x00" in value:
                    return _("The parameter %(name)s contains a NUL character.") % {"name": name.replace("\x00", "")}
                if len(value) > MAX_PARAMETER_LENGTH:
                    return _("The parameter %(name)s is too long.") % {"name": name[:50]}
        return ""


ERROR_SCHEMA = {
    "type": "object",
    "description": "`detail`, or the name of each wrong parameter with the reasons, in the reader's language.",
    "additionalProperties": True,
}


def schema_add_error_responses(result, generator, request, public):
    """drf-spectacular post-processing hook: document the errors every operation can answer with.

    400 for operations with query parameters (a wrong filter or page, NUL, too long), 404 for those
    with path parameters, 429 for all (the throttle). Without them schemathesis reports the API's
    real answers as undocumented. Filters also say `allowEmptyValue`: an empty filter (`?day=`, as a
    form sends it) means "not filtered", which is what the API does.
    """
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            parameters = operation.get("parameters", [])
            for parameter in parameters:
                if parameter.get("in") == "query" and parameter.get("name") not in ("limit", "offset"):
                    parameter["allowEmptyValue"] = True
            errors = {"429": _("Too many requests: wait the seconds in Retry-After.")}
            if any(p.get("in") == "query" for p in parameters):
                errors["400"] = _("A query parameter is wrong: the answer names it and says why.")
            if any(p.get("in") == "path" for p in parameters):
                errors["404"] = _("Not found.")
            for status, description in errors.items():
                operation["responses"].setdefault(
                    status,
                    {"description": str(description), "content": {"application/json": {"schema": ERROR_SCHEMA}}},
                )
    return result


@extend_schema_field(OpenApiTypes.BOOL)
class StrictBooleanFilter(django_filters.TypedChoiceFilter):
    """A yes/no filter that takes `true` or `false` and answers 400 to anything else
    (django-filter's BooleanFilter would silently ignore `?flag=-58800`, which the schema forbids)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", [("true", "true"), ("false", "false")])
        kwargs.setdefault("coerce", lambda value: value == "true")
        super().__init__(*args, **kwargs)


def _has_lone_surrogate(value) -> bool:
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(value, dict):
        return any(_has_lone_surrogate(key) or _has_lone_surrogate(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_has_lone_surrogate(item) for item in value)
    return False


class StrictJSONParser(JSONParser):
    """DRF's JSON parser, refusing strings that are not text (lone surrogates) with a 400 naming the field."""

    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        if _has_lone_surrogate(data):
            fields = data if isinstance(data, dict) else {}
            bad = [key for key, item in fields.items() if not _has_lone_surrogate(key) and _has_lone_surrogate(item)]
            message = _("Not valid text (it holds an unpaired surrogate).")
            raise exceptions.ValidationError({bad[0]: [message]} if bad else {"detail": message})
        return data
