"""Every read of online deliberation, filtered for the user. `access_*` answers "not found" alike for a missing
thing and one the user may not see."""

from django.db.models import Count, Prefetch, Q

from lvzhi.core.errors import NotFound
from lvzhi.core.params import query_int
from lvzhi.opinions import selectors as opinion_selectors

from . import permissions as perm
from .models import FollowUp, Invitation, Post, SpecialReport, Support, Topic

T = Topic.Status


def _id(value) -> int:
    pk = query_int(value)
    if pk is None:
        raise NotFound()
    return pk


def access_topic(user, topic_id) -> Topic:
    topic = Topic.objects.select_related("body", "committee").filter(pk=_id(topic_id)).first()
    if topic is None or not perm.may_see(user, topic):
        raise NotFound()
    return topic


def access_managed_topic(user, topic_id) -> Topic:
    """A topic of a committee where the user works (another committee's topic: not found)."""
    topic = access_topic(user, topic_id)
    if not perm.may_manage(user, topic):
        raise NotFound()
    return topic


def access_post(user, post_id) -> Post:
    post = Post.objects.select_related("topic__body", "topic__committee", "author").filter(pk=_id(post_id)).first()
    if post is None or not perm.may_see(user, post.topic):
        raise NotFound()
    if post.status == Post.Status.HIDDEN and not (post.author_id == user.pk or perm.may_manage(user, post.topic)):
        raise NotFound()
    return post


def access_followup(user, followup_id) -> FollowUp:
    followup = FollowUp.objects.select_related("topic__committee").filter(pk=_id(followup_id)).first()
    if followup is None or not perm.may_manage(user, followup.topic):
        raise NotFound()
    return followup


def published_topics(user):
    """The published topics of the user's body, open ones first, newest first."""
    unit = getattr(user, "unit", None)
    if unit is None or not (perm.in_body(user, unit.body) if unit.body_id else False):
        return Topic.objects.none()
    return (
        Topic.objects.filter(body_id=unit.body_id, status__in=perm.PUBLISHED)
        .select_related("committee")
        .annotate(post_count=Count("posts", filter=Q(posts__status=Post.Status.VISIBLE)))
        .order_by("status", "-published_at", "-pk")
    )


def managed_topics(user):
    """Every topic of the committees where the user works, in every state."""
    committees = perm.committees_of(user)
    return (
        Topic.objects.filter(committee__in=committees)
        .select_related("committee")
        .annotate(post_count=Count("posts"))
        .order_by("-created_at", "-pk")
    )


def open_topics(committee):
    """S0-17: the committee's topics a report can still be handed to (not yet closed)."""
    return Topic.objects.filter(committee=committee, status__in=[T.DRAFT, T.PENDING, T.APPROVED, T.OPEN]).order_by(
        "-created_at", "-pk"
    )


def thread(user, topic: Topic):
    """The top-level posts of a topic with their replies and photos; hidden ones only for the committee (all) and
    their authors (their own, with the reason)."""
    staff = perm.may_manage(user, topic)
    visible = Q() if staff else Q(status=Post.Status.VISIBLE) | Q(author_id=user.pk)
    replies = Post.objects.filter(visible).select_related("author").prefetch_related("attachments").order_by("pk")
    return (
        Post.objects.filter(visible, topic=topic, parent__isnull=True)
        .select_related("author")
        .prefetch_related("attachments", Prefetch("replies", queryset=replies))
        .order_by("-is_viewpoint", "-support_count", "pk")
    )


def supported_ids(user, topic: Topic) -> set[int]:

    return set(Support.objects.filter(member=user, post__topic=topic).values_list("post_id", flat=True))


def viewpoints(topic: Topic):
    return (
        Post.objects.filter(topic=topic, is_viewpoint=True, status=Post.Status.VISIBLE)
        .select_related("author")
        .order_by("created_at", "pk")
    )


def participation(topic: Topic, *, only: str = ""):
    """S0-19: who was invited, who read, who posted."""
    qs = Invitation.objects.filter(topic=topic).select_related("member").order_by("member__real_name", "pk")
    if only == "absent":
        qs = qs.filter(posted_at__isnull=True)
    elif only == "posted":
        qs = qs.filter(posted_at__isnull=False)
    elif only == "unread":
        qs = qs.filter(read_at__isnull=True)
    return qs


def participation_counts(topic: Topic) -> dict:
    return Invitation.objects.filter(topic=topic).aggregate(
        invited=Count("pk"),
        read=Count("pk", filter=Q(read_at__isnull=False)),
        posted=Count("pk", filter=Q(posted_at__isnull=False)),
    )


def report_of(topic: Topic) -> SpecialReport | None:
    return SpecialReport.objects.filter(topic=topic).select_related("drafted_by", "approved_by").first()


def source_reports(topic: Topic):
    """S0-17: the public-opinion reports the topic came from (their requests were handed to it)."""

    return opinion_selectors.topic_requests_for(topic.ref)


def requests_to_take(user, committee):

    if not perm.works_at(user, committee):
        return []
    return opinion_selectors.approved_topic_requests(committee=committee)


def followups(topic: Topic):
    return FollowUp.objects.filter(topic=topic).prefetch_related("viewpoints__author").order_by("pk")
