"""Locust users for bench/bench_web.py: each run drives ONE endpoint, named by the BENCH_ENDPOINT variable.

The fixtures the users need (session cookies of door staff and B2B participants, badge codes, tokens)
are prepared by bench_web.py in the JSON file named by BENCH_FIXTURES; this file only sends requests.
"""

import itertools
import json
import os
import random
import uuid

from locust import HttpUser, constant, task

FIXTURES = json.load(open(os.environ["BENCH_FIXTURES"]))
ENDPOINT = os.environ["BENCH_ENDPOINT"]
_counter = itertools.count()


class Visitor(HttpUser):
    wait_time = constant(0)

    def on_start(self):
        self.index = next(_counter)
        self.csrf = None
        session = None
        if ENDPOINT in ("door_scan",):
            session = FIXTURES["staff_sessions"][self.index % len(FIXTURES["staff_sessions"])]
        elif ENDPOINT in ("b2b_recommendations",):
            session = FIXTURES["participant_sessions"][self.index % len(FIXTURES["participant_sessions"])]
        if session:
            self.client.cookies.set("sessionid", session)
        page = FIXTURES["csrf_pages"].get(ENDPOINT)
        if page:
            self.client.get(page, name="(setup)")
            self.csrf = self.client.cookies.get("csrftoken")

    def _post(self, url, data, name):
        return self.client.post(url, data=data, headers={"X-CSRFToken": self.csrf, "Referer": self.host + url},
                                name=name)  # fmt: skip

    @task
    def hit(self):
        if ENDPOINT == "door_scan":
            code = random.choice(FIXTURES["badge_codes"])
            self._post("/mostrador/acceso/escanear/", {"code": code, "gate": f"bench-{self.index}"}, "door scan")
        elif ENDPOINT == "registration":
            email = f"bench-{uuid.uuid4().hex[:16]}@bench.example.mx"
            data = dict(FIXTURES["registration_form"], email=email, csrfmiddlewaretoken=self.csrf)
            self._post("/registro/", data, "registration")
        else:
            url = FIXTURES["urls"][ENDPOINT]
            self.client.get(url, name=ENDPOINT)
