"""Production settings with the floor endpoint's URL conf: the API benchmark's server."""

from config.settings.production import *  # noqa: F401,F403

ROOT_URLCONF = "bench.floor.urls"
