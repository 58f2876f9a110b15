"""The WSGI entry point: `gunicorn wsgi:app`, imported in each worker process."""

from advocacy.sentiment import batch
from api import create_app
from api.heap import freeze_startup_heap

app = create_app()
batch.start()  # the scoring workers load now, in the background, instead of during this process's first large batch
freeze_startup_heap()
