"""Where the templates (schemas, Måltal, column aliases) are: one place for every front end."""

import os
from pathlib import Path

TEMPLATES = Path(
    os.environ.get("XLSTATUS_TEMPLATES", Path(__file__).resolve().parents[3] / "templates")
)
