from django.urls import path

from . import views, views_columns, views_editor, views_register

app_name = "content"
urlpatterns = [
    path("", views.feed, name="feed"),
    path("c/<slug:code>/", views.feed, name="column"),
    path("search/", views.search, name="search"),
    path("favourites/", views.favourites, name="favourites"),
    path("a/<int:pk>/", views.article, name="article"),
    path("a/<int:pk>/read-time/", views.read_time, name="read_time"),
    path("a/<int:pk>/favourite/", views.favourite, name="favourite"),
    path("a/<int:pk>/report/", views_register.report_new, name="report_new"),
    path("a/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("files/<int:pk>/", views.file, name="file"),
    path("files/<int:pk>/remove/", views.detach, name="detach"),
    path("write/", views.write, name="write"),
    path("mine/", views.mine, name="mine"),
    path("review/", views.queue, name="queue"),
    path("w/<int:pk>/", views.work, name="work"),
    path("w/<int:pk>/edit/", views.edit, name="edit"),
    path("w/<int:pk>/r/<int:number>/", views.revision, name="revision"),
    path("w/<int:pk>/submit/", views.submit, name="submit"),
    path("w/<int:pk>/mask/", views.mask, name="mask"),
    path("w/<int:pk>/attach/", views.attach, name="attach"),
    path("w/<int:pk>/image/", views_editor.image, name="editor_image"),
    path("w/<int:pk>/decide/", views.decide, name="decide"),
    path("w/<int:pk>/publish/", views.publish, name="publish"),
    path("w/<int:pk>/unschedule/", views.unschedule, name="unschedule"),
    path("w/<int:pk>/revise/", views.revise, name="revise"),
    path("w/<int:pk>/discard/", views.discard, name="discard"),
    path("register/", views_register.register, name="register"),
    path("register/export/", views_register.register_export, name="register_export"),
    path("reports/", views_register.reports, name="reports"),
    path("reports/<int:pk>/", views_register.report, name="report"),
    path("columns/", views_columns.columns, name="columns"),
    path("columns/changes/<int:pk>/", views_columns.column_change, name="column_change"),
]
