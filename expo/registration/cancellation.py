"""What else a cancelled registration cancels, in apps above registration.

Registration sits below networking and the program, so it cannot call them. Instead they register a
handler here in their AppConfig.ready() (networking: the person's B2B meetings and requests; the
program: workshop seats), and `services.registration_cancel` calls every handler inside its own
transaction, after the registration is marked cancelled and before the seat is released. A handler
that fails rolls the whole cancellation back: a registration is never half cancelled.

A handler is `handler(*, attendee, at)`; it must be safe to call for someone with nothing to cancel.
"""

from collections.abc import Callable
from datetime import datetime

CancelHandler = Callable[..., None]
_handlers: dict[str, CancelHandler] = {}


def registration_cancel_handler_register(name: str, handler: CancelHandler) -> None:
    """Call `handler(attendee=..., at=...)` whenever a registration is cancelled (or deleted).

    `name` identifies the handler, so registering again (a reloaded app) replaces it.
    """
    _handlers[name] = handler


def cancel_handlers_run(*, attendee, at: datetime) -> None:
    for handler in list(_handlers.values()):
        handler(attendee=attendee, at=at)
