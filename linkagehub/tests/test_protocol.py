"""The hub's endpoints: matches between partnerships raise one alert on each side, withdraw."""

import pytest
from django.core.management import CommandError, call_command

from linkagehub.models import AlertEvent, BlockKey, Encoding, Match, Partnership
from linkagehub.tests.encodings import item

CAR_NB = {"value": "AB12 CDE"}
CAR_EF = {"value": "ab12cde"}
PERSON_NB = {
    "names": ("Jordan Smith",),
    "date_of_birth": "1999-04-02",
    "sex": "male",
    "phones": ("07700 900123",),
}
PERSON_EF = {
    "names": ("JORDAN SMYTH",),
    "date_of_birth": "1999-04-02",
    "sex": "male",
    "phones": ("+44 7700 900123",),
}


def alerts(side, after=0):
    response = side.get(f"/v1/alerts?after={after}")
    assert response.status_code == 200, response.content
    return response.json()["alerts"]


def test_me_says_who_signed(northbridge):
    response = northbridge.get("/v1/me")
    assert response.status_code == 200
    assert response.json() == {"slug": "northbridge", "name": northbridge.partnership.name}


def test_a_car_in_both_partnerships_raises_one_alert_on_each_side(northbridge, eastfield):
    mine, theirs = item("vehicle", CAR_NB), item("vehicle", CAR_EF)
    assert northbridge.post("/v1/encodings", {"encodings": [mine]}).json() == {"accepted": 1}
    assert alerts(northbridge) == []  # nothing to match yet
    assert eastfield.post("/v1/encodings", {"encodings": [theirs]}).json() == {"accepted": 1}

    [north] = alerts(northbridge)
    [east] = alerts(eastfield)
    assert north["event"] == east["event"] == "raised"
    assert north["match"] == east["match"]
    assert north["ref"] == mine["ref"] and east["ref"] == theirs["ref"]
    assert north["kind"] == "vehicle" and north["strength"] == "very_likely"
    assert north["partnership"] == {
        "name": "Eastfield Safeguarding Children Partnership",
        "coordinator": {"name": "Eastfield coordinator", "phone": "0161 496 0000"},
    }
    assert east["partnership"]["name"] == "Northbridge Safeguarding Children Partnership"
    assert 0.95 <= north["probability"] <= 1
    # Nothing else of the other side's record: not its ref, not its encoding.
    assert theirs["ref"] not in str(north) and mine["ref"] not in str(east)
    assert Match.objects.count() == 1


def test_a_person_written_differently_matches(northbridge, eastfield):
    northbridge.post("/v1/encodings", {"encodings": [item("person", PERSON_NB)]})
    eastfield.post("/v1/encodings", {"encodings": [item("person", PERSON_EF)]})
    assert len(alerts(northbridge)) == len(alerts(eastfield)) == 1


def test_a_record_that_does_not_match_raises_nothing(northbridge, eastfield):
    northbridge.post("/v1/encodings", {"encodings": [item("vehicle", CAR_NB)]})
    eastfield.post("/v1/encodings", {"encodings": [item("vehicle", {"value": "XY70 ZZP"})]})
    eastfield.post("/v1/encodings", {"encodings": [item("phone", {"value": "AB12CDE"})]})
    assert alerts(northbridge) == alerts(eastfield) == []


def test_a_partnerships_own_encodings_never_match_each_other(northbridge):
    response = northbridge.post(
        "/v1/encodings", {"encodings": [item("vehicle", CAR_NB), item("vehicle", CAR_EF)]}
    )
    assert response.json() == {"accepted": 2}
    assert alerts(northbridge) == []
    assert Match.objects.count() == 0


def test_withdraw_removes_the_rows_and_tells_both_sides(northbridge, eastfield):
    mine = item("vehicle", CAR_NB)
    northbridge.post(
        "/v1/encodings", {"encodings": [mine, item("phone", {"value": "07700900999"})]}
    )
    eastfield.post("/v1/encodings", {"encodings": [item("vehicle", CAR_EF)]})
    [raised] = alerts(eastfield)

    response = northbridge.post("/v1/withdraw", {"refs": [mine["ref"], "0" * 32]})
    assert response.json() == {"withdrawn": 1}
    assert not Encoding.objects.filter(ref=mine["ref"]).exists()
    assert Encoding.objects.filter(partnership=northbridge.partnership).count() == 1
    assert not BlockKey.objects.filter(encoding__ref=mine["ref"]).exists()
    [withdrawn] = alerts(eastfield, after=raised["id"])
    assert withdrawn["event"] == "withdrawn" and withdrawn["match"] == raised["match"]
    assert [a["event"] for a in alerts(northbridge)] == ["raised", "withdrawn"]


