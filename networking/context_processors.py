"""What every page may show of the B2B meetings, for the signed-in visitor (settings TEMPLATES).

`b2b.participant`: their pass includes B2B meetings (the header links to the B2B area);
`b2b.status`: where they stand (profile complete? requests waiting? next meeting?), shown on "My
registration" through `networking/_registration_status.html`, so that registration's code never
imports networking. Lazy: nothing is read until a template asks, and an anonymous visitor costs no
query. On B2B pages the visitor is already loaded (`request.attendee`) and is not read again.
"""

from functools import cached_property

from django.http import HttpRequest

from expo.registration.access import current_attendee
from expo.registration.models import Attendee

from . import selectors


class B2B:
    def __init__(self, request: HttpRequest):
        self._request = request

    @cached_property
    def attendee(self) -> Attendee | None:
        attendee = getattr(self._request, "attendee", None)
        if attendee is not None:
            return attendee
        # A page rendered without the session middleware (an early error page) has no visitor.
        return current_attendee(self._request) if hasattr(self._request, "session") else None

    @cached_property
    def participant(self) -> bool:
        return self.attendee is not None and selectors.attendee_is_participant(self.attendee)

    @cached_property
    def status(self) -> selectors.ParticipantStatus | None:
        return selectors.participant_status(attendee=self.attendee) if self.participant else None


def b2b(request: HttpRequest) -> dict:
    return {"b2b": B2B(request)}
