"""A site's public pages, under /site/<code>/ on the platform's host or at the root of the site's own host."""

from django.urls import path

from . import views_public as v

app_name = "site"

urlpatterns = [
    path("", v.home, name="home"),
    path("c/<int:body_id>/<slug:code>/", v.column, name="column"),
    path("a/<int:pk>/", v.article, name="article"),
    path("a/<int:pk>/f/<int:file_pk>/", v.attachment, name="attachment"),
    path("search/", v.search, name="search"),
    path("bills/", v.bills, name="bills"),
    path("text-size/", v.text_size, name="text_size"),
    path("theme.css", v.theme, name="theme"),
    path("verify/", v.verify, name="verify"),
    path("topics/", v.topics, name="topics"),
    path("topics/new/", v.topic_new, name="topic_new"),
    path("topics/lookup/", v.topic_lookup, name="topic_lookup"),
    path("drafts/", v.drafts, name="drafts"),
    path("drafts/<int:pk>/", v.draft, name="draft"),
    path("drafts/<int:pk>/comment/", v.draft_comment, name="draft_comment"),
    path("drafts/<int:pk>/report/", v.draft_report, name="draft_report"),
]
