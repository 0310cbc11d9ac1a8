import json
from pathlib import Path

import pytest

from netlab.typescript import (
    compile_and_run,
    compiler_flags,
    expected_diagnostics,
    js_error,
    load_snippet,
    snippet_names,
    snippet_options,
    typecheck,
    typecheck_many,
)


def _snippets_by_options():
    groups = {}
    for name in snippet_names():
        source = load_snippet(name)
        groups.setdefault(tuple(sorted(snippet_options(source).items())), {})[name] = source
    return groups


GROUPS = _snippets_by_options()


@pytest.mark.parametrize("options", list(GROUPS), ids=lambda o: ",".join(k for k, _ in o) or "defaults")
def test_each_snippet_gets_exactly_the_diagnostics_its_markers_announce(options):
    sources = GROUPS[options]
    results = typecheck_many(sources, options=dict(options))
    for name, source in sources.items():
        found = [(d.line, d.code) for d in results[name].diagnostics]
        assert found == expected_diagnostics(source), name


def test_typecheck_many_matches_one_typecheck_per_file():
    sources = {"keyof": load_snippet("keyof"), "first-any": load_snippet("first-any")}
    many = typecheck_many(sources)
    one = typecheck(sources["keyof"]).diagnostics
    assert [(d.line, d.column, d.code, d.message) for d in many["keyof"].diagnostics] == [
        (d.line, d.column, d.code, d.message) for d in one]
    assert {d.file for d in many["keyof"].diagnostics} == {"keyof.mts"}
    assert many["first-any"].codes == [] and many["keyof"].exit_code == 1
    with pytest.raises(ValueError, match="sources keys must be lowercase words"):
        typecheck_many({"../x": "let a = 1;"})
    with pytest.raises(ValueError, match=r"sources\['a'\]: source must be a non-empty"):
        typecheck_many({"a": " "})
    with pytest.raises(ValueError, match="sources must map 1 to 100 names"):
        typecheck_many({})


def test_first_any_compiles_cleanly_and_crashes_at_run_time():
    result = compile_and_run(load_snippet("first-any"))
    assert result.codes == []
    assert result.lines == ["typeof port: number"]
    assert result.error == "TypeError: port.toUpperCase is not a function"
    assert result.node_exit_code == 1


def test_first_generic_reports_the_bug_with_its_position():
    (diagnostic,) = typecheck(load_snippet("first-generic")).diagnostics
    assert (diagnostic.line, diagnostic.column, diagnostic.code) == (9, 18, "TS2339")
    assert diagnostic.message == "Property 'toUpperCase' does not exist on type 'number'."


def test_keyof_rejects_an_unknown_key_and_keeps_property_types():
    result = typecheck(load_snippet("keyof"))
    assert result.codes == ["TS2345", "TS2322"]
    assert "'\"email\"'" in result.diagnostics[0].message
    assert "keyof User" in result.diagnostics[0].message
    assert result.diagnostics[1].message == "Type 'number' is not assignable to type 'string'."


def test_erasure_a_number_typed_field_is_a_string_at_run_time():
    result = compile_and_run(load_snippet("erasure"))
    assert (result.codes, result.tsc_exit_code) == ([], 0)
    assert result.lines == ["typeof user.id: string", "user.id + 1 = 421"]
    assert "interface" not in result.javascript and ": User" not in result.javascript


def test_tsc_emits_javascript_despite_errors_unless_no_emit_on_error():
    source = load_snippet("emit-on-error")
    default = compile_and_run(source)
    assert (default.codes, default.tsc_exit_code, default.emitted) == (["TS2322"], 2, True)
    assert default.lines == ["port + 1 = 80801"]
    strict_emit = compile_and_run(source, options={"noEmitOnError": True})
    assert (strict_emit.codes, strict_emit.tsc_exit_code) == (["TS2322"], 1)
    assert (strict_emit.emitted, strict_emit.javascript, strict_emit.node_exit_code) == (
        False, "", None)


def test_any_and_as_silence_the_checker():
    result = compile_and_run(load_snippet("escape-hatches"))
    assert result.codes == []
    assert result.lines == ["80801 60 31"]


def test_type_guard_accepts_good_data_and_rejects_bad():
    result = compile_and_run(load_snippet("type-guard"))
    assert result.codes == []
    assert result.lines == ["accepted: id + 1 = 43", 'rejected: {"id": "42", "name": "Ada"}']


def test_idioms_and_api_client_run():
    assert compile_and_run(load_snippet("idioms")).lines == [
        "error: not a port: http", "127.0.0.1 443 OK"]
    client = compile_and_run(load_snippet("api-client"))
    assert (client.codes, client.lines[0]) == (["TS2345"], "Ada ok")
    assert client.error.startswith("SyntaxError")


