"""crmkit: a Jupyter teaching and playbook kit on customer relationship management.

The public namespace is flat::

    import crmkit
    world = crmkit.make_world(2000, locale="pl_PL", random_state=7)
    world = crmkit.load_dataset()          # the committed default world
    crmkit.concepts.STRATEGIES             # the taxonomy as data
"""

from crmkit import concepts
from crmkit.concepts import (
    GLOSSARY,
    LIFECYCLE_STAGES,
    RELATIONSHIP_TYPES,
    SATISFACTION_COMPONENTS,
    STRATEGIES,
)
from crmkit.datasets import DATASETS, load_dataset
from crmkit.people import SUPPORTED_LOCALES
from crmkit.synth import make_world
from crmkit.world import DataValidationError, World, load_world

__version__ = "0.1.0"

__all__ = [
    "DATASETS",
    "GLOSSARY",
    "LIFECYCLE_STAGES",
    "RELATIONSHIP_TYPES",
    "SATISFACTION_COMPONENTS",
    "STRATEGIES",
    "SUPPORTED_LOCALES",
    "DataValidationError",
    "World",
    "concepts",
    "load_dataset",
    "load_world",
    "make_world",
]
