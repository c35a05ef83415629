import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qifu.settings")
application = get_wsgi_application()

# jieba's dictionary loads once per process here, not during some visitor's search (rule 7).
from qifu.core.segmentation import warm_up  # noqa: E402

warm_up()
