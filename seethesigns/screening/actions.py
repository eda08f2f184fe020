from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils.text import slugify

from seethesigns.audit.actions import record
from seethesigns.cases.models import Child
from seethesigns.encryption import seal
from seethesigns.screening.models import Indicator, Screening
from seethesigns.screening.rules import Result
from seethesigns.submissions import once


@transaction.atomic
def do_save_screening(
    child: Child,
    *,
    age: int | None,
    learning_disability: str,
    records: dict[str, dict[str, str]],
    result: Result,
    judgement: str,
    reason: str,
    key: Any = None,
    acting_user: Any,
    request: HttpRequest | None,
) -> Screening:
    """Save it once per form: the same form sent again returns the first screening."""

    def new(key: Any) -> Screening:
        return Screening.objects.create(
            child=child,
            screened_by=acting_user,
            age=age,
            learning_disability=learning_disability,
            sealed=seal({"answers": records, "judgement_reason": reason}),
            suggested_level=result.level,
            score=result.score,
            enough_known=result.enough_known,
            immediate_referral=result.immediate_referral,
            overrides=[o.rule for o in result.overrides],
            judgement=judgement,
            submission_key=key,
        )

    screening, made = once(
        Screening,
        key,
        lambda found: found.screened_by_id == acting_user.pk and found.child_id == child.pk,
        new,
    )
    if not made:
        return screening
    record(
        "screening.save",
        actor=acting_user,
        obj=child,
        request=request,
        data={"screening": screening.pk, "suggested": result.level, "judgement": judgement},
    )
    return screening


@transaction.atomic
def do_add_local_indicator(
    values: dict[str, Any], *, acting_user: Any, request: HttpRequest
) -> Indicator:
    base = slugify(values["title"])[:60] or "indicator"
    code, n = f"local-{base}", 1
    while Indicator.objects.filter(code=code).exists():
        n += 1
        code = f"local-{base}-{n}"
    last = Indicator.objects.order_by("-order").values_list("order", flat=True).first() or 0
    indicator = Indicator.objects.create(code=code, is_local=True, order=last + 1, **values)
    record(
        "screening.add_indicator",
        actor=acting_user,
        obj=indicator,
        request=request,
        data={"code": code, "kind": indicator.kind},
    )
    return indicator
