"""`lvzhi business_data --operator <phone> <app.model:id>`: an operator reads one business object on the server —
only under an approved, unexpired grant of the information office (S0-4); each use is audited."""

import json

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.forms.models import model_to_dict

from lvzhi.accounts import grants
from lvzhi.accounts.models import User
from lvzhi.core.errors import ApplicationError


class Command(BaseCommand):
    help = "Show one business object (app.model:id) to an operator holding a grant of the information office."

    def add_arguments(self, parser):
        parser.add_argument("target", help="app.model:id, e.g. content.article:12")
        parser.add_argument("--operator", required=True, help="the operator's mobile number (their account)")

    def handle(self, *args, target, operator, **options):
        user = User.objects.filter(phone=operator, is_active=True).first()
        if user is None:
            raise CommandError("unknown operator")
        label, _sep, pk = target.partition(":")
        if not pk.isdigit() or "." not in label:
            raise CommandError("give app.model:id")
        try:
            model = apps.get_model(*label.split(".", 1))
        except LookupError as exc:
            raise CommandError(str(exc)) from None
        obj = model._default_manager.filter(pk=int(pk)).first()
        body = getattr(obj, "body", None)
        if obj is None or body is None:
            raise CommandError("not found")
        try:
            grants.use_grant(actor=user, body=body, access="query", target=target)
        except ApplicationError as exc:
            raise CommandError(f"{exc.code}: {exc.message}") from None
        self.stdout.write(json.dumps(model_to_dict(obj), cls=DjangoJSONEncoder, ensure_ascii=False, default=str))
