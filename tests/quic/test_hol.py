import pytest

from netlab.quic import HolConfig, compare_hol, completion_table, simulate_hol


def test_without_loss_tcp_and_quic_finish_every_stream_at_the_same_time():
    rows = completion_table(HolConfig(streams=4, segments_per_stream=8))
    assert all(tcp == quic for _, tcp, quic in rows)
    # last packet of stream s is number 28 + s, sent at (28 + s) ms, arriving rtt/2 = 20 ms later
    assert [tcp for _, tcp, _ in rows] == [48.0, 49.0, 50.0, 51.0]


def test_one_loss_blocks_every_tcp_stream_but_only_its_own_quic_stream():
    config = HolConfig(streams=4, segments_per_stream=8, lost_packets=(4,))  # stream 0
    rows = completion_table(config)
    baseline = completion_table(HolConfig(streams=4, segments_per_stream=8))
    for (stream, tcp, quic), (_, base, _) in zip(rows, baseline, strict=True):
        assert quic <= tcp
        if stream != 0:
            assert quic == base < tcp  # QUIC's other streams are not delayed at all
    assert len({tcp for _, tcp, _ in rows}) == 1  # TCP: everyone waits for the retransmission


def test_both_transports_see_the_same_losses():
    results = compare_hol(HolConfig(loss_rate=0.05, seed=7))
    assert results["tcp"].lost == results["quic"].lost != []


def test_random_loss_quic_never_later_than_tcp():
    for seed in range(5):
        for _, tcp, quic in completion_table(HolConfig(loss_rate=0.1, seed=seed)):
            assert quic <= tcp


def test_scenario_trace_step_by_step():
    result = simulate_hol("tcp", HolConfig(streams=2, segments_per_stream=2, lost_packets=(0,)))
    events = [(e.event, e.packet) for e in result.trace]
    assert events[:3] == [("sent", 0), ("lost", 0), ("sent", 1)]
    # packet 1 arrives but cannot be delivered before packet 0's retransmission arrives
    first_delivery = next(i for i, e in enumerate(events) if e[0] == "delivered")
    assert events[first_delivery] == ("delivered", 0)
    assert ("arrived", 1) in events[:first_delivery]


@pytest.mark.parametrize("kwargs, message", [
    ({"loss_rate": -0.1}, "loss_rate: Input should be greater than or equal to 0, got -0.1"),
    ({"loss_rate": 0.9}, "loss_rate: Input should be less than or equal to 0.5, got 0.9"),
    ({"streams": 0}, "streams: Input should be greater than or equal to 1"),
    ({"rtt_s": 0}, "rtt_s: Input should be greater than 0"),
    ({"lost_packets": (99,)}, "lost_packets: each packet must be < 32"),
    ({"seed": -1}, "seed: Input should be greater than or equal to 0"),
    ({"scheduler": "fifo"}, "scheduler: Input should be 'round-robin' or 'sequential'"),
])
def test_bad_config_raises(kwargs, message):
    with pytest.raises(ValueError, match=message):
        HolConfig(**kwargs)


def test_bad_transport_raises():
    with pytest.raises(ValueError, match="transport: Input should be 'tcp' or 'quic', got 'sctp'"):
        simulate_hol("sctp")


def test_sequential_scheduler_sends_streams_one_after_another():
    config = HolConfig(streams=2, segments_per_stream=3, scheduler="sequential")
    assert [config.stream_of(p) for p in range(6)] == [0, 0, 0, 1, 1, 1]
    rows = completion_table(HolConfig(streams=4, segments_per_stream=8, lost_packets=(4,),
                                      scheduler="sequential"))
    assert rows == [(0, 64.0, 64.0), (1, 64.0, 35.0), (2, 64.0, 43.0), (3, 64.0, 51.0)]


def test_sequential_leaves_little_gain_for_long_streams():
    from netlab.quic import scheduling_sweep

    rows = {s: gain for _, s, _, _, gain in scheduling_sweep([0.05], streams=4,
                                                              segments_per_stream=50, seeds=5)}
    assert rows["round-robin"] > 5 and rows["sequential"] < 1


def test_work_limit_names_the_argument():
    with pytest.raises(ValueError, match="segments_per_stream: would need about"):
        compare_hol(HolConfig(streams=64, segments_per_stream=1000, loss_rate=0.5))
