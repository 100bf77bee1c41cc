"""Bulk import and export of sessions and speakers (admin: Sessions / Speakers → Import).

A session row names its edition (slug), room and track (Spanish names), start and end
(YYYY-MM-DD HH:MM, Mexico City time) and speakers (names separated by ";", speakers of the same
edition). Rows with an `id` update that session. A bad row reports its line and reason; nothing
is imported until every row is right.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, widgets

from expo.events.models import Event, Room
from expo.lib.bulk import AllOrNothingResource, ChoiceWidget

from . import services
from .models import Session, Speaker, Track


def _event_slug(row) -> str:
    return str(row.get("event") or "").strip()


class TrackWidget(widgets.ForeignKeyWidget):
    def __init__(self):
        super().__init__(Track, "name_es")

    def clean(self, value, row=None, **kwargs):
        if not value:
            return None
        track = Track.objects.filter(event__slug=_event_slug(row), name_es__iexact=str(value).strip()).first()
        if track is None:
            raise ValueError(_("No track called %(name)s in this edition.") % {"name": value})
        return track


class RoomWidget(widgets.ForeignKeyWidget):
    def __init__(self):
        super().__init__(Room, "name_es")

    def clean(self, value, row=None, **kwargs):
        event = Event.objects.filter(slug=_event_slug(row)).first()
        room = Room.objects.filter(venue__events=event, name_es__iexact=str(value or "").strip()).first()
        if room is None:
            raise ValueError(_("No room called %(name)s at this edition's venue.") % {"name": value})
        return room


class SpeakersWidget(widgets.ManyToManyWidget):
    def __init__(self):
        super().__init__(Speaker, separator=";", field="name")

    def clean(self, value, row=None, **kwargs):
        names = [n.strip() for n in str(value or "").split(";") if n.strip()]
        speakers = list(Speaker.objects.filter(event__slug=_event_slug(row), name__in=names))
        unknown = sorted(set(names) - {s.name for s in speakers})
        if unknown:
            raise ValueError(_("Unknown speakers (import them first): %(names)s") % {"names": "; ".join(unknown)})
        return speakers


class SessionResource(AllOrNothingResource):
    event = fields.Field("event", "event", widgets.ForeignKeyWidget(Event, "slug"))
    kind = fields.Field("kind", "kind", ChoiceWidget(Session.Kind))
    language = fields.Field("language", "language", ChoiceWidget(Session.Language))
    track = fields.Field("track", "track", TrackWidget())
    room = fields.Field("room", "room", RoomWidget())
    start = fields.Field("start", "start", widgets.DateTimeWidget("%Y-%m-%d %H:%M"))
    end = fields.Field("end", "end", widgets.DateTimeWidget("%Y-%m-%d %H:%M"))
    speakers = fields.Field("speakers", "speakers", SpeakersWidget())

    class Meta:
        model = Session
        fields = ["id", "event", "title", "abstract", "kind", "track", "room", "start", "end", "capacity",
                  "language", "speakers", "training_hours"]  # fmt: skip
        skip_unchanged = True

    def get_export_queryset(self, request):
        return Session.objects.select_related("event", "track", "room").prefetch_related("speakers")

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors.update(error.message_dict)
        try:  # many-to-many values are saved after the row; check them now, so the row is reported
            self.fields["speakers"].widget.clean(row.get("speakers"), row=row)
        except ValueError as error:
            errors["speakers"] = str(error)
        if errors:
            raise ValidationError(errors)

    def save_instance(self, instance, is_create, row, **kwargs):
        """Through the program's service, as in the admin form: a moved or cancelled session emails the
        people booked (after the commit, so a preview sends nothing), a lowered capacity is refused."""
        previous = None if is_create else Session.objects.select_related("room").get(pk=instance.pk)
        services.session_save(session=instance, previous=previous)

    def save_m2m(self, instance, row, **kwargs):
        super().save_m2m(instance, row, **kwargs)
        services.session_search_refresh(session_ids=[instance.pk])  # speakers' names are searched too


class SpeakerResource(AllOrNothingResource):
    event = fields.Field("event", "event", widgets.ForeignKeyWidget(Event, "slug"))

    class Meta:
        model = Speaker
        fields = ["id", "event", "name", "affiliation", "bio", "email"]
        skip_unchanged = True

    def save_instance(self, instance, is_create, row, **kwargs):
        services.speaker_save(speaker=instance)  # a renamed speaker is found by the new name
