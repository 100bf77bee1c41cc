"""JoinedRow reads what select_related reads, in one statement built once (expo/lib/joined.py)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from exhibitors.models import ApiToken, Exhibitor
from exhibitors.services import api_token_create
from expo.lib.joined import JoinedRow
from tests.factories import EventFactory, ExhibitorFactory, HallFactory, OrganizationFactory, TermFactory

pytestmark = pytest.mark.django_db


def fields(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}


def test_a_token_comes_with_its_exhibitor_edition_and_organization_as_select_related_gives_them(
    django_assert_num_queries,
):
    state = TermFactory(vocabulary="state", name_es="Nuevo León", name_en="Nuevo León")
    exhibitor = ExhibitorFactory(event=EventFactory(), organization=OrganizationFactory(state=state))
    token, secret = api_token_create(exhibitor=exhibitor, name="CRM", scopes=["read", "leads"],
                                     expires_at=timezone.now() + timedelta(days=3))  # fmt: skip
    row = JoinedRow(ApiToken, ["exhibitor", "exhibitor__event", "exhibitor__organization"], "key_hash")
    with django_assert_num_queries(1):
        loaded = row.get(ApiToken.digest(secret))
        exhibitor_loaded, event, organization = loaded.exhibitor, loaded.exhibitor.event, loaded.exhibitor.organization
    orm = ApiToken.objects.select_related("exhibitor__event", "exhibitor__organization").get(pk=token.pk)
    assert fields(loaded) == fields(orm) and fields(exhibitor_loaded) == fields(orm.exhibitor)
    assert fields(event) == fields(orm.exhibitor.event) and fields(organization) == fields(orm.exhibitor.organization)
    assert loaded.scopes == ["leads", "read"] and loaded.expires_at == token.expires_at  # JSON and dates converted
    assert not loaded._state.adding and loaded._state.db == "default"  # saved as an update, like any loaded row
    loaded.name = "CRM Salesforce"
    loaded.save(update_fields=["name"])
    assert ApiToken.objects.get(pk=token.pk).name == "CRM Salesforce"
    assert row.get(ApiToken.digest("expo_unknown_secret")) is None


def test_a_missing_optional_relation_is_none_and_a_present_one_is_loaded():
    row = JoinedRow(Exhibitor, ["hall", "event"], "slug")
    without = ExhibitorFactory(hall=None)
    with_hall = ExhibitorFactory(hall=HallFactory(name_es="Salón C"))
    assert row.get(without.slug).hall is None and row.get(without.slug).event == without.event
    assert row.get(with_hall.slug).hall.name_es == "Salón C"


def test_only_forward_to_one_relations_can_be_joined():
    with pytest.raises(ValueError):
        JoinedRow(Exhibitor, ["products"], "slug").get("x")
