"""Django's `flush`, aware of the append-only audit triggers.

Emptying the whole database (the test runner does it between transactional tests) must lift the triggers of
`lvzhi.audit.db` for the moment and put them back, and re-seed the chain head. On a production system
(`LVZHI_ENV=production`) the command refuses: the audit log is never emptied by the application.
"""

from django.conf import settings
from django.core.management.base import CommandError
from django.core.management.commands.flush import Command as FlushCommand
from django.db import connections

from lvzhi.audit.db import install_guard, remove_guard, seed_head


class Command(FlushCommand):
    def handle(self, **options):
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("flush is refused in production: it would erase the audit log.")
        connection = connections[options["database"]]
        remove_guard(connection)
        try:
            return super().handle(**options)
        finally:
            install_guard(connection)
            seed_head()
