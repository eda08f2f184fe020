from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    """The professionals' workspace shell: the /pro/ URLs, the home page, navigation and demo data.

    It sits above every feature app and may import any of them; none of them imports it.
    """

    name = "seethesigns.workspace"
    label = "workspace"
