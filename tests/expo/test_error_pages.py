"""The 404 and 500 pages are the site's, in Spanish and in English (not Django's English defaults)."""

import pytest
from django.test import RequestFactory
from django.utils import translation
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db


def test_404_is_the_sites_page_in_spanish_and_english(client):
    response = client.get("/no-existe/")
    html = response.content.decode()
    assert response.status_code == 404 and "No encontramos esta página" in html and 'href="/programa/"' in html
    english = client.get("/no-existe/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "We could not find this page" in english and "Not Found" not in english


def test_500_is_the_sites_page_in_the_requests_language():
    request = RequestFactory().get("/")
    with translation.override("es-mx"):
        spanish = server_error(request).content.decode()
    with translation.override("en"):
        english = server_error(request).content.decode()
    assert "Algo salió mal" in spanish and "Something went wrong on our side" in english
    assert "Server Error (500)" not in spanish + english
