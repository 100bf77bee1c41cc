"""The guide at the top of /api/docs/ and /api/redoc/: authentication, scopes, idempotency, errors,
rate limits and webhooks, with examples (a drf-spectacular postprocessing hook puts it in the schema)."""

GUIDE = """
Program, exhibitor directory and B2B meetings of Medical Expo, and the **exhibitor API**: an
exhibitor's profile, products, leads, meetings and webhooks, for CRMs and scripts.

## Authentication

The public endpoints (`events`, `sessions`, `exhibitors`) need nothing. Everything else takes an
exhibitor API token in the `Authorization` header:

```
curl -H "Authorization: Bearer expo_ab12cd34_..." https://expo.example.mx/api/v1/leads/
```

A token belongs to one exhibitor and sees only that exhibitor's objects: another exhibitor's lead,
product or webhook answers **404**, as if it did not exist. Exhibitor staff make tokens in the
portal (*Expositor → API y webhooks*; the token is shown once) and organizers with
`python manage.py create_exhibitor_token EXHIBITOR --scopes read,profile,leads,webhooks [--expires 2026-12-31]`.
Only a SHA-256 digest of a token is stored. A missing, unknown, revoked or expired token answers
**401** (`{"detail": "This token has expired."}`), with `WWW-Authenticate: Bearer`.

## Scopes

| scope | allows |
| --- | --- |
| `read` | read the company profile, products and B2B meetings |
| `profile` | change the company profile and products |
| `leads` | list, capture (from a badge code) and update leads |
| `webhooks` | manage webhook endpoints, read their delivery log, send test events |

A token without the scope an operation needs answers **403** and names the missing scope. Each
operation below says its scope.

## Pagination and filters

Lists answer `{"count", "next", "previous", "results"}`; `?limit=` (up to 50 by default) and
`?offset=`. Leads filter by `captured_after`, `captured_before`, `updated_after` (ISO 8601: sync
what changed since your last run), `rating` (`hot`, `warm`, `cold`, `none`) and `status`.

## Idempotency

Every `POST` accepts an `Idempotency-Key` header (any unique string, a UUID for instance). The first
request with a key runs; a retry with the same key and the same body, within 24 hours, gets the same
status and body back (with `Idempotent-Replayed: true`) and creates nothing twice, even when both
arrive at once. The same key with a different request answers **422**.

```
curl -X POST -H "Authorization: Bearer $TOKEN" -H "Idempotency-Key: 6f1c0c5e-2b0e-4f7e-9d8a-1a2b3c4d5e6f" \\
     -H "Content-Type: application/json" -d '{"badge_code": "EXPO1.1.2044.KX7..."}' \\
     https://expo.example.mx/api/v1/leads/
```

## Errors

Errors are JSON. A request that is not valid answers **400** naming each field and why:

```
{"rating": ["\\"lukewarm\\" is not a valid choice."], "badge_code": ["This code is not a Medical Expo badge."]}
```

Other errors carry `detail`: `{"detail": "This token lacks the scope: leads."}`. Messages follow
`Accept-Language` (Spanish or English).

## Rate limits

Each token may make `API_TOKEN_RATE` requests (120 a minute by default). Past it the API answers
**429** with `Retry-After: <seconds>`.

## Contact details and consent

A lead always carries the visitor's badge details (name, organization and its kind). Email, job
title, state, country, language and interests come only when the visitor agreed, at registration,
to share them with exhibitors (`visitor.shared`); otherwise they are `null` and
`visitor.hidden_reason` says why. The same rule holds in the portal, its exports and webhooks.

## Webhooks

Endpoints (`/api/v1/webhooks/` or the portal) receive `lead.created`, `lead.updated`,
`meeting.scheduled` and `meeting.cancelled` (and `ping`, the test event) as a JSON `POST`:

```
POST /hooks/expo HTTP/1.1
Content-Type: application/json
Expo-Webhook-Id: 0d6f6f0e-7d1a-4c1e-9d55-3d0f8c7b2a11
Expo-Webhook-Event: lead.created
Expo-Webhook-Timestamp: 1761667200
Expo-Webhook-Signature: v1=5b0c1f...e9

{"id": "0d6f6f0e-...", "type": "lead.created", "created_at": "2025-10-28T11:02:03-06:00",
 "exhibitor": {"id": 12, "slug": "baxter", "name": "Baxter"},
 "data": {"id": 981, "visitor": {"shared": true, "name": "Ana García", "email": "ana@hospital.mx", ...},
          "rating": "", "status": "new", "notes": "", "captured_at": "2025-10-28T11:02:03-06:00", ...}}
```

`data` is the lead as `GET /api/v1/leads/{id}/` returns it (for `lead.updated`, plus `changed`: the
fields that changed), or the meeting as `GET /api/v1/meetings/{id}/` does.

**Verify** every request: `Expo-Webhook-Signature` is `v1=` and the hex HMAC-SHA256, keyed with the
endpoint's signing secret (`whsec_...`), of the timestamp, a dot and the raw body. Compare in constant
time, reject a timestamp more than 5 minutes from your clock (a replay), and ignore an
`Expo-Webhook-Id` you have already processed (a retry you answered but we did not hear).

```python
expected = "v1=" + hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
ok = hmac.compare_digest(expected, signature) and abs(time.time() - int(timestamp)) < 300
```

**Delivery.** Deliveries are written with the change that causes them and sent in order per
endpoint, one at a time. Answer 2xx within 10 seconds. Any other answer or a timeout is retried
with exponential backoff (30 s, 1 min, 2 min... up to 6 h apart) for up to a day; later events wait
behind the failing one, so they arrive in order. **410 Gone** disables the endpoint. Redirects are
not followed. URLs must be `https` and public: loopback and private addresses are refused, when the
endpoint is saved and again at every delivery. The delivery log (`/api/v1/webhooks/{id}/deliveries/`)
shows each attempt's HTTP status and time.
"""


def schema_document(result, generator, request, public):
    """Postprocessing hook: the guide as the schema's description, and the range of integer ids in
    paths (what `<id:pk>` matches, expo/lib/parsing.py IdConverter; anything else is a JSON 404)."""
    result.setdefault("info", {})["description"] = GUIDE.strip()
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []) if isinstance(operation, dict) else []:
                if parameter.get("in") == "path" and parameter.get("schema", {}).get("type") == "integer":
                    parameter["schema"].update(minimum=0, maximum=10**18 - 1)
    return result
