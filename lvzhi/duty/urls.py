from django.urls import path

from . import views, views_office, views_report

app_name = "duty"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("report.pdf", views_report.my_report, name="my_report"),
    path("object/", views.object_, name="object"),
    path("manage/", views.manage, name="manage"),
    path("records/new/", views.new_record, name="new_record"),
    path("records/<int:pk>/", views.record, name="record"),
    path("records/<int:pk>/step/<slug:name>/", views.record_step, name="record_step"),
    path("review/", views.review, name="review"),
    path("late/", views.late, name="late"),
    path("events/", views.events, name="events"),
    path("events/<int:pk>/", views.event, name="event"),
    path("events/<int:pk>/qr/", views.event_qr, name="event_qr"),
    path("events/<int:pk>/step/<slug:name>/", views.event_step, name="event_step"),
    path("checkin/<int:pk>/", views.checkin, name="checkin"),
    path("ranking/", views.ranking, name="ranking"),
    path("members/<int:member_id>/", views.member, name="member"),
    path("members/<int:member_id>/report.pdf", views_report.member_report, name="member_report"),
    path("objections/", views.objections, name="objections"),
    path("objections/<int:pk>/", views.objection, name="objection"),
    path("objections/<int:pk>/step/<slug:name>/", views.objection_step, name="objection_step"),
    path("rules/", views_office.rulesets, name="rules"),
    path("rules/<int:pk>/", views_office.ruleset, name="ruleset"),
    path("samples/", views_office.samples, name="samples"),
    path("samples/<int:pk>/", views_office.sample, name="sample"),
    path("analysis/", views_office.analysis, name="analysis"),
    path("analysis/export.xlsx", views_office.analysis_export, name="analysis_export"),
    path("departments/", views_office.departments, name="departments"),
    path("results/", views_office.results, name="results"),
    path("admins/", views_office.admins, name="admins"),
    path("people/", views_office.people, name="people"),
    path("people/<int:pk>/", views_office.person, name="person"),
]
