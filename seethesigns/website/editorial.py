"""Who may edit and who must approve: the editorial groups and the approval workflow."""

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.models import (
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowContentType,
    WorkflowPage,
    WorkflowTask,
)

from seethesigns.website.models import Film, HelpContact, HomePage, Sign, Source

EDITORS = "Editors"
LEADS = "Safeguarding leads"
WORKFLOW = "Safeguarding lead approval"
TASK = "Safeguarding lead's review"
OLD_TASK_NAMES = ["Safeguarding lead approves"]
APPROVED_SNIPPETS = (HelpContact, Film, Sign)


def _snippet_permissions(*, publish: bool) -> list[Permission]:
    perms = []
    for model in (*APPROVED_SNIPPETS, Source):
        content_type = ContentType.objects.get_for_model(model)
        actions = ["add", "change", "view"]
        if publish and model is not Source:
            actions.append("publish")
        if publish:
            actions.append("delete")
        if model is not Source:
            actions.append("lock")
        for action in actions:
            codename = f"{action}_{model._meta.model_name}"
            perm = Permission.objects.filter(content_type=content_type, codename=codename).first()
            if perm:
                perms.append(perm)
    return perms


@transaction.atomic
def setup_editorial(home: HomePage) -> None:
    """Editors draft; only safeguarding leads publish, through one approval workflow."""
    admin_access = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    editors, _created = Group.objects.get_or_create(name=EDITORS)
    leads, _created = Group.objects.get_or_create(name=LEADS)
    editors.permissions.set([admin_access, *_snippet_permissions(publish=False)])
    leads.permissions.set([admin_access, *_snippet_permissions(publish=True)])
    # No page or block shows an image or a document (docs/cms.md says why): nobody uploads one.
    # Wagtail's first migration gave a group named "Editors" both, in the root collection.
    GroupCollectionPermission.objects.filter(group__in=[editors, leads]).delete()

    root = Page.get_first_root_node()
    GroupPagePermission.objects.filter(group__in=[editors, leads]).delete()
    for codename in ("add_page", "change_page"):
        GroupPagePermission.objects.create(
            group=editors, page=home, permission=Permission.objects.get(codename=codename)
        )
    for codename in ("add_page", "change_page", "publish_page", "lock_page", "unlock_page"):
        GroupPagePermission.objects.create(
            group=leads, page=home, permission=Permission.objects.get(codename=codename)
        )

    workflow, _created = Workflow.objects.get_or_create(name=WORKFLOW)
    # Wagtail says "Awaiting <task>" and "Sent to <task>": the task is named as a step.
    task = GroupApprovalTask.objects.filter(name__in=[TASK, *OLD_TASK_NAMES]).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK)
    elif task.name != TASK:
        task.name = TASK
        task.save(update_fields=["name"])
    task.groups.set([leads])
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    # The one workflow for every page and every approved snippet.
    WorkflowPage.objects.filter(page=root).delete()
    WorkflowPage.objects.update_or_create(page=home, defaults={"workflow": workflow})
    for model in APPROVED_SNIPPETS:
        WorkflowContentType.objects.update_or_create(
            content_type=ContentType.objects.get_for_model(model), defaults={"workflow": workflow}
        )
