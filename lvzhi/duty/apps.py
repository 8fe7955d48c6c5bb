from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DutyConfig(AppConfig):
    name = "lvzhi.duty"
    label = "duty"
    verbose_name = _("Duty records")

    def ready(self):
        from . import rules, workflows  # noqa: F401  (settings and workflows declared at start-up)
        from .jobs import register_jobs

        register_jobs()
        connect_sign_in()


def connect_sign_in() -> None:
    """The one place duty listens to the accounts sign-in (S0-20 daily sign-in points): the core hook registry."""
    # the services import models: called from ready(), once the app registry is
    from lvzhi.core import hooks

    from .services.automatic import on_sign_in

    hooks.register("accounts.signed_in", on_sign_in)
