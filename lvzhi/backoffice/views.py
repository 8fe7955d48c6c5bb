# Replaced by the back-office work.
from django.http import HttpResponse


def index(request):
    return HttpResponse("")
