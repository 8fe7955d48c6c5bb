"""Reads of the word lists, filtered for the user."""

from django.db.models import Count, Q

from lvzhi.core.errors import NotFound
from lvzhi.orgs.models import OrgUnit

from .models import ListKind, Term, WordList
from .permissions import creatable_bodies_q, may_view_list, visible_lists_q


def lists_for(user, *, kind: str = "", q: str = "", status: str = "active"):
    """The lists the user may see, with their number of active terms, kind and name order."""
    qs = WordList.objects.filter(visible_lists_q(user)).select_related("body")
    if kind in ListKind.values:
        qs = qs.filter(kind=kind)
    if status == "active":
        qs = qs.filter(is_active=True)
    elif status == "retired":
        qs = qs.filter(is_active=False)
    if q:
        qs = qs.filter(name__icontains=q.strip())
    return qs.annotate(term_count=Count("terms", filter=Q(terms__is_active=True))).order_by("kind", "name", "pk")


def access_list(user, list_id) -> WordList:
    """The list, if the user may see it; "not found" for missing and forbidden alike."""
    try:
        list_id = int(list_id)
    except (TypeError, ValueError):
        raise NotFound()
    word_list = WordList.objects.select_related("body").filter(pk=list_id).first()
    if word_list is None or not may_view_list(user, word_list):
        raise NotFound()
    return word_list


def terms_of(word_list: WordList, *, q: str = "", status: str = "active"):
    qs = Term.objects.filter(word_list=word_list)
    if status == "active":
        qs = qs.filter(is_active=True)
    elif status == "retired":
        qs = qs.filter(is_active=False)
    if q:
        qs = qs.filter(text__icontains=q.strip().lower())
    return qs.order_by("text", "pk")


def access_term(user, word_list: WordList, term_id) -> Term:
    try:
        term_id = int(term_id)
    except (TypeError, ValueError):
        raise NotFound()
    term = Term.objects.filter(pk=term_id, word_list=word_list).first()
    if term is None or not may_view_list(user, word_list):
        raise NotFound()
    term.word_list = word_list
    return term


def creatable_bodies(user):
    """Bodies where the user may create a list (the form's choices)."""
    return OrgUnit.objects.filter(creatable_bodies_q(user)).order_by("path")
