import pytest

from netlab.oauth import Trace, oauth_lab, plot_sequence, run_flow, sequence_mermaid


def test_diagrams_have_one_arrow_per_request_and_per_response():
    with oauth_lab(seed=7) as lab:
        hops = run_flow(lab).steps["sign in"]
    source = sequence_mermaid(lab.trace, hops)
    lines = source.splitlines()
    assert lines[0] == "sequenceDiagram"
    assert sum("->>" in ln or "-)" in ln for ln in lines if "-->>" not in ln) == len(hops)
    assert sum("-->>" in ln for ln in lines) == len(hops)
    # the callback's response is drawn after the back-channel token exchange it waited for
    order = [ln.strip() for ln in lines if "-->>browser: 302 → client/me" in ln or "5. POST" in ln]
    assert order[0].startswith("client-)provider: 5. POST /token")
    fig = plot_sequence(lab.trace, hops)
    # three lifeline labels, then per hop two arrows (annotations) and two labels
    assert len(fig.axes[0].texts) == 3 + 4 * len(hops)


def test_plot_refuses_what_is_not_a_trace():
    with pytest.raises(ValueError, match="plot_sequence: trace: must be a Trace"):
        plot_sequence([])
    assert sequence_mermaid(Trace()) == "sequenceDiagram"
