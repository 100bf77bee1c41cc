"""ARCO rights (LFPDPPP): everything held about one registration, exported or erased, across the apps.

Registration sits below the program, exhibitors and networking, so it cannot read their tables. Each
of them registers a `PersonalDataSource` here in its AppConfig.ready() (as with the cancel handlers of
`cancellation.py`): an `export` that returns its part as JSON-ready data, an `erase` that anonymizes
or deletes its rows, and optionally `files` for the ZIP (certificate PDFs). This module does the
registration's own part (the registration, its consents, door scans, the emails written to the
person and the audit trail of their registration) and calls every source.

Erasure (`personal_data_erase`) keeps the rows that figures count, made anonymous: the registration
stays with its edition, pass, status, organization kind, country, language and dates, so seats sold,
check-ins, attendance and meetings held add up as before; the name becomes "Anónimo #<id>", the
email a unique address under the reserved `.invalid` domain (never delivered, and one registration
per email still holds), organization, job title, state, interests and the consent to share contact
details are cleared, and the badge's short code is replaced. Everything happens in one transaction:
a source that fails rolls the whole erasure back. A second erasure finds nothing to do.

The person's email, full name and badge code can also sit in JSON and text that other rows hold (an
email to someone else, a webhook payload, an audit entry): `Erasure.scrub` replaces them there, and
each source passes such JSON through it. Rows that are the person's own are blanked or rewritten
whole (their lead's notes, their request messages, their registration's audit entries).
"""

import io
import json
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import get_random_string

from expo.mail.models import OptOut, OutboxEmail

from .models import Attendee, BadgeScan

ERASED_DOMAIN = "erased.invalid"
ERASED = "[erased]"
BADGE_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def erased_email(attendee_id: int) -> str:
    return f"erased-{attendee_id}@{ERASED_DOMAIN}"


@dataclass
class Erasure:
    """What one erasure knows: the registration (already anonymized), its values before, the time
    and who asked. `scrub` replaces the values before wherever they appear in text or JSON."""

    attendee: Attendee
    originals: dict[str, str]
    at: datetime
    by: Any = None
    done: dict[str, Any] = field(default_factory=dict)

    @property
    def email(self) -> str:
        return self.originals["email"]

    # Looked for in rows that are not the person's own: values that name this person and nobody else.
    # A first name alone ("Ana") or an organization would also match other people's rows and words.
    DISTINCTIVE = ("email", "full_name", "badge_code")

    def _values(self) -> list[str]:
        values = {self.originals.get(name, "") for name in self.DISTINCTIVE}
        return sorted((v for v in values if len(v) >= 3), key=len, reverse=True)

    def _pattern(self) -> re.Pattern | None:
        values = self._values()
        if not values:
            return None
        return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(v) for v in values) + r")(?!\w)", re.IGNORECASE)

    def scrub(self, value):
        """`value` (a string, or JSON: dicts, lists) with the person's email, full name and badge code
        replaced by [erased] wherever they stand as whole words."""
        pattern = self._pattern()
        if pattern is None:
            return value

        def walk(item):
            if isinstance(item, str):
                return pattern.sub(ERASED, item)
            if isinstance(item, dict):
                return {walk(k): walk(v) for k, v in item.items()}
            if isinstance(item, list):
                return [walk(v) for v in item]
            return item

        return walk(value)

    def text_filter(self, *fields: str) -> Q:
        """Rows whose `fields` (text or JSON, compared as text) contain a distinctive original value."""
        query = Q()
        for value in self._values():
            for name in fields:
                query |= Q(**{f"{name}__icontains": value})
        return query


@dataclass(frozen=True)
class PersonalDataSource:
    """One app's part: `export(*, attendee) -> dict`, `erase(*, erasure) -> dict` (what it did, as
    counts), `files(*, attendee) -> {filename: bytes}` for the ZIP (optional)."""

    name: str
    export: Callable[..., dict]
    erase: Callable[..., dict]
    files: Callable[..., dict[str, bytes]] | None = None


_sources: dict[str, PersonalDataSource] = {}


def personal_data_source_register(source: PersonalDataSource) -> None:
    """Add an app's part to exports and erasures; registering the same name again replaces it."""
    _sources[source.name] = source


def personal_data_sources() -> list[PersonalDataSource]:
    return list(_sources.values())


