"""S0-17: a report the committee head approved as a deliberation topic is handed to a real topic — a new draft made
from the request, or one of the committee's topics still open (`selectors.open_topics`). The opinions module keeps
the link (`TopicRequest.topic_ref` = "deliberation.topic:<id>"); the topic shows the reports it came from."""

from django.db import transaction
from django.utils.translation import gettext as _

from lvzhi.core.errors import Conflict, NotFound
from lvzhi.opinions import selectors as opinion_selectors
from lvzhi.opinions import services as opinion_services

from .. import permissions as perm
from ..models import Topic

HANDOFF_STATES = (Topic.Status.DRAFT, Topic.Status.PENDING, Topic.Status.APPROVED, Topic.Status.OPEN)


@transaction.atomic
def take_request(*, actor, request, topic: Topic):
    """Link the approved request `request` (opinions.TopicRequest) to `topic` of the same committee."""
    if not perm.works_at(actor, topic.committee) or request.committee_id != topic.committee_id:
        raise NotFound()
    if topic.status not in HANDOFF_STATES:
        raise Conflict(_("This topic's discussion is over; choose an open topic."), code="topic_not_open")
    if not opinion_selectors.approved_topic_requests(committee=topic.committee).filter(pk=request.pk).exists():
        raise Conflict(_("This request was already taken or is not approved."), code="request_not_approved")
    return opinion_services.take_topic_request(actor=actor, topic=request, topic_ref=topic.ref)


def draft_from_request(*, actor, request, data: dict) -> Topic:
    """A new draft topic from an approved request (its title and explanation prefilled by the caller)."""
    from .topics import create_topic  # a cycle: topics hands a request over through this module

    if not perm.works_at(actor, request.committee):
        raise NotFound()
    return create_topic(actor=actor, committee=request.committee, data=data, request=request)
