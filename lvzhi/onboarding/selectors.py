"""Reads filtered for the user: the jobs of the bodies they may onboard, one job by id (missing = forbidden)."""

from django.db.models import Q

from lvzhi.core.errors import NotFound

from . import permissions as perm
from .models import ImportJob, RowProblem, RowResult


def jobs_for(user):
    q = Q(pk__in=[])
    for kind in ImportJob.Kind.values:
        q |= Q(kind=kind, body__in=perm.bodies(user, kind))
    return ImportJob.objects.filter(q).select_related("body", "created_by").order_by("-created_at", "-id")


def access_job(user, job_id) -> ImportJob:
    try:
        job = ImportJob.objects.select_related("body", "created_by").get(pk=int(job_id))
    except (ImportJob.DoesNotExist, TypeError, ValueError):
        raise NotFound() from None
    if not perm.may_import(user, job.body, job.kind):
        raise NotFound()
    return job


def problems_of(job: ImportJob):
    return RowProblem.objects.filter(job=job).order_by("row", "id")


def results_of(job: ImportJob):
    return RowResult.objects.filter(job=job).order_by("row", "id")


def problem_rows(job: ImportJob) -> set[int]:
    return set(RowProblem.objects.filter(job=job).values_list("row", flat=True).distinct())
