"""Hostile input on every public page, form and API endpoint: no 5xx, no markup reflected, nothing
written half-way.

The URL patterns are walked from the resolver, so a page added later is covered without editing this
file. Each page is asked for by four people (nobody, a signed-in visitor with a B2B profile, an
exhibitor's staff, an organizer) with hostile values in its path parameters and its query string;
every POST form found on those pages is sent back with hostile values in its fields; the public API
gets hostile filters and page sizes, the exhibitor API hostile JSON. Hostile means: 10,000+
characters, HTML and script fragments, SQL fragments, NUL, bytes that are not UTF-8 (a lone
surrogate's encoding, overlong UTF-8, 0xFF), wrong JSON types, huge and negative numbers.

What holds: never a 5xx; no hostile markup in an HTML answer (`<script>alert(1)` or `<img ...
onerror=` only ever appear escaped); a rejected form or API call (200/400 with errors) leaves every
table as it was; the registration form shows its errors and what was typed, escaped; the API answers
400 JSON naming the field; formulas typed by visitors and exhibitors come out neutralized in exports.
"""

import csv
import io
import json
import logging
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import quote, urlsplit

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from openpyxl import load_workbook

from exhibitors.models import Lead
from expo.registration.models import Attendee
from tests.conftest import login_verified
from tests.exhibitors.conftest import badge, bearer, token_for
from tests.factories import (
    ExhibitorFactory,
    MeetingFactory,
    MeetingRequestFactory,
    ParticipantFactory,
    PassTypeFactory,
    ProductFactory,
    SessionFactory,
    SpeakerFactory,
)
from tests.networking.conftest import edition_make, signin

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _quiet_request_log():
    """Thousands of 4xx are expected here; only server errors are worth a log line."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
SQL = "' OR 1=1--"
LONG = "Ñ" + "x" * 10_049  # 10,050 characters (mostly ASCII: 30 of them in one query string stay under 1 MB)
NUL = "a\x00b"
MARKUP_SQL = SCRIPT + IMG + SQL
TEXT = [MARKUP_SQL, LONG, NUL]  # each sweep sends these three (markup and SQL go together: one request)
# Percent-encoded bytes that are not UTF-8: a lone surrogate (U+DC80), overlong "/", 0xFF 0xFE.
RAW = ["%ED%B2%80", "%C0%AF", "%FF%FE"]
RAW_ALL = "".join(RAW)
MARKUP = re.compile(r"<script>alert\(1\)|<img src=x onerror", re.IGNORECASE)
# Every query parameter a page or the API reads (grep request.GET, filters, pagination).
QUERY_NAMES = ["q", "search", "page", "kind", "size", "day", "track", "room", "language", "event", "ids", "next",
               "code", "format", "p", "sala", "pass_type", "hall", "category", "state", "rating", "status",
               "ordering", "limit", "offset", "capability", "certification", "role", "since"]  # fmt: skip
NUMBERS = {"page": "-1", "limit": str(10**12), "offset": "-5", "size": "99999999999999999999"}


def text_of(response) -> str:
    return b"".join(response).decode(errors="replace") if response.streaming else response.content.decode(
        errors="replace")  # fmt: skip


def problem_of(response, what: str) -> str | None:
    """What is wrong with this answer (a 5xx and its exception, or reflected markup), or None."""
    if response.status_code >= 500:
        error = getattr(response, "exc_info", None)
        return f"{what}: {response.status_code} {error[0].__name__ + ': ' + str(error[1])[:120] if error else ''}"
    if response.get("Content-Type", "").startswith("text/html"):
        found = MARKUP.search(text_of(response))
        if found:
            return f"{what}: hostile markup reflected: {found.group(0)!r}"
    return None


def assert_safe(response, what: str) -> None:
    problem = problem_of(response, what)
    assert problem is None, problem


class Problems(list):
    """Every problem of a sweep, reported together (one broken page must not hide the others)."""

    def check(self, response, what: str) -> None:
        problem = problem_of(response, what)
        if problem:
            self.append(problem)

    def assert_none(self) -> None:
        assert not self, f"{len(self)} problems:\n" + "\n".join(sorted(set(self))[:60])


def counts() -> tuple[int, ...]:
    """Rows of every table of the project's apps (sessions and the audit log aside), in one query."""
    labels = {"events", "mail", "registration", "program", "exhibitors", "networking", "dashboard", "auth"}
    tables = sorted({m._meta.db_table for m in apps.get_models(include_auto_created=True)
                     if m._meta.app_label in labels and m._meta.managed})  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {connection.ops.quote_name(t)})" for t in tables))
        return tuple(cursor.fetchone())


