from typing import Any

from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import slugify

from seethesigns.audit.actions import record
from seethesigns.children.actions import do_raise_report_due, do_record_demographics
from seethesigns.children.models import Child, ReportDue
from seethesigns.encryption import seal
from seethesigns.screening.models import DslTask, Indicator, Screening
from seethesigns.screening.policies import designated_leads
from seethesigns.screening.rules import Result, under
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
    overrule_reason: str,
    reason: str,
    demographics: dict[str, str] | None = None,
    key: Any = None,
    acting_user: Any,
    request: HttpRequest | None,
) -> Screening:
    """Save it once per form: the same form sent again returns the first screening.

    The child's ethnicity and nationality, asked when not recorded, go on the child's record;
    answers that call for a report to the police or children's social care raise it as due.
    """

    def new(key: Any) -> Screening:
        return Screening.objects.create(
            child=child,
            screened_by=acting_user,
            age=age,
            learning_disability=learning_disability,
            sealed=seal({"answers": records, "judgement_reason": reason}),
            suggested_level=result.level or "",
            at_least=result.at_least,
            enough_known=result.enough_known,
            immediate_referral=result.immediate_referral,
            criminal=result.criminal,
            exploiters=list(result.exploiters),
            overrides=sorted({f.rule for f in result.floors}),
            judgement=judgement,
            overrule_reason=overrule_reason,
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
        data={
            "screening": screening.pk,
            "suggested": result.level or "",
            "judgement": judgement,
            "overrule_reason": overrule_reason,
        },
    )
    if demographics:
        do_record_demographics(child, demographics, acting_user=acting_user, request=request)
    for reason_due in reports_called_for(records, age):
        do_raise_report_due(
            child,
            reason_due,
            recorded_in=ReportDue.From.SCREENING,
            recorded_in_id=screening.pk,
            acting_user=acting_user,
            request=request,
        )
    return screening


def reports_called_for(records: dict[str, dict[str, str]], age: int | None) -> list[str]:
    """The duty to report: a disclosure of sexual abuse, and sexual activity with an adult when
    the child is (or may have been, when it happened) under 16, read from the screening's answers
    and the age it records (an unknown age is read as possibly under 16, as the rules read it)."""
    present = {
        code: r.get("when", "current") for code, r in records.items() if r.get("state") == "present"
    }
    due: list[str] = []
    if "disclosure" in present:
        due.append(ReportDue.Reason.DISCLOSURE)
    if "sexual-activity-with-adult" in present and under(
        age, 16, present["sexual-activity-with-adult"]
    ):
        due.append(ReportDue.Reason.ADULT_UNDER_16)
    return due


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


@transaction.atomic
def do_tell_dsl(
    *,
    organisation: Any,
    child: Child | None,
    result: Result,
    contents: dict[str, Any],
    key: Any = None,
    acting_user: Any,
    request: HttpRequest | None,
) -> DslTask:
    """A practitioner's task for their DSL, once per form. The DSLs get an e-mail that says only
    that something is waiting: nothing about the child leaves the workspace."""

    def new(key: Any) -> DslTask:
        return DslTask.objects.create(
            organisation=organisation,
            sent_by=acting_user,
            child=child,
            suggested_level=result.level or "",
            urgent=result.urgent,
            sealed=seal(contents),
            submission_key=key,
        )

    task, made = once(DslTask, key, lambda found: found.sent_by_id == acting_user.pk, new)
    if not made:
        return task
    record(
        "screening.tell_dsl",
        actor=acting_user,
        obj=task,
        request=request,
        data={
            "child": task.child_id,
            "suggested": task.suggested_level,
            "urgent": task.urgent,
        },
    )
    leads = [u.email for u in designated_leads(acting_user) if u.email]
    if leads:
        transaction.on_commit(lambda: _tell_leads(leads, urgent=task.urgent))
    return task


def _tell_leads(addresses: list[str], *, urgent: bool) -> None:
    subject = "Urgent: a colleague needs you now" if urgent else "A colleague needs you"
    body = (
        "A colleague has sent you a safeguarding task in the SeeTheSigns workspace. "
        "Sign in to see it: it is on your home page.\n"
    )
    send_mail(subject, body, None, addresses, fail_silently=True)


def do_note_quick_check(*, acting_user: Any, request: HttpRequest) -> None:
    """Audit that a quick check was finished: nothing of it is kept, not even its level."""
    record("screening.quick_check", actor=acting_user, request=request)


@transaction.atomic
def do_view_dsl_task(task: DslTask, *, acting_user: Any, request: HttpRequest) -> None:
    record(
        "screening.view_dsl_task",
        actor=acting_user,
        obj=task,
        request=request,
        data={"child": task.child_id},
    )


@transaction.atomic
def do_close_dsl_task(
    task: DslTask, *, decision: str, acting_user: Any, request: HttpRequest
) -> DslTask:
    """The DSL closes the task with what they decided and why (sealed)."""
    if task.done_at is None:
        task.done_at = timezone.now()
        task.done_by = acting_user
        task.sealed_decision = seal({"decision": decision})
        task.save(update_fields=["done_at", "done_by", "sealed_decision"])
        record(
            "screening.close_dsl_task",
            actor=acting_user,
            obj=task,
            request=request,
            data={"child": task.child_id},
        )
    return task
