from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from lvzhi.core.tick import register_tick_job


class SecurityConfig(AppConfig):
    """Operations security (foundation layer): encrypted backups, security incidents for the security administrator.

    It imports only the foundation (core, orgs, accounts, audit, notify); domain apps call its services."""

    name = "lvzhi.security"
    label = "security"
    verbose_name = _("Security")

    def ready(self):
        register_tick_job("security.purge_counters", "lvzhi.security.services.purge_counters")
        register_tick_job("security.clear_expired_sessions", "lvzhi.security.services.clear_expired_sessions")
