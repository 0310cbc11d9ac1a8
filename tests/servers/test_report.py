import pytest

from netlab.servers import (
    EventLoopServer,
    IdleResult,
    SaturationResult,
    ThreadPoolServer,
    fetch,
    idle_table,
    knee_table,
    plot_knee,
    plot_load_sweep,
    saturation_table,
    show_model,
)


def test_fetch_gets_the_same_answer_from_both_designs():
    with ThreadPoolServer() as pool, EventLoopServer() as loop:
        assert fetch(pool) == (200, b"hello\n", "netlab-threaded")
        assert fetch(loop) == (200, b"hello\n", "netlab-eventloop")
        assert fetch(loop, "/nothing-here")[0] == 404


def test_idle_table_shows_counts_and_the_memory_mark_not_raw_bytes():
    rows = [IdleResult("thread pool", 10, 10, 11, 10, 0, 300 * 1024),
            IdleResult("event loop", 10, None, 1, 10, 0, 40 * 1024)]
    lines = idle_table(rows).splitlines()
    assert lines[0].split()[:3] == ["design", "idle", "conns"]
    assert lines[2].split() == ["thread", "pool", "10", "10", "11", "10", "0", "no", "yes"]
    assert lines[3].split() == ["event", "loop", "10", "-", "1", "10", "0", "no", "no"]


def test_saturation_table_has_one_row_per_result():
    row = SaturationResult("thread pool", 2, 2, 8, 8, 8, 0, 5)  # 5 retransmitted
    assert saturation_table([row]).splitlines()[2].split() == [
        "thread", "pool", "2", "2", "8", "8", "8", "5", "0", "yes"]


def test_knee_table_lines_up_columns_by_connection_count():
    text = knee_table([3, 4, 5], {"measured": [0, 0, 1], "model": [0, 0, 1]})
    assert text.splitlines()[-1].split() == ["5", "1", "1"]


def test_show_model_marks_overload_for_each_design():
    under = show_model(pool_size=50, rate_per_s=40)
    over = show_model(pool_size=50, rate_per_s=120)
    assert under.count("under") == 2 and "OVER" not in under
    assert over.count("OVER") == 2
    assert show_model(pool_size=50, rate_per_s=40) == under  # seeded: same text every time


def test_plot_knee_marks_the_pool_size():
    fig = plot_knee([1, 2, 3], {"model": [0, 0, 1]}, pool_size=2)
    ax = fig.axes[0]
    assert ax.get_xlabel() == "connections opened at once"
    assert any(line.get_xdata()[0] == 2 for line in ax.lines[1:])


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: fetch(None, "/"), "^fetch: server: must be a running server"),
        (lambda: show_model(rate_per_s=0), "^show_model: rate_per_s: .* greater than or equal to 1"),
        (lambda: show_model(pool_size=0), "^show_model: pool_size:"),
        (lambda: knee_table([1, 2], "not a dict"),
         "^knee_table: columns: Input should be a valid dictionary"),
        (lambda: knee_table([1, 2], {"a": [0]}), r"columns\['a'\] must have 2 values"),
        (lambda: plot_knee([1], {"a": [0]}, pool_size=float("nan")), "^plot_knee: pool_size:"),
        (lambda: plot_load_sweep([1.0], [0.1], {"a": 1.0}), "^plot_load_sweep: p99_s:"),
    ],
)
def test_bad_arguments_are_refused_with_a_clear_message(call, message):
    with pytest.raises(ValueError, match=message):
        call()
