"""Optimistic locking and one entry per form under real concurrency: two threads, two
connections, committed rows.

Not in a test transaction (each thread has its own connection and must see the child), and not
`transaction=True` either: that would empty the whole test database afterwards.
"""

import threading
import uuid
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

import pytest
from django.db import connection, connections
from django.test import Client

from conftest import verified_client
from seethesigns.accounts.models import Team, User
from seethesigns.appendonly import erasing
from seethesigns.audit.models import AuditEntry
from seethesigns.children.models import Child, ChronologyEntry


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
        with erasing("cases_chronologyentry"):
            ChronologyEntry.objects.filter(child=child).delete()
        Child.objects.filter(pk=child.pk).delete()
        connections.close_all()


def at_once(sends: list[Callable[[], int]]) -> list[int]:
    """Run each send in its own thread at the same moment; what each got back."""
    barrier = threading.Barrier(len(sends))
    answers: list[int] = []

    def go(send: Callable[[], int]) -> None:
        barrier.wait()
        answers.append(send())
        connection.close()

    threads = [threading.Thread(target=go, args=(send,)) for send in sends]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return answers


def send(client: Client, url: str, data: dict[str, Any]) -> int:
    return client.post(url, data).status_code


def test_two_concurrent_edits_never_both_win(
    committed_child: Child, django_db_blocker: Any
) -> None:
    """The same starting version sent at the same moment twice: exactly one saves."""
    with django_db_blocker.unblock():
        clients = [
            verified_client(Client(), User.objects.get(username=name))
            for name in ("demo-dsl", "demo-practitioner")
        ]

        url = f"/pro/children/{committed_child.pk}/edit/"
        edit = {
            "version": 1,
            "last_name": "Current",
            "learning_disability": "no",
            "in_care": "no",
            "placed_out_of_area": "no",
        }
        answers = at_once(
            [
                partial(send, client, url, {**edit, "first_name": name})
                for client, name in zip(clients, ["A", "B"], strict=True)
            ]
        )
        committed_child.refresh_from_db()
        assert sorted(answers) == [302, 409]
        assert committed_child.version == 2 and committed_child.first_name in {"A", "B"}


def test_one_form_sent_twice_at_the_same_moment_adds_one_entry(
    committed_child: Child, django_db_blocker: Any
) -> None:
    """A double click that reaches two threads at once: one entry, one audit row."""
    with django_db_blocker.unblock():
        dsl = User.objects.get(username="demo-dsl")
        data = {
            "key": str(uuid.uuid4()),
            "happened_on": "2026-11-01",
            "what": "Sent twice at once.",
            "source": "school",
        }
        url = f"/pro/children/{committed_child.pk}/chronology/"
        clients = [verified_client(Client(), dsl) for _ in range(2)]
        answers = at_once([partial(send, c, url, data) for c in clients])
        saved = ChronologyEntry.objects.get(child=committed_child)
        audits = AuditEntry.objects.filter(
            action="cases.add_chronology_entry", object_id=committed_child.pk
        )
        assert answers == [302, 302]
        assert [a.data["entry"] for a in audits] == [saved.pk]
