"""A real Celery worker on Redis picks up a task and finishes it."""

import pytest

from expo.tasks import email_send
from tests.conftest import celery_broker, celery_worker, redis_url


@pytest.mark.redis
@pytest.mark.worker
def test_worker_on_redis_sends_an_email(tmp_path):
    url = redis_url()
    mail_dir = tmp_path / "mail"
    with (
        celery_broker(url),
        celery_worker(queue="test-worker", env={"REDIS_URL": url, "EMAIL_URL": f"file://{mail_dir}"}),
    ):
        result = email_send.apply_async(
            kwargs={"to": ["ana@hospital.mx"], "subject": "Bienvenida", "body": "Hola"}, queue="test-worker"
        )
        assert result.get(timeout=60, disable_sync_subtasks=False) == 1
    files = list(mail_dir.glob("*.log"))
    assert len(files) == 1 and "Bienvenida" in files[0].read_text()
