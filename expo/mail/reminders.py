"""Reminders of the next day (B2B meetings, sessions): the apps register what to remind of.

Every hour from REMINDER_HOUR on, the periodic task `expo.mail.tasks.reminders_send` calls each
registered source with tomorrow's date; a source writes its reminders to the outbox as
non-essential emails with a key per person and day, so running again the same day sends nothing
twice. networking registers its meetings; the program registers its sessions the same way.
"""

from collections.abc import Callable
from datetime import date

ReminderSource = Callable[[date], int]  # (day) -> emails written
_sources: dict[str, ReminderSource] = {}

# Local hour from which the reminders of the next day go out (not in the middle of the night).
REMINDER_HOUR = 9


def reminder_register(name: str, source: ReminderSource) -> None:
    _sources[name] = source


def reminder_sources() -> dict[str, ReminderSource]:
    return dict(_sources)
