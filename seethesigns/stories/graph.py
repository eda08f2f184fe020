"""A story is a graph of scenes; this module checks it and measures where a reader is in it."""

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

CHOICE, SPOT, ENDING = "choice", "spot", "ending"


@dataclass
class Scene:
    id: str
    kind: str
    targets: list[str] = field(default_factory=list)  # where the scene can lead
    signs: list[str] = field(default_factory=list)  # sign ids it names


def graph_errors(start: str, scenes: list[Scene], known_signs: Iterable[str]) -> list[str]:
    """Return what is wrong with a story's graph, in words an editor can act on."""
    errors = []
    by_id: dict[str, Scene] = {}
    for scene in scenes:
        if scene.id in by_id:
            errors.append(f"Two scenes are called '{scene.id}'. Give each scene its own name.")
        by_id[scene.id] = scene
    if start not in by_id:
        return [*errors, f"The first scene '{start}' does not exist."]
    known = set(known_signs)
    for scene in scenes:
        for target in scene.targets:
            if target not in by_id:
                errors.append(f"Scene '{scene.id}' leads to '{target}', which does not exist.")
        if scene.kind != ENDING and not scene.targets:
            errors.append(
                f"Scene '{scene.id}' is a dead end: give it a way on, or make it an ending."
            )
        if scene.kind == CHOICE and len(scene.targets) < 2:
            errors.append(f"Scene '{scene.id}' is a choice with fewer than two options.")
        for sign in scene.signs:
            if sign not in known:
                errors.append(
                    f"Scene '{scene.id}' names the sign '{sign}', which is not a known sign."
                )
    reachable = distances_from(start, by_id)
    for scene in scenes:
        if scene.id not in reachable:
            errors.append(f"Nobody can reach scene '{scene.id}' from the start.")
    endings = [s for s in scenes if s.kind == ENDING]
    if len(endings) < 2:
        errors.append("A story needs at least two endings.")
    to_end = distances_to_ending(by_id)
    for scene in scenes:
        if scene.id in reachable and scene.id not in to_end:
            errors.append(f"From scene '{scene.id}' no ending can be reached.")
    return errors


def distances_from(start: str, by_id: Mapping[str, Scene]) -> dict[str, int]:
    """Return each reachable scene's number of steps from the start."""
    seen = {start: 0}
    queue = deque([start])
    while queue:
        current = queue.popleft()
        for target in by_id[current].targets:
            if target in by_id and target not in seen:
                seen[target] = seen[current] + 1
                queue.append(target)
    return seen


def distances_to_ending(by_id: Mapping[str, Scene]) -> dict[str, int]:
    """Return each scene's fewest steps to an ending (scenes that reach none are left out)."""
    leads_here: dict[str, list[str]] = {scene_id: [] for scene_id in by_id}
    for scene in by_id.values():
        for target in scene.targets:
            if target in leads_here:
                leads_here[target].append(scene.id)
    done = {s.id: 0 for s in by_id.values() if s.kind == ENDING}
    queue = deque(done)
    while queue:
        current = queue.popleft()
        for earlier in leads_here[current]:
            if earlier not in done:
                done[earlier] = done[current] + 1
                queue.append(earlier)
    return done


def progress(start: str, scenes: list[Scene], scene_id: str) -> tuple[int, int]:
    """Return (this step, steps in a shortest way through from here).

    Pages show only "Step 3": the second number depends on the route taken, so shown as a total
    it jumped as a reader went on. It is kept for the tests of the graph.
    """
    by_id = {s.id: s for s in scenes}
    step = distances_from(start, by_id).get(scene_id, 0) + 1
    return step, step + distances_to_ending(by_id).get(scene_id, 0)
