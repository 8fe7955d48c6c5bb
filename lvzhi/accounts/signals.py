"""Signals of the accounts app that other modules may listen to (accounts imports none of them)."""

from django.dispatch import Signal

# A user logged in with their password (web or API), sent after the login was committed: `user`, `at`, `channel`.
signed_in = Signal()
