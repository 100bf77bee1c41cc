"""CSV exports neutralize cells a spreadsheet would run as formulas (issue 11 #8)."""

import csv
import io

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from expo.lib.exports import cell_safe, csv_response
from tests.conftest import login_verified


@pytest.mark.parametrize(
    "value", ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tx", "\rx"]
)
def test_formula_starts_are_neutralized(value):
    assert cell_safe(value) == "'" + value


def test_plain_values_are_kept():
    assert [cell_safe(v) for v in ("Ana", "María-José", 42, None, "")] == ["Ana", "María-José", 42, None, ""]


def test_every_cell_of_a_response_goes_through_it():
    response = csv_response("x.csv", ["name"], [["=1+1"], ["Ana"]])
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [["name"], ["'=1+1"], ["Ana"]]


@pytest.mark.django_db
def test_registration_export_neutralizes_a_malicious_name(client):
    from tests.factories import AttendeeFactory

    AttendeeFactory(first_name='=HYPERLINK("http://evil.example","clic")', organization_name="@SUM(1+1)")
    login_verified(client, User.objects.create_superuser("org", password="x"))
    from expo.registration.models import Attendee

    selected = list(Attendee.objects.values_list("pk", flat=True))
    url = reverse("admin:registration_attendee_changelist")
    response = client.post(url, {"action": "export_csv", "_selected_action": selected})
    text = response.content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'@SUM(1+1)" in text and ",=HYPERLINK" not in text
