from django.urls import path

from . import views_office as v
from . import views_sites

app_name = "portal"

urlpatterns = [
    path("office/", v.index, name="office"),
    path("office/topics/<int:pk>/", v.topic, name="office_topic"),
    path("office/drafts/new/", v.draft_new, name="office_draft_new"),
    path("office/drafts/<int:pk>/", v.draft, name="office_draft"),
    path("office/drafts/<int:pk>/step/", v.draft_step, name="office_draft_step"),
    path("office/drafts/<int:pk>/export.<str:fmt>", v.draft_export, name="office_draft_export"),
    path("office/sites/", views_sites.sites, name="office_sites"),
    path("office/sites/<int:pk>/", views_sites.site_evaluation, name="office_site"),
    path("office/sites/<int:pk>/edit/", views_sites.site_edit, name="office_site_edit"),
]