@dataclass
class World:
    event: object
    visitor: Attendee
    exhibitor: object
    clients: dict
    kwargs: dict  # a real value for each path parameter name
    secret: str  # an exhibitor API token


@pytest.fixture
def world(db) -> World:
    edition = edition_make()
    event = edition.event
    PassTypeFactory(event=event)
    me = ParticipantFactory(event=event)
    other = ParticipantFactory(event=event)
    request = MeetingRequestFactory(event=event, sender=other, recipient=me)
    meeting = MeetingFactory(event=event, slot=edition.slots[0], table=edition.tables[0], between=(me, other))
    session = SessionFactory(event=event, kind="workshop", enrollment_required=True, capacity=5)
    speaker = SpeakerFactory(event=event)
    session.speakers.add(speaker)
    exhibitor = ExhibitorFactory(event=event)
    product = ProductFactory(exhibitor=exhibitor)
    lead = Lead.objects.create(exhibitor=exhibitor, attendee=other.attendee)
    user_model = get_user_model()
    staff = user_model.objects.create_user("ventas@expositor.mx", email="ventas@expositor.mx")
    exhibitor.staff.add(staff)
    clients = {name: Client(raise_request_exception=False) for name in ("nobody", "visitor", "exhibitor", "organizer")}
    signin(clients["visitor"], me.attendee)
    clients["exhibitor"].force_login(staff)
    login_verified(clients["organizer"], user_model.objects.create_superuser("org", password=None))
    _, secret = token_for(exhibitor)
    kwargs = {
        "session_id": session.pk, "speaker_id": speaker.pk, "profile_id": other.pk, "request_id": request.pk,
        "meeting_id": meeting.pk, "space_id": edition.space.pk, "slug": exhibitor.slug, "product_id": product.pk,
        "lead_id": lead.pk, "attendee_id": other.attendee.pk, "member_id": staff.pk, "pk": product.pk,
    }  # fmt: skip
    return World(event=event, visitor=me.attendee, exhibitor=exhibitor, clients=clients, kwargs=kwargs,
                 secret=secret)  # fmt: skip


PARAM = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


def page_patterns() -> list[str]:
    """The route of every page outside the admin and the API (which have their own tests)."""

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern)

    return [route for route in walk(get_resolver().url_patterns)
            if not route.startswith(("admin/", "api/", "^")) and "(?P" not in route]  # fmt: skip


def route_path(route: str, value_for) -> str:
    return "/" + PARAM.sub(lambda m: value_for(m.group("converter") or "str", m.group("name")), route)


def test_the_walk_finds_the_public_pages():
    routes = set(page_patterns())
    assert {"registro/", "acceso/", "mi-registro/", "b2b/perfil/", "expositores/", "programa/",
            "expositor/empresa/"} <= routes  # fmt: skip


def test_hostile_path_parameters_never_break_a_page(world):
    hostile = {"int": ["0", "-1", "99999999999999999999"], "id": ["0", "-1", "99999999999999999999"],
               "str": [quote(MARKUP_SQL), "x" * 10_050, "%00", RAW_ALL], "slug": ["a" * 10_050, "-1"]}  # fmt: skip
    problems = Problems()
    for route in page_patterns():
        params = PARAM.findall(route)
        if not params:
            continue
        for converter, _ in params:
            for value in hostile.get(converter or "str", hostile["str"]):
                path = route_path(route, lambda conv, n, v=value, c=converter: v if conv == c else str(
                    world.kwargs.get(n, "1")))  # fmt: skip
                for who, client in world.clients.items():
                    for method in ("get", "post"):
                        problems.check(getattr(client, method)(path), f"{method.upper()} {path[:120]} as {who}")
    problems.assert_none()


def hostile_query(*values: str) -> str:
    """Every known parameter (and an unknown one) set to one of `values` in turn, page sizes huge or
    negative. Values are percent-encoded, except RAW_ALL, which stands for the non-UTF-8 sequences."""
    encoded = [raw for value in values for raw in (RAW if value == RAW_ALL else [quote(value)])]
    pairs = [f"{name}={NUMBERS.get(name, encoded[i % len(encoded)])}" for i, name in enumerate(QUERY_NAMES)]
    return "&".join([*pairs, f"{encoded[0]}={encoded[0]}"])


