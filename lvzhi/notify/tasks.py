from django_tasks import task


@task()
def deliver(delivery_id: int) -> None:
    from .delivery import attempt_delivery

    attempt_delivery(delivery_id)
