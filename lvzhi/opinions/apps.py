from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from lvzhi.core.tick import register_tick_job


class OpinionsConfig(AppConfig):
    name = "lvzhi.opinions"
    label = "opinions"
    verbose_name = _("Public-opinion reports")

    def ready(self):
        # rollup and rules import models, which wait for the app registry (ready() runs once it is)
        from . import (
            rollup,
            rollups,
            rules,  # noqa: F401  (declares the body settings)
        )

        rollup.connect()  # the daily statistics roll-up, recounted in the transaction of every report save
        rollups.connect()  # the general daily counts (lvzhi.core.rollup)

        register_tick_job("opinions.monthly_digest", "lvzhi.opinions.digest.run_monthly_digests")
