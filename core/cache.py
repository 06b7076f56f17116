"""Django's database cache with an increment fit for counting requests (django-ratelimit's limits, CACHES).

Django's DatabaseCache inherits incr() as get() then set(): the set() gives the entry the default timeout (five
minutes), so a count meant to last an hour was forgotten five minutes after its last request; and two requests at
once could both read 4 and both write 5. Here the read and the write are one transaction that holds the entry's row
(SELECT … FOR UPDATE on PostgreSQL; on SQLite the project's transactions begin IMMEDIATE, taking the write lock),
and only the value is written, so the entry keeps the expiry it was added with."""
from __future__ import annotations

import base64
import pickle

from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router, transaction


class CountingDatabaseCache(DatabaseCache):
    def incr(self, key, delta=1, version=None):
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        table = connection.ops.quote_name(self._table)
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        stored_key = self.make_and_validate_key(key, version=version)
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute(f"SELECT cache_key FROM {table} WHERE cache_key = %s{lock}", [stored_key])
            value = self.get(key, self._missing_key, version=version)
            if value is self._missing_key:
                raise ValueError(f"Key '{key}' not found")
            value += delta
            pickled = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            cursor.execute(f"UPDATE {table} SET value = %s WHERE cache_key = %s", [pickled, stored_key])
        return value
