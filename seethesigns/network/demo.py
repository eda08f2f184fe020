"""Demo CSE team records: three fictional children whose links cross teams (never in production).

Mia is held by the school, Leah by the Exploitation Team, Tom by Eastfield. The same silver car,
phone and online handle are written differently in each team's records, so the join-the-dots
alerts, the network and the MACE pack have something true to show.
"""

from datetime import date, datetime, timedelta

from django.utils import timezone

from seethesigns.accounts.models import Role, Team, User
from seethesigns.children.actions import (
    do_add_chronology_entry,
    do_record_abuse_report,
    do_record_missing,
    do_record_nrm,
    do_save_philomena,
    do_update_missing,
    index_names,
)
from seethesigns.children.models import Child, ReportDue
from seethesigns.dates import end_of_today
from seethesigns.network.actions import do_add_disruption, do_link_child
from seethesigns.network.models import Entity

# The demo accounts and Mia come first; her screenings and referral do too, as they always have.
AFTER = ("accounts", "cases", "screening", "referrals")

# (child, holder, [(kind, label, place kind, nature, days ago, source)])
LINKS: dict[str, list[tuple[str, str, str, str, int, str]]] = {
    "Mia": [
        ("vehicle", "NB12 XYZ", "", "Silver car picks her up after school", 20, "family"),
        ("handle", "@jaybz_", "", "Messages her on social media", 18, "child"),
        (
            "place",
            "Kebab House, 14 Station Rd",
            "takeaway",
            "Seen there after school",
            12,
            "school",
        ),
    ],
    "Leah": [
        ("vehicle", "nb12xyz", "", "Dropped at the children's home at 2am", 9, "social_care"),
        ("phone", "+44 7700 900123", "", "Number saved as 'J' on her phone", 9, "police"),
        ("person", "Jason Smyth", "", "Older man she calls her boyfriend", 8, "child"),
        (
            "place",
            "Kebab House 14 Station Road",
            "takeaway",
            "Found there when missing",
            6,
            "police",
        ),
        ("place", "Riverside Hotel, Mill Lane", "hotel", "Booked a room in her name", 5, "police"),
    ],
    "Tom": [
        ("handle", "jaybz_", "", "Added him on social media, sent money", 15, "child"),
        ("phone", "07700 900123", "", "Calls him late at night", 14, "family"),
        ("place", "Riverside Hotel Mill Ln", "hotel", "Went to a party there", 4, "public"),
    ],
}
CHILDREN = [
    # (first, last, born, team, recorded by, in care, placed out of area,
    #  (sex, ethnicity, nationality))
    # Leah lives in a children's home outside the partnership's area and goes missing back to
    # Northbridge, to the men she meets there.
    (
        "Leah",
        "Sample",
        date(2011, 2, 14),
        "Exploitation Team",
        "demo-coordinator",
        True,
        True,
        ("female", "mixed-white-black-caribbean", "GB"),
    ),
    # Tom's ethnicity and nationality are not recorded: his next screening asks them.
    (
        "Tom",
        "Demo",
        date(2012, 9, 3),
        "Eastfield Front Door",
        "demo-eastfield",
        False,
        False,
        ("", "", ""),
    ),
]
# What the partnership records of a person of concern (demographics.py).
PERSONS = {
    "Jason Smyth": {
        "sex": "male",
        "ethnicity": "white-british",
        "nationality": "GB",
        "age_low": 28,
        "age_high": 35,
        "aliases": "J\nJay",
    }
}


def load() -> list[str]:
    coordinator = User.objects.get(username="demo-coordinator")
    Team.objects.exclude(name__startswith="Eastfield").update(cse_contact=coordinator)
    if Child.objects.filter(first_name="Leah", last_name="Sample").exists():
        return []  # loaded before
    mia = Child.objects.filter(first_name="Mia", last_name="Example").first()
    if mia is None:
        return []
    children = {"Mia": mia}
    for first, last, born, team, username, in_care, placed, who in CHILDREN:
        sex, ethnicity, nationality = who
        author = User.objects.get(username=username)
        children[first] = Child.objects.create(
            first_name=first,
            last_name=last,
            date_of_birth=born,
            learning_disability="no",
            team=Team.objects.get(name=team),
            created_by=author,
            in_care=in_care,
            placed_out_of_area=placed,
            sex=sex,
            ethnicity=ethnicity,
            nationality=nationality,
        )
        index_names(children[first])  # found by search before create
    today = timezone.localdate()
    for name, links in LINKS.items():
        child = children[name]
        author = child.created_by
        if name == "Mia":
            author = User.objects.get(username="demo-dsl")
        for kind, label, place_kind, nature, days, source in links:
            values = {
                "kind": kind,
                "label": label,
                "place_kind": place_kind,
                "nature": nature,
                "linked_on": today - timedelta(days=days),
                "source": source,
                **PERSONS.get(label, {}),
            }
            do_link_child(child, values, acting_user=author, request=None)
    _chronology(children["Mia"], User.objects.get(username="demo-dsl"))
    _leah(children["Leah"], coordinator)
    return []


