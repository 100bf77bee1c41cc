"""Reads of the control room: which edition the dashboard shows, and its panels for a user; a
person's two-factor devices."""

from dataclasses import dataclass

from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from expo.events.models import Event
from expo.events.selectors import event_current
from expo.lib.panels import Panel, PanelContent, panels_for


@dataclass
class PanelView:
    panel: Panel
    content: PanelContent


def dashboard_events() -> list[Event]:
    return list(Event.objects.order_by("-start_date").only("pk", "name", "start_date"))


def dashboard_event(chosen: str | None) -> Event | None:
    """The edition asked for (?event=<id>), else the current one, else the latest created."""
    if chosen and chosen.isdigit():
        event = Event.objects.filter(pk=int(chosen)).first()
        if event is not None:
            return event
    return event_current() or Event.objects.order_by("-start_date").first()


def dashboard_panels(*, user, event: Event) -> list[PanelView]:
    """The panels this user may read, built for the edition: each with its fixed number of queries."""
    return [PanelView(panel, panel.build(event)) for panel in panels_for(user)]


def two_factor_apps(*, user) -> list[TOTPDevice]:
    """The user's confirmed authenticator apps, oldest first."""
    return list(TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk"))


def backup_codes_left(*, user) -> int:
    return StaticToken.objects.filter(device__user=user).count()
