"""A spinner for steps that take more than a second, and a line when each ends."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console

console = Console(stderr=True)


@contextmanager
def step(title: str) -> Iterator[None]:
    started = time.perf_counter()
    with console.status(f"{title}…"):
        yield
    console.print(f"[green]✓[/green] {title} ({time.perf_counter() - started:.1f} s)")
