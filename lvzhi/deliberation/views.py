"""Pages of online deliberation: 网络议政 for members on their phones (topics, discussion, support) and the hosting
committee's pages (drafting and publishing topics, moderation, viewpoints, 专报, participation, follow-through).
Thin: parse, call one selector or service, render; business errors become the page's message."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lvzhi.core.errors import NotFound
from lvzhi.core.pages import run_on_page as _run  # (request, fn, success message)
from lvzhi.core.params import query_int
from lvzhi.core.timeutil import local_date
from lvzhi.opinions import selectors as opinion_selectors
from lvzhi.opinions.models import TopicRequest

from . import actions, rules, selectors, services
from . import permissions as perm
from .models import FollowUp, MeetingForm, PostAttachment, TopicLink


def _page(request, qs, size=rules.PAGE_SIZE):
    return Paginator(qs, size).get_page(request.GET.get("page"))


# ---- members -------------------------------------------------------------------------------------------------


@login_required
@require_GET
def topics(request):
    """网络议政: the published topics of the user's body, open ones first."""
    page = _page(request, selectors.published_topics(request.user))
    return render(
        request,
        "deliberation/topics.html",
        {"page": page, "manages": bool(perm.committees_of(request.user)), "today": local_date()},
    )


def _topic_context(request, topic):
    user = request.user
    staff = perm.may_manage(user, topic)
    page = _page(request, selectors.thread(user, topic))
    return {
        "topic": topic,
        "page": page,
        "staff": staff,
        "moderate": perm.may_moderate(user, topic),
        "may_post": perm.may_post(user, topic),
        "supported": selectors.supported_ids(user, topic),
        "steps": actions.available_actions(user, topic, "topic"),
        "need_by": services.required_publication_day(topic),
        "max_photos": rules.ATTACHMENTS_MAX,
    }


@login_required
@require_http_methods(["GET", "POST"])
def topic(request, pk):
    topic = selectors.access_topic(request.user, pk)
    if request.method == "POST":
        parent = None
        parent_id = query_int(request.POST.get("parent"))
        if parent_id:
            parent = selectors.access_post(request.user, parent_id)
        post = _run(
            request,
            lambda: services.create_post(
                actor=request.user,
                topic=topic,
                text_value=request.POST.get("text"),
                parent=parent,
                uploads=request.FILES.getlist("photos"),
            ),
            _("Your opinion was posted."),
        )
        if post is not None:
            return redirect("deliberation:topic", pk=topic.pk)
    elif topic.status in perm.PUBLISHED:
        services.record_topic_read(actor=request.user, topic=topic)
    return render(request, "deliberation/topic.html", _topic_context(request, topic))


@login_required
@require_POST
def post_action(request, pk, name):
    post = selectors.access_post(request.user, pk)
    user = request.user
    runs = {
        "support": (lambda: services.support_post(actor=user, post=post), _("You support this opinion.")),
        "hide": (
            lambda: services.hide_post(actor=user, post=post, reason=request.POST.get("reason")),
            _("The post was hidden."),
        ),
        "mark": (lambda: services.mark_viewpoint(actor=user, post=post, key=True), _("Marked as a key viewpoint.")),
        "unmark": (lambda: services.mark_viewpoint(actor=user, post=post, key=False), _("Mark removed.")),
        "speaker": (lambda: services.choose_speaker(actor=user, post=post), _("The member was chosen and told.")),
    }
    if name not in runs:
        raise NotFound()
    fn, ok = runs[name]
    _run(request, fn, ok)
    if name == "speaker":
        return redirect("deliberation:work", pk=post.topic_id)
    return redirect(f"/deliberation/topics/{post.topic_id}/#post-{post.pk}")


@login_required
@require_GET
def attachment(request, pk):
    att = PostAttachment.objects.select_related("post").filter(pk=query_int(pk) or 0).first()
    if att is None:
        raise NotFound()
    selectors.access_post(request.user, att.post_id)
    response = FileResponse(att.file.open("rb"), content_type=att.content_type)
    response["Content-Disposition"] = f'inline; filename="{att.name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ---- the hosting committee -------------------------------------------------------------------------------------


