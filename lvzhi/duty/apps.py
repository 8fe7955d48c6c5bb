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
    """The one place duty listens to the accounts sign-in (S0-20 daily sign-in points). When the core hook registry
    replaces `accounts.signals.signed_in`, register `services.automatic.on_sign_in` there instead."""
    from lvzhi.accounts.signals import signed_in

    from .services.automatic import on_sign_in

    signed_in.connect(on_sign_in, dispatch_uid="duty.sign_in")
