"""The public pages of a site (no login, no member navigation; readable without script). Reading pages go through
the page cache (`pagecache.cached_page`); posting pages (verification, topics, comments) are never cached."""

import time
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from lvzhi.content import selectors as content
from lvzhi.core.errors import ApplicationError, NotFound
from lvzhi.core.netaddr import client_ip
from lvzhi.core.uploads import file_response
from lvzhi.core.validation import safe_query
from lvzhi.proposals import disclosure

from . import rules, selectors, services
from .forms import CodeForm, CommentForm, PhoneForm, TopicForm
from .pagecache import LARGE_TEXT_COOKIE, cached_page, expire_at, large_text

PHONE_KEY, PHONE_AT = "portal_phone", "portal_phone_at"


def render_public(request, site, template, context=None, status=200):
    bodies = selectors.site_bodies(site)
    menu, townships = selectors.navigation(site, bodies)
    ctx = {"site": site, "nav": menu, "townships": townships, "large_text": large_text(request)}
    ctx.update(context or {})
    return render(request, template, ctx, status=status)


def _page(request):
    return request.GET.get("page", 1)


@cached_page
def home(request, site_code=None):
    site = selectors.current_site(request, site_code)
    bodies = selectors.site_bodies(site)
    latest = list(selectors.public_articles(bodies)[:12])
    drafts = list(selectors.public_drafts(site.body)[:3])
    response = render_public(request, site, "portal/home.html", {"latest": latest, "drafts": drafts})
    return _until_drafts_change(response, drafts)


def _until_drafts_change(response, drafts):
    """A page listing drafts is kept no longer than the next opening or closing of their comment periods."""
    moments = [m for d in drafts for m in (selectors.draft_opens_at(d), d.closes_at)]
    return expire_at(response, *moments)


@cached_page
def column(request, body_id, code, site_code=None):
    site = selectors.current_site(request, site_code)
    col = selectors.public_column(site, body_id, code)
    page = content.page_of(selectors.column_articles(col), _page(request), size=rules.PAGE_SIZE)
    return render_public(request, site, "portal/column.html", {"column": col, "page": page})


@cached_page
def article(request, pk, site_code=None):
    site = selectors.current_site(request, site_code)
    item = selectors.public_article(site, pk)
    return render_public(
        request, site, "portal/article.html",
        {"article": item, "revision": item.published_revision, "files": selectors.public_attachments(item),
         "policy": selectors.policy_relations(site, item)},
    )  # fmt: skip


def attachment(request, pk, file_pk, site_code=None):
    """An image, audio, video or document of a live public article, served from our storage."""
    site = selectors.current_site(request, site_code)
    item = selectors.public_article(site, pk)
    found = next((f for f in selectors.public_attachments(item) if f.pk == int(file_pk)), None)
    if found is None:
        raise NotFound()
    response = file_response(found.file, filename=found.name, content_type=found.mime)
    if found.mime.startswith(("image/", "audio/", "video/")):
        response["Content-Disposition"] = "inline"
    response["Cache-Control"] = f"public, max-age={rules.BROWSER_MAX_AGE}"
    return response


@cached_page
def search(request, site_code=None):
    site = selectors.current_site(request, site_code)
    query = safe_query(request.GET.get("q", ""))
    page = content.page_of(selectors.search_public(site, query), _page(request), size=rules.PAGE_SIZE)
    return render_public(request, site, "portal/search.html", {"query": query, "page": page})


@cached_page
def bills(request, site_code=None):
    """Deputies' bills and suggestions with their handling results, from the proposals' public feed (masked)."""
    site = selectors.current_site(request, site_code)
    page = content.page_of(disclosure.public_feed(body_id=site.body_id), _page(request), size=rules.PAGE_SIZE)
    page.items = [disclosure.public_item(p) for p in page.items]
    return render_public(request, site, "portal/bills.html", {"page": page})


def text_size(request, site_code=None):
    """Large-text mode without script: a link sets (or clears) a cookie and returns to the page."""
    site = selectors.current_site(request, site_code)
    target = request.GET.get("next", "")
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        target = site.base
    response = HttpResponseRedirect(target)
    if request.GET.get("large") == "1":
        response.set_cookie(LARGE_TEXT_COOKIE, "1", max_age=365 * 86400, samesite="Lax", httponly=True)
    else:
        response.delete_cookie(LARGE_TEXT_COOKIE, samesite="Lax")
    return response


# ---- verified posting --------------------------------------------------------------------------------------------


def verified_phone(request) -> str:
    at = request.session.get(PHONE_AT, 0)
    if not at or time.time() - at > rules.VERIFIED_MINUTES * 60:
        return ""
    return request.session.get(PHONE_KEY, "")


def _next(request, site) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    return target if target.startswith(site.base) and "//" not in target else site.base


