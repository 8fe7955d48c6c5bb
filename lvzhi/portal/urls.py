from django.urls import path

from . import views_office as v

app_name = "portal"

urlpatterns = [
    path("office/", v.index, name="office"),
    path("office/topics/<int:pk>/", v.topic, name="office_topic"),
    path("office/drafts/new/", v.draft_new, name="office_draft_new"),
    path("office/drafts/<int:pk>/", v.draft, name="office_draft"),
    path("office/drafts/<int:pk>/step/", v.draft_step, name="office_draft_step"),
    path("office/drafts/<int:pk>/export.<str:fmt>", v.draft_export, name="office_draft_export"),
]
