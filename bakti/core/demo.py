"""The demo data set: a kabupaten Dinas Sosial, built by ``bakti demo``.

Each app that has demo data gives a ``demo`` module with ``load(ctx)``; the apps are loaded in
the order of INSTALLED_APPS, so an app can use what the apps before it created. Everything is
seeded, so two runs give the same data.
"""

import importlib
import random
import time
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from faker import Faker

# The demo kabupaten and its two kecamatan (Kemendagri codes).
KABUPATEN = "34.04"  # Kabupaten Sleman, DI Yogyakarta
KECAMATAN_A = "34.04.01"  # Gamping
KECAMATAN_B = "34.04.02"  # Godean


@dataclass
class DemoContext:
    password: str
    seed: int = 2026
    rng: random.Random = field(init=False)
    fake: Faker = field(init=False)
    # What earlier apps made, for later ones: users by username, org units by code, …
    users: dict[str, Any] = field(default_factory=dict)
    org_units: dict[str, Any] = field(default_factory=dict)
    shared: dict[str, Any] = field(default_factory=dict)
    log: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.fake = Faker("id_ID")
        self.fake.seed_instance(self.seed)

    def say(self, line: str) -> None:
        self.log.append(line)


def demo_modules() -> list[Any]:
    modules = []
    for config in apps.get_app_configs():
        if not config.name.startswith("bakti."):
            continue
        try:
            modules.append(importlib.import_module(f"{config.name}.demo"))
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.demo":
                raise
    return modules


def load_demo(password: str | None = None) -> DemoContext:
    ctx = DemoContext(password=password or settings.BAKTI_DEMO_PASSWORD)
    for module in demo_modules():
        if module.__name__ == __name__:
            continue
        started = time.perf_counter()
        module.load(ctx)
        app = module.__name__.split(".")[1]
        ctx.say(f"  ({app}: {time.perf_counter() - started:.1f} s)")
    return ctx