def _committees(request):
    committees = perm.committees_of(request.user)
    if not committees:
        raise NotFound()
    return committees


@login_required
@require_GET
def manage(request):
    committees = _committees(request)
    requests = [(c, list(selectors.requests_to_take(request.user, c))) for c in committees]
    return render(
        request,
        "deliberation/manage.html",
        {
            "page": _page(request, selectors.managed_topics(request.user)),
            "committees": committees,
            "requests": [(c, r) for c, r in requests if r],
            "open_topics": {c.pk: list(selectors.open_topics(c)) for c, r in requests if r},
        },
    )


def _form_data(request) -> dict:
    keys = ("title", "background", "questions", "discuss_from", "discuss_until", "meeting_date", "meeting_form")
    data = {k: request.POST.get(k, "") for k in keys}
    data.update(
        meeting_ref=request.POST.get("meeting_ref", ""),
        live_url=request.POST.get("live_url", ""),
        live_at=request.POST.get("live_at", ""),
        sms=request.POST.get("sms") == "on",
    )
    return data


@login_required
@require_http_methods(["GET", "POST"])
def new_topic(request):
    committees = _committees(request)

    handoff = None
    request_id = query_int(request.GET.get("request") or request.POST.get("request"))
    if request_id:
        handoff = next(
            (
                r
                for c in committees
                for r in opinion_selectors.approved_topic_requests(committee=c)
                if r.pk == request_id
            ),
            None,
        )
        if handoff is None:
            raise NotFound()
    data = {"title": handoff.title, "background": handoff.summary} if handoff else {}
    if request.method == "POST":
        data = _form_data(request)
        committee = next((c for c in committees if c.pk == query_int(request.POST.get("committee"))), None)
        if committee is None:
            raise NotFound()
        if handoff is not None:
            fn = lambda: services.draft_from_request(actor=request.user, request=handoff, data=data)  # noqa: E731
        else:
            fn = lambda: services.create_topic(actor=request.user, committee=committee, data=data)  # noqa: E731
        created = _run(request, fn, _("The topic was saved as a draft."))
        if created is not None:
            return redirect("deliberation:topic", pk=created.pk)
    return render(
        request,
        "deliberation/topic_form.html",
        {"committees": committees, "data": data, "forms": MeetingForm.choices, "handoff": handoff},
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit_topic(request, pk):
    topic = selectors.access_managed_topic(request.user, pk)
    data = {f: getattr(topic, f) for f in services.topics.FIELDS}
    if request.method == "POST":
        data = _form_data(request)
        if _run(request, lambda: services.update_topic(actor=request.user, topic=topic, data=data), _("Saved.")):
            return redirect("deliberation:topic", pk=topic.pk)
    return render(
        request,
        "deliberation/topic_form.html",
        {"topic": topic, "committees": [topic.committee], "data": data, "forms": MeetingForm.choices},
    )


@login_required
@require_POST
def topic_step(request, pk, name):
    topic = selectors.access_topic(request.user, pk)
    _run(
        request,
        lambda: actions.perform(actor=request.user, obj=topic, table="topic", name=name, data=request.POST),
        _("Done."),
    )
    return redirect("deliberation:topic", pk=topic.pk)


@login_required
@require_POST
def take_request(request, pk):
    """S0-17: hand an approved report request to one of the committee's open topics."""
    topic = selectors.access_managed_topic(request.user, query_int(request.POST.get("topic")) or 0)

    handoff = TopicRequest.objects.filter(pk=query_int(pk) or 0).first()
    if handoff is None:
        raise NotFound()
    _run(
        request,
        lambda: services.take_request(actor=request.user, request=handoff, topic=topic),
        _("The report was linked to the topic."),
    )
    return redirect("deliberation:manage")


@login_required
@require_http_methods(["GET", "POST"])
def work(request, pk):
    """The committee's follow-through page: figures, viewpoints and speakers, links, follow-ups, source reports."""
    topic = selectors.access_managed_topic(request.user, pk)
    if request.method == "POST":
        what = request.POST.get("do")
        if what == "link":
            _run(
                request,
                lambda: services.add_link(
                    actor=request.user,
                    topic=topic,
                    kind=request.POST.get("kind"),
                    title=request.POST.get("title"),
                    day=request.POST.get("day"),
                    ref=request.POST.get("ref", ""),
                ),
                _("The link was added."),
            )
        elif what == "followup":
            _run(
                request,
                lambda: services.add_followup(
                    actor=request.user,
                    topic=topic,
                    kind=request.POST.get("kind"),
                    source=request.POST.get("source"),
                    content=request.POST.get("content"),
                    viewpoint_ids=request.POST.getlist("viewpoints"),
                ),
                _("The follow-up is tracked."),
            )
        else:
            raise NotFound()
        return redirect("deliberation:work", pk=topic.pk)
    followups = list(selectors.followups(topic))
    return render(
        request,
        "deliberation/work.html",
        {
            "topic": topic,
            "figures": services.discussion_figures(topic),
            "viewpoints": selectors.viewpoints(topic),
            "speakers": topic.speakers.select_related("member"),
            "links": topic.links.all(),
            "link_kinds": TopicLink.Kind.choices,
            "followups": [(f, actions.available_actions(request.user, f, "followup")) for f in followups],
            "followup_kinds": FollowUp.Kind.choices,
            "sources": selectors.source_reports(topic),
        },
    )


@login_required
@require_POST
def followup_step(request, pk, name):
    followup = selectors.access_followup(request.user, pk)
    _run(
        request,
        lambda: actions.perform(actor=request.user, obj=followup, table="followup", name=name, data=request.POST),
        _("Done."),
    )
    return redirect("deliberation:work", pk=followup.topic_id)


@login_required
@require_GET
def participation(request, pk):
    """S0-19: who was invited, who read, who posted."""
    topic = selectors.access_managed_topic(request.user, pk)
    only = request.GET.get("only", "")
    only = only if only in ("absent", "posted", "unread") else ""
    return render(
        request,
        "deliberation/participation.html",
        {
            "topic": topic,
            "page": _page(request, selectors.participation(topic, only=only), size=50),
            "counts": selectors.participation_counts(topic),
            "only": only,
            "may_remind": perm.discussion_open(topic),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def report(request, pk):
    """S0-12.2: the 专报 of a topic — generated from the marked viewpoints, edited, approved, sent."""
    topic = selectors.access_managed_topic(request.user, pk)
    current = selectors.report_of(topic)
    if request.method == "POST":
        if request.POST.get("do") == "draft":
            _run(request, lambda: services.draft_report(actor=request.user, topic=topic), _("The draft was made."))
        elif request.POST.get("do") == "edit" and current is not None:
            _run(
                request,
                lambda: services.edit_report(
                    actor=request.user,
                    report=current,
                    title=request.POST.get("title"),
                    text_value=request.POST.get("text"),
                ),
                _("Saved."),
            )
        elif current is not None and request.POST.get("step"):
            _run(
                request,
                lambda: actions.perform(
                    actor=request.user, obj=current, table="report", name=request.POST["step"], data=request.POST
                ),
                _("Done."),
            )
        else:
            raise NotFound()
        return redirect("deliberation:report", pk=topic.pk)
    return render(
        request,
        "deliberation/report.html",
        {
            "topic": topic,
            "report": current,
            "steps": actions.available_actions(request.user, current, "report") if current else [],
            "viewpoints": selectors.viewpoints(topic),
            "figures": services.discussion_figures(topic),
            "may_edit": current is not None and current.status == "draft",
        },
    )
