"""A person of concern matched on everything known about them, at save and overnight (issue 20)."""

import re
from datetime import date
from types import SimpleNamespace

import pytest

from seethesigns.accounts.models import Team, User
from seethesigns.audit.models import AuditEntry
from seethesigns.children.models import Child
from seethesigns.matching.api import Record, compare, default_parameters
from seethesigns.network import batch, people
from seethesigns.network.actions import do_link_child, do_link_records, do_update_entity
from seethesigns.network.models import Entity, Match, PairSuggestion, PersonKey

pytestmark = pytest.mark.django_db
BORN = date(1994, 3, 17)


@pytest.fixture
def two_children(db):
    dsl = User.objects.get(username="demo-dsl")
    other = User.objects.get(username="demo-eastfield")
    mine = Child.objects.create(
        first_name="A", last_name="Mine", team=Team.objects.get(members=dsl), created_by=dsl
    )
    theirs = Child.objects.create(
        first_name="B", last_name="Theirs", team=Team.objects.get(members=other), created_by=other
    )
    return (mine, dsl), (theirs, other)


def team_of(user: User) -> Team:
    return Team.objects.get(members=user)


def person(child, user, label, **particulars):
    values = {
        "kind": "person",
        "label": label,
        "place_kind": "",
        "nature": "seen with",
        "linked_on": date(2026, 11, 1),
        "source": "police",
        **particulars,
    }
    return do_link_child(child, values, acting_user=user, request=None).entity


def link(entity, user, kind, label):
    values = {
        "kind": kind,
        "label": label,
        "place_kind": "",
        "nature": "uses",
        "linked_on": date(2026, 11, 1),
        "source": "police",
    }
    return do_link_records(entity, values, acting_user=user, request=None)


def match_between(a, b):
    return Match.objects.filter(entity__in=[a, b], other__in=[a, b]).first()


# ---- the Record --------------------------------------------------------------------------------


def test_a_persons_record_holds_everything_known(two_children):
    (child, user), _ = two_children
    jay = person(
        child, user, "Jason Smith", aliases="Jay\nJJ Smith\n\nJay", date_of_birth=BORN, sex="male"
    )
    link(jay, user, "phone", "07700 900 555")
    link(jay, user, "vehicle", "AB12 CDE")
    link(jay, user, "handle", "@jay_s")
    link(jay, user, "place", "14 Station Road, M14 5AB")
    record = people.record_of(Entity.objects.get(pk=jay.pk))
    assert record.names == ("Jason Smith", "Jay", "JJ Smith")
    assert (record.date_of_birth, record.sex) == (BORN, "male")
    assert record.phones == ("07700 900 555",)
    assert record.plates == ("AB12 CDE",)
    assert record.handles == ("@jay_s",)
    assert record.addresses == ("14 Station Road, M14 5AB",)
    # The model's "person" source reads the same records.
    from seethesigns.matching.api import source

    read = source("person")
    assert read is not None and record in list(read())


def test_keys_follow_the_names(two_children):
    (child, user), _ = two_children
    jay = person(child, user, "Jason Smith", aliases="Jay Smyth")
    keys = set(PersonKey.objects.filter(entity=jay).values_list("key", flat=True))
    assert keys == {"sound:JSN SM0", "sound:J SM0", "alias:jay smyth"}
    jay = do_update_entity(
        jay,
        jay.version,
        {"label": "Jason Smith", "aliases": ""},
        acting_user=user,
        request=None,
    )
    assert set(PersonKey.objects.filter(entity=jay).values_list("key", flat=True)) == {
        "sound:JSN SM0"
    }


# ---- candidates through each index -------------------------------------------------------------


def test_a_typo_is_found_through_the_trigram_index(two_children):
    (child, user), (other_child, other_user) = two_children
    theirs = person(other_child, other_user, "Mohammed Hussain")
    mine = person(child, user, "Mohamed Husain")
    assert theirs.pk in people._by_name(mine)


def test_an_alias_is_found_through_the_keys_and_the_trigram_index(two_children):
    (child, user), (other_child, other_user) = two_children
    exact = person(other_child, other_user, "Tyler Morgan")
    longer = person(other_child, other_user, "Tyler Reece Morgan")
    mine = person(child, user, "Big T", aliases="tyler MORGAN\nTy")
    # A label that is one of my aliases, written plainly (alias key) ...
    assert exact.pk in people._by_key(mine)
    # ... and one close to it (trigram on each name, aliases included).
    assert longer.pk in people._by_name(mine)
    assert longer.pk not in people._by_name(Entity(pk=0, kind="person", label="Big T"))


def test_swapped_names_are_found_through_the_sound_alike_key(two_children):
    (child, user), (other_child, other_user) = two_children
    theirs = person(other_child, other_user, "Steven Smith")
    mine = person(child, user, "Smyth Stephen")
    assert theirs.pk in people._by_key(mine)
    assert people.sound_key("Steven Smith") == people.sound_key("Smyth Stephen")


