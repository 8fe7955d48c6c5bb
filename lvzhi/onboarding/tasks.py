"""Background work: checking a file and writing it, each a task that reports progress on its job row."""

from django_tasks import task

from . import services


@task()
def check(job_id: int) -> None:
    services.check_job(job_id)


@task()
def write(job_id: int) -> None:
    services.run_job(job_id)
