"""What a record links to, told to the worker without showing what they may not see.

For each record linked to a child (or for one record), the group is the record itself and every
record that matches it. The alert counts the other children and records linked to the group
(a matching record counts only through what is linked to it, or on its own if nothing is).
Those the worker may open are listed; of the others the worker learns only how many there are
and whom to contact: the owning team's CSE coordinator. Nothing else of them reaches the page.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from seethesigns.accounts.models import Team, User
from seethesigns.children.models import Child
from seethesigns.children.policies import ChildPolicy
from seethesigns.network.models import Disruption, Entity, Link, Match
from seethesigns.network.people import describe
from seethesigns.network.policies import EntityPolicy, own_contact, partnership_coordinator


@dataclass
class PersonMatch:
    """A person the model matched, that the worker may open, with the fields' names as words."""

    entity: Entity
    how: str
    agree: list[str]
    disagree: list[str]


@dataclass
class Alert:
    entity: Entity
    children: list[Child] = field(default_factory=list)
    records: list[Entity] = field(default_factory=list)
    same: list[Entity] = field(default_factory=list)  # matching records the worker may open
    # People the model matched (and the worker may open), apart from `same`: "very likely the
    # same person" with the fields that agree and disagree, "possibly the same" to check.
    very_likely: list[PersonMatch] = field(default_factory=list)
    possibly: list[PersonMatch] = field(default_factory=list)
    hidden: int = 0
    hidden_children: int = 0
    contacts: list[User] = field(default_factory=list)  # never the reader
    # Teams holding hidden records whose contact is the reader: they ask the team itself.
    ask_teams: list[Team] = field(default_factory=list)
    this_child: bool = False  # on a child's page, linked to this child too (counted, not listed)

    @property
    def total(self) -> int:
        """The same number on every page that shows this record's alert."""
        return len(self.children) + len(self.records) + self.hidden + int(self.this_child)

    @property
    def others(self) -> int:
        return self.total - int(self.this_child)


def groups(entity_ids: list[int]) -> dict[int, set[int]]:
    """Each record with the records that match it (found when either was saved)."""
    found: dict[int, set[int]] = {pk: {pk} for pk in entity_ids}
    pairs = Match.objects.filter(Q(entity_id__in=entity_ids) | Q(other_id__in=entity_ids))
    for a, b in pairs.values_list("entity_id", "other_id"):
        if a in found:
            found[a].add(b)
        if b in found:
            found[b].add(a)
    return found


def disruptions_about(child: Child) -> Any:
    """Disruptions of the child, and of the records the child is linked to (its record page)."""
    about = Disruption.objects.filter(Q(child=child) | Q(entity__links__child=child))
    return about.select_related("entity").distinct()