def test_a_date_of_birth_is_found_through_its_index(two_children):
    (child, user), (other_child, other_user) = two_children
    theirs = person(other_child, other_user, "Kyle Brown", date_of_birth=BORN)
    mine = person(child, user, "K Browne", date_of_birth=BORN)
    assert theirs.pk in people._by_birth(mine)


def test_a_shared_phone_or_plate_is_found_through_the_linked_records(two_children):
    (child, user), (other_child, other_user) = two_children
    theirs = person(other_child, other_user, "Dean Walker")
    link(theirs, other_user, "phone", "+44 7700 900 321")
    link(theirs, other_user, "vehicle", "ab 12 cde")
    mine = person(child, user, "Deano")
    assert theirs.pk not in people.candidates(mine)
    link(mine, user, "phone", "07700900321")
    assert theirs.pk in people._by_linked(mine)
    plated = person(child, user, "Driver")
    link(plated, user, "vehicle", "AB12CDE")
    assert theirs.pk in people._by_linked(plated)


def test_the_python_path_finds_what_postgresql_finds(two_children, monkeypatch):
    """SQLite compares trigrams in Python: the same candidates as pg_trgm's index."""
    (child, user), (other_child, other_user) = two_children
    for label in ["Mohammed Hussain", "Mohammad Husain", "Imran Hussain", "Mohammed Ali"]:
        person(other_child, other_user, label)
    mine = person(child, user, "Mohamed Hussain")
    in_postgresql = people._by_name(mine)
    monkeypatch.setattr(people, "connection", SimpleNamespace(vendor="sqlite"))
    assert sorted(people._by_name(mine)) == sorted(in_postgresql)
    assert in_postgresql


# ---- the verdicts ------------------------------------------------------------------------------


def test_everything_agreeing_is_very_likely_with_the_fields_named(two_children):
    (child, user), (other_child, other_user) = two_children
    theirs = person(other_child, other_user, "Jason Smith", date_of_birth=BORN, sex="male")
    link(theirs, other_user, "phone", "07700 900 777")
    mine = person(child, user, "Jayson Smith", date_of_birth=BORN, sex="male")
    link(mine, user, "phone", "+44 7700 900777")  # the link saves the person again
    found = match_between(mine, theirs)
    assert found.how == Match.How.VERY_LIKELY
    assert {"name", "date of birth", "phone"} <= set(found.agree)
    assert found.disagree == []
    assert 0.95 <= found.score <= 1


def test_the_same_name_with_another_date_of_birth_is_not_very_likely(two_children):
    (child, user), (other_child, other_user) = two_children
    theirs = person(other_child, other_user, "Jason Smith", date_of_birth=BORN)
    mine = person(child, user, "Jason Smith", date_of_birth=date(1989, 8, 2))
    found = match_between(mine, theirs)
    assert found is None or found.how != Match.How.VERY_LIKELY
    verdict = people.judge(people.record_of(mine), people.record_of(theirs))
    assert verdict.band != "very_likely"
    assert "date of birth" in verdict.disagree


def test_a_missing_field_is_neutral():
    name_only = compare("person", Record(names=("Jason Smith",)), Record(names=("Jason Smith",)))
    one_born = compare(
        "person",
        Record(names=("Jason Smith",), date_of_birth=BORN, sex="male"),
        Record(names=("Jason Smith",)),
    )
    assert one_born.probability == pytest.approx(name_only.probability)
    assert "date of birth" not in one_born.agree + one_born.disagree
    assert "sex" not in one_born.agree + one_born.disagree


def test_names_alone_a_slip_apart_are_possibly_the_same(two_children):
    """Only a name recorded: the name is all the evidence, and the worker is asked to check."""
    (child, user), (other_child, other_user) = two_children
    theirs = person(other_child, other_user, "Mohammed Khan")
    mine = person(child, user, "Mohammad Khan")
    assert match_between(mine, theirs).how == Match.How.POSSIBLY
    assert match_between(mine, person(child, user, "Ryan Gallagher")) is None


@pytest.mark.django_db
def test_judge_scores_with_the_parameters_it_is_given():
    """The bench judges with the model estimated on its own set, not the partnership's."""
    a, b = Record(names=("Jason Smith",)), Record(names=("Jason Smith",))
    sure = default_parameters("person") | {"prior": 0.5}
    doubtful = default_parameters("person") | {"prior": 1e-9}
    assert people.judge(a, b, params=sure).band == "very_likely"
    # With a prior of one in a billion the model says nothing; the names-alone floor still asks
    # the worker to check a name a slip apart, and nothing raises two other names.
    assert compare("person", a, b, params=doubtful).band == ""
    assert people.judge(a, Record(names=("Jasn Smith",)), params=doubtful).band == "possibly"
    assert people.judge(a, Record(names=("Ryan Gallagher",)), params=doubtful).band == ""


