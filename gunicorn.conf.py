"""gunicorn's settings, read by every `gunicorn` started in this folder (Dockerfile, docker-compose.yml).

The access log prints each request line and its referrer, and some of this site's URLs carry a
credential: sign-in links (/acceso/<token>/), calendar feeds (/programa/calendario/<token>.ics),
unsubscribe links (/correo/baja/<token>/), certificate codes. The logger class below puts the
redacting filter of the application's own logs (expo/lib/log_redaction.py) on gunicorn's error and
access handlers, so those tokens, emails and badge codes are masked before a line is written.
"""

from gunicorn.glogging import Logger

from expo.lib.log_redaction import redacting_handlers_install


class RedactingLogger(Logger):
    def setup(self, cfg):
        super().setup(cfg)  # (re)creates the handlers, also on a configuration reload (SIGHUP)
        redacting_handlers_install(self.error_log)
        redacting_handlers_install(self.access_log)


logger_class = RedactingLogger
