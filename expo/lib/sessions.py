"""Sessions read from the cache, kept in the database: Django's `cached_db`, but a cache that is down
never turns into an error page.

Every signed-in request (door staff scanning, B2B participants, visitors with their sign-in link)
reads its session; from Redis that is one round trip instead of a SQL query. The database stays the
record: a session outlives a Redis restart (nothing is kept on disk there), and when Redis cannot be
reached the session is read from and written to the database alone. Django's own `cached_db` writes
the cache back without a guard when it fell back to the database, which would answer 500 for every
signed-in request while Redis is down (tests/faults).
"""

import logging

from django.contrib.sessions.backends.base import CreateError, UpdateError
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore
from django.contrib.sessions.backends.db import SessionStore as DBStore
from django.db import DatabaseError, IntegrityError, connections, router

logger = logging.getLogger("django.contrib.sessions")


class SessionStore(CachedDBStore):
    def load(self):
        cache_up = True
        try:
            data = self._cache.get(self.cache_key)
        except Exception:
            data, cache_up = None, False
        if data is not None:
            return data
        stored = self._get_session_from_db()
        if not stored:
            return {}
        data = self.decode(stored.session_data)
        if cache_up:
            try:
                self._cache.set(self.cache_key, data, self.get_expiry_age(expiry=stored.expire_date))
            except Exception:
                logger.warning("Session not kept in the cache (%s)", self._cache)
        return data

    def save(self, must_create=False):
        if self.session_key is None:
            return self.create()  # a new key, then save(must_create=True); the cache is written once
        using = router.db_for_write(self.model)
        if connections[using].in_atomic_block:
            return super().save(must_create)
        # Outside a transaction (the middleware, after the view) one INSERT or UPDATE is atomic by
        # itself; Django's backend wraps it in a transaction anyway: two more round trips (BEGIN,
        # COMMIT) on every request that changes a session. The errors are Django's.
        obj = self.create_model_instance(self._get_session(no_load=must_create))
        try:
            obj.save(force_insert=must_create, force_update=not must_create, using=using)
        except IntegrityError as error:
            if must_create:
                raise CreateError from error
            raise
        except DatabaseError as error:  # not updated: the row is gone (signed out elsewhere)
            if not must_create:
                raise UpdateError from error
            raise
        try:
            self._cache.set(self.cache_key, self._session, self.get_expiry_age())
        except Exception:
            logger.warning("Session not kept in the cache (%s)", self._cache)

    def exists(self, session_key):
        try:
            if session_key and (self.cache_key_prefix + session_key) in self._cache:
                return True
        except Exception:
            pass
        return DBStore.exists(self, session_key)

    def delete(self, session_key=None):
        DBStore.delete(self, session_key)
        if session_key is None:
            if self.session_key is None:
                return
            session_key = self.session_key
        try:
            self._cache.delete(self.cache_key_prefix + session_key)
        except Exception:
            # The row is gone; the cached copy expires with the session. Redis keeps nothing on disk,
            # so a restarted Redis holds no copy; only a Redis that was unreachable but kept running does.
            logger.warning("Session %s… removed from the database but not from the cache", session_key[:6])
