"""Small numbers: what leaves the workspace never lets a reader single out a child.

Primary suppression: every count under 5 (0 to 4) is shown as "fewer than 5".
Secondary suppression: a table whose rows add up to a published total (an additive table) could
give a hidden cell back by subtraction: total minus the others. So in every row and column,
with its total, that has exactly one hidden cell, the next smallest is hidden too, until no line
has exactly one. A table whose rows overlap (a child linked to two places) publishes no total,
so nothing can be subtracted and primary suppression is enough.
"""

from dataclasses import dataclass

from seethesigns.problemprofile.figures import Table

THRESHOLD = 5
FEWER = "fewer than 5"


@dataclass
class Published:
    """A table as it leaves the workspace: words in every cell, totals where they add up."""

    key: str
    title: str
    source: str
    header: list[str]  # the row heading's column, then the periods (and "Total")
    rows: list[list[str]]  # the category, then its cells (and its total)


def publish(table: Table) -> Published:
    grid = [list(row) for row in table.cells]
    if table.additive and grid:
        grid = [[*row, sum(row)] for row in grid]
        grid.append([sum(col) for col in zip(*grid, strict=True)])
    hidden = [[n < THRESHOLD for n in row] for row in grid]
    if table.additive and grid:
        _secondary(grid, hidden)
    labels = list(table.rows) + (["Total"] if table.additive and grid else [])
    header = ["", *table.columns] + (["Total"] if table.additive and grid else [])
    rows = [
        [label] + [FEWER if h else str(n) for n, h in zip(values, hides, strict=True)]
        for label, values, hides in zip(labels, grid, hidden, strict=True)
    ]
    return Published(table.key, table.title, table.source, header, rows)


def _secondary(grid: list[list[int]], hidden: list[list[bool]]) -> None:
    """Hide a second cell in any line (row or column, with its total) that hides only one."""
    height, width = len(grid), len(grid[0])
    lines = [[(r, c) for c in range(width)] for r in range(height)]
    lines += [[(r, c) for r in range(height)] for c in range(width)]
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(hidden[r][c] for r, c in line) != 1:
                continue
            shown = [(grid[r][c], r, c) for r, c in line if not hidden[r][c]]
            if shown:
                _n, r, c = min(shown)
                hidden[r][c] = True
                changed = True
