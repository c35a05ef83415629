import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qifu.settings")
application = get_wsgi_application()

# jieba's dictionary loads once per process here, not during some visitor's search (rule 7).
from qifu.assistant.engine import warm_up as assistant_warm_up  # noqa: E402
from qifu.core.segmentation import warm_up  # noqa: E402

warm_up()
# The URLconf imports every view module and builds the API's schemas: seconds of work that would
# otherwise fall on each worker's first visitor (and, with 5 workers starting together on 2
# cores, past gunicorn's 30-second worker timeout).
from django.urls import get_resolver  # noqa: E402

get_resolver().url_patterns  # noqa: B018 (imported for its side effect)
# The assistant's sentence-embedding model, likewise (memory-mapped, well under a second).
assistant_warm_up()
# The URLconf imports every view module and builds the API's schemas: seconds of work that would
# otherwise fall on each worker's first visitor (and, with 5 workers starting together on 2
# cores, past gunicorn's 30-second worker timeout).
from django.urls import get_resolver  # noqa: E402

get_resolver().url_patterns  # noqa: B018 (imported for its side effect)
