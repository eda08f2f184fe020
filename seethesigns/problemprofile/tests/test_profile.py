"""The problem profile through HTTP: who opens it, the audit, downloads safe and suppressed,
links only to records the reader may open, figures at most a minute old, bad filters."""

import csv
import io
import re
import subprocess
from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from seethesigns.accounts.models import Team, User
from seethesigns.audit.models import AuditEntry
from seethesigns.children.models import Child
from seethesigns.concerns.models import Concern, new_reference
from seethesigns.encryption import seal
from seethesigns.problemprofile import downloads, figures
from seethesigns.problemprofile.figures import Filters, Table
from seethesigns.problemprofile.suppression import FEWER, Published, publish
from seethesigns.problemprofile.tests.generate import generate

pytestmark = pytest.mark.django_db

READERS = ["demo-coordinator", "demo-analyst", "demo-admin"]
OTHERS = ["demo-practitioner", "demo-dsl", "demo-frontdoor", "demo-dpo", "demo-eastfield"]
URLS = [
    "/pro/profile/",
    "/pro/profile/download.csv",
    "/pro/profile/download.ods",
    "/pro/profile/board-report.pdf",
    "/pro/profile/data-quality/",
]
START, END = date(2025, 1, 1), date(2025, 7, 1)
PERIOD = "?start=2025-01&end=2025-06&by=month"


@pytest.mark.parametrize("username", OTHERS)
def test_everyone_but_the_three_readers_gets_404(pro_client, username):
    client = pro_client(username)
    for url in URLS:
        assert client.get(url).status_code == 404, url
    assert not AuditEntry.objects.filter(action__startswith="profile.").exists()


@pytest.mark.parametrize("username", READERS)
def test_opening_the_profile_and_each_download_is_audited(pro_client, username):
    client = pro_client(username)
    response = client.get("/pro/profile/" + PERIOD)
    assert response.status_code == 200
    assert b'data-figure="concerns_by_sender"' in response.content
    opened = AuditEntry.objects.get(action="profile.view_figures")
    assert opened.actor.username == username
    assert opened.data == {"from": "2025-01", "to": "2025-06", "by": "month", "team": ""}
    for fmt in ["csv", "ods"]:
        assert client.get(f"/pro/profile/download.{fmt}{PERIOD}").status_code == 200
    assert client.get("/pro/profile/board-report.pdf?quarter=2025-Q1").status_code == 200
    assert client.get("/pro/profile/data-quality/").status_code == 200
    formats = list(
        AuditEntry.objects.filter(action="profile.download")
        .order_by("seq")
        .values_list("data__format", flat=True)
    )
    assert formats == ["csv", "ods", "pdf"]
    assert AuditEntry.objects.filter(action="profile.view_scorecard").count() == 1


def test_bad_filters_get_a_clear_message_and_keep_what_was_typed(pro_client):
    response = pro_client("demo-coordinator").get("/pro/profile/?start=2025-13&end=2025-06")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter the first month as a year and month, like 2026-04." in html
    assert 'value="2025-13"' in html
    wrong_way = pro_client("demo-coordinator").get("/pro/profile/?start=2025-06&end=2025-01")
    assert "The last month must be the same as or after the first." in wrong_way.content.decode()
    bad_quarter = pro_client("demo-coordinator").get(
        "/pro/profile/board-report.pdf?quarter=2025-Q5"
    )
    assert bad_quarter.status_code == 400
    assert "like 2026-Q3" in bad_quarter.content.decode()


# Formula injection ----------------------------------------------------------------------------

DANGEROUS = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tindent", "\rreturn"]


def injected() -> Published:
    return Published(
        "k",
        DANGEROUS[0],
        DANGEROUS[1],
        ["", DANGEROUS[2]],
        [[DANGEROUS[3], DANGEROUS[4]], [DANGEROUS[5], "7"]],
    )


