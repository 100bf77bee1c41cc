"""Signed badge codes: Ed25519 per edition, rotation and retirement, short codes, the QR on the badge."""

import base64

import pytest
import segno
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.contrib.auth.models import User
from django.urls import reverse

from expo.registration.badge_pdf import badge_qr
from expo.registration.badges import (
    InvalidBadge,
    attendee_badge_code,
    badge_code_make,
    badge_code_parse,
    badge_signature_valid,
    public_key_bytes,
    short_code_display,
)
from expo.registration.models import BadgeKey
from expo.registration.selectors import badge_holder, badge_public_keys
from expo.registration.services import badge_key_retire, badge_key_rotate
from tests.conftest import login_verified
from tests.factories import AttendeeFactory, EventFactory

KEY = Ed25519PrivateKey.generate()


def make(**kwargs):
    return badge_code_make(private_key=KEY, **{"key_number": 1, "event_id": 3, "attendee_id": 12345, **kwargs})


def test_code_round_trips_and_verifies_with_the_public_key_alone():
    payload = badge_code_parse(make())
    assert (payload.event_id, payload.attendee_id, payload.key_number) == (3, 12345, 1)
    assert badge_signature_valid(payload, public_key_bytes(KEY))


def test_scanner_lowercase_and_spaces_are_tolerated():
    assert badge_code_parse(f"  {make(attendee_id=7).lower()}\n").attendee_id == 7


@pytest.mark.parametrize("tamper", [
    lambda c: c.replace(".12345.", ".12346."),   # someone else's id
    lambda c: c.replace(".1.", ".2.", 1),          # another key number
    lambda c: c[:-2] + ("A" if c[-2] != "A" else "B") + c[-1],  # altered signature
])  # fmt: skip
def test_altered_codes_fail_the_signature(tamper):
    assert not badge_signature_valid(badge_code_parse(tamper(make())), public_key_bytes(KEY))


@pytest.mark.parametrize("text", [
    "12345", "EXPO1.3.12345.ABCDEFGH", "EXPO2.3.12345.1", "EXPO2.².1.1." + "A" * 103, "EXPO2.3.1.1." + "A" * 102,
    "EXPO2.3.1.1." + "A" * 103 + "\x00",
])  # fmt: skip
def test_malformed_codes_are_not_badges(text):
    with pytest.raises(InvalidBadge):
        badge_code_parse(text)


def test_a_signature_has_one_spelling():
    """The last base32 character carries 2 bits of the signature and 3 unused ones: set, they are refused."""
    code = make()
    index = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".index(code[-1])
    with pytest.raises(InvalidBadge):
        badge_code_parse(code[:-1] + "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[index | 1])


def test_a_code_signed_with_another_key_is_rejected():
    other = Ed25519PrivateKey.generate()
    assert not badge_signature_valid(badge_code_parse(make()), public_key_bytes(other))


def test_code_fits_a_version_5_qr_at_level_m():
    code = make(event_id=99, attendee_id=9_999_999)
    assert len(code) == 122 and code.upper() == code  # 122 alphanumerics: the most a 5-M QR holds
    assert segno.make(code, error="m").designator == "5-M"
    qr = badge_qr(code)  # what the PDF badge draws, 50 mm wide with its quiet zone
    assert (qr.designator, qr.mode, qr.symbol_size(border=0)) == ("5-M", "alphanumeric", (37, 37))


@pytest.mark.django_db
class TestKeys:
    def test_each_edition_signs_with_its_own_key(self):
        ana, beto = AttendeeFactory(), AttendeeFactory()
        assert badge_holder(event=ana.event, code=attendee_badge_code(ana)).attendee == ana
        assert badge_holder(event=beto.event, code=attendee_badge_code(beto)).attendee == beto
        assert BadgeKey.objects.count() == 2
        # Beto's code, re-signed with Ana's edition key, names Beto's edition: refused.
        forged = attendee_badge_code(beto, signing_key=BadgeKey.objects.get(event=ana.event))
        assert badge_holder(event=beto.event, code=forged).outcome == "invalid"

    def test_private_key_is_stored_encrypted(self):
        ana = AttendeeFactory()
        attendee_badge_code(ana)
        key = BadgeKey.objects.get()
        raw = key.private_key().private_bytes_raw()
        assert base64.b64encode(raw).decode() not in key.sealed_private_key and raw.hex() not in key.sealed_private_key

    def test_rotation_keeps_old_badges_valid_until_the_old_key_is_retired(self):
        ana = AttendeeFactory()
        old_code = attendee_badge_code(ana)
        # The valid keys are kept in the cache after a scan; a key made or retired since counts at once.
        assert badge_holder(event=ana.event, code=old_code).valid
        new_key = badge_key_rotate(event=ana.event)
        new_code = attendee_badge_code(ana)
        assert new_code != old_code and f".{new_key.number}." in new_code
        assert badge_holder(event=ana.event, code=old_code).valid and badge_holder(event=ana.event, code=new_code).valid
        assert set(badge_public_keys(event=ana.event)) == {"1", "2"}
        badge_key_retire(key=BadgeKey.objects.get(number=1))
        assert badge_holder(event=ana.event, code=old_code).outcome == "invalid"
        assert badge_holder(event=ana.event, code=new_code).valid
        assert set(badge_public_keys(event=ana.event)) == {"2"}

    def test_keys_cached_before_a_database_restore_do_not_refuse_genuine_badges(self):
        from django.core.cache import cache

        ana = AttendeeFactory()
        code = attendee_badge_code(ana)
        assert badge_holder(event=ana.event, code=code).valid  # the edition's keys are cached now
        other = base64.b64encode(Ed25519PrivateKey.generate().public_key().public_bytes_raw()).decode()
        cache.set(f"badge-keys:{ana.event.pk}", {1: other})  # what a cache kept from another database
        assert badge_holder(event=ana.event, code=code).valid  # the database, the record, is asked again
        forged = code[:-8] + ("A" * 8 if not code.endswith("A" * 8) else "B" * 8)
        assert badge_holder(event=ana.event, code=forged).outcome == "invalid"

    def test_the_signing_key_cannot_be_retired(self):
        from django.core.exceptions import ValidationError

        ana = AttendeeFactory()
        attendee_badge_code(ana)
        with pytest.raises(ValidationError):
            badge_key_retire(key=BadgeKey.objects.get())

    def test_short_code_is_accepted_with_dashes_and_any_case(self):
        ana = AttendeeFactory(badge_code="ABCDEFGHJKLM")
        assert short_code_display(ana.badge_code) == "ABCD-EFGH-JKLM"
        assert badge_holder(event=ana.event, code="abcd-efgh-jklm").attendee == ana
        assert badge_holder(event=ana.event, code=" ABCD EFGH JKLM ").attendee == ana
        assert badge_holder(event=EventFactory(), code="ABCDEFGHJKLM").outcome == "other_event"
        assert badge_holder(event=ana.event, code="ABCDEFGHJKLN").outcome == "invalid"

    def test_admin_add_rotates_and_never_shows_the_private_key(self, client):
        ana = AttendeeFactory()
        attendee_badge_code(ana)
        login_verified(client, User.objects.create_superuser("org", password="x"))
        response = client.post(reverse("admin:registration_badgekey_add"), {"event": ana.event.pk})
        assert response.status_code == 302
        assert list(BadgeKey.objects.values_list("number", flat=True)) == [2, 1]
        for key in BadgeKey.objects.all():
            page = client.get(reverse("admin:registration_badgekey_change", args=[key.pk])).content.decode()
            assert key.public_key in page and key.sealed_private_key not in page
