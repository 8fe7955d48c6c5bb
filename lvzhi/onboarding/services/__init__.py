"""The writes of onboarding, one module per use case, every public name re-exported here."""

from .exports import export_workbook
from .jobs import check_job, confirm_job, create_job, run_job
from .templates import template_workbook

__all__ = ["check_job", "confirm_job", "create_job", "export_workbook", "run_job", "template_workbook"]