def test_a_new_link_upgrades_a_stored_verdict(two_children):
    (child, user), (other_child, other_user) = two_children
    theirs = person(other_child, other_user, "Callum Hughes", date_of_birth=BORN)
    link(theirs, other_user, "vehicle", "MX15 ABC")
    mine = person(child, user, "Calum Hughes")
    before = match_between(mine, theirs)
    assert before is not None and before.how == Match.How.POSSIBLY
    link(mine, user, "vehicle", "MX15ABC")
    after = match_between(mine, theirs)
    assert after.pk == before.pk and "vehicle" in after.agree
    assert after.score > before.score


# ---- alerts ------------------------------------------------------------------------------------


def test_alerts_word_the_two_kinds_differently(pro_client):
    coordinator = User.objects.get(username="demo-coordinator")
    child = Child.objects.filter(team=coordinator.team).first() or Child.objects.create(
        first_name="C", last_name="Oord", team=team_of(coordinator), created_by=coordinator
    )
    first = person(child, coordinator, "Marcus Leon Grant", date_of_birth=BORN, sex="male")
    link(first, coordinator, "phone", "07700 900 888")
    likely = person(child, coordinator, "Marcus Leon Grannt", date_of_birth=BORN, sex="male")
    link(likely, coordinator, "phone", "07700900888")
    maybe = person(child, coordinator, "Markus Grant")
    page = pro_client("demo-coordinator").get(f"/pro/records/{first.pk}/").content.decode()
    very = re.search(r'data-match="very_likely">(.*?)</p>', page, re.S)
    assert very, page
    text = re.sub(r"<[^>]+>", "", very.group(1))
    assert "Very likely the same person:" in text and "Marcus Leon Grannt" in text
    assert "Agrees on: name, date of birth" in text and "phone" in text
    possibly = re.search(r'data-match="possibly">(.*?)</p>', page, re.S)
    assert possibly and "Markus Grant" in possibly.group(1)
    assert "Possibly the same person, worth checking:" in possibly.group(1)
    # What the alert showed is audited: which records, never what they hold.
    shown = AuditEntry.objects.filter(action="links.show_matches").latest("seq")
    assert set(shown.data["matches"]) == {likely.pk, maybe.pk}


def test_an_alert_about_another_teams_person_reveals_none_of_their_particulars(pro_client):
    dsl = User.objects.get(username="demo-dsl")
    eastfield = User.objects.get(username="demo-eastfield")
    mine_child = Child.objects.create(
        first_name="M", last_name="Mine", team=team_of(dsl), created_by=dsl
    )
    their_child = Child.objects.create(
        first_name="T", last_name="Theirs", team=team_of(eastfield), created_by=eastfield
    )
    theirs = person(
        their_child,
        eastfield,
        "Jerome Okafor",
        aliases="Romey\nJ-Dog",
        date_of_birth=BORN,
        age_low=29,
        sex="male",
    )
    link(theirs, eastfield, "phone", "07700 900 246")
    link(theirs, eastfield, "place", "9 Quarry Lane")
    mine = person(mine_child, dsl, "Jerome Okafor", date_of_birth=BORN)
    link(mine, dsl, "phone", "07700900246")
    assert match_between(mine, theirs).how == Match.How.VERY_LIKELY
    client = pro_client("demo-dsl")
    for path in [f"/pro/records/{mine.pk}/", f"/pro/children/{mine_child.pk}/"]:
        page = client.get(path).content.decode()
        assert re.search(r"held by a team whose records you cannot open|cannot open", page), path
        for trace in [
            "Romey",
            "J-Dog",
            "Quarry",
            # Not the date of birth: both records hold it, and the worker's own record shows its
            # own (a person's particulars are on their page), so it would tell nothing new.
            "Eastfield",
            "Theirs",
            f"/pro/records/{theirs.pk}/",
            "Very likely the same person",
            "Agrees on",
            "Differs on",
        ]:
            assert trace not in page, (path, trace)


# ---- overnight ---------------------------------------------------------------------------------


def made_ids():
    return Entity.objects.filter(label__regex=r"-[A-Z]{2}$").values_list("pk", flat=True)