def test_withdraw_touches_only_the_callers_own_refs(northbridge, eastfield):
    theirs = item("vehicle", CAR_EF)
    eastfield.post("/v1/encodings", {"encodings": [theirs]})
    assert northbridge.post("/v1/withdraw", {"refs": [theirs["ref"]]}).json() == {"withdrawn": 0}
    assert Encoding.objects.filter(ref=theirs["ref"]).exists()


def test_the_same_ref_again_replaces_and_a_changed_record_withdraws_its_match(
    northbridge, eastfield
):
    mine = item("vehicle", CAR_NB)
    northbridge.post("/v1/encodings", {"encodings": [mine]})
    eastfield.post("/v1/encodings", {"encodings": [item("vehicle", CAR_EF)]})
    # The same again: no new alert.
    northbridge.post("/v1/encodings", {"encodings": [mine]})
    assert [a["event"] for a in alerts(eastfield)] == ["raised"]
    # The plate was corrected on Northbridge's side: the match goes.
    changed = item("vehicle", {"value": "KL19 MNO"}, ref=mine["ref"])
    northbridge.post("/v1/encodings", {"encodings": [changed]})
    assert Encoding.objects.filter(partnership=northbridge.partnership).count() == 1
    assert [a["event"] for a in alerts(eastfield)] == ["raised", "withdrawn"]


def test_alerts_come_oldest_first_after_the_given_id(northbridge, eastfield):
    cars = [{"value": f"AB{n:02d} CDE"} for n in range(3)]
    northbridge.post("/v1/encodings", {"encodings": [item("vehicle", c) for c in cars]})
    eastfield.post("/v1/encodings", {"encodings": [item("vehicle", c) for c in cars]})
    every = alerts(northbridge)
    assert len(every) == 3
    assert [a["id"] for a in every] == sorted(a["id"] for a in every)
    assert alerts(northbridge, after=every[0]["id"]) == every[1:]
    assert alerts(northbridge, after=every[-1]["id"]) == []


def test_a_third_partnership_sees_nothing_of_a_match_between_two(northbridge, eastfield, side):
    westmoor = side("westmoor", "Westmoor Safeguarding Children Partnership")
    northbridge.post("/v1/encodings", {"encodings": [item("vehicle", CAR_NB)]})
    eastfield.post("/v1/encodings", {"encodings": [item("vehicle", CAR_EF)]})
    assert alerts(westmoor) == []
    assert AlertEvent.objects.filter(partnership=westmoor.partnership).count() == 0


def test_register_partnership(tmp_path, db):
    from pprl.signing import generate_keypair

    key = tmp_path / "eastfield.pem"
    key.write_bytes(generate_keypair()[1])
    call_command(
        "register_partnership",
        "eastfield",
        "--name=Eastfield Safeguarding Children Partnership",
        "--coordinator-name=Sam Patel",
        "--coordinator-phone=0161 496 0123",
        f"--public-key={key}",
    )
    partnership = Partnership.objects.get(slug="eastfield")
    assert partnership.coordinator_name == "Sam Patel" and partnership.active
    bad = tmp_path / "bad.pem"
    bad.write_text("not a key")
    with pytest.raises(CommandError, match="not an Ed25519 public key"):
        call_command(
            "register_partnership", "westmoor", "--name=W", "--coordinator-name=A",
            "--coordinator-phone=1", f"--public-key={bad}",
        )  # fmt: skip
    with pytest.raises(CommandError, match="slug"):
        call_command(
            "register_partnership", "West Moor", "--name=W", "--coordinator-name=A",
            "--coordinator-phone=1", f"--public-key={key}",
        )  # fmt: skip


def test_purge_forgets_withdrawn_matches_after_a_year_once_both_sides_read_them(
    northbridge, eastfield
):
    from datetime import timedelta

    from django.utils import timezone

    mine = item("vehicle", CAR_NB)
    northbridge.post("/v1/encodings", {"encodings": [mine]})
    eastfield.post("/v1/encodings", {"encodings": [item("vehicle", CAR_EF)]})
    eastfield.post("/v1/encodings", {"encodings": [item("vehicle", {"value": "AB-12-CDE"})]})
    northbridge.post("/v1/withdraw", {"refs": [mine["ref"]]})
    assert Match.objects.filter(withdrawn__isnull=False).count() == 2
    Match.objects.update(withdrawn=timezone.now() - timedelta(days=31))
    call_command("purge")
    assert Match.objects.count() == 2  # a month ago: kept (the default is a year)
    Match.objects.update(withdrawn=timezone.now() - timedelta(days=366))
    call_command("purge")
    assert Match.objects.count() == 2  # nobody has read the "withdrawn" events yet
    newest = AlertEvent.objects.order_by("-pk").first().pk
    alerts(northbridge, after=newest)  # northbridge has read everything; eastfield nothing
    call_command("purge")
    assert Match.objects.count() == 2
    alerts(eastfield, after=newest)
    call_command("purge")
    assert not Match.objects.exists()
    assert not AlertEvent.objects.exists()


