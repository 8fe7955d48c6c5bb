from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from lvzhi.core import hooks
from lvzhi.core.tick import register_tick_job


class DashboardsConfig(AppConfig):
    name = "lvzhi.dashboards"
    label = "dashboards"
    verbose_name = _("Leaders' dashboards")

    def ready(self):
        # The on-time roll-up follows every change of a deadline, in the workflow's transaction.
        hooks.register("workflow.deadlines_changed", "lvzhi.dashboards.rollup.deadlines_changed")
        register_tick_job("dashboards.overdue", "lvzhi.dashboards.rollup.refresh_overdue")
        # The monthly sums of the general daily roll-up follow its recounts (province-wide case flows).
        hooks.register("core.rollup.recounted", "lvzhi.dashboards.monthly.recounted")
        hooks.register("core.rollup.rebuilt", "lvzhi.dashboards.monthly.rebuilt")
        register_tick_job("dashboards.monthly", "lvzhi.dashboards.monthly.fill_if_empty")
        register_tick_job("dashboards.summaries", "lvzhi.dashboards.summaries.fill_if_empty")
        register_tick_job("dashboards.deadline_summaries", "lvzhi.dashboards.deadline_summaries.fill_if_empty")
