"""Shared helpers of the deliberation services: cleaning, locking, who is told."""

from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.core.errors import ValidationFailed
from lvzhi.core.validation import clean_text
from lvzhi.screening import services as screening


def now():
    return timezone.now()


def text(value, *, field: str, limit: int, label, required: bool = True, multiline: bool = True) -> str:
    return clean_text(value, field=field, max_length=limit, label=str(label), required=required, multiline=multiline)


def screened(value: str, *, body, code: str = "blocked_by_screening") -> None:
    """Every member text is screened (S2-21): secret-list terms, adverts, gambling spam and commercial links refuse
    it; the findings are not echoed back."""

    if screening.has_blocking(screening.scan(value, body=body)):
        raise ValidationFailed(
            _(
                "The screening found secret-list terms, adverts or gambling spam, or links to commercial sites; "
                "change the text and try again."
            ),
            code=code,
        )


def lock(obj):
    return type(obj)._default_manager.select_for_update().get(pk=obj.pk)


def topic_link(topic) -> str:
    return f"/deliberation/topics/{topic.pk}/"
