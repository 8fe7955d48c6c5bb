from django.urls import path

from . import views

app_name = "onboarding"

urlpatterns = [
    path("", views.index, name="index"),
    path("jobs/<int:job_id>/", views.job, name="job"),
    path("jobs/<int:job_id>/progress/", views.progress, name="progress"),
    path("jobs/<int:job_id>/confirm/", views.confirm, name="confirm"),
    path("jobs/<int:job_id>/cancel/", views.cancel, name="cancel"),
    path("jobs/<int:job_id>/report.xlsx", views.job_report, name="report"),
    path("bodies/<int:body_id>/<str:kind>/template.xlsx", views.template, name="template"),
    path("bodies/<int:body_id>/<str:kind>/export.xlsx", views.export, name="export"),
]
