"""The discussion: posts and replies (screened, photos through the upload checker), support (附议), moderation by
the committee's staff (hide with a reason), key viewpoints (S0-12.2). A post counts as activity (S0-20)."""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from lvzhi.audit.services import record
from lvzhi.content import services as content_services
from lvzhi.core.errors import Conflict, NotFound, ValidationFailed
from lvzhi.core.uploads import clean_image, store_file
from lvzhi.duty import services as duty_services
from lvzhi.notify.services import notify

from .. import permissions as perm
from .. import rules
from ..models import Invitation, Post, PostAttachment, Support, Topic
from .common import lock, now, screened, text

P = Post.Status


def _read_upload(upload) -> bytes:
    size = getattr(upload, "size", None)
    limit_mb = rules.ATTACHMENT_BYTES_MAX // (1024 * 1024)
    if size is None or size > rules.ATTACHMENT_BYTES_MAX:
        raise ValidationFailed(_("A photo may have at most %(mb)s MB.") % {"mb": limit_mb}, code="attachment_too_large")
    if size == 0:
        raise ValidationFailed(_("The file is empty."), code="empty_file")
    data = upload.read(rules.ATTACHMENT_BYTES_MAX + 1)
    if len(data) > rules.ATTACHMENT_BYTES_MAX:
        raise ValidationFailed(_("A photo may have at most %(mb)s MB.") % {"mb": limit_mb}, code="attachment_too_large")
    return data


def _store_attachments(post: Post, uploads) -> list[str]:
    """Check every upload first (nothing half-written), then store through `store_file`: the files are removed again
    if the transaction rolls back, here or later in the request."""
    cleaned = [clean_image(_read_upload(u), max_bytes=rules.ATTACHMENT_BYTES_MAX) for u in uploads]
    stored = []
    for image in cleaned:
        att = PostAttachment(
            post=post,
            name=f"photo.{image.ext}",
            content_type=image.mime,
            size=len(image.data),
            width=image.width,
            height=image.height,
        )
        stored.append(store_file(att.file, f"photo.{image.ext}", image.data))
        att.save()
    return stored


def count_activity(post: Post) -> None:
    """S0-20: the post counts as the member's platform activity, once."""
    content_services.record_post(actor=post.author, ref=f"deliberation.post:{post.pk}", body=post.topic.body)
    duty_record(post)


def duty_record(post: Post) -> None:
    """Seed 003 / S0-20: a visible post is a duty record of its author (platform activity, one per post); a hidden
    one takes its record back. The duty module's entry point is idempotent per source."""
    duty_services.record_from_source(
        kind="post",
        member=post.author,
        source=post,
        occurred_on=post.created_at,
        quantity=1 if post.status == P.VISIBLE else 0,
        body=post.topic.body,
        title=post.topic.title,
    )


@transaction.atomic
def create_post(*, actor, topic: Topic, text_value, parent: Post | None = None, uploads=()) -> Post:
    """A post (or a reply to one) by a member of the body while the discussion is open."""
    topic = Topic.objects.select_related("body", "committee").get(pk=topic.pk)
    if not perm.may_see(actor, topic):
        raise NotFound()
    if not perm.may_post(actor, topic):
        raise Conflict(_("The discussion of this topic is not open to you now."), code="discussion_closed")
    body = text(text_value, field="text", limit=rules.POST_MAX, label=_("Your opinion"))
    uploads = list(uploads or [])
    if len(uploads) > rules.ATTACHMENTS_MAX:
        raise ValidationFailed(
            _("At most %(n)s photos per post.") % {"n": rules.ATTACHMENTS_MAX}, code="too_many_attachments"
        )
    screened(body, body=topic.body)
    if parent is not None:
        if parent.topic_id != topic.pk or parent.status != P.VISIBLE:
            raise NotFound()
        if parent.parent_id is not None:
            parent = parent.parent  # one level of replies
    post = Post.objects.create(topic=topic, author=actor, text=body, parent=parent)
    _store_attachments(post, uploads)
    moment = now()
    Invitation.objects.filter(topic=topic, member=actor, posted_at__isnull=True).update(posted_at=moment)
    Invitation.objects.filter(topic=topic, member=actor, read_at__isnull=True).update(read_at=moment)
    record(
        "deliberation.post.create",
        actor=actor,
        obj=post,
        org_unit=topic.committee,
        after={"topic": topic.pk, "parent": parent.pk if parent else None, "attachments": len(uploads)},
    )
    count_activity(post)
    return post


@transaction.atomic
def support_post(*, actor, post: Post) -> Post:
    """附议: a member supports another's opinion, once."""
    post = Post.objects.select_related("topic__body", "topic__committee").get(pk=post.pk)
    if not perm.may_see(actor, post.topic) or post.status != P.VISIBLE:
        raise NotFound()
    if not perm.may_support(actor, post):
        raise Conflict(_("You cannot support this opinion."), code="support_not_allowed")
    try:
        with transaction.atomic():
            Support.objects.create(post=post, member=actor)
    except IntegrityError:
        raise Conflict(_("You already support this opinion."), code="already_supported")
    Post.objects.filter(pk=post.pk).update(support_count=F("support_count") + 1)
    record("deliberation.post.support", actor=actor, obj=post, org_unit=post.topic.committee)
    post.refresh_from_db(fields=["support_count"])
    return post


@transaction.atomic
def hide_post(*, actor, post: Post, reason) -> Post:
    """Moderation by the hosting committee's staff: the post is hidden with a reason shown to its author. The audit
    row carries the post and a code, not the reason."""
    post = lock(post)
    topic = Topic.objects.select_related("committee").get(pk=post.topic_id)
    if not perm.may_moderate(actor, topic):
        raise NotFound()
    reason = text(reason, field="reason", limit=rules.REASON_MAX, label=_("The reason"), multiline=False)
    if post.status == P.HIDDEN:
        raise Conflict(_("This post is already hidden."), code="already_hidden")
    post.status, post.hidden_reason, post.hidden_by, post.hidden_at = P.HIDDEN, reason, actor, now()
    post.is_viewpoint = False
    post.save(update_fields=["status", "hidden_reason", "hidden_by", "hidden_at", "is_viewpoint"])
    record(
        "deliberation.post.hide",
        actor=actor,
        obj=post,
        org_unit=topic.committee,
        before={"status": P.VISIBLE},
        after={"status": P.HIDDEN, "reason_given": True},
    )
    duty_record(post)

    notify(
        [post.author],
        title=_("Your deliberation post was hidden"),
        body=reason,
        link=f"/deliberation/topics/{topic.pk}/",
        event="deliberation.post.hide",
        obj=post,
    )
    return post


@transaction.atomic
def mark_viewpoint(*, actor, post: Post, key: bool = True) -> Post:
    """S0-12.2: staff mark (or unmark) a post as a key viewpoint."""
    post = lock(post)
    topic = Topic.objects.select_related("committee").get(pk=post.topic_id)
    if not perm.may_moderate(actor, topic):
        raise NotFound()
    if post.status != P.VISIBLE:
        raise Conflict(_("A hidden post cannot be a key viewpoint."), code="post_hidden")
    key = bool(key)
    if post.is_viewpoint == key:
        return post
    post.is_viewpoint = key
    post.marked_by, post.marked_at = (actor, now()) if key else (None, None)
    post.save(update_fields=["is_viewpoint", "marked_by", "marked_at"])
    record(
        "deliberation.post.viewpoint",
        actor=actor,
        obj=post,
        org_unit=topic.committee,
        before={"is_viewpoint": not key},
        after={"is_viewpoint": key},
    )
    return post
