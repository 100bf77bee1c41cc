"""Every model is in the admin, and every list page works with search and filters."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db

OUR_APPS = ("events", "mail", "registration", "program", "exhibitors", "networking")


def test_every_model_is_registered():
    missing = [
        m.__name__ for m in apps.get_models() if m._meta.app_label in OUR_APPS and not admin.site.is_registered(m)
    ]
    assert missing == []


def test_every_changelist_loads_with_search_on_the_demo_edition(admin_client):
    call_command("seed_demo", visitors=20, stdout=open("/dev/null", "w"))
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in OUR_APPS:
            continue
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert admin_client.get(url).status_code == 200, url
        if model_admin.search_fields:
            assert admin_client.get(url, {"q": "a"}).status_code == 200, url


def test_demo_organizer_can_sign_in_to_the_admin(client, capsys, tmp_path, settings):
    settings.BASE_DIR = tmp_path
    call_command("demo_organizer")
    line = capsys.readouterr().out
    password = line.split("password: ")[1].split()[0]
    assert client.login(username="organizador", password=password)
    # The second step: the code of the demo's app, which `demo_organizer --code` prints.
    assert client.get("/admin/")["Location"].startswith(reverse("admin:two-factor-verify"))
    call_command("demo_organizer", code=True)
    code = capsys.readouterr().out.strip()
    assert client.post(reverse("admin:two-factor-verify"), {"code": code, "next": "/admin/"})["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
