from django.urls import path

from . import views, views_office

app_name = "deputies"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/qr.<str:fmt>", views.qr, name="qr"),
    path("<int:pk>/photo/", views.photo, name="photo"),
    path("stations/<int:pk>/", views.station, name="station"),
    path("receptions/<int:pk>/book/", views.book, name="book"),
    path("office/", views_office.pages, name="office"),
    path("office/<int:pk>/", views_office.edit_page, name="edit_page"),
    path("stations/<int:pk>/receptions/", views_office.receptions, name="receptions"),
    path("stations/<int:pk>/bookings/", views_office.bookings, name="bookings"),
    path("bookings/<int:pk>/mark/", views_office.mark_booking, name="mark_booking"),
    path("contacts/", views_office.contacts, name="contacts"),
    path("contacts/<int:pk>/", views_office.contact, name="contact"),
    path("channels/<int:pk>/", views_office.channel, name="channel"),
    path("channels/posts/<int:pk>/moderate/", views_office.moderate, name="moderate"),
]
