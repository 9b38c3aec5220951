"""Hypothesis settings for the fuzz tests: bounded so the whole folder runs in a few minutes on
CI, deterministic (derandomized) so a failure on CI fails the same way on a laptop."""

from hypothesis import HealthCheck, settings

settings.register_profile(
    "fuzz",
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FUZZ = settings.get_profile("fuzz")
