"""The reports' source of the general daily roll-up (`lvzhi.core.rollup`): per body and handling office (the
office-level statistics page keeps its own `DailyStat`, with step durations); registered by the app's ready()."""

from django.db.models import Q

from lvzhi.core.rollup import Metric, Source, register

from .models import Report


def connect() -> None:
    register(
        Source(
            "opinions.report",
            Report,
            body="body_id",
            unit="committee_id",
            metrics=[
                Metric("submitted", "submitted_at", by=("category", "status")),
                Metric("forwarded", "forwarded_at"),
                Metric("forwarded_on_time", "forwarded_at", when=Q(forwarded_on_time=True)),
                Metric("answered", "answered_at", by=("satisfaction",)),
                Metric("instructed", "instructed_at"),
            ],
        )
    )
