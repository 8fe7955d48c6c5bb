"""What a user is shown of a topic, a post or a 专报 — one answer for the web and the API. A hidden post shows its
text only to the committee and its author (with the reason); to others it is absent."""

from . import permissions as perm


def topic_dict(topic) -> dict:
    return {
        "id": topic.pk,
        "title": topic.title,
        "committee": topic.committee.name,
        "year": topic.year,
        "status": topic.status,
        "status_label": str(topic.get_status_display()),
        "discuss_from": topic.discuss_from.isoformat(),
        "discuss_until": topic.discuss_until.isoformat(),
        "meeting_date": topic.meeting_date.isoformat() if topic.meeting_date else None,
        "meeting_form": topic.meeting_form,
        "meeting_form_label": str(topic.get_meeting_form_display()) if topic.meeting_form else "",
        "meeting_ref": topic.meeting_ref,
        "live_url": topic.live_url,
        "live_at": topic.live_at.isoformat() if topic.live_at else None,
        "published_at": topic.published_at.isoformat() if topic.published_at else None,
        "posts": getattr(topic, "post_count", None),
    }


def topic_detail(user, topic, actions) -> dict:
    return {
        **topic_dict(topic),
        "background": topic.background,
        "questions": topic.questions,
        "may_post": perm.may_post(user, topic),
        "actions": [a.name for a in actions],
    }


def post_dict(user, post, *, staff: bool = False, supported=frozenset()) -> dict:
    hidden = post.status == "hidden"
    return {
        "id": post.pk,
        "author": post.author.real_name,
        "text": post.text,
        "created_at": post.created_at.isoformat(),
        "parent": post.parent_id,
        "support_count": post.support_count,
        "supported": post.pk in supported,
        "is_viewpoint": post.is_viewpoint,
        "hidden": hidden,
        "hidden_reason": post.hidden_reason if hidden and (staff or post.author_id == user.pk) else "",
        "attachments": [f"/deliberation/attachments/{a.pk}/" for a in post.attachments.all()],
    }


def report_dict(report) -> dict:
    return {
        "id": report.pk,
        "topic": report.topic_id,
        "title": report.title,
        "text": report.text,
        "status": report.status,
        "status_label": str(report.get_status_display()),
        "figures": report.figures,
        "approved_at": report.approved_at.isoformat() if report.approved_at else None,
        "sent_at": report.sent_at.isoformat() if report.sent_at else None,
    }
