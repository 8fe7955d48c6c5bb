from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from lvzhi.core import hooks


class PortalConfig(AppConfig):
    name = "lvzhi.portal"
    label = "portal"
    verbose_name = _("Public portal")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # registers the body settings; rules imports the settings registry, ready once the app registry is
        from . import rules  # noqa: F401

        hooks.register("content.live_changed", "lvzhi.portal.services.live_changed")
