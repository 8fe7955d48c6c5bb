"""`lvzhi index_proposals`: index the title and text of every submitted item (for items submitted before the
similar-item suggestion used the search index; new items are indexed when submitted)."""

from django.core.management.base import BaseCommand

from lvzhi.proposals.models import Proposal
from lvzhi.proposals.similar import index_item


class Command(BaseCommand):
    help = "Index the title and text of every submitted bill, suggestion and proposal for the similar-item suggestion."

    def handle(self, *args, **options):
        done = 0
        for proposal in Proposal.objects.exclude(status=Proposal.Status.DRAFT).order_by("pk").iterator(chunk_size=500):
            index_item(proposal)
            done += 1
        self.stdout.write(f"{done}")
