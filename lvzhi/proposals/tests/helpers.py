"""Helpers of the proposals tests: a logged-in API client per user."""

import json

from django.test import Client

from lvzhi.testing import login


def client_for(user) -> Client:
    client = Client()
    login(client, user)
    return client


class Api:
    """`api = Api(user)`; `api.post("/1/accept", {...})` → (status, json)."""

    BASE = "/api/v1/proposals"

    def __init__(self, user=None):
        self.client = client_for(user) if user is not None else Client()

    def _answer(self, response):
        try:
            data = response.json()
        except ValueError:
            data = None
        return response.status_code, data

    def get(self, path, params=None):
        return self._answer(self.client.get(self.BASE + path, params or {}))

    def post(self, path, data=None):
        return self._answer(self.client.post(self.BASE + path, json.dumps(data or {}), content_type="application/json"))

    def put(self, path, data=None):
        return self._answer(self.client.put(self.BASE + path, json.dumps(data or {}), content_type="application/json"))

    def delete(self, path):
        return self._answer(self.client.delete(self.BASE + path))
