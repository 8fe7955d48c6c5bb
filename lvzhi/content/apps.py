from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _

from lvzhi.core import cache, hooks
from lvzhi.core.tick import register_tick_job


def _record_sign_in(*, user, at, **kwargs):
    """S0-20: the first login of a day is a sign-in activity (the `accounts.signed_in` hook)."""
    # the services import models: apps.py is imported before the app registry is ready
    from .services import record_sign_in

    record_sign_in(actor=user, at=at)


def _staff_arrived(*, actor, role, unit, **kwargs):
    """S2-19: a body's first staff become its columns' default maintainers (the `accounts.role_granted` hook)."""
    # the services import models: apps.py is imported before the app registry is ready
    from .services import fill_missing_maintainers

    fill_missing_maintainers(actor=actor, unit=unit, role=role)


class ContentConfig(AppConfig):
    name = "lvzhi.content"
    label = "content"
    verbose_name = _("Content")

    def ready(self):
        # these import models, which wait for the app registry (ready() runs once it is)
        from . import defaults  # noqa: F401  (registers the body settings of content)
        from .models import Column
        from .selectors import COLUMNS_KEY

        cache.register_request_keys(lambda user: [COLUMNS_KEY])

        def columns_changed(sender, **kwargs):
            cache.bump(COLUMNS_KEY)

        post_save.connect(columns_changed, sender=Column, dispatch_uid="content.columns_changed")
        post_delete.connect(columns_changed, sender=Column, dispatch_uid="content.columns_deleted")

        register_tick_job("content.publish_due", "lvzhi.content.services.publish_due")
        register_tick_job("content.expire_due", "lvzhi.content.services.expire_due")
        hooks.register("accounts.signed_in", _record_sign_in)
        hooks.register("accounts.role_granted", _staff_arrived)
