"""The demo programs load through the services and show what they should: full frameworks,
consistent targets, late activities, one program waiting for approval."""

from bakti.accounts import demo as accounts_demo
from bakti.core.demo import DemoContext
from bakti.programs import demo
from bakti.programs.models import Indicator, Program
from bakti.programs.selectors import slips_for_programs
from bakti.programs.services import check_indicator_targets
from conftest import make_regions


def test_demo_programs(db):
    make_regions()
    ctx = DemoContext(password="demo-Password-123")
    accounts_demo.load(ctx)
    demo.load(ctx)
    programs = Program.objects.all()
    assert programs.count() == 6
    assert set(programs.values_list("status", flat=True)) == {"active", "approved", "submitted"}
    for program in programs:
        assert program.results.filter(tier=3).exists(), program.code
        assert program.indicators.exists() and program.activities.exists(), program.code
        assert program.risks.exists() and program.team.exists(), program.code
    for indicator in Indicator.objects.prefetch_related("targets"):
        assert indicator.targets.exists(), indicator.code
        assert check_indicator_targets(indicator, list(indicator.targets.all())) == []
    slips = slips_for_programs(list(programs.values_list("pk", flat=True)))
    assert sum(1 for s in slips.values() if s.late) >= 3
    assert set(ctx.shared["programs"]) == set(programs.values_list("code", flat=True))