def test_a_csv_cell_beginning_like_a_formula_is_neutralised():
    body = downloads.as_csv([injected()], ["=heading"]).decode().lstrip("\ufeff")
    cells = [cell for row in csv.reader(io.StringIO(body)) for cell in row if cell]
    for value in [DANGEROUS[0], *DANGEROUS[2:], "=heading"]:
        assert "'" + value in cells
    assert "Source: " + DANGEROUS[1] in cells  # begins with a letter: nothing to neutralise
    assert all(not c.startswith(downloads.DANGEROUS) for c in cells)


def ods_cells(body: bytes) -> list[str]:
    from odf.opendocument import load  # type: ignore[import-untyped]
    from odf.table import TableCell  # type: ignore[import-untyped]

    document = load(io.BytesIO(body))
    return [str(cell) for cell in document.spreadsheet.getElementsByType(TableCell)]


def test_an_ods_cell_beginning_like_a_formula_is_neutralised():
    cells = [c for c in ods_cells(downloads.as_ods([injected()], ["=heading"])) if c]
    for value in [*DANGEROUS[2:5], "=heading", DANGEROUS[0]]:
        assert "'" + value in cells
    # A carriage return inside a cell is written as a line break: still neutralised.
    assert any(c.startswith("'") and c.endswith("return") for c in cells)
    assert all(not c.startswith(downloads.DANGEROUS) for c in cells)


@given(st.text(min_size=1, max_size=20))
@settings(max_examples=200, deadline=None)
def test_no_text_at_all_comes_out_as_a_formula(value):
    made_safe = downloads.safe(value)
    assert not made_safe.startswith(downloads.DANGEROUS)
    assert made_safe == ("'" + value if value.startswith(downloads.DANGEROUS) else value)


# Small numbers --------------------------------------------------------------------------------

NUMBER = re.compile(r"^\d+$")
# A number standing alone in the PDF's text: not part of a word, a decimal, a time or a quote.
QUOTE = "\u2019"
SMALL = re.compile(rf"(?<![\w.'{QUOTE}-])[0-4](?![\w.:%{QUOTE}])")
BIG = re.compile(rf"(?<![\w.'{QUOTE}-])\d+(?![\w.:%{QUOTE}])")


def check_published_cells(cells: list[str]) -> None:
    """Every count is 5 or more, or says "fewer than 5"; both happen."""
    counts = [c for c in cells if NUMBER.match(c) or c == FEWER]
    assert FEWER in counts and any(NUMBER.match(c) for c in counts)
    assert all(c == FEWER or int(c) >= 5 for c in counts), [
        c for c in counts if c != FEWER and int(c) < 5
    ]


@pytest.fixture
def generated() -> None:
    generate(seed=5, start=START, end=END, scale=2)


def test_counts_under_5_are_suppressed_in_every_figure_of_the_csv(pro_client, generated):
    body = pro_client("demo-analyst").get("/pro/profile/download.csv" + PERIOD).content.decode()
    table_rows, in_table = [], False
    for row in csv.reader(io.StringIO(body.lstrip("\ufeff"))):
        if not row:
            in_table = False
        elif row[0] == "" and len(row) > 1:
            in_table = True  # the header: periods
        elif in_table:
            table_rows.append(row)
    assert len({r[0] for r in table_rows}) > 40
    check_published_cells([cell for row in table_rows for cell in row[1:]])


def test_counts_under_5_are_suppressed_in_every_figure_of_the_ods(pro_client, generated):
    body = pro_client("demo-analyst").get("/pro/profile/download.ods" + PERIOD).content
    cells = ods_cells(body)
    check_published_cells(cells)
    assert not [c for c in cells if NUMBER.match(c) and int(c) < 5]


