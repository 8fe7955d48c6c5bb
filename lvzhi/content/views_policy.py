"""S1-4.1: the page where an interpretation's host unit names the policy documents it interprets, and the links
both ways shown on the members' article page and the work page."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from lvzhi.core.errors import ApplicationError, NotFound

from . import selectors, services
from . import selectors_policy as policy


class PolicyDocumentsForm(forms.Form):
    documents = forms.MultipleChoiceField(
        label=gettext_lazy("Policy documents interpreted"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Published policy documents of this body, newest first."),
    )

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["documents"].choices = [
            (str(d.pk), f"{d.published_title or d.title}（{d.published_at:%Y-%m-%d}）") for d in candidates
        ]

    def clean_documents(self):
        return [int(v) for v in self.cleaned_data["documents"]]


def article_context(user, article) -> dict:
    """The members' article page: links the reader may follow."""
    return {"policy": policy.readable_relations(user, article)}


def work_context(user, article) -> dict:
    """The work page: every document named, the live interpretations, and the way to change them."""
    data = policy.relations(user, article)
    return {"policy": data, "may_link": data["may_link"]}


@login_required
@require_http_methods(["GET", "POST"])
def policy_documents(request, pk):
    article = selectors.access_work_article(request.user, pk)
    if not policy.relations(request.user, article)["may_link"]:
        raise NotFound()
    candidates = policy.document_candidates(article)
    chosen = policy.documents_of(article)
    known = {d.pk for d in candidates}
    candidates += [d for d in chosen if d.pk not in known]  # a named document no longer live stays visible
    form = PolicyDocumentsForm(
        request.POST or None, candidates=candidates, initial={"documents": [str(d.pk) for d in chosen]}
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.set_policy_documents(
                    actor=request.user, article=article, document_ids=form.cleaned_data["documents"]
                )
            except ApplicationError as exc:
                if exc.status == 404:
                    raise
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("The interpreted policy documents were saved."))
                return redirect("content:work", pk=article.pk)
    context = {"article": article, "form": form, "has_candidates": bool(candidates)}
    return render(request, "content/policy_documents.html", context, status=status)
