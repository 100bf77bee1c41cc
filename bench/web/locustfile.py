"""Locust users for bench/bench_web.py: each run drives ONE endpoint, named by the BENCH_ENDPOINT variable.

The fixtures the users need (session cookies of door staff and B2B participants, badge codes, tokens)
are prepared by bench_web.py in the JSON file named by BENCH_FIXTURES; this file only sends requests.
"""

import itertools
import json
import os
import random
import uuid

from locust import FastHttpUser, constant, task

FIXTURES = json.load(open(os.environ["BENCH_FIXTURES"]))
ENDPOINT = os.environ["BENCH_ENDPOINT"]
_counter = itertools.count()


class Visitor(FastHttpUser):
    """geventhttpclient (FastHttpUser), not requests: with the server on the same two cores, the load
    tool's own CPU counts; requests-based users capped the ceiling at about 600 requests a second."""

    wait_time = constant(0)

    def on_start(self):
        self.index = next(_counter)
        self.csrf = None
        self.cookies = {}  # sent by hand: the session changes per request for some endpoints
        session = None
        if ENDPOINT in ("door_scan",):
            session = FIXTURES["staff_sessions"][self.index % len(FIXTURES["staff_sessions"])]
        elif ENDPOINT in ("b2b_recommendations",):
            session = FIXTURES["participant_sessions"][self.index % len(FIXTURES["participant_sessions"])]
        if session:
            self.cookies["sessionid"] = session
        page = FIXTURES["csrf_pages"].get(ENDPOINT)
        if page:
            self.client.get(page, name="(setup)", headers=self._headers())
            self.csrf = next((c.value for c in self.client.cookiejar if c.name == "csrftoken"), None)
            self.cookies["csrftoken"] = self.csrf

    def _headers(self, **extra) -> dict:
        # Each request comes from another visitor's address (the bench trusts one proxy, PROXY_COUNT=1),
        # as at the fair; otherwise the per-address rate limits would answer 429 to the load tool itself.
        headers = {"X-Forwarded-For": f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        return {**headers, **extra}

    def _post(self, url, data, name, **headers):
        return self.client.post(url, data=data, name=name, headers=self._headers(
            **{"X-CSRFToken": self.csrf, "Referer": self.host + url}, **headers))  # fmt: skip

    @task
    def hit(self):
        if ENDPOINT == "door_scan":
            code = random.choice(FIXTURES["badge_codes"])
            self._post("/mostrador/acceso/escanear/", {"code": code, "gate": f"bench-{self.index}"}, "door scan")
        elif ENDPOINT == "registration":
            email = f"bench-{uuid.uuid4().hex[:16]}@bench.example.mx"
            data = dict(FIXTURES["registration_form"], email=email, csrfmiddlewaretoken=self.csrf)
            self._post("/registro/", data, "registration")
        elif ENDPOINT == "workshop_enrollment":
            # Another visitor each time, into one of the upcoming workshops (seats, then the waitlist).
            self.cookies["sessionid"] = random.choice(FIXTURES["visitor_sessions"])
            workshop = random.choice(FIXTURES["workshops"])
            self._post(f"/programa/sesion/{workshop}/inscribirme/", {"confirm": "1"}, "workshop enrollment")
        elif ENDPOINT == "exhibitor_page":
            self.client.get(f"/expositores/{random.choice(FIXTURES['exhibitor_slugs'])}/", name=ENDPOINT,
                            headers=self._headers())  # fmt: skip
        elif ENDPOINT in ("api_lead_create", "api_lead_list"):
            token = FIXTURES["api_tokens"][self.index % len(FIXTURES["api_tokens"])]
            auth = {"Authorization": f"Bearer {token}"}
            if ENDPOINT == "api_lead_create":
                self.client.post("/api/v1/leads/", json={"badge_code": random.choice(FIXTURES["badge_codes"])},
                                 headers=self._headers(**auth), name=ENDPOINT)  # fmt: skip
            else:
                self.client.get("/api/v1/leads/", headers=self._headers(**auth), name=ENDPOINT)
        else:
            self.client.get(FIXTURES["urls"][ENDPOINT], name=ENDPOINT, headers=self._headers())
