"""The Dagster code location: ``dg dev`` (or ``dagster dev -m pipeline.definitions``)."""

import dagster as dg

from pipeline.defs import assets, checks
from pipeline.defs.resources import ReleaseSettings

ASSETS = [assets.source_documents, assets.document_extractions, assets.release_tables, assets.release]


def build_definitions(settings: ReleaseSettings | None = None) -> dg.Definitions:
    """The project's assets, checks and resources; the CLI passes its own folders here."""
    return dg.Definitions(
        assets=ASSETS,
        asset_checks=checks.ALL_CHECKS,
        resources={"settings": settings or ReleaseSettings()},
    )


defs = build_definitions()
