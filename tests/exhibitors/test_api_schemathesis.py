"""Schemathesis over every operation of the exhibitor API in /api/schema/ (profile, products, leads,
meetings, webhooks), with a valid token holding every scope: no server error, and every answer
(status, content type, headers, body) is one the schema declares. (The public program and directory
endpoints, which need no token, are fuzzed the same way with the rest of the public API.)

Generated from the schema itself (property-based, derandomized so a failure reproduces), against the
real Django app through WSGI, on the test database (PostgreSQL on CI). Path ids point at real
objects of the token's exhibitor half of the time, so the detail operations are exercised too.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from exhibitors.services import webhook_endpoint_create
from tests.exhibitors.conftest import lead_for, token_for, visitor
from tests.factories import EventFactory, ExhibitorFactory, ProductFactory, SessionFactory, TermFactory

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]  # fmt: skip
EXAMPLES = 12
PUBLIC = ("/api/v1/events/", "/api/v1/sessions/", "/api/v1/speakers/", "/api/v1/exhibitors/")


@pytest.mark.django_db
def test_every_api_operation_answers_as_its_schema_says(settings):
    settings.API_TOKEN_RATE = "100000/minute"  # fuzzing is not what the rate limit is for
    event = EventFactory(slug="me-fuzz")
    SessionFactory(event=event)
    exhibitor = ExhibitorFactory(event=event)
    TermFactory(slug="imaging")
    product = ProductFactory(exhibitor=exhibitor, category=TermFactory(slug="sensors"))
    lead = lead_for(exhibitor, visitor(event, consent=False))
    endpoint = webhook_endpoint_create(exhibitor=exhibitor, url="https://crm.example.com/hooks")
    _, secret = token_for(exhibitor)
    real_ids = {"/api/v1/products/{id}/": product.pk, "/api/v1/leads/{id}/": lead.pk,
                "/api/v1/webhooks/{id}/": endpoint.pk, "/api/v1/events/{slug}/": event.slug}  # fmt: skip

    # Through plain WSGI, Django would close the test's database connection after each request (as it
    # does between requests in production); the test client does not, and neither may this test.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        _run_every_operation(real_ids, secret)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _run_every_operation(real_ids, secret):
    schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
    failures, operations = [], 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.path.startswith(PUBLIC):
            continue
        operations += 1
        real = next((value for path, value in real_ids.items() if operation.path.startswith(path)), None)

        run = _operation_test(operation, real, secret)
        try:
            run()
        except Exception as error:  # collect every operation's failure, then report them all
            failures.append(f"{operation.method.upper()} {operation.path}: {str(error)[:1500]}")
    assert operations == 20  # profile 2, products 5, leads 4, meetings 2, webhooks 7
    assert not failures, "\n\n".join(failures)


def _operation_test(operation, real, secret):
    """The property-based test of one operation (a function of its own, so each binds its own values)."""

    @given(case=operation.as_strategy(), use_real=st.booleans())
    @hypothesis_settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                         suppress_health_check=list(HealthCheck))  # fmt: skip
    def run(case, use_real):
        if use_real and real is not None and case.path_parameters:
            key = next(iter(case.path_parameters))
            case.path_parameters[key] = real
        case.call_and_validate(headers={"Authorization": f"Bearer {secret}"}, checks=CHECKS)

    return run