def _iso(value):
    return value.isoformat() if value else None


def _audit_entries(attendee: Attendee) -> list[dict]:
    """The audit trail of the registration itself: when, what was done, which fields (no actor: a
    member of staff is another person)."""
    content_type = ContentType.objects.get_for_model(Attendee)
    return [
        {"at": _iso(e.timestamp), "action": e.get_action_display(), "changes": e.changes}
        for e in LogEntry.objects.filter(content_type=content_type, object_pk=str(attendee.pk)).order_by("timestamp")
    ]


def _registration_export(attendee: Attendee) -> dict:
    return {
        "id": attendee.pk,
        "edition": attendee.event.name,
        "pass_type": attendee.pass_type.name,
        "status": attendee.status,
        "email": attendee.email,
        "first_name": attendee.first_name,
        "last_name": attendee.last_name,
        "organization": attendee.organization_name,
        "organization_kind": attendee.organization_kind,
        "job_title": attendee.job_title,
        "state": attendee.state.name if attendee.state_id else "",
        "country": attendee.country,
        "interests": [term.name for term in attendee.interests.all()],
        "language": attendee.language,
        "badge_code": attendee.badge_code,
        "registered_at": _iso(attendee.created_at),
        "registered_at_desk": attendee.registered_at_desk,
        "cancelled_at": _iso(attendee.cancelled_at),
        "last_signin_at": _iso(attendee.last_signin_at),
        "erased_at": _iso(attendee.erased_at),
        "consents": {
            "privacy_notice_accepted_at": _iso(attendee.privacy_accepted_at),
            "share_contact_with_exhibitors": attendee.share_with_exhibitors,
            "unsubscribed_from_announcements": OptOut.objects.filter(email=attendee.email.lower()).exists(),
        },
        "door_checkins": [
            {"day": scan.day.isoformat(), "at": _iso(scan.scanned_at), "gate": scan.gate}
            for scan in BadgeScan.objects.filter(attendee=attendee).order_by("scanned_at")
        ],
        "emails": [
            {"template": e.template, "subject": e.subject, "written_at": _iso(e.created_at), "sent_at": _iso(e.sent_at)}
            for e in OutboxEmail.objects.filter(to__iexact=attendee.email).order_by("created_at")
        ],
        "audit_trail": _audit_entries(attendee),
    }


def personal_data_export(*, attendee: Attendee) -> dict:
    """Everything held about this registration, by app, as JSON-ready data (ids for other people)."""
    attendee = Attendee.objects.select_related("event", "pass_type", "state").get(pk=attendee.pk)
    data = {"exported_at": _iso(timezone.now()), "registration": _registration_export(attendee)}
    for source in personal_data_sources():
        data[source.name] = source.export(attendee=attendee)
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def personal_data_files(*, attendee: Attendee) -> dict[str, bytes]:
    """The documents that go with the export: the badge (while the registration is not erased) and
    what the sources add (certificates)."""
    from .badge_pdf import badge_pdf  # noqa: PLC0415 -- ReportLab, only for the ZIP

    files = {} if attendee.erased_at else {f"gafete-{attendee.pk}.pdf": badge_pdf(attendee)}
    for source in personal_data_sources():
        if source.files is not None:
            files.update(source.files(attendee=attendee))
    return files


def _badge_code_new() -> str:
    while True:
        code = get_random_string(12, BADGE_CODE_ALPHABET)
        if not Attendee.objects.filter(badge_code=code).exists():
            return code


def audit_entries_redact(model, pks) -> int:
    """The audit entries of these rows keep what was done and when, not the values (for the sources:
    a lead's notes, a registration's old name)."""
    content_type = ContentType.objects.get_for_model(model)
    count = 0
    for entry in LogEntry.objects.filter(content_type=content_type, object_pk__in=[str(pk) for pk in pks]):
        entry.changes = {name: [ERASED, ERASED] for name in (entry.changes or {})} or None
        entry.object_repr, entry.serialized_data, entry.changes_text = f"#{entry.object_pk}", None, ""
        entry.save(update_fields=["changes", "object_repr", "serialized_data", "changes_text"])
        count += 1
    return count


