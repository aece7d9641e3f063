"""Hypothesis strategies for SPARQL query text built to probe a lexer: small, mostly valid queries whose
lexical corners (`<` read as an IRI or as a comparison, escapes in prefixed names, comments, strings,
\\u escapes) sit right before a SERVICE clause, so a screen that misreads one of them misses the keyword.

Every query names the prefixes `:` and `ex:` as `target`, the address a SERVICE clause would call.
"""
from __future__ import annotations

from hypothesis import strategies as st

OPERANDS = ["?x", "1", "1.5", ".5", "1e3", "-1", "true", "false", '"s"', "'s'", '"s"@en', '"1"^^ex:t',
            '"1"^^<http://a/t>', "ex:a", ":", "ex:a\\#", "ex:a\\'", "ex:a\\.b", "ex:%41", "<http://a/>",
            "EXISTS{}", "NOT EXISTS{}", "EXISTS{?s ?p ?o}", "NOT EXISTS{ex:a ex:a ex:a}", "STR(?x)",
            "<urn:f>(1)", "ex:f(1)", "(1)", "!true", "IF(true,1,2)", "COALESCE(?x)", "ABS(1)",
            "<<(ex:a ex:a ex:a)>>", "TRIPLE(ex:a,ex:a,ex:a)", "\\u0022s\\u0022", "?x IN(1)", "?x NOT IN()"]
OPERATORS = ["<", "<=", ">", ">=", "=", "!=", "+", "-", "*", "/", "&&", "||", " IN(", "<<"]
SEPARATORS = ["", "", "", " ", "\n", "\t"]
TRIPLE_OBJECTS = ["?o", "ex:a", "ex:a\\#", "ex:a\\'", "ex:a\\-", '"s"', "'''s'''", "1", "<http://a/>",
                  "[]", "( 1 )", "_:b", "<<ex:a ex:a ex:a>>"]
SERVICE_WORDS = ["SERVICE", "service", "SeRvIcE", "\\u0053ERVICE", "\\U00000053ervice", "SERVICE SILENT"]
SERVICE_TARGETS = [":", "ex:", "<{target}>", ":x", "ex:y"]
TRAILERS = ["", "#>", "#'", '#"', "#", "#<", "#}", "#)"]

separator = st.sampled_from(SEPARATORS)


@st.composite
def expressions(draw) -> str:
    text = draw(st.sampled_from(OPERANDS))
    for _ in range(draw(st.integers(0, 2))):
        operator = draw(st.sampled_from(OPERATORS))
        operand = draw(st.sampled_from(OPERANDS))
        text += draw(separator) + operator + draw(separator) + operand + (")" if operator == " IN(" else "")
    return text


@st.composite
def patterns(draw) -> str:
    kind = draw(st.integers(0, 7))
    if kind == 0:
        return f"FILTER({draw(expressions())})"
    if kind == 1:
        return f"BIND(({draw(expressions())})AS?v{draw(st.integers(0, 9))})"
    if kind == 2:
        return f"BIND({draw(expressions())} AS ?w{draw(st.integers(0, 9))})"
    if kind == 3:
        return f"?s ?p {draw(st.sampled_from(TRIPLE_OBJECTS))}{draw(st.sampled_from(['', ' .', '.', ';ex:a ?o']))}"
    if kind == 4:
        return f"OPTIONAL{{{draw(patterns())}}}"
    if kind == 5:
        return f"VALUES ?z {{{draw(st.sampled_from(TRIPLE_OBJECTS[1:9]))}}}"
    if kind == 6:
        return f"FILTER {draw(st.sampled_from(['EXISTS{}', 'NOT EXISTS{}', 'STR(?x)', 'ex:f(?x)', 'REGEX(?x,1)']))}"
    return "?s ex:a/ex:a?|^ex:a* ?o"


@st.composite
def service_clauses(draw) -> str:
    word = draw(st.sampled_from(SERVICE_WORDS))
    target = draw(st.sampled_from(SERVICE_TARGETS))
    return f"{word}{draw(separator)}{target}{draw(st.sampled_from(TRAILERS))}\n{{}}"


@st.composite
def queries_with_service(draw, target: str) -> str:
    """A query whose text holds a SERVICE clause after zero or more patterns (valid or not)."""
    before = [draw(patterns()) for _ in range(draw(st.integers(0, 3)))]
    after = [draw(patterns()) for _ in range(draw(st.integers(0, 2)))]
    body = draw(separator).join(before) + draw(separator) + draw(service_clauses()) + draw(separator) + \
        draw(separator).join(after)
    head = draw(st.sampled_from(["SELECT * WHERE {", "ASK{", "SELECT * {?s ?p ?o "]))
    tail = draw(st.sampled_from(["", "#>", "'", '"', ">", "'''", ")"]))
    return f"PREFIX : <{target}> PREFIX ex: <{target}>\n{head}{body}{tail}\n}}".replace("{target}", target)
