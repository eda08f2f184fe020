"""The screening tool's indicator catalogue and next steps (content/screening/), loaded by the
website's content loader."""

from dataclasses import asdict
from typing import Any

from seethesigns.screening.models import Indicator, NextSteps
from seethesigns.screening.rules import spec_from
from seethesigns.website.loading import ContentError, Loader, md, read_yaml
from seethesigns.website.models import HomePage


def load(loader: Loader, home: HomePage) -> None:
    """The indicator catalogue and the next steps for each level. Local indicators the
    partnership added are never touched."""
    for order, entry in enumerate(read_yaml(loader.dir / "screening" / "indicators.yaml") or []):
        code = entry["id"]
        where = f"screening/indicators.yaml {code}"

        def write_indicator(
            existing: Indicator | None,
            entry: dict[str, Any] = entry,
            order: int = order,
            where: str = where,
        ) -> Indicator:
            indicator = existing or Indicator(code=entry["id"])
            for name, value in asdict(spec_from(entry)).items():
                setattr(indicator, name, value)  # kind, band, floor… : the rules' data
            indicator.title = entry["title"]
            indicator.ask = entry.get("ask") or ""
            indicator.ask_if_family = entry.get("ask_if_family") or ""
            indicator.order = order
            indicator.full_clean()
            indicator.save()
            indicator.sources.set(loader.source_ids(entry.get("sources"), where))
            return indicator

        if entry["kind"] == "risk" and entry.get("band") not in ("moderate", "significant"):
            raise ContentError(f"{where}: a sign of risk needs band moderate or significant")
        existing = Indicator.objects.filter(code=code).first()
        loader.apply(f"indicator:{code}", entry, existing, write_indicator)
    for entry in read_yaml(loader.dir / "screening" / "next-steps.yaml") or []:

        def write_steps(existing: NextSteps | None, entry: dict[str, Any] = entry) -> NextSteps:
            steps = existing or NextSteps(level=entry["level"])
            steps.steps = md(entry["steps"])
            steps.full_clean()
            steps.save()
            return steps

        loader.source_ids(entry.get("sources"), f"next-steps.yaml {entry['level']}")
        existing_steps = NextSteps.objects.filter(level=entry["level"]).first()
        loader.apply(f"next-steps:{entry['level']}", entry, existing_steps, write_steps)
