from django_tasks import task

from .delivery import attempt_delivery


@task()
def deliver(delivery_id: int) -> None:
    attempt_delivery(delivery_id)
