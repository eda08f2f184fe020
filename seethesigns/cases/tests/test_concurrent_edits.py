"""Optimistic locking under real concurrency: two threads, two connections, committed rows.

Not in a test transaction (each thread has its own connection and must see the child), and not
`transaction=True` either: that would empty the whole test database afterwards.
"""

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection, connections
from django.test import Client

from conftest import verified_client
from seethesigns.accounts.models import Team, User
from seethesigns.cases.models import Child


@pytest.fixture
def committed_child(django_db_setup: None, django_db_blocker: Any) -> Iterator[Child]:
    with django_db_blocker.unblock():
        dsl = User.objects.get(username="demo-dsl")
        child = Child.objects.create(
            first_name="Con",
            last_name="Current",
            team=Team.objects.get(members=dsl),
            created_by=dsl,
        )
        yield child
        Child.objects.filter(pk=child.pk).delete()
        connections.close_all()


def test_two_concurrent_edits_never_both_win(
    committed_child: Child, django_db_blocker: Any
) -> None:
    """The same starting version sent at the same moment twice: exactly one saves."""
    with django_db_blocker.unblock():
        clients = [
            verified_client(Client(), User.objects.get(username=name))
            for name in ("demo-dsl", "demo-practitioner")
        ]
        barrier = threading.Barrier(2)
        answers: list[int] = []

        def edit(client: Client, name: str) -> None:
            barrier.wait()
            response = client.post(
                f"/pro/children/{committed_child.pk}/edit/",
                {
                    "version": 1,
                    "first_name": name,
                    "last_name": "Current",
                    "learning_disability": "no",
                    "in_care": "no",
                },
            )
            answers.append(response.status_code)
            connection.close()

        threads = [
            threading.Thread(target=edit, args=(c, n))
            for c, n in zip(clients, ["A", "B"], strict=True)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        committed_child.refresh_from_db()
        assert sorted(answers) == [302, 409]
        assert committed_child.version == 2 and committed_child.first_name in {"A", "B"}
