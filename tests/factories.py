"""factory_boy factories for the whole domain."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import factory
from django.db.models import F
from django.utils import timezone

from exhibitors.models import Exhibitor, Hall, Organization, Product
from expo.events.models import Event, OrganizationKind, Room, Term, Venue
from expo.program.models import Session, Speaker, Track
from expo.registration.models import Attendee, PassType
from networking.models import Meeting, MeetingRequest, MeetingSeat, NetworkingSpace, Profile, Slot, Table

MX = ZoneInfo("America/Mexico_City")


class TermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Term
        django_get_or_create = ["vocabulary", "slug"]

    vocabulary = Term.Vocabulary.DEVICE_CATEGORY
    slug = factory.Sequence(lambda n: f"term-{n}")
    name_es = factory.Sequence(lambda n: f"Término {n}")
    name_en = factory.Sequence(lambda n: f"Term {n}")


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    name = "World Trade Center Ciudad de México"
    city = "Ciudad de México"


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    venue = factory.SubFactory(VenueFactory)
    name_es = factory.Sequence(lambda n: f"Salón {n}")
    name_en = factory.Sequence(lambda n: f"Room {n}")
    capacity = 100


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    name = factory.Sequence(lambda n: f"Medical Expo {2030 + n}")
    slug = factory.Sequence(lambda n: f"medical-expo-{2030 + n}")
    venue = factory.SubFactory(VenueFactory)
    # Two months ahead of whatever day the tests run on: an edition still to come.
    start_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=60))
    end_date = factory.LazyAttribute(lambda o: o.start_date + timedelta(days=2))
    is_published = True


class TrackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Track

    event = factory.SubFactory(EventFactory)
    name_es = factory.Sequence(lambda n: f"Eje {n}")
    name_en = factory.Sequence(lambda n: f"Track {n}")


class SpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Speaker

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Ponente {n}")
    affiliation = "IMSS"


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    event = factory.SubFactory(EventFactory)
    title = factory.Sequence(lambda n: f"Conferencia {n}")
    room = factory.SubFactory(RoomFactory)
    start = factory.LazyAttribute(
        lambda o: datetime.combine(o.event.start_date, datetime.min.time(), MX) + timedelta(hours=10)
    )
    end = factory.LazyAttribute(lambda o: o.start + timedelta(minutes=40))
    track = factory.SubFactory(TrackFactory, event=factory.SelfAttribute("..event"))


class PassTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PassType

    event = factory.SubFactory(EventFactory)
    slug = factory.Sequence(lambda n: f"pase-{n}")
    name_es = "Visitante"
    name_en = "Visitor"


class AttendeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendee

    event = factory.SubFactory(EventFactory)
    pass_type = factory.SubFactory(PassTypeFactory, event=factory.SelfAttribute("..event"))
    email = factory.Sequence(lambda n: f"persona{n}@example.mx")
    first_name = "Ana"
    last_name = factory.Sequence(lambda n: f"García {n}")
    privacy_accepted_at = factory.LazyFunction(timezone.now)
    badge_code = factory.Sequence(lambda n: f"T{n:020d}")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """Take the seat, as registration_create does, so that the pass type's counter stays true."""
        attendee = super()._create(model_class, *args, **kwargs)
        if attendee.status == Attendee.Status.CONFIRMED:
            PassType.objects.filter(pk=attendee.pass_type_id).update(registered_count=F("registered_count") + 1)
        return attendee


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Plásticos Médicos {n}, S.A. de C.V.")
    kind = OrganizationKind.SUPPLIER


class HallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hall

    event = factory.SubFactory(EventFactory)
    code = factory.Sequence(lambda n: f"h{n}")
    name_es = factory.Sequence(lambda n: f"Salón {n}")
    name_en = factory.Sequence(lambda n: f"Hall {n}")


class ExhibitorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Exhibitor
        skip_postgeneration_save = True

    event = factory.SubFactory(EventFactory)
    organization = factory.SubFactory(OrganizationFactory)
    slug = factory.Sequence(lambda n: f"expositor-{n}")
    booth = factory.Sequence(lambda n: f"A-{100 + n}")
    hall = None

    @factory.post_generation
    def indexed(self, create, extracted, **kwargs):
        """Keep the directory's search text, as the services do."""
        if create:
            from exhibitors.services import exhibitor_search_text_refresh

            exhibitor_search_text_refresh(exhibitor_ids=[self.pk])


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product
        skip_postgeneration_save = True

    exhibitor = factory.SubFactory(ExhibitorFactory)
    name = factory.Sequence(lambda n: f"Catéter {n}")

    @factory.post_generation
    def indexed(self, create, extracted, **kwargs):
        if create:
            from exhibitors.services import exhibitor_search_text_refresh

            exhibitor_search_text_refresh(exhibitor_ids=[self.exhibitor_id])


class SlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Slot

    event = factory.SubFactory(EventFactory)
    start = factory.LazyAttributeSequence(
        lambda o, n: datetime.combine(o.event.start_date, datetime.min.time(), MX) + timedelta(hours=10, minutes=20 * n)
    )
    end = factory.LazyAttribute(lambda o: o.start + timedelta(minutes=20))


class NetworkingSpaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NetworkingSpace

    event = factory.SubFactory(EventFactory)
    code = factory.Sequence(lambda n: f"S{n}")
    name_es = factory.Sequence(lambda n: f"Espacio B2B {n}")
    name_en = factory.Sequence(lambda n: f"B2B space {n}")


class TableFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Table

    space = factory.SubFactory(NetworkingSpaceFactory)
    number = factory.Sequence(lambda n: n + 1)


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile

    event = factory.SubFactory(EventFactory)
    attendee = factory.SubFactory(AttendeeFactory, event=factory.SelfAttribute("..event"))
    role = Profile.Role.HOSPITAL


class ParticipantFactory(ProfileFactory):
    """A B2B participant: a confirmed registration whose pass includes B2B meetings."""

    attendee = factory.SubFactory(
        AttendeeFactory,
        event=factory.SelfAttribute("..event"),
        pass_type=factory.SubFactory(
            PassTypeFactory, event=factory.SelfAttribute("..event"), includes_b2b=True, name_es="B2B", name_en="B2B"
        ),
    )


class MeetingRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingRequest

    event = factory.SubFactory(EventFactory)
    sender = factory.SubFactory(ParticipantFactory, event=factory.SelfAttribute("..event"))
    recipient = factory.SubFactory(ParticipantFactory, event=factory.SelfAttribute("..event"))
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(hours=72))


class MeetingFactory(factory.django.DjangoModelFactory):
    """A meeting; `between=(a, b)` seats two profiles in it."""

    class Meta:
        model = Meeting
        skip_postgeneration_save = True

    event = factory.SubFactory(EventFactory)
    slot = factory.SubFactory(SlotFactory, event=factory.SelfAttribute("..event"))
    table = factory.SubFactory(TableFactory, space__event=factory.SelfAttribute("...event"))
    status = Meeting.Status.PUBLISHED

    @factory.post_generation
    def between(self, create, profiles, **kwargs):
        for profile in profiles or ():
            MeetingSeat.objects.create(meeting=self, profile=profile, slot=self.slot)
