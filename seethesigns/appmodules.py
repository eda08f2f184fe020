"""Find the module of one name in each installed app: how an app offers what only it knows.

A low app (the website's content loader, the workspace's demo loader) finds `<app>.demo` or
`<app>.content` through the app registry instead of importing the apps above it.
"""

from importlib import import_module
from types import ModuleType

from django.apps import AppConfig, apps
from django.utils.module_loading import module_has_submodule


def app_modules(name: str) -> list[tuple[AppConfig, ModuleType]]:
    """Each installed app's `name` module, in INSTALLED_APPS order, with the app's config."""
    return [
        (config, import_module(f"{config.name}.{name}"))
        for config in apps.get_app_configs()
        if module_has_submodule(config.module, name)
    ]
