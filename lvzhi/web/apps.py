from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "lvzhi.web"
    label = "web"
    verbose_name = _("Web")

    def ready(self):
        # Local: column_sets imports orgs' models, which cannot load before the app registry is ready. Importing it
        # registers the `web.columns` body setting at start-up, so the back office lists it before any page has
        # built a column set.
        from lvzhi.content import column_sets  # noqa: F401
