import sys
import warnings

# Dagster marks dagster-pandera's type factory and backfill policies as beta; the notice means nothing to
# someone building a release, so the command line does not print it.
warnings.filterwarnings("ignore", message=".* is currently in beta")

from pipeline.cli import main  # noqa: E402 - after the filter, which must precede Dagster's imports

sys.exit(main())
