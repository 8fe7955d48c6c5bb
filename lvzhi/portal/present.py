"""What the public sees of a draft regulation and of a topic: one presenter for the web pages' data and the API.
Never the commenter's number or real name (only the masked name they chose to show)."""

from . import selectors


def draft_summary(draft) -> dict:
    return {
        "id": draft.pk,
        "title": draft.title,
        "opens_on": draft.opens_on.isoformat(),
        "closes_on": draft.closes_on.isoformat(),
        "open": selectors.is_open(draft),
        "report_published": draft.report_published_at is not None,
    }


def draft_detail(draft) -> dict:
    view = draft_summary(draft)
    view["introduction"] = draft.introduction
    view["articles"] = [
        {"id": a.pk, "label": a.label, "chapter": a.chapter, "text": a.text} for a in selectors.articles_of(draft)
    ]
    view["comments"] = [
        {"article_id": c.article_id, "text": c.text, "name": c.public_name} for c in selectors.shown_comments(draft)
    ]
    if draft.report_published_at is not None:
        view["report"] = [
            {"article": r["article"].label if r["article"] else None, **{k: r[k] for k in KEYS}}
            for r in selectors.adoption_report(draft)
        ]
    return view


KEYS = ("total", "adopted", "partly", "not_adopted")


def topic_public(topic) -> dict:
    return {
        "kind": topic.kind,
        "title": topic.title,
        "status": topic.status,
        "status_label": str(topic.get_status_display()),
        "answer": topic.answer,
        "answered_at": topic.answered_at.isoformat() if topic.answered_at else None,
    }
