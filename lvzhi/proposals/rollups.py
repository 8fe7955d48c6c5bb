"""The proposals' sources of the general daily roll-up (`lvzhi.core.rollup`): items per body and proposals office,
assignments per body and handling unit; registered by the app's ready()."""

from django.db.models import Q

from lvzhi.core.rollup import Metric, Source, register

from .models import Assignment, Proposal


def connect() -> None:
    register(
        Source(
            "proposals.proposal",
            Proposal,
            body="body_id",
            unit="office_id",
            metrics=[
                Metric("submitted", "submitted_at", by=("kind", "status")),
                Metric("accepted", "accepted_at", by=("kind",)),
                Metric("assigned", "assigned_at"),
                Metric("replied", "replied_at"),
                Metric("closed", "closed_at", by=("rating",)),
            ],
        )
    )
    register(
        Source(
            "proposals.assignment",
            Assignment,
            body="body_id",
            unit="unit_id",
            metrics=[
                Metric("assigned", "assigned_at", by=("role", "status")),
                Metric("replied", "replied_at", by=("classification", "rating")),
                Metric("replied_on_time", "replied_at", when=Q(replied_on_time=True)),
                Metric("opinion", "opinion_at"),
            ],
        )
    )
