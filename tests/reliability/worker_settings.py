"""Settings for the worker processes of the durability tests: Bakti's own, with small import
chunks so that a few thousand rows make many chunks to kill a worker between."""

from bakti.settings import *  # noqa: F403

BAKTI_IMPORT_CHUNK_ROWS = 200