def alerts_for(
    entities: list[Entity], user: Any, *, except_child: Child | None = None
) -> list[Alert]:
    """One alert per record that links anywhere beyond itself (and beyond `except_child`).

    `except_child`, the child whose page this is, is counted like any other (so the number is
    the one the record's own page gives) but not listed.
    """
    group_of = groups([e.pk for e in entities])
    verdicts = _verdicts([e.pk for e in entities])
    members = set().union(*group_of.values()) if group_of else set()
    links = Link.objects.filter(Q(entity_id__in=members) | Q(other_id__in=members))
    rows = list(links.values_list("entity_id", "child_id", "other_id"))
    child_ids = {c for _, c, _ in rows if c}
    entity_ids = members | {e for e, _, _ in rows} | {o for _, _, o in rows if o}
    children = {c.pk: c for c in ChildPolicy(user).visible().filter(pk__in=child_ids)}
    visible = EntityPolicy(user).visible().select_related("team__organisation")
    visible = visible.prefetch_related("revisions")  # a record relabelled after it matched
    records = {e.pk: e for e in visible.filter(pk__in=entity_ids)}
    owners = _owning_teams(child_ids - children.keys(), entity_ids - records.keys())
    contact_of = _contacts(set(owners.values()))

    alerts = []
    for entity in entities:
        group = group_of[entity.pk]
        linked_children: set[int] = set()
        linked_records: set[int] = set()
        quiet_twins = group - {entity.pk}  # matching records with nothing linked to them
        for e, c, o in rows:
            if e in group or o in group:
                quiet_twins -= {e, o}
                if c:
                    linked_children.add(c)
                else:
                    linked_records |= {e, o} - group
        alert = Alert(entity=entity)
        for pk in sorted(group - {entity.pk}):
            if pk not in records:
                continue  # hidden: counted below, never described
            verdict = verdicts.get((entity.pk, pk))
            if verdict is None:
                alert.same.append(records[pk])
                continue
            shown = PersonMatch(
                records[pk], verdict.how, describe(verdict.agree), describe(verdict.disagree)
            )
            if verdict.how == Match.How.VERY_LIKELY:
                alert.very_likely.append(shown)
            else:
                alert.possibly.append(shown)
        hidden_teams: set[int] = set()
        for pk in sorted(linked_children):
            if except_child is not None and pk == except_child.pk:
                alert.this_child = True
            elif pk in children:
                alert.children.append(children[pk])
            else:
                alert.hidden += 1
                alert.hidden_children += 1
                hidden_teams.add(owners[("child", pk)])
        for pk in sorted(linked_records | quiet_twins):
            if pk in records:
                if pk not in quiet_twins:
                    alert.records.append(records[pk])
            else:
                alert.hidden += 1
                hidden_teams.add(owners[("entity", pk)])
        people = {person for team in hidden_teams if (person := contact_of[team])}
        alert.contacts = sorted(people - {user}, key=lambda person: person.pk)
        mine = [team for team in hidden_teams if contact_of[team] == user]
        alert.ask_teams = list(Team.objects.filter(pk__in=mine).select_related("organisation"))
        if alert.others or alert.same or alert.very_likely or alert.possibly:
            alerts.append(alert)
    return alerts


def shown_matches(alerts: list[Alert]) -> list[int]:
    """The people matches these alerts describe (for the audit of what a worker was shown)."""
    return sorted({m.entity.pk for alert in alerts for m in [*alert.very_likely, *alert.possibly]})


def _verdicts(entity_ids: list[int]) -> dict[tuple[int, int], Match]:
    """The model's verdicts about these people, by (this record, the other record)."""
    kinds = [Match.How.VERY_LIKELY, Match.How.POSSIBLY]
    rows = Match.objects.filter(
        Q(entity_id__in=entity_ids) | Q(other_id__in=entity_ids), how__in=kinds
    )
    found: dict[tuple[int, int], Match] = {}
    for match in rows:
        found[(match.entity_id, match.other_id)] = match
        found[(match.other_id, match.entity_id)] = match
    return found


def _owning_teams(child_ids: set[int], entity_ids: set[int]) -> dict[tuple[str, int], int]:
    owners = {
        ("child", pk): team
        for pk, team in Child.objects.filter(pk__in=child_ids).values_list("pk", "team_id")
    }
    owners |= {
        ("entity", pk): team
        for pk, team in Entity.objects.filter(pk__in=entity_ids).values_list("pk", "team_id")
    }
    return owners


def _contacts(team_ids: set[int]) -> dict[int, User | None]:
    """Whom to contact about each team's records, as policies.contact_for says, in two queries."""
    teams = Team.objects.filter(pk__in=team_ids).select_related("cse_contact")
    found = {team.pk: own_contact(team) for team in teams}
    if None in found.values():
        coordinator = partnership_coordinator()
        found = {pk: person or coordinator for pk, person in found.items()}
    return found


def linked_children_by_place(limit: int = 20) -> list[tuple[Entity, int]]:
    """Places ranked by how many different children are linked to them or their matches.

    A place recorded twice (two teams, two spellings) is one row, under its first record.
    """
    counts: dict[int, set[int]] = defaultdict(set)
    places = Link.objects.filter(entity__kind="place", child__isnull=False)
    for entity_id, child_id in places.values_list("entity_id", "child_id"):
        counts[entity_id].add(child_id)
    merged: dict[int, set[int]] = {}
    seen: set[int] = set()
    for pk, group in sorted(groups(list(counts)).items()):
        if pk in seen:
            continue
        seen |= group
        merged[pk] = set().union(*(counts.get(other, set()) for other in group))
    ranked = sorted(merged.items(), key=lambda item: (-len(item[1]), item[0]))[:limit]
    by_id = Entity.objects.in_bulk([pk for pk, _ in ranked])
    return [(by_id[pk], len(children)) for pk, children in ranked]
