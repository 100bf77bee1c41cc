"""The embedded setup runs the periodic tasks in-process (what `make run` starts next to the server)."""

import pytest
from django.core import mail
from django.core.management import call_command

from expo.mail.models import OutboxEmail
from expo.registration.services import registration_create
from tests.conftest import celery_broker
from tests.factories import EventFactory, PassTypeFactory


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_run_periodic_sends_what_the_outbox_kept(capsys):
    event = EventFactory()
    PassTypeFactory(event=event)
    with celery_broker("redis://127.0.0.1:9/0"):  # the email could not be queued
        registration_create(event=event, pass_type=event.pass_types.get(), email="a@x.mx", first_name="A",
                            last_name="B", privacy_accepted=True)  # fmt: skip
    assert OutboxEmail.objects.get().sent_at is None
    call_command("run_periodic", once=True)
    assert OutboxEmail.objects.get().sent_at is not None and len(mail.outbox) == 1
    assert "outbox-drain: 1" in capsys.readouterr().out


def test_run_periodic_finds_every_task_in_a_fresh_process(tmp_path):
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    env.pop("REDIS_URL", None)
    for command in (["migrate", "-v0"], ["run_periodic", "--once"]):
        result = subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, capture_output=True,
                                text=True, timeout=120)  # fmt: skip
        assert result.returncode == 0, result.stderr
    assert "outbox-drain: 0" in result.stdout and "b2b-requests-expire: 0" in result.stdout
    assert "NotRegistered" not in result.stderr
