"""The schedule that keeps up with the feeds of ``feeds.yaml``: it fetches their new items into the sources
folder, where the ``watch_sources`` sensor finds the new files and requests the run that adds them.

Fetching is its own job, not an asset: it writes source files, not a release, and what it did is in the
folder's ``.fetch/fetch_log.jsonl``. Without a ``feeds.yaml`` a tick does nothing.
"""

import dagster as dg

from pipeline.defs.resources import ReleaseSettings
from pipeline.fetch.client import Limits
from pipeline.fetch.run import feed_urls, fetch_urls

SCHEDULE_NAME = "fetch_feeds_hourly"


@dg.op(description="Fetches the feeds of the sources folder's feeds.yaml and the pages of their new items.")
def fetch_feeds(context: dg.OpExecutionContext, settings: ReleaseSettings) -> dg.Output[int]:
    sources = settings.sources_path
    if not feed_urls(sources):
        context.log.info(f"no feeds.yaml (or no feeds in it) in {sources}: nothing to fetch")
        return dg.Output(0)
    outcome = fetch_urls(sources, [], Limits(allow_private=settings.fetch_allow_private),
                         say=context.log.warning)
    context.log.info(f"{len(outcome.saved)} new or changed file(s), {len(outcome.unchanged)} unchanged, "
                     f"{len(outcome.failed)} failed")
    return dg.Output(len(outcome.saved), metadata={"saved": len(outcome.saved), "failed": len(outcome.failed)})


@dg.job(description="Fetch the feeds of feeds.yaml into the sources folder (the sensor then builds).")
def fetch_feeds_job():
    fetch_feeds()


fetch_feeds_schedule = dg.ScheduleDefinition(
    name=SCHEDULE_NAME, job=fetch_feeds_job, cron_schedule="17 * * * *",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Hourly: new items of the feeds in feeds.yaml become files of the sources folder.")
