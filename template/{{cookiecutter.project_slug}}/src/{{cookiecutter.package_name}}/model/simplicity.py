"""The simplicity rule: the simplest model family wins unless a more complex one saves enough.

The standard library only: ``experiment`` applies the rule, and the phase-3 gate checks that
the leaderboard followed it.
"""

from __future__ import annotations

from collections.abc import Sequence

from .report_types import LeaderboardEntry


def recommend(entries: Sequence[LeaderboardEntry], margin: float) -> tuple[str, str]:
    """The simplest family, unless a more complex one saves at least ``margin`` (a share of
    the expected cost) against it; the reason, in words."""
    ranked = sorted(entries, key=lambda e: e["complexity"])
    choice, reasons = ranked[0], [f"{ranked[0]['family']} is the simplest family"]
    for entry in ranked[1:]:
        cost, other = choice["expected_cost_per_decision"], entry["expected_cost_per_decision"]
        saving = (cost - other) / cost if cost > 0 else 0.0
        verdict = "at least" if saving >= margin else "below"
        reasons.append(
            f"{entry['family']} saves {saving:.1%} of {choice['family']}'s expected cost, "
            f"{verdict} the margin {margin:.1%}"
        )
        if saving >= margin:
            choice = entry
    if not choice["beats_baseline"]:
        reasons.append("it does not beat the baseline: keep today's process")
    return choice["family"], "; ".join(reasons)
