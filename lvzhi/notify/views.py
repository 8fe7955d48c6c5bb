# Replaced by the notify work.
from django.http import HttpResponse


def inbox(request):
    return HttpResponse("")


def open_message(request, message_id):
    return HttpResponse("")