def test_strict_mode_decides_implicit_any():
    source = "export function echo(x) { return x; }\n"
    assert typecheck(source).codes == ["TS7006"]
    assert typecheck(source, options={"strict": False}).codes == []


def test_compiler_flags_put_defaults_first_and_let_options_override():
    assert compiler_flags({"strict": False, "noEmitOnError": True}) == [
        "--strict", "false", "--target", "es2022", "--module", "esnext",
        "--noEmitOnError", "true"]


def test_js_error_finds_the_exception_line():
    stderr = "file:///x/snippet.mjs:3\n  a.b()\n    ^\n\nTypeError: a.b is not a function\n"
    assert js_error(stderr) == "TypeError: a.b is not a function"
    assert js_error("") == ""


@pytest.mark.parametrize("junk", [None, 42, b"TypeError: x", ["TypeError: x"]])
def test_js_error_rejects_non_text(junk):
    with pytest.raises(ValueError, match="^js_error: stderr: Input should be a valid string"):
        js_error(junk)


@pytest.mark.parametrize("source", ["", "   \n\t"])
def test_empty_source_is_rejected(source):
    with pytest.raises(ValueError, match="source must be a non-empty TypeScript program"):
        typecheck(source)
    with pytest.raises(ValueError, match="source must be a non-empty TypeScript program"):
        compile_and_run(source)


@pytest.mark.parametrize("source", [None, 42, b"x"])
def test_non_text_source_is_rejected_naming_the_argument(source):
    with pytest.raises(ValueError, match="^typecheck: source: Input should be a valid string"):
        typecheck(source)
    with pytest.raises(ValueError, match="^compile_and_run: source: Input should be a valid string"):
        compile_and_run(source)


def test_too_long_source_is_rejected():
    with pytest.raises(ValueError, match="source must be at most 100000 characters"):
        typecheck("x;" * 50_001)


def test_unknown_compiler_option_is_rejected_by_the_real_compiler():
    with pytest.raises(ValueError, match=r"options rejected by tsc: TS5023: .*'--strictest'"):
        typecheck("export const a = 1;\n", options={"strictest": True})


def test_bad_option_value_is_rejected_by_the_real_compiler():
    with pytest.raises(ValueError, match=r"TS6046: Argument for '--target' option must be"):
        typecheck("export const a = 1;\n", options={"target": "es3"})


@pytest.mark.parametrize(("options", "message"), [
    ({"outDir": "x"}, r"options\['outDir'\] is managed by netlab.typescript"),
    ({"--strict": True}, "options keys must be tsc option names like 'strict', got '--strict'"),
    ({"target": ""}, r"options\['target'\] must be a bool, int or non-empty str, got ''"),
    ({"lib": ["es2022"]}, r"compiler_flags: options.lib.bool: Input should be a valid boolean"),
    (["strict"], "compiler_flags: options: Input should be a valid dictionary"),
])
def test_bad_options_are_rejected_before_running(options, message):
    with pytest.raises(ValueError, match=message):
        compiler_flags(options)


@pytest.mark.parametrize(("timeout_s", "message"), [
    (0, "timeout_s: Input should be greater than 0, got 0"),
    (1e12, "timeout_s: Input should be less than or equal to 86400, got 1e[+]12"),
    (float("nan"), "timeout_s: Input should be a finite number"),
])
def test_bad_timeout_is_rejected_before_anything_runs(timeout_s, message):
    for call in (typecheck, compile_and_run):
        with pytest.raises(ValueError, match=f"^{call.__name__}: {message}"):
            call("export const a = 1;\n", timeout_s=timeout_s)


@pytest.mark.parametrize("junk", ["node", 42, {"node": "node"}, object()])
def test_junk_toolchain_is_rejected_naming_the_argument(junk):
    for call in (typecheck, compile_and_run):
        message = f"^{call.__name__}: toolchain: Input should be an instance of Toolchain"
        with pytest.raises(ValueError, match=message):
            call("export const a = 1;\n", toolchain=junk)
    from netlab.typescript import tsc_version
    with pytest.raises(ValueError, match="^tsc_version: toolchain: Input should be an instance of Toolchain"):
        tsc_version(junk)


def test_pinned_version_is_the_one_in_package_json_and_lock():
    root = Path(__file__).resolve().parents[2]
    pin = json.loads((root / "package.json").read_text())["dependencies"]["typescript"]
    lock = json.loads((root / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/typescript"]["version"] == pin
    assert not lock["packages"]["node_modules/typescript"].get("dev"), "Binder installs dependencies only"
    from netlab.typescript import tsc_version
    assert tsc_version() == pin


def test_output_has_no_colour_codes_even_when_the_terminal_forces_colour(monkeypatch):
    monkeypatch.setenv("FORCE_COLOR", "1")
    result = compile_and_run("console.log(443, [1]);\nexport {};\n")
    assert result.lines == ["443 [ 1 ]"]