def _registration_erase(erasure: Erasure) -> dict:
    """The emails and the audit trail of the registration; the row itself was anonymized first."""
    attendee = erasure.attendee
    emails = OutboxEmail.objects.filter(to__iexact=erasure.email)
    unsent = emails.filter(sent_at__isnull=True).delete()[0]
    sent = emails.update(to=attendee.email, context={}, last_error="", key=None)
    # Emails to other people that name this one (a meeting request, a cancelled meeting...).
    named = 0
    for email in OutboxEmail.objects.filter(erasure.text_filter("context", "last_error", "subject")):
        email.context, email.last_error = erasure.scrub(email.context), erasure.scrub(email.last_error)
        email.subject = erasure.scrub(email.subject)
        email.save(update_fields=["context", "last_error", "subject"])
        named += 1
    OptOut.objects.filter(email=erasure.email.lower()).delete()
    # The audit trail: the registration's entries keep what was done and when, not the values;
    # other entries that name the person (a lead "Exhibitor → Name <email>") lose the name.
    audited = audit_entries_redact(Attendee, [attendee.pk])
    fields = ("object_repr", "changes_text", "changes", "serialized_data", "additional_data")
    for entry in LogEntry.objects.filter(erasure.text_filter(*fields)):
        for name in fields:
            setattr(entry, name, erasure.scrub(getattr(entry, name)))
        entry.save(update_fields=list(fields))
        audited += 1
    return {"emails_deleted": unsent, "emails_blanked": sent, "emails_naming_them": named, "audit_entries": audited}


def personal_data_erase(*, attendee: Attendee, by=None, at: datetime | None = None) -> dict | None:
    """Erase what is held about one person, in every app, in one transaction (see the module docstring).

    Returns what was done per app (counts), or None when the registration was already erased. The
    erasure itself is written to the audit trail: who, which registration, when; no personal data.
    """
    at = at or timezone.now()
    with transaction.atomic():
        attendee = Attendee.objects.select_for_update().select_related("event").get(pk=attendee.pk)
        if attendee.erased_at is not None:
            return None
        originals = {
            "email": attendee.email,
            "first_name": attendee.first_name,
            "last_name": attendee.last_name,
            "full_name": attendee.full_name,
            "organization": attendee.organization_name,
            "job_title": attendee.job_title,
            "badge_code": attendee.badge_code,
        }
        # The row first, by an update (no audit entry carrying the old values): whatever the sources
        # write next (the other side's "meeting cancelled" email, a webhook) names "Anónimo #id".
        Attendee.objects.filter(pk=attendee.pk).update(
            email=erased_email(attendee.pk), first_name="Anónimo", last_name=f"#{attendee.pk}",
            organization_name="", job_title="", state=None, share_with_exhibitors=False,
            badge_code=_badge_code_new(), last_signin_at=at, erased_at=at,
        )  # fmt: skip
        attendee.interests.clear()
        attendee.refresh_from_db()
        erasure = Erasure(attendee=attendee, originals=originals, at=at, by=by)
        for source in personal_data_sources():
            erasure.done[source.name] = source.erase(erasure=erasure)
        erasure.done["registration"] = _registration_erase(erasure)
        LogEntry.objects.log_create(
            attendee,
            action=LogEntry.Action.UPDATE,
            changes={"personal_data": ["held", "erased"]},
            object_repr=f"#{attendee.pk}",
            serialized_data=None,
            actor=by if getattr(by, "is_authenticated", False) else None,
            additional_data={"arco": "erasure"},
            force_log=True,
        )
    return erasure.done


def personal_data_archive(*, attendee: Attendee, by=None) -> bytes:
    """The export as a ZIP: `datos-personales.json` and the documents (badge, certificates).

    The audit trail records that it was taken (who, which registration, when), not what it holds."""
    data = personal_data_export(attendee=attendee)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("datos-personales.json", json.dumps(data, ensure_ascii=False, indent=2))
        for name, content in personal_data_files(attendee=attendee).items():
            archive.writestr(name, content)
    personal_data_access_log(attendee=attendee, by=by)
    return buffer.getvalue()


def personal_data_access_log(*, attendee: Attendee, by=None) -> None:
    LogEntry.objects.log_create(
        attendee,
        action=LogEntry.Action.ACCESS,
        changes=None,
        object_repr=f"#{attendee.pk}",
        serialized_data=None,
        actor=by if getattr(by, "is_authenticated", False) else None,
        additional_data={"arco": "export"},
        force_log=True,
    )
