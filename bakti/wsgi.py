import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bakti.settings")
application = get_wsgi_application()

# Each worker loads the PDF libraries before it takes requests (see bakti.reports.warmup).
from bakti.reports.warmup import warm_up_if_enabled  # noqa: E402

warm_up_if_enabled()
