"""`make bench`: a fresh database, the demo data, gunicorn, and a few timed HTTP scenarios.

Every result is reported next to the framework baseline measured in the same run, so numbers
from different machines compare by their ratio (docs/api.md "Commands").
"""

# The floor of every ratio: a one-line Django view with no project middleware (wsgi.py).
FLOOR_PATH = "/_bench/floor"