def test_the_same_ref_twice_in_one_request_keeps_the_last(northbridge, eastfield):
    first = item("vehicle", {"value": "KL19 MNO"})
    last = item("vehicle", CAR_NB, ref=first["ref"])
    assert northbridge.post("/v1/encodings", {"encodings": [first, last]}).json() == {"accepted": 1}
    eastfield.post("/v1/encodings", {"encodings": [item("vehicle", CAR_EF)]})
    assert len(alerts(northbridge)) == 1


def test_a_batch_matches_each_of_its_encodings_with_its_own_kind_only(northbridge, eastfield):
    eastfield.post(
        "/v1/encodings",
        {"encodings": [item("vehicle", CAR_EF), item("phone", {"value": "07700900123"})]},
    )
    northbridge.post(
        "/v1/encodings",
        {
            "encodings": [
                item("phone", {"value": "+44 7700 900123"}),
                item("vehicle", CAR_NB),
                item("handle", {"value": "ab12cde"}),
                item("person", PERSON_NB),
            ]
        },
    )
    assert sorted(a["kind"] for a in alerts(northbridge)) == ["phone", "vehicle"]


def test_both_sides_finding_the_pair_at_once_make_one_match(northbridge, eastfield, monkeypatch):
    from linkagehub import matching

    mine, theirs = item("vehicle", CAR_NB), item("vehicle", CAR_EF)
    # Both stored before either is matched, as when two uploads are in flight together.
    [a] = matching.store(northbridge.partnership, [matching.Incoming(**mine)])
    [b] = matching.store(eastfield.partnership, [matching.Incoming(**theirs)])
    assert matching.match([a], {a.pk: set(mine["blocks"])}) == 1
    assert matching.match([b], {b.pk: set(theirs["blocks"])}) == 0
    # Had the second not seen the first's match yet, the database still keeps one.
    monkeypatch.setattr(matching, "_live_matches", lambda ids: {})
    assert matching.match([b], {b.pk: set(theirs["blocks"])}) == 0
    assert Match.objects.count() == 1
    assert len(alerts(northbridge)) == len(alerts(eastfield)) == 1


def test_a_deactivated_partnership_matches_nothing_and_its_matches_are_withdrawn(
    tmp_path, northbridge, eastfield
):
    eastfield.post("/v1/encodings", {"encodings": [item("vehicle", CAR_EF)]})
    northbridge.post("/v1/encodings", {"encodings": [item("vehicle", CAR_NB)]})
    [raised] = alerts(eastfield)
    key = tmp_path / "northbridge.pem"
    key.write_text(northbridge.partnership.public_key)
    call_command(
        "register_partnership", "northbridge", "--name=N", "--coordinator-name=A",
        "--coordinator-phone=1", f"--public-key={key}", "--inactive",
    )  # fmt: skip
    # The other side is told the match is withdrawn.
    [withdrawn] = alerts(eastfield, after=raised["id"])
    assert withdrawn["event"] == "withdrawn" and withdrawn["match"] == raised["match"]
    # The inactive side's encodings stay, but an arriving encoding does not match them.
    eastfield.post("/v1/encodings", {"encodings": [item("vehicle", {"value": "AB 12 CDE"})]})
    assert alerts(eastfield, after=withdrawn["id"]) == []
    assert Match.objects.filter(withdrawn__isnull=True).count() == 0


def test_past_the_candidate_cap_the_live_matches_are_kept(northbridge, eastfield, side, settings):
    """A crowded block key never withdraws a live match only to raise it again later: past
    HUB_MAX_CANDIDATES an encoding's live matches are always compared, then those sharing most
    block keys."""
    settings.HUB_MAX_CANDIDATES = 1
    westmoor = side("westmoor", "Westmoor Safeguarding Children Partnership")
    mine = item("vehicle", CAR_NB)
    assert northbridge.post("/v1/encodings", {"encodings": [mine]}).status_code == 200
    assert (
        eastfield.post("/v1/encodings", {"encodings": [item("vehicle", CAR_EF)]}).status_code == 200
    )
    # Westmoor's copy has two candidates and room for one: it matches Northbridge's.
    assert (
        westmoor.post("/v1/encodings", {"encodings": [item("vehicle", CAR_EF)]}).status_code == 200
    )
    assert Match.objects.filter(withdrawn__isnull=True).count() == 2
    # Northbridge sends its car again: two candidates, room for one, both live matches stay.
    assert northbridge.post("/v1/encodings", {"encodings": [mine]}).status_code == 200
    assert Match.objects.filter(withdrawn__isnull=True).count() == 2
    assert not Match.objects.filter(withdrawn__isnull=False).exists()
    assert [a["event"] for a in alerts(westmoor)] == ["raised"]
