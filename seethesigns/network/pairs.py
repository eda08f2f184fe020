"""Two person records side by side, for the coordinator's review queue (views.pair)."""

from django.utils.translation import gettext_lazy as _

from seethesigns import demographics
from seethesigns.network.models import Entity, Kind, Link

# What the matching's field names mean to a coordinator (an unknown one is shown as it is).
FIELD_WORDS = {
    "name": _("Names"),
    "names": _("Names"),
    "date_of_birth": _("Date of birth"),
    "age": _("Age"),
    "sex": _("Sex"),
    "address": _("Addresses"),
    "addresses": _("Addresses"),
    "phone": _("Phone numbers"),
    "phones": _("Phone numbers"),
    "handle": _("Online handles"),
    "handles": _("Online handles"),
    "plate": _("Vehicles"),
    "plates": _("Vehicles"),
    "nhs_number": _("NHS number"),
}


def field_words(names: list[str]) -> list[str]:
    return [str(FIELD_WORDS.get(name, name.replace("_", " ").capitalize())) for name in names]


def side_by_side(a: Entity, b: Entity) -> list[tuple[str, str, str]]:
    """(what, first record's, second record's) for each particular either record holds."""
    left, right = particulars(a), particulars(b)
    return [(what, left[what], right[what]) for what in left if left[what] or right[what]]


def particulars(entity: Entity) -> dict[str, str]:
    ages = [str(n) for n in (entity.age_low, entity.age_high) if n is not None]
    said = f" ({entity.age_on:%-d %b %Y})" if entity.age_on and ages else ""
    linked = _linked_labels(entity)
    return {
        str(_("Name")): entity.label,
        str(_("Other names")): ", ".join(
            n.strip() for n in entity.aliases.splitlines() if n.strip()
        ),
        str(_("Date of birth")): f"{entity.date_of_birth:%-d %b %Y}"
        if entity.date_of_birth
        else "",
        str(_("Age")): " to ".join(dict.fromkeys(ages)) + said,
        str(_("Sex")): entity.get_sex_display() if entity.sex else "",
        str(_("Ethnicity")): demographics.ethnicity_words(entity.ethnicity)
        if entity.ethnicity
        else "",
        str(_("Nationality")): demographics.nationality_words(entity.nationality)
        if entity.nationality
        else "",
        **{str(words): ", ".join(linked.get(kind, [])) for kind, words in LINKED_KINDS},
        str(_("Held by")): str(entity.team),
        str(_("Reference")): entity.reference,
    }


LINKED_KINDS = [
    (Kind.PLACE, _("Places")),
    (Kind.PHONE, _("Phone numbers")),
    (Kind.HANDLE, _("Online handles")),
    (Kind.VEHICLE, _("Vehicles")),
]


def _linked_labels(entity: Entity) -> dict[str, list[str]]:
    """The labels of the places, phones, handles and vehicles linked to the record, by kind."""
    found: dict[str, list[str]] = {}
    for link in Link.objects.filter(entity=entity, other__isnull=False).select_related("other"):
        if link.other is not None:
            found.setdefault(link.other.kind, []).append(link.other.label)
    for link in Link.objects.filter(other=entity).select_related("entity"):
        found.setdefault(link.entity.kind, []).append(link.entity.label)
    return found