def verify(request, site_code=None):
    """Ask for a code (captcha after repeated failures), then enter it: the number is verified for an hour."""
    site = selectors.current_site(request, site_code)
    ip = client_ip(request)
    phone = request.session.get("portal_phone_pending", "")
    phone_form, code_form = PhoneForm(initial={"phone": phone}), CodeForm()
    if request.method == "POST":
        try:
            if request.POST.get("step") == "check":
                code_form = CodeForm(request.POST)
                verified = services.check_code(phone=phone, code=request.POST.get("code", ""), ip=ip)
                request.session[PHONE_KEY], request.session[PHONE_AT] = verified, int(time.time())
                return redirect(_next(request, site))
            phone_form = PhoneForm(request.POST)
            phone = services.send_code(
                phone=request.POST.get("phone", ""), ip=ip, captcha_token=request.POST.get("captcha_token", ""),
                captcha_answer=request.POST.get("captcha", ""),
            )  # fmt: skip
            request.session["portal_phone_pending"] = phone
            messages.success(request, _("A code was sent to your phone."))
        except ApplicationError as error:
            form = code_form if request.POST.get("step") == "check" else phone_form
            form.is_valid()
            form.add_error(error.code.split("_")[0] if error.code.startswith(("phone", "code")) else None, str(error))
    captcha = services.new_captcha() if services.captcha_required(ip, phone) else None
    return render_public(
        request, site, "portal/verify.html",
        {"phone_form": phone_form, "code_form": code_form, "pending": phone, "captcha": captcha,
         "next": _next(request, site)},
    )  # fmt: skip


def _needs_phone(request, site):
    return redirect(f"{site.base}verify/?{urlencode({'next': request.get_full_path()})}")


@cached_page
def topics(request, site_code=None):
    site = selectors.current_site(request, site_code)
    page = content.page_of(selectors.public_topics(site.body), _page(request), size=rules.PAGE_SIZE)
    return render_public(request, site, "portal/topics.html", {"page": page})


def topic_new(request, site_code=None):
    site = selectors.current_site(request, site_code)
    phone = verified_phone(request)
    if not phone:
        return _needs_phone(request, site)
    form = TopicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            topic = services.propose_topic(body=site.body, phone=phone, ip=client_ip(request), **form.cleaned_data)
            return render_public(request, site, "portal/topic_done.html", {"topic": topic})
        except ApplicationError as error:
            form.add_error(None, str(error))
    return render_public(request, site, "portal/topic_new.html", {"form": form}, status=400 if form.errors else 200)


def topic_lookup(request, site_code=None):
    site = selectors.current_site(request, site_code)
    code = safe_query(request.GET.get("code", ""), max_length=8)
    topic = None
    if code:
        try:
            topic = selectors.topic_by_code(site.body, code)
        except NotFound:
            topic = None
    return render_public(request, site, "portal/topic_lookup.html", {"code": code, "topic": topic})


@cached_page
def drafts(request, site_code=None):
    site = selectors.current_site(request, site_code)
    page = content.page_of(selectors.public_drafts(site.body), _page(request), size=rules.PAGE_SIZE)
    return _until_drafts_change(render_public(request, site, "portal/drafts.html", {"page": page}), page.items)


@cached_page
def draft(request, pk, site_code=None):
    site = selectors.current_site(request, site_code)
    item = selectors.public_draft(site, pk)
    shown = list(selectors.shown_comments(item)[:200])
    by_article = {}
    for c in shown:
        by_article.setdefault(c.article_id, []).append(c)
    articles = selectors.articles_of(item)
    for a in articles:
        a.shown_comments = by_article.get(a.pk, [])
    response = render_public(
        request, site, "portal/draft.html",
        {"draft": item, "articles": articles, "whole": by_article.get(None, []), "open": selectors.is_open(item)},
    )  # fmt: skip
    return expire_at(response, item.closes_at)  # open until 24:00 of the last day, then closed at once


@cached_page
def draft_report(request, pk, site_code=None):
    site = selectors.current_site(request, site_code)
    item = selectors.public_draft(site, pk)
    if item.report_published_at is None:
        raise NotFound()
    rows = selectors.adoption_report(item)
    comments = list(selectors.shown_comments(item))
    return render_public(request, site, "portal/draft_report.html", {"draft": item, "rows": rows, "comments": comments})


def draft_comment(request, pk, site_code=None):
    site = selectors.current_site(request, site_code)
    item = selectors.public_draft(site, pk)
    articles = selectors.articles_of(item)
    if not selectors.is_open(item):
        return render_public(request, site, "portal/draft_closed.html", {"draft": item}, status=409)
    phone = verified_phone(request)
    if not phone:
        return _needs_phone(request, site)
    initial = {"article": safe_query(request.GET.get("article", "0"), max_length=10)}
    form = CommentForm(request.POST or None, articles=articles, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.comment(
                draft=item, article_id=form.cleaned_data["article"], text=form.cleaned_data["text"], phone=phone,
                name=form.cleaned_data["name"], show_name=form.cleaned_data["show_name"], ip=client_ip(request),
            )  # fmt: skip
            return render_public(request, site, "portal/comment_done.html", {"draft": item})
        except ApplicationError as error:
            form.add_error(None, str(error))
    status = 400 if form.errors else 200
    return render_public(request, site, "portal/draft_comment.html", {"draft": item, "form": form}, status=status)


def theme(request, site_code=None):
    """The site's colour within the design system (a style sheet: no inline styles under the CSP)."""
    site = selectors.current_site(request, site_code)
    response = HttpResponse(f":root {{ --site: {site.colour}; }}\n", content_type="text/css; charset=utf-8")
    response["Cache-Control"] = f"public, max-age={rules.BROWSER_MAX_AGE}"
    return response
