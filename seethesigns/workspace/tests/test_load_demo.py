"""load_demo runs each app's demo.py after the apps it builds on, and a second run adds nothing."""

import uuid
from io import StringIO

import pytest
from django.core.management import call_command

from seethesigns.children.models import Child
from seethesigns.concerns.models import Concern
from seethesigns.meetings.models import Meeting
from seethesigns.referrals.models import Referral
from seethesigns.workspace.management.commands.load_demo import demo_modules

pytestmark = pytest.mark.django_db


def test_each_demo_runs_after_the_demos_it_builds_on():
    order = [module.__name__ for module in demo_modules()]
    assert order.index("seethesigns.website.demo") < order.index("seethesigns.accounts.demo")
    assert order.index("seethesigns.children.demo") < order.index("seethesigns.screening.demo")
    assert order.index("seethesigns.screening.demo") < order.index("seethesigns.referrals.demo")
    assert order.index("seethesigns.network.demo") < order.index("seethesigns.meetings.demo")


def test_the_demo_holds_every_apps_part():
    mia = Child.objects.get(first_name="Mia", last_name="Example")
    assert mia.screenings.count() == 2
    assert Referral.objects.filter(child=mia).count() == 1
    assert Child.objects.filter(first_name__in=["Leah", "Tom"]).count() == 2
    assert Meeting.objects.filter(title="Northbridge MACE").count() == 1
    keys = [uuid.uuid5(uuid.NAMESPACE_URL, f"seethesigns-demo-concern-{n}") for n in range(3)]
    assert Concern.objects.filter(submission_key__in=keys).count() == 3


def test_a_second_load_adds_nothing_and_shows_the_same_sign_in_details():
    counts = [m.objects.count() for m in (Child, Referral, Meeting, Concern)]
    out = StringIO()
    call_command("load_demo", "--without-year", stdout=out)  # the year: test_demo_year.py
    assert [m.objects.count() for m in (Child, Referral, Meeting, Concern)] == counts
    shown = out.getvalue()
    assert "  Demo editor: username demo-editor, password editor-demo-password" in shown
    assert "  Designated safeguarding lead: username demo-dsl, password dsl-demo-password" in shown
