"""How a verb is declared: its name, the function it runs, its help and its arguments.

Each module of cli/ lists its verbs in ``VERBS`` beside their functions; cli/__init__.py turns
every declaration into a sub-command of the parser. A verb's function imports its heavy
libraries itself, so that declaring (and ``--help``) stays fast.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..config import Settings


@dataclass(frozen=True)
class Arg:
    """One argument of a verb: what ``ArgumentParser.add_argument`` is given."""

    names: tuple[str, ...]
    options: dict[str, Any] = field(default_factory=dict)

    def add_to(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(*self.names, **self.options)


def arg(*names: str, **options: Any) -> Arg:
    """``arg("--shift", type=float)`` declares what ``add_argument`` would be called with."""
    return Arg(names, options)


@dataclass(frozen=True)
class Verb:
    """A verb of the command line. ``engine``: it takes ``--engine`` (when there is a choice);
    ``old_names``: (name, the release until which it still works) pairs."""

    name: str
    run: Callable[[Settings, argparse.Namespace], int]
    help: str
    arguments: tuple[Arg, ...] = ()
    engine: bool = False
    old_names: tuple[tuple[str, str], ...] = ()