def _chronology(mia: Child, dsl: User) -> None:
    today = timezone.localdate()
    for days, source, what in [
        (30, "school", "Attendance has dropped to 70% this half term. Mia says she is tired."),
        (21, "family", "Mum says Mia has a new phone and trainers and won't say who paid."),
        (10, "child", "Mia told her form tutor she has 'an older boyfriend who looks after her'."),
    ]:
        values = {"happened_on": today - timedelta(days=days), "what": what, "source": source}
        do_add_chronology_entry(mia, values, acting_user=dsl, request=None)
    wrong = do_add_chronology_entry(
        mia,
        {
            "happened_on": today - timedelta(days=7),
            "what": "Mia missing from school on Tuesday.",
            "source": "school",
        },
        acting_user=dsl,
        request=None,
    )
    do_add_chronology_entry(
        mia,
        {
            "happened_on": today - timedelta(days=7),
            "what": "Correction: it was Wednesday, not Tuesday. The register was checked.",
            "source": "school",
        },
        amends=wrong,
        acting_user=dsl,
        request=None,
    )


def _leah(leah: Child, coordinator: User) -> None:
    now = timezone.now()
    done = _at(now - timedelta(days=20))
    episode = do_record_missing(
        leah,
        {
            "started_at": done,
            "reported_by": "Children's home staff",
            "police_reference": "NB-4471",
            "ended_at": done + timedelta(hours=14),
            "where_found": "Riverside Hotel",
            "who_with": "Two older men",
            "safe_and_well_at": done + timedelta(hours=15),
        },
        acting_user=coordinator,
        request=None,
    )
    do_update_missing(
        episode,
        episode.version,
        {"interview": "done", "interview_at": done + timedelta(hours=40)},
        acting_user=coordinator,
        request=None,
    )
    late = _at(now - timedelta(days=5))
    do_record_missing(
        leah,
        {
            "started_at": late,
            "reported_by": "Children's home staff",
            "police_reference": "NB-4502",
            "ended_at": late + timedelta(hours=20),
            "where_found": "Kebab House, Station Road",
            "who_with": "",
            "safe_and_well_at": None,
        },
        acting_user=coordinator,
        request=None,
    )
    do_save_philomena(
        leah,
        None,
        {
            "description": "Slim, about 160 cm, long dark hair, often a grey hooded coat.",
            "medical_needs": "Asthma: carries an inhaler.",
            "phone_numbers": "",
            "places_may_go": "Station Road takeaways; Riverside Hotel; her aunt's in Eastfield.",
            "people_may_be_with": "An older man she calls J.",
            "risks": "Child sexual exploitation.",
            "previous_missing": "Found twice near Station Road, once at a hotel.",
        },
        acting_user=coordinator,
        request=None,
    )
    _duties(leah, coordinator)
    person = Entity.objects.get(kind="person", normalised="jason smyth")
    analyst = User.objects.get(role=Role.POLICE_ANALYST, username="demo-analyst")
    do_add_disruption(
        person,
        {
            "kind": "cawn",
            "started_on": timezone.localdate() - timedelta(days=40),
            "review_on": timezone.localdate() - timedelta(days=2),
            "details": "Served by PC 2231; names Leah.",
        },
        child=leah,
        acting_user=analyst,
        request=None,
    )


def _at(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


def _duties(leah: Child, coordinator: User) -> None:
    """A disclosure reported the next day (with its reason), one due today, and an NRM referral."""
    now = timezone.now()
    today = timezone.localdate()
    do_add_chronology_entry(
        leah,
        {
            "happened_on": today - timedelta(days=6),
            "what": "Leah told her key worker that the men at the hotel made her do sexual things.",
            "source": "child",
            "disclosure": True,
        },
        acting_user=coordinator,
        request=None,
    )
    earlier = ReportDue.objects.filter(child=leah).latest("pk")
    known = _at(now - timedelta(days=6))
    ReportDue.objects.filter(pk=earlier.pk).update(
        known_at=known, due_by=end_of_today(known) - timedelta(microseconds=1)
    )
    earlier.refresh_from_db()
    do_record_abuse_report(
        leah,
        {
            "reported_to": "both",
            "reported_at": known + timedelta(hours=20),
            "known_on": timezone.localtime(known).date(),
            "reference": "NB-4519",
            "delay_reason": "The police asked us to wait until she was back at the home, so "
            "that the men were not alerted.",
        },
        due=earlier,
        acting_user=coordinator,
        request=None,
    )
    do_add_chronology_entry(
        leah,
        {
            "happened_on": today,
            "what": "Leah said again, to her social worker, what happened at the hotel.",
            "source": "child",
            "disclosure": True,
        },
        acting_user=coordinator,
        request=None,
    )
    do_record_nrm(
        leah,
        {
            "referred_on": today - timedelta(days=15),
            "first_responder": "local-authority",
            "first_responder_name": "Northby Council children's services",
            "reasonable_grounds": "positive",
            "reasonable_grounds_on": today - timedelta(days=12),
            "conclusive_grounds": "pending",
            "conclusive_grounds_on": None,
        },
        acting_user=coordinator,
        request=None,
    )
