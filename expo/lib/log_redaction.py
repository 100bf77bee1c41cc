"""Personal data kept out of the logs: a logging filter that rewrites every record before it is written.

`RedactingFilter` is installed on every handler of `settings.LOGGING` (root, django, django.request,
django.server), on the Celery worker's handlers (expo/celery.py) and on gunicorn's error and access
logs (gunicorn.conf.py). A handler's filter sees every record that reaches it, also those that
propagate from other loggers, so nothing is written without passing here.

It formats the message with its arguments, then replaces:
- email addresses (`[email]`), phone numbers (`[phone]`);
- tokens: `Bearer ...` headers, exhibitor API secrets (`expo_...`), webhook secrets (`whsec_...`),
  Django signed values (sign-in links, unsubscribe and calendar-feed tokens), and the path segment
  after `/acceso/`, `/correo/baja/`, `/calendario/`, `/constancia/`, `/mesa/` (`[token]`);
  query values named token, code, key, signature, sig, t, email (`[redacted]`);
- badge and certificate codes (`EXPO2.…`, `EXPOC1.…`) and printed short codes (`ABCD-EFGH-JKLM`).
A model instance given as an argument is written as its class and id (`Attendee#12`), never its
`__str__` (which may carry a name or an email). A traceback is formatted and rewritten the same way.

Names cannot be recognised in free text: the code logs ids, never names (README "Security", Logs).
"""

import logging
import re

EMAIL = re.compile(r"[\w.+%-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# Token-bearing paths of this site: what follows is a credential or a personal code.
TOKEN_PATH = re.compile(r"(/(?:acceso|correo/baja|calendario|constancia|mesa)/)(?!\[token\])[^/?#\s\"']+")
TOKEN_QUERY = re.compile(r"([?&;](?:token|code|key|signature|sig|t|email|next_token)=)[^&#\s\"']+", re.IGNORECASE)
BEARER = re.compile(r"((?:Bearer|Token|Basic)\s+)[^\s\"',]+", re.IGNORECASE)
SECRET = re.compile(r"\b(?:expo|whsec)_[A-Za-z0-9_-]{8,}")
# django.core.signing: value:timestamp:signature (dumps) and value:signature (Signer), base64url parts;
# the calendar feed writes the colons as dots (`12.1.signature`).
SIGNED = re.compile(r"\.?[A-Za-z0-9_-]{2,}(?::[A-Za-z0-9_-]{4,}){1,2}:[A-Za-z0-9_-]{20,}")
BADGE = re.compile(r"\bEXPO(?:2|C1)\.[A-Z0-9.]+")
SHORT_CODE = re.compile(r"\b[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}\b")
# Phone numbers: +52 55 1234 5678, (55) 1234-5678, 55-1234-5678, 5512345678. Dates and times
# (2025-10-28 10:00) do not match: their groups are too short.
PHONE = re.compile(r"(?<![\w+.:-])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,3}\)|\d{2,3})[\s.-]?\d{3,4}[\s.-]?\d{4}(?![\w:-])")

REPLACEMENTS = (
    (BEARER, r"\1[token]"),
    (TOKEN_PATH, r"\1[token]"),
    (TOKEN_QUERY, r"\1[redacted]"),
    (SECRET, "[token]"),
    (BADGE, "[badge]"),
    (SIGNED, "[token]"),
    (EMAIL, "[email]"),
    (SHORT_CODE, "[badge]"),
    (PHONE, "[phone]"),
)


def redact(text: str) -> str:
    """`text` with emails, phones, tokens, token-bearing URLs and badge codes masked."""
    for pattern, replacement in REPLACEMENTS:
        text = pattern.sub(replacement, text)
    return text


def _safe_arg(value):
    """A model instance as `Class#id` (its str may name the person); anything else as it is."""
    meta = getattr(value, "_meta", None)
    if meta is not None and hasattr(value, "pk"):
        return f"{value.__class__.__name__}#{value.pk}"
    return value


class RedactingFilter(logging.Filter):
    """Rewrites a record's message, arguments and traceback with `redact` (see the module docstring)."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "_expo_redacted", False):  # already rewritten by another handler's filter
            return True
        try:
            # A mapping (gunicorn's access-log atoms: a dict that answers "-" for a missing key) is
            # used as it is; positional arguments lose their model instances.
            if isinstance(record.args, tuple):
                record.args = tuple(_safe_arg(value) for value in record.args)
            message = record.getMessage()
        except Exception:  # a broken format string: keep what can be read of it
            message = f"{record.msg!s} {record.args!r}"
        record.msg = redact(message)
        record.args = ()
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        record._expo_redacted = True
        return True


def redacting_handlers_install(logger: logging.Logger) -> None:
    """Add a RedactingFilter to each handler of `logger` that has none (Celery's and gunicorn's own)."""
    for handler in logger.handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())
