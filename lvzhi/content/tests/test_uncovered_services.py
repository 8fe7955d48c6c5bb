"""Services no other test ran (issue 8): removing an attachment from a draft, taking back a scheduled publication."""

import datetime as dt

import pytest
from django.utils import timezone

from lvzhi.audit.models import AuditEvent
from lvzhi.content import services
from lvzhi.content.models import Article, Attachment, ReviewStep, StepKind
from lvzhi.content.workflows import ARTICLE_FLOW
from lvzhi.core.errors import Conflict, NotFound, PermissionDenied
from lvzhi.testing import login
from lvzhi.workflow.models import WorkflowEvent

from .conftest import approve, draft
from .test_screening_and_input import PDF, png_bytes

pytestmark = pytest.mark.django_db


@pytest.mark.req("S4-2.4")
def test_the_author_removes_an_attachment_and_the_cover_goes_with_it(client, world):
    article = draft(world)
    cover = services.add_attachment(
        actor=world.author, article=article, name="封面.png", data=png_bytes(), as_cover=True
    )
    pdf = services.add_attachment(
        actor=world.author, article=Article.objects.get(pk=article.pk), name="议程.pdf", data=PDF
    )
    with pytest.raises(NotFound):
        services.remove_attachment(actor=world.member, attachment=cover)
    assert Attachment.objects.get(pk=cover.pk).removed_at is None
    version = Article.objects.get(pk=article.pk).version
    services.remove_attachment(actor=world.author, attachment=Attachment.objects.get(pk=cover.pk))
    stored = Article.objects.get(pk=article.pk)
    assert stored.cover_id is None and stored.version == version + 1
    assert Attachment.objects.get(pk=cover.pk).removed_at is not None
    row = AuditEvent.objects.get(event="content.attachment.remove")
    assert row.before == {"attachment": cover.pk, "name": "封面.png"}
    with pytest.raises(Conflict) as twice:
        services.remove_attachment(actor=world.author, attachment=Attachment.objects.get(pk=cover.pk))
    assert twice.value.code == "already_removed"
    # on the page: the author removes the other file
    login(client, world.author)
    response = client.post(f"/content/files/{pdf.pk}/remove/", {"version": stored.version})
    assert response.status_code == 302 and Attachment.objects.get(pk=pdf.pk).removed_at is not None


def _scheduled(world):
    article = services.submit(actor=world.author, article=draft(world))
    article = approve(world, article, world.reviewer)
    article = approve(world, article, world.head)
    at = timezone.now() + dt.timedelta(days=2)
    return services.publish(actor=world.publisher, article=article, publish_at=at)


@pytest.mark.req("S0-7")
def test_the_publisher_takes_back_a_scheduled_publication_and_the_step_is_open_again(client, world):
    article = _scheduled(world)
    assert article.status == Article.Status.SCHEDULED and not article.is_live
    for outsider in (world.author, world.reviewer, world.member):
        with pytest.raises(PermissionDenied):
            services.unschedule(actor=outsider, article=Article.objects.get(pk=article.pk))
    assert Article.objects.get(pk=article.pk).status == Article.Status.SCHEDULED
    done = services.unschedule(actor=world.publisher, article=Article.objects.get(pk=article.pk))
    assert done.publish_at is None and done.status != Article.Status.SCHEDULED and not done.is_live
    step = ReviewStep.objects.get(pk=done.current_step_id)
    assert step.kind == StepKind.PUBLISH and step.status == ReviewStep.Status.PENDING and step.decided_by is None
    assert (
        WorkflowEvent.objects.filter(workflow=ARTICLE_FLOW.name, object_id=article.pk, transition="unschedule").count()
        == 1
    )
    with pytest.raises(Conflict) as again:
        services.unschedule(actor=world.publisher, article=Article.objects.get(pk=article.pk))
    assert again.value.code == "not_scheduled"
    # the publisher can still publish it now
    assert services.publish(actor=world.publisher, article=Article.objects.get(pk=article.pk)).is_live
