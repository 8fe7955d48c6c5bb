from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from lvzhi.core.tick import register_tick_job


class WorkflowConfig(AppConfig):
    name = "lvzhi.workflow"
    label = "workflow"
    verbose_name = _("Workflow")

    def ready(self):
        register_tick_job("workflow.reminders", "lvzhi.workflow.jobs.send_reminders")
        register_tick_job("workflow.escalations", "lvzhi.workflow.jobs.escalate_overdue")
