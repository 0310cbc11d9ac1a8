"""What the chapter says about soundness, erasure and type-level features, shown with the
pinned compiler (strict on, no `any`, no `as` in the unsound examples) and, where a claim
is about run time, with Node running the emitted JavaScript."""

import pytest

from netlab.typescript import (
    compile_and_run,
    escape_hatches,
    load_snippet,
    snippet_options,
    strip_types,
    typecheck,
)

CONSTRUCTS = ["enum Status { Ok = 200 }\n", "namespace Http { export const port = 80; }\n",
              "class Server { constructor(private readonly port: number) {} }\n"]
UNSOUND = ["unsound-arrays", "unsound-methods", "index-unchecked", "lying-guard"]


def run(name, **options):
    source = load_snippet(name)
    return compile_and_run(source, options={**snippet_options(source), **options})


@pytest.mark.parametrize("name", UNSOUND)
def test_unsound_snippets_use_no_escape_hatch(name):
    assert escape_hatches(load_snippet(name)) == []


def test_escape_hatches_are_found_outside_comments_and_strings():
    assert escape_hatches(load_snippet("escape-hatches")) == ["any", "as"]
    assert escape_hatches("const a = x!.y;\n") == ["!"]
    assert escape_hatches("// @ts-expect-error\nlet a: number = '1';\n") == ["@ts-ignore"]
    assert escape_hatches('const s = "as any"; // any as\n') == []


def test_array_covariance_lets_a_dog_into_the_cats():
    result = run("unsound-arrays")
    assert (result.codes, result.tsc_exit_code) == ([], 0)
    assert result.lines == ["cats: 2", "meow"]
    assert result.error == "TypeError: cat.meow is not a function"


def test_methods_are_bivariant_while_function_properties_are_checked():
    result = run("unsound-methods")
    assert result.codes == ["TS2322"] and result.diagnostics[0].line == 20
    assert result.lines == ["TypeError: dog.bark is not a function", "function"]
    # strictFunctionTypes is what catches the property; switched off, both compile.
    assert typecheck(load_snippet("unsound-methods"), options={"strictFunctionTypes": False}).codes == []


def test_unchecked_index_returns_undefined_typed_as_t():
    result = run("index-unchecked")
    assert (result.codes, result.tsc_exit_code) == ([], 0)
    assert result.lines == ["typeof port: undefined", "read timeout + 1 = NaN"]
    assert result.error == "TypeError: Cannot read properties of undefined (reading 'toFixed')"


def test_no_unchecked_indexed_access_rejects_the_chapters_first():
    source = load_snippet("unsound-index")
    checked = typecheck(source, options=snippet_options(source))
    assert [(d.line, d.code) for d in checked.diagnostics] == [(4, "TS2322"), (13, "TS18048"),
                                                               (16, "TS18048")]
    assert checked.diagnostics[0].message.startswith(
        "Type 'T | undefined' is not assignable to type 'T'.")
    # Under strict alone only the explicit `T | undefined` (line 13) is still caught.
    plain = typecheck(source, options={"noUncheckedIndexedAccess": False})
    assert [(d.line, d.code) for d in plain.diagnostics] == [(13, "TS18048")]


def test_a_type_guard_is_an_unchecked_claim():
    result = run("lying-guard")
    assert (result.codes, result.lines) == ([], ["id + 1 = 421"])
    assert result.error == "TypeError: Cannot read properties of undefined (reading 'toUpperCase')"


def test_enum_namespace_and_parameter_properties_emit_code():
    result = run("erasable")
    assert result.codes == [] and result.lines == ["200 NotFound 80 listening on 8080"]
    js = result.javascript
    assert '(function (Status) {' in js and 'Status[Status["Ok"] = 200] = "Ok";' in js
    assert "(function (Http) {" in js and "this.port = port;" in js


def test_erasable_syntax_only_and_node_stripping_refuse_the_same_constructs():
    refused = typecheck(load_snippet("erasable-only"), options={"erasableSyntaxOnly": True})
    assert [(d.line, d.code) for d in refused.diagnostics] == [
        (3, "TS1294"), (8, "TS1294"), (13, "TS1294")]
    # Node's stripper (Amaro) refuses each construct, one at a time.
    messages = [strip_types(source).error for source in CONSTRUCTS]
    assert messages == ["TypeScript enum is not supported in strip-only mode",
                        "TypeScript namespace declaration is not supported in strip-only mode",
                        "TypeScript parameter property is not supported in strip-only mode"]


def test_node_stripping_replaces_types_with_spaces():
    stripped = strip_types("const port: number = 80;\nfunction f<T>(x: T): T { return x; }\n")
    assert stripped.javascript == "const port         = 80;\nfunction f   (x   )    { return x; }\n"
    assert not stripped.refused


def test_decorator_metadata_keeps_the_declared_types_as_values():
    result = run("decorator-metadata")
    assert result.codes == [] and result.lines == ["id,name"]
    assert '__metadata("design:type", Number)' in result.javascript
    assert '__metadata("design:type", String)' in result.javascript
    plain = compile_and_run(load_snippet("decorator-metadata"),
                            options={"experimentalDecorators": True})
    assert "design:type" not in plain.javascript


def test_key_string_is_ts7053_under_strict_and_accepted_without_it():
    source = load_snippet("key-string")
    (d,) = typecheck(source).diagnostics
    assert d.code == "TS7053" and d.message.startswith(
        "Element implicitly has an 'any' type because expression of type 'string' can't be used "
        "to index type 'User'.")
    assert typecheck(source, options={"strict": False}).codes == []


def test_satisfies_keeps_literal_types_and_checks_the_value():
    result = run("satisfies")
    assert result.codes == ["TS2339", "TS2322"]
    assert result.lines == ["GET health,login"]
    assert result.error == "TypeError: Cannot read properties of undefined (reading 'path')"


def test_type_level_snippet():
    result = run("type-level")
    assert result.codes == ["TS2561", "TS2322"] and result.lines == ["open", "443 7 syn b"]


def test_variance_annotations_are_checked():
    result = run("variance")
    assert result.codes == ["TS2636", "TS2322"]
    assert "as implied by variance annotation" in result.diagnostics[0].message


def test_default_type_parameter_rules():
    result = typecheck(load_snippet("defaults"))
    assert [d.message for d in result.diagnostics] == [
        "Required type parameters may not follow optional type parameters.",
        "Type 'string' does not satisfy the constraint 'number'."]


def test_guidelines_constraint_on_the_array_loses_the_element_type():
    result = typecheck(load_snippet("guidelines"))
    assert [(d.line, d.code) for d in result.diagnostics] == [(9, "TS2322")]


def test_no_infer_and_inferred_predicates():
    assert typecheck(load_snippet("no-infer")).codes == ["TS2345"]
    result = run("inferred-predicate")
    assert result.codes == ["TS2322"] and result.lines == ["80,443 2 2"]


def test_exact_optional_property_types():
    source = load_snippet("exact-optional")
    assert typecheck(source, options=snippet_options(source)).codes == ["TS2375", "TS2412"]
    assert typecheck(source).codes == []


def test_isolated_declarations():
    source = load_snippet("isolated-declarations")
    assert typecheck(source, options=snippet_options(source)).codes == ["TS9013", "TS9013"]
    assert typecheck(source, options={"declaration": True}).codes == []
