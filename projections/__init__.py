"""Projections: persistent read models fed from the event log, and the facade that queries them."""

from projections.commands import projections_group
from projections.config import ProjectionsConfig, ScoringConfig
from projections.errors import ProjectionLagError
from projections.readmodels import ReadModels
from projections.rebuild import rebuild
from projections.runner import EmbeddedProjections, Runner, catch_up, run_projections

__all__ = [
    "EmbeddedProjections",
    "ProjectionLagError",
    "ProjectionsConfig",
    "ReadModels",
    "Runner",
    "ScoringConfig",
    "catch_up",
    "projections_group",
    "rebuild",
    "run_projections",
]
