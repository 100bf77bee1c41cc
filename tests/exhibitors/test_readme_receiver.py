"""The README's ten-line webhook receiver, run as it is written, verifies real deliveries and
rejects a tampered one."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from exhibitors.services import lead_capture, webhook_endpoint_create
from tests.exhibitors.conftest import badge, visitor, wait_until
from tests.factories import EventFactory, ExhibitorFactory

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_receiver() -> str:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)
    code = next(block for block in blocks if "serve_forever" in block and "Expo-Webhook-Signature" in block)
    assert len(code.strip().splitlines()) <= 10
    return code


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.django_db(transaction=True)
def test_the_readme_receiver_verifies_real_deliveries(settings, tmp_path):
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True
    event = EventFactory()
    exhibitor = ExhibitorFactory(event=event)
    port = free_port()
    endpoint = webhook_endpoint_create(exhibitor=exhibitor, url=f"http://127.0.0.1:{port}/")
    script = tmp_path / "receiver.py"
    script.write_text(readme_receiver())
    output = tmp_path / "out.txt"
    with open(output, "w") as out:
        env = {**os.environ, "EXPO_WEBHOOK_SECRET": endpoint.secret, "PORT": str(port)}
        receiver = subprocess.Popen([sys.executable, str(script)], stdout=out, stderr=subprocess.DEVNULL, env=env)
    try:
        assert wait_until(lambda: _listening(port), timeout=10)
        lead_capture(exhibitor=exhibitor, code=badge(visitor(event, consent=True)))
        assert endpoint.deliveries.get().status == "delivered"
        assert wait_until(lambda: "lead.created" in output.read_text(), timeout=10)
        # A request signed with another secret, or replayed later, is refused.
        body = b'{"type": "lead.created"}'
        forged = urllib.request.Request(f"http://127.0.0.1:{port}/", data=body, method="POST", headers={
            "Expo-Webhook-Timestamp": str(int(time.time())), "Expo-Webhook-Signature": "v1=" + "0" * 64,
            "Expo-Webhook-Id": "forged", "Content-Type": "application/json"})  # fmt: skip
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(forged, timeout=5)
        assert refused.value.code == 400
    finally:
        receiver.terminate()
        receiver.wait(timeout=10)


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0
