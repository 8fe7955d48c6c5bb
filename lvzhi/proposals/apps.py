from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from lvzhi.core.tick import register_tick_job


class ProposalsConfig(AppConfig):
    name = "lvzhi.proposals"
    label = "proposals"
    verbose_name = _("Bills, suggestions and proposals")

    def ready(self):
        # rollups and rules import models, which wait for the app registry (ready() runs once it is)
        from . import (
            rollups,
            rules,  # noqa: F401  (registers the per-body rules)
        )

        rollups.connect()  # the general daily counts (lvzhi.core.rollup), recounted in the transaction of every save

        register_tick_job("proposals.missing_evaluations", "lvzhi.proposals.jobs.record_missing_evaluations")
        register_tick_job("proposals.escalate_to_office", "lvzhi.proposals.jobs.escalate_to_office")
