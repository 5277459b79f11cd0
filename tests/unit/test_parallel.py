"""Work spread over processes or threads: the items' order kept, one failure stops no other."""

import os

import pytest

from accord.adapters.parallel import PARALLEL_FROM, Failed, each_apart
from accord.errors import AccordError


def square_unless_seven(n: int) -> tuple[int, int]:
    if n == 7:
        raise AccordError("seven is refused here")
    if n == 11:
        raise ValueError("eleven breaks")
    return n * n, os.getpid()


@pytest.mark.parametrize("kind", ["processes", "threads"])
def test_outcomes_in_order_and_failures_apart(kind: str) -> None:
    items = list(range(20))
    outcomes = each_apart(square_unless_seven, items, kind=kind, workers=2)  # type: ignore[arg-type]
    assert outcomes[7] == Failed("seven is refused here")
    assert outcomes[11] == Failed("ValueError: eleven breaks")
    done = [o for i, o in enumerate(outcomes) if i not in (7, 11)]
    assert [value for value, _ in done] == [n * n for n in items if n not in (7, 11)]
    pids = {pid for _, pid in done}
    if kind == "processes":
        assert os.getpid() not in pids and len(pids) >= 1
    else:
        assert pids == {os.getpid()}


def test_a_few_items_are_done_here() -> None:
    outcomes = each_apart(square_unless_seven, list(range(PARALLEL_FROM - 1)), workers=2)
    assert all(not isinstance(o, Failed) and o[1] == os.getpid() for o in outcomes)
    assert len(outcomes) == PARALLEL_FROM - 1