def generated(n: int = 60):
    """n people, every third written again by another team with a slip; the true pairs."""
    dsl = User.objects.get(username="demo-dsl")
    eastfield = User.objects.get(username="demo-eastfield")
    first = ["Jason", "Liam", "Noah", "Kyle", "Dean", "Imran", "Piotr", "Kwame", "Leon", "Gary"]
    last = ["Smith", "Patel", "Nowak", "Mensah", "Walker", "Clarke", "Begum", "Hughes"]
    made, truth = [], set()
    for i in range(n):
        label = f"{first[i % 10]} {last[(i * 7) % 8]}-{chr(65 + i % 26)}{chr(65 + i // 26)}"
        born = date(1980 + i % 25, 1 + i % 12, 1 + i % 27)
        entity = Entity.objects.create(
            kind="person",
            label=label,
            normalised=label.lower(),
            date_of_birth=born,
            team=team_of(dsl),
            created_by=dsl,
        )
        made.append(entity)
        if i % 3 == 0:
            slip = label[:2] + label[3] + label[2] + label[4:]  # two letters swapped
            twin = Entity.objects.create(
                kind="person",
                label=slip,
                normalised=slip.lower(),
                date_of_birth=born,
                team=team_of(eastfield),
                created_by=eastfield,
            )
            truth.add((entity.pk, twin.pk))
    return made, truth


@pytest.mark.parametrize("engine", ["splink", "compare"])
def test_the_overnight_run_suggests_the_true_pairs(engine, monkeypatch):
    _, truth = generated()
    calls = []
    from seethesigns.network import actions

    real = actions.do_suggest_pairs

    def spy(pairs, *, run_label):
        calls.append((list(pairs), run_label))
        return real(calls[-1][0], run_label=run_label)

    monkeypatch.setattr(actions, "do_suggest_pairs", spy)
    found = batch.run(engine=engine, run_label=f"test {engine}")
    ours = {pk for pair in truth for pk in pair} | set(made_ids())
    pairs = {(a, b) for a, b, *_ in found.pairs if a in ours and b in ours}
    assert pairs == truth  # every true pair, and nothing else among the generated people
    assert {band for a, b, _, band, _ in found.pairs if (a, b) in truth} <= {
        "very_likely",
        "possibly",
    }
    cluster_of = {pk: n for n, members in enumerate(found.clusters) for pk in members}
    assert all(cluster_of[a] == cluster_of[b] for a, b in truth)
    assert len({cluster_of[a] for a, _ in truth}) == len(truth)  # one cluster for each person
    assert calls and calls[0][1] == f"test {engine}"
    assert found.suggested == len(found.pairs)
    stored = set(PairSuggestion.objects.values_list("entity_id", "other_id"))
    assert truth <= stored
    # A second run asks nothing again.
    assert batch.run(engine=engine, run_label="again").suggested == 0


def test_the_command_prints_counts_only(capsys):
    _, truth = generated(30)
    from django.core.management import call_command

    call_command("match_people", "--engine", "compare", "--label", "nightly")
    out = capsys.readouterr().out
    assert f"{Entity.objects.filter(kind='person').count():,} people" in out
    added = PairSuggestion.objects.filter(run_label="nightly")
    assert truth <= set(added.values_list("entity_id", "other_id"))
    assert f"{added.count()} new in the review queue" in out
    assert not any(entity.label in out for entity in Entity.objects.filter(kind="person"))


def test_records_read_in_chunks_smaller_than_the_partnership_give_the_same_pairs():
    _, truth = generated(40)
    whole = batch.run(engine="splink", suggest=False, chunk=10_000)
    chunked = batch.run(engine="splink", suggest=False, chunk=7)  # 7 does not divide the count
    assert whole.people == chunked.people == Entity.objects.filter(kind="person").count()
    assert whole.people > 7 * 3
    assert chunked.pairs == whole.pairs
    assert chunked.compared == whole.compared > 0
    assert truth <= {(a, b) for a, b, *_ in chunked.pairs}
    # Records given by the caller (held in memory) go through the same path.
    given = batch.run(people.person_records(chunk=5), engine="splink", suggest=False, chunk=9)
    assert given.pairs == whole.pairs


def test_the_run_refuses_a_model_made_for_far_fewer_people(monkeypatch):
    """A prior fitted to a few thousand people floods the queue at a million: say so, stop."""
    from django.core.management import CommandError, call_command

    from seethesigns.matching.models import MatchingModel

    generated(30)
    held = batch.people_held()
    monkeypatch.setattr(batch, "SHIPPED_FOR", held // batch.OUTGROWN - 1)
    with pytest.raises(CommandError, match="shipped parameters") as refused:
        call_command("match_people", "--engine", "compare", "--label", "refused")
    assert "estimate_matching" in str(refused.value)
    assert not PairSuggestion.objects.filter(run_label="refused").exists()
    # An estimate made on today's people fits them.
    call_command("match_people", "--engine", "compare", "--label", "fits", "--estimate")
    assert MatchingModel.objects.filter(kind="person", records=held).exists()
    assert PairSuggestion.objects.filter(run_label="fits").exists()
    # And is outgrown in its turn when the people grow past four times as many.
    assert batch.outgrown(held * batch.OUTGROWN) == ""
    assert f"estimated on {held:,} people" in batch.outgrown(held * batch.OUTGROWN + 1)
