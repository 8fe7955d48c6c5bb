from django.urls import path

from . import views, views_lectures, views_library, views_office

app_name = "learning"
urlpatterns = [
    path("", views.home, name="home"),
    path("record/", views.record, name="record"),
    path("certificates/<int:pk>.pdf", views.certificate_pdf, name="certificate"),
    path("courses/", views.courses, name="courses"),
    path("courses/<int:pk>/", views.course, name="course"),
    path("courses/<int:pk>/steps/<slug:name>/", views.course_step, name="course_step"),
    path("lessons/<int:pk>/", views.lesson, name="lesson"),
    path("lessons/<int:pk>/beat/", views.beat, name="beat"),
    path("lessons/<int:pk>/video", views.video, name="video"),
    path("lessons/<int:pk>/image", views.image, name="image"),
    path("lessons/<int:pk>/quiz/", views.quiz, name="quiz"),
    path("library/", views_library.library, name="library"),
    path("library/new/", views_library.new_document, name="new_document"),
    path("library/<int:pk>/", views_library.document, name="document"),
    path("library/<int:pk>/edit/", views_library.edit_document, name="edit_document"),
    path("library/<int:pk>/withdraw/", views_library.withdraw_document, name="withdraw_document"),
    path("library/<int:pk>/v<int:number>/download", views_library.download, name="download"),
    path("reading-lists/<int:pk>/", views_library.reading_list, name="reading_list"),
    path("office/", views_office.office, name="office"),
    path("office/courses/new/", views_office.new_course, name="new_course"),
    path("office/courses/<int:pk>/lessons/new/", views_office.new_lesson, name="new_lesson"),
    path("office/lessons/<int:pk>/questions/new/", views_office.new_question, name="new_question"),
    path("office/plan/", views_office.plan, name="plan"),
    path("office/behind/", views_office.behind, name="behind"),
    path("office/behind/remind/", views_office.remind, name="remind"),
    path("office/lectures/", views_lectures.lectures, name="lectures"),
    path("office/lectures/new/", views_lectures.new_lecture, name="new_lecture"),
    path("office/lectures/<int:pk>/", views_lectures.lecture, name="lecture"),
    path("office/lectures/<int:pk>/attendance/", views_lectures.lecture_attendance, name="lecture_attendance"),
    path("office/lectures/<int:pk>/recording/", views_lectures.publish_recording, name="publish_recording"),
]