def test_counts_under_5_are_suppressed_in_every_figure_of_the_pdf(pro_client, generated, tmp_path):
    response = pro_client("demo-coordinator").get("/pro/profile/board-report.pdf?quarter=2025-Q1")
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "board.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(  # noqa: S603  (a fixed command on our own file)
        ["/usr/bin/pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "fewer than 5" in text
    for f in [
        t for s in figures.profile(Filters(date(2025, 1, 1), date(2025, 4, 1))) for t in s.tables
    ]:
        assert f.title in text.replace("\n", " ") or f.title[:40] in text
    # Take out the words that hold numbers of their own (ages, hours, dates, the page count),
    # then no number under 5 is left anywhere: in the tables or on the charts.
    words = re.sub(
        r"page \d+ of \d+|\d+ (or more )?times in \d+ days|2025 Q\d|\d{4}|\d{2}:\d{2}", " ", text
    )
    words = re.sub(r"\b\d+ (to|and over) \d*|Under \d+|\d+ hours|\d+ working day", " ", words)
    small = [words[max(0, m.start() - 80) : m.end() + 40] for m in SMALL.finditer(words)]
    assert small == [], small
    big = [int(n) for n in BIG.findall(words)]
    assert any(n >= 5 for n in big)


def test_secondary_suppression_hides_a_second_cell_where_a_total_gives_one_back():
    table = Table("t", "T", ["a", "b", "c"], ["Jan", "Feb"], [[10, 3], [20, 30], [12, 40]], "s")
    out = publish(table).rows
    assert out[0][2] == FEWER and out[0][3] == "13"
    # a's total (13) is shown, so 3 = 13 - 10 would come back: 10 is hidden too, and so on
    # for every row and column until none hides exactly one.
    hidden = [(r, c) for r, row in enumerate(out) for c, v in enumerate(row) if v == FEWER]
    assert len(hidden) >= 2
    for line in [*out, *map(list, zip(*out, strict=True))]:
        assert list(line).count(FEWER) != 1


@given(st.lists(st.lists(st.integers(0, 30), min_size=3, max_size=3), min_size=1, max_size=6))
@settings(max_examples=200, deadline=None)
def test_no_row_or_column_ever_hides_exactly_one_cell(cells):
    table = Table("t", "T", [str(i) for i in range(len(cells))], ["a", "b", "c"], cells, "s")
    out = [row[1:] for row in publish(table).rows]
    for line in [*out, *map(list, zip(*out, strict=True))]:
        assert line.count(FEWER) != 1
    for values, published in zip(cells, out, strict=False):
        for n, shown in zip(values, published, strict=False):
            assert shown == FEWER if n < 5 else shown in {FEWER, str(n)}


# Links go through each record's own door -------------------------------------------------------


def test_the_places_link_only_for_readers_who_may_open_the_record(pro_client, generated):
    coordinator = pro_client("demo-coordinator").get("/pro/profile/" + PERIOD).content.decode()
    section = coordinator[coordinator.index('data-figure="places"') :]
    section = section[: section.index("</table>")]
    linked = re.findall(r'href="/pro/records/(\d+)/"', section)
    assert linked  # the coordinator works across teams: she may open them
    admin = pro_client("demo-admin")
    html = admin.get("/pro/profile/" + PERIOD).content.decode()
    places = html[html.index('data-figure="places"') :]
    assert "/pro/records/" not in places[: places.index("</table>")]
    assert admin.get(f"/pro/records/{linked[0]}/").status_code == 404


def test_records_to_complete_are_those_the_reader_may_open_and_the_rest_are_counted(pro_client):
    school = Team.objects.get(name="Safeguarding")
    dsl = User.objects.get(username="demo-dsl")
    month = timezone.localdate().replace(day=1)
    child = Child.objects.create(
        first_name="Blank", last_name="Ethnicity", team=school, created_by=dsl
    )
    query = f"kind=child&field=ethnicity&team={school.pk}&month={month:%Y-%m}"
    url = f"/pro/profile/data-quality/to-complete/?{query}"
    scorecard = pro_client("demo-coordinator").get("/pro/profile/data-quality/").content.decode()
    assert url.split("/pro/profile/data-quality/to-complete/")[1].replace("&", "&amp;") in scorecard
    html = pro_client("demo-coordinator").get(url).content.decode()
    assert f"/pro/children/{child.pk}/edit/" not in html  # held by the school, not by her
    assert "data-hidden-count" in html
    assert pro_client("demo-coordinator").get(f"/pro/children/{child.pk}/edit/").status_code == 404
    entry = AuditEntry.objects.filter(action="profile.view_to_complete").latest("seq")
    assert child.pk not in entry.data["children"]
    child.shared_with.add(User.objects.get(username="demo-coordinator"))
    shared = pro_client("demo-coordinator").get(url).content.decode()
    assert f"/pro/children/{child.pk}/edit/" in shared  # shared with her: now she may
    assert (
        child.pk
        in AuditEntry.objects.filter(action="profile.view_to_complete")
        .latest("seq")
        .data["children"]
    )


def test_records_to_complete_answers_404_to_nonsense(pro_client):
    client = pro_client("demo-coordinator")
    for query in [
        "",
        "?kind=child&field=secret&team=1&month=2026-01",
        "?kind=child&field=sex&team=x&month=2026-01",
        "?kind=child&field=sex&team=1&month=2026-13",
    ]:
        assert client.get("/pro/profile/data-quality/to-complete/" + query).status_code == 404


# Fresh ----------------------------------------------------------------------------------------


def test_figures_are_never_more_than_a_minute_behind(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    month = timezone.localdate().replace(day=1)
    f = Filters(month, date(month.year + month.month // 12, month.month % 12 + 1, 1))
    start = timezone.now()

    def received() -> int:
        table = next(
            t for s in figures.cached(f) for t in s.tables if t.key == "concerns_by_sender"
        )
        return table.cell("A friend", f.period_label(month))

    with time_machine.travel(start, tick=False):
        before = received()
        Concern.objects.create(
            reference=new_reference(),
            reporter_kind="friend",
            stated_urgency="soon",
            sealed=seal({}),
            decision_due_at=timezone.now() + timedelta(days=1),
        )
        assert received() == before  # cached: the same figures for a minute
    with time_machine.travel(start + timedelta(seconds=figures.FRESH_FOR + 1), tick=False):
        assert received() == before + 1
    other = Filters(f.start, f.end, "quarter")
    assert other.key != f.key  # the cache is keyed by the filters


def test_figures_are_worked_out_again_before_they_expire_by_one_reader_at_a_time(settings):
    """After REFRESH_AFTER the next reader works the figures out again while the others, finding
    the lock taken, read the cached ones (still under a minute old), so no one waits without a
    copy; a minute after they were read they are never served."""
    from django.core.cache import cache

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    month = timezone.localdate().replace(day=1)
    f = Filters(month, date(month.year + month.month // 12, month.month % 12 + 1, 1))
    start = timezone.now()

    def received() -> int:
        table = next(
            t for s in figures.cached(f) for t in s.tables if t.key == "concerns_by_sender"
        )
        return table.cell("A friend", f.period_label(month))

    def new_concern() -> None:
        Concern.objects.create(
            reference=new_reference(),
            reporter_kind="friend",
            stated_urgency="soon",
            sealed=seal({}),
            decision_due_at=timezone.now() + timedelta(days=1),
        )

    lock = f"problemprofile:{f.key}:lock"
    with time_machine.travel(start, tick=False):
        before = received()
        new_concern()
    with time_machine.travel(start + timedelta(seconds=figures.REFRESH_AFTER + 1), tick=False):
        assert cache.add(lock, 1, figures.FRESH_FOR)  # another reader is working them out
        assert received() == before  # so this one reads the cached figures
        cache.delete(lock)
        assert received() == before + 1  # the next reader works them out again
        assert cache.get(lock) is None  # and lets the lock go
        new_concern()
        assert received() == before + 1  # fresh again: from the cache
    later = start + timedelta(seconds=figures.REFRESH_AFTER + 2 + figures.FRESH_FOR)
    with time_machine.travel(later, tick=False):
        assert cache.add(lock, 1, figures.FRESH_FOR)
        assert received() == before + 2  # over a minute old: never served, even while locked
