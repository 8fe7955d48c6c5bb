"""The writes of onboarding, one module per use case, every public name re-exported here."""

from .exports import export_workbook
from .jobs import cancel_job, check_job, confirm_job, create_job, discard_upload, purge_uploads, run_job
from .templates import template_workbook

__all__ = [
    "cancel_job",
    "discard_upload",
    "purge_uploads",
    "check_job",
    "confirm_job",
    "create_job",
    "export_workbook",
    "run_job",
    "template_workbook",
]