def test_hostile_query_strings_never_break_a_page(world):
    problems = Problems()
    for route in page_patterns():
        path = route_path(route, lambda conv, n: str(world.kwargs.get(n, "1")))
        readers = 0
        for who, client in world.clients.items():
            first = client.get(f"{path}?{hostile_query(MARKUP_SQL)}")
            problems.check(first, f"GET {path}?{MARKUP_SQL[:20]!r} as {who}")
            # The rest for at most two of the people this page is for (its code is the same for all).
            if first.status_code != 200 or readers == 2:
                continue
            readers += 1
            for values in [(LONG,), (NUL, RAW_ALL)]:
                response = client.get(f"{path}?{hostile_query(*values)}")
                problems.check(response, f"GET {path}?{values[0][:20]!r} as {who}")
    problems.assert_none()


class Forms(HTMLParser):
    """The POST forms of a page: action, and each field's name, kind and first value (or options)."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._form = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._form = {"action": attrs.get("action") or "", "fields": {}}
            self.forms.append(self._form)
        elif self._form is None or not attrs.get("name"):
            return
        elif tag == "input" and attrs.get("type") not in ("submit", "button", "file", "image"):
            kind = attrs.get("type") or "text"
            if kind in ("checkbox", "radio") and attrs["name"] in self._form["fields"]:
                return
            self._form["fields"][attrs["name"]] = (kind, attrs.get("value") or ("on" if kind == "checkbox" else ""))
        elif tag in ("textarea", "select"):
            self._form["fields"][attrs["name"]] = (tag, "")
            self._select = attrs["name"] if tag == "select" else None
        elif tag == "option" and self._select and attrs.get("value"):
            kind, first = self._form["fields"][self._select]
            self._form["fields"][self._select] = (kind, first or attrs["value"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


# Forms that end something rather than take input (sign out, cancel, delete, revoke): not sent, they would
# end the session or the objects the other forms need (their ids are swept by the path-parameter test).
ENDINGS = ("salir", "cancelar", "borrar", "quitar", "revocar", "setlang", "nuevo-enlace", "registrar-de-nuevo",
           "/rechazar", "/desactivar", "/activar", "/probar")  # fmt: skip


def forms_of(client, path: str) -> list[tuple[str, dict]]:
    response = client.get(path)
    if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
        return []
    parser = Forms()
    parser.feed(text_of(response))
    found = []
    for form in parser.forms:
        action = form["action"] or path
        if action.startswith(("http", "/admin")) or any(word in action for word in ENDINGS):
            continue
        found.append((urlsplit(action).path if action.startswith("/") else path, form["fields"]))
    return found


def hostile_data(fields: dict, value: str, *, selects_too: bool) -> dict:
    data = {}
    for name, (kind, first) in fields.items():
        if name == "csrfmiddlewaretoken":
            continue
        if kind in ("checkbox", "radio") or (kind == "select" and not selects_too):
            data[name] = first
        else:
            data[name] = value
    return data


def test_every_form_answers_hostile_fields_with_errors_and_writes_nothing_half_way(world):
    problems = Problems()
    seen = set()
    for route in page_patterns():
        if PARAM.search(route) and not all(n in world.kwargs for _, n in PARAM.findall(route)):
            continue
        path = route_path(route, lambda conv, n: str(world.kwargs[n]))
        for who, client in world.clients.items():
            for action, fields in forms_of(client, path):
                # Each form once, by the first person who is shown it.
                if (action, tuple(fields)) in seen:
                    continue
                seen.add((action, tuple(fields)))
                variants = [(MARKUP_SQL, False), (LONG, False), (NUL, False)]
                if any(kind == "select" for kind, _ in fields.values()):
                    variants.append((MARKUP_SQL, True))  # the choices hostile too
                for value, selects_too in variants:
                    before = counts()
                    response = client.post(action, hostile_data(fields, value, selects_too=selects_too))
                    what = f"POST {action} {value[:20]!r} (selects too: {selects_too}) as {who}"
                    problems.check(response, what)
                    if response.status_code in (200, 400, 422) and counts() != before:
                        problems.append(f"{what}: rejected, yet rows changed")
    problems.assert_none()
    actions = {action for action, _ in seen}
    assert {"/registro/", "/acceso/", "/mi-registro/", "/b2b/perfil/", "/expositor/empresa/",
            "/expositor/productos/", "/expositor/api/webhooks/"} <= actions, actions  # fmt: skip


def test_registration_keeps_what_was_typed_and_escapes_it(world):
    client = world.clients["nobody"]
    data = {"pass_type": world.event.pass_types.first().pk, "first_name": SCRIPT, "last_name": IMG, "email": SQL,
            "organization_name": LONG, "organization_kind": "hospital", "country": "MX",
            "privacy_accepted": "on"}  # fmt: skip
    before = counts()
    response = client.post("/registro/", data)
    assert response.status_code == 200 and counts() == before
    html = text_of(response)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in html
    assert set(response.context["form"].errors) >= {"email", "organization_name", "state"}


# -- The public API ----------------------------------------------------------------------------------

PUBLIC_LISTS = ["/api/v1/events/", "/api/v1/sessions/", "/api/v1/speakers/", "/api/v1/exhibitors/"]


def test_public_api_answers_hostile_filters_ids_and_page_sizes_with_json(world):
    client = world.clients["nobody"]
    problems = Problems()
    for path in PUBLIC_LISTS:
        for value in [*TEXT, RAW_ALL]:
            encoded = value if value == RAW_ALL else quote(value)
            for query in (hostile_query(value), f"search={encoded}", f"ordering={encoded}"):
                response = client.get(f"{path}?{query}")
                problems.check(response, f"GET {path}?{query[:60]}")
                if response["Content-Type"] != "application/json" or response.status_code not in (200, 400, 404):
                    problems.append(f"GET {path}?{query[:60]}: {response.status_code} {response['Content-Type']}")
        # Page sizes: 1-200 and offsets from 0; anything else a 400 naming the parameter.
        for query, field in [("limit=1000000000000", "limit"), ("offset=-5", "offset"), ("limit=0", "limit"),
                             ("limit=-1", "limit"), ("page=-1&limit=abc", "limit")]:  # fmt: skip
            response = client.get(f"{path}?{query}")
            if response.status_code != 400 or field not in response.json():
                problems.append(f"GET {path}?{query}: {response.status_code} {response.content[:100]}")
        for value in ["-1", "0", "99999999999999999999", quote(SCRIPT), "%00", RAW_ALL, "x" * 2000]:
            response = client.get(f"{path}{value}/")
            problems.check(response, f"GET {path}{value[:30]}/")
            if response.status_code not in (400, 404) or response["Content-Type"] != "application/json":
                problems.append(f"GET {path}{value[:30]}/: {response.status_code} {response['Content-Type']}")
    problems.assert_none()


# -- The exhibitor API (token) -----------------------------------------------------------------------

WRONG_TYPES = [["a", "b"], {"a": 1}, 12345, True, None, LONG, NUL, "\udc80"]


def api_post(client, path, body, secret, method="post"):
    raw = json.dumps(body)  # "\udc80" stays an escape: the server's JSON parser makes the lone surrogate
    return getattr(client, method)(path, raw, content_type="application/json", **bearer(secret))


EXHIBITOR_WRITES = [
    ("/api/v1/leads/", "post", {"badge_code": "X", "notes": "n", "rating": "hot"}),
    ("/api/v1/products/", "post", {"name": "Bisturí", "description": "d", "url": "https://x.mx/p"}),
    ("/api/v1/webhooks/", "post", {"url": "https://hooks.example.com/x", "events": [], "description": "d",
                                   "is_active": True}),
    ("/api/v1/profile/", "patch", {"description": "d", "website": "https://x.mx", "categories": []}),
    ("/api/v1/leads/{lead_id}/", "patch", {"notes": "n", "rating": "warm", "status": "new"}),
    ("/api/v1/products/{product_id}/", "patch", {"name": "Bisturí", "description": "d", "url": ""}),
]  # fmt: skip


def test_exhibitor_api_answers_wrong_types_with_400_naming_the_field(world, settings):
    settings.API_TOKEN_RATE = "10000/minute"  # the sweep makes more requests than a token may
    client = Client(raise_request_exception=False)
    problems = Problems()
    for path, method, valid in EXHIBITOR_WRITES:
        path = path.format(**world.kwargs)
        valid = {**valid, "badge_code": badge(world.visitor)} if "badge_code" in valid else valid
        for field in valid:
            for wrong in WRONG_TYPES:
                before = counts()
                response = api_post(client, path, {**valid, field: wrong}, world.secret, method)
                what = f"{method.upper()} {path} {field}={str(wrong)[:20]!r}"
                problems.check(response, what)
                if response.status_code < 400 or response.status_code >= 500:
                    continue
                if response.status_code != 400 or field not in response.json():
                    problems.append(f"{what}: {response.status_code} {response.content[:200]}")
                if counts() != before:
                    problems.append(f"{what}: rejected, yet rows changed")
    problems.assert_none()


def test_exhibitor_api_answers_malformed_json_with_400(world):
    client = Client(raise_request_exception=False)
    before = counts()
    for body in [b"[1, 2]", b'"text"', b"123", b"null", b"{", b"\xff\xfe{}", b'{"notes": "\xed\xb2\x80"}',
                 b'{"badge_code": "\\u0000"}', b'{"badge_code": "\\udc80"}', b'{"\\udc80": 1}']:  # fmt: skip
        response = client.post("/api/v1/leads/", body, content_type="application/json", **bearer(world.secret))
        assert response.status_code == 400 and response["Content-Type"] == "application/json", (body, response)
    assert counts() == before


def test_exhibitor_api_lists_answer_hostile_filters(world):
    client = Client(raise_request_exception=False)
    problems = Problems()
    for path in ["/api/v1/leads/", "/api/v1/products/", "/api/v1/webhooks/", "/api/v1/meetings/"]:
        for value in [*TEXT, RAW_ALL]:
            response = client.get(f"{path}?{hostile_query(value)}", **bearer(world.secret))
            problems.check(response, f"GET {path} {value[:20]!r}")
            # 404: `format=` naming no renderer is "not found" in DRF.
            if response.status_code not in (200, 400, 404) or response["Content-Type"] != "application/json":
                problems.append(f"GET {path} {value[:20]!r}: {response.status_code}")
        for value in ["-1", "99999999999999999999"]:
            response = client.get(f"{path}{value}/", **bearer(world.secret))
            if response.status_code != 404:
                problems.append(f"GET {path}{value}/: {response.status_code}")
    problems.assert_none()


# -- Exports: formula prefixes typed in forms and the API come out neutralized -------------------------

FORMULAS = ['=HYPERLINK("https://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1+1"]


def test_formulas_typed_by_a_visitor_and_an_exhibitor_are_neutralized_in_the_exports(world):
    client = world.clients["nobody"]
    response = client.post("/registro/", {
        "pass_type": world.event.pass_types.first().pk, "first_name": FORMULAS[0], "last_name": FORMULAS[1],
        "email": "formula@hospital.mx", "organization_name": FORMULAS[2], "organization_kind": "hospital",
        "job_title": FORMULAS[3], "country": "US", "privacy_accepted": "on", "share_with_exhibitors": "on",
    })  # fmt: skip
    assert response.status_code == 302
    attendee = Attendee.objects.get(email="formula@hospital.mx")
    created = api_post(Client(), "/api/v1/leads/", {"badge_code": badge(attendee), "notes": FORMULAS[4]}, world.secret)
    assert created.status_code == 201, created.content
    exporter = world.clients["exhibitor"]
    rows = list(csv.reader(io.StringIO(text_of(exporter.get("/expositor/prospectos.csv")).lstrip("\ufeff"))))
    typed = [cell for row in rows for cell in row if any(f.strip("\t") in cell for f in FORMULAS)]
    assert len(typed) == 4, rows  # name (first and last), organization, job title, the note
    assert all(cell.startswith("'") for cell in typed), typed
    # XLSX: text cells (never formulas) with Excel's quote prefix, shown as typed even after an edit.
    sheet = load_workbook(io.BytesIO(exporter.get("/expositor/prospectos.xlsx").content)).active
    typed = [c for r in sheet.iter_rows(min_row=2) for c in r if any(f.strip("\t") in str(c.value) for f in FORMULAS)]
    assert len(typed) == 4 and all(c.data_type == "s" and c.quotePrefix for c in typed), [c.value for c in typed]
