"""Hostile instrument YAML: every file is read or refused with problems, one line each,
never a crash, a traceback or an expansion bomb.

Hypothesis feeds the reader random bytes, YAML-shaped noise, "billion laughs" bombs,
unsafe tags, duplicate keys, nesting, foreign encodings, and the shipped instrument with a
value replaced by something hostile. The command line is driven with a sample of the same.
Cases once found to crash are at the end, each saying what went wrong.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from acsreview.core.instrument import validate_file
from acsreview.core.instrument.loader import read_document_collecting
from acsreview.core.instrument.yamlio import MAX_BYTES, MAX_DEPTH

from .conftest import BASE_FILE

BASE = BASE_FILE.read_text(encoding="utf-8")
BASE_LINES = BASE.splitlines(keepends=True)
# Lines of the shipped file that hold "key: value" (the value is what gets replaced).
VALUE_LINES = [i for i, line in enumerate(BASE_LINES)
               if re.match(r"^\s*(- )?[A-Za-z_]+: \S", line)]
# Nesting a hand-written instrument never needs, and PyYAML composes recursively.
DEEP = 1200

FAST = settings(max_examples=60, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SLOW = settings(FAST, max_examples=10)


def check_read(tmp_path, data: bytes, *, name: str = "instrument.yaml"):
    """Read ``data`` as an instrument file: a document, or problems naming the file, each
    one printable line."""
    path = tmp_path / name
    path.write_bytes(data)
    doc, problems = read_document_collecting(path)
    for problem in problems.items:
        line = str(problem)
        assert line.startswith(str(path)), line
        assert line.isprintable(), line
        assert "Traceback" not in line
    return doc, problems.items


# --- strategies ---------------------------------------------------------------------------

YAML_BITS = [":", ": ", "- ", "[", "]", "{", "}", ",", "&a ", "*a", "!", "!!", "|", ">",
             "'", '"', "%", "@", "`", "#", "?", "\n", "  ", "\t", "<<: ", "~", "null",
             "schema", "acsreview-instrument/1", "id", "levels", "\\", "\x00", "\ufeff",
             "\u2028", "\x85", "\ud7ff", "\U0001f600", "1e999", "0x1F", "0o17", ".inf",
             "2026-01-01", "---", "...", "!!python/object/apply:os.system"]

yaml_noise = st.lists(st.sampled_from(YAML_BITS) | st.text(max_size=5), max_size=80).map(
    "".join)

UNSAFE_TAGS = ["!!python/object/apply:os.system ['echo owned']", "!!python/name:os.system",
               "!!python/object/new:builtins.type ['x', [], {}]", "!!python/tuple [1, 2]",
               "!!binary aGVsbG8=", "!!set {a, b}", "!!omap [{a: 1}]", "!!pairs [{a: 1}]",
               "!custom value", "!<tag:example.org,2026:x> value",
               "!!python/object:__main__.X {}", "!!timestamp 2026-01-01"]


@st.composite
def billion_laughs(draw):
    """Anchors and aliases that would expand to width ** depth items if followed."""
    depth = draw(st.integers(2, 12))
    width = draw(st.integers(2, 12))
    lines = ['a0: &a0 ["lol"]']
    for level in range(1, depth):
        aliases = ", ".join([f"*a{level - 1}"] * width)
        lines.append(f"a{level}: &a{level} [{aliases}]")
    if draw(st.booleans()):
        lines.insert(0, "schema: acsreview-instrument/1")
    if draw(st.booleans()):  # the merge-key flavour
        lines.append(f"b: {{<<: *a{depth - 1}}}")
    return "\n".join(lines) + "\n"


@st.composite
def tagged(draw):
    tag = draw(st.sampled_from(UNSAFE_TAGS))
    where = draw(st.sampled_from(["top", "value", "item", "key"]))
    return {"top": f"{tag}\n", "value": f"schema: acsreview-instrument/1\nid: {tag}\n",
            "item": f"levels:\n  - {tag}\n", "key": f"? {tag}\n: x\n"}[where]


@st.composite
def duplicate_keys(draw):
    key = draw(st.sampled_from(["schema", "id", "version", "levels", "a", "ü", "1", "null"]))
    depth = draw(st.integers(0, 5))
    indent = "  " * depth
    nest = "".join(f"{'  ' * i}n{i}:\n" for i in range(depth))
    first, second = draw(st.sampled_from(['"x"', "1", "[]", "{}", "null"])), '"y"'
    return f"{nest}{indent}{key}: {first}\n{indent}{key}: {second}\n"


@st.composite
def nested(draw):
    depth = draw(st.integers(1, DEEP))
    style = draw(st.sampled_from(["flow-list", "flow-map", "block-map", "block-list"]))
    if style == "flow-list":
        return "a: " + "[" * depth + "1" + "]" * depth + "\n"
    if style == "flow-map":
        return "a: " + "{b: " * depth + "1" + "}" * depth + "\n"
    if style == "block-map":
        return "".join(f"{'  ' * i}k{i}:\n" for i in range(depth)) + "  " * depth + "v\n"
    return "".join(f"{'  ' * i}-\n" for i in range(depth)) + "  " * depth + "v\n"


ENCODINGS = ["latin-1", "cp1252", "utf-16", "utf-16-be", "utf-32", "utf-8-sig", "cp437"]


@st.composite
def foreign_encoding(draw):
    text = draw(st.sampled_from([BASE[:2000], "title: Caf\xe9 cr\xe8me\n", "a: \u20ac\n",
                                 "id: \u00e9t\u00e9\n"]))
    encoding = draw(st.sampled_from(ENCODINGS))
    return text.encode(encoding, errors="replace")


HOSTILE_VALUES = [
    "", "~", "null", "[]", "{}", "[[[[]]]]", "0", "-1", "1e999", "-.inf", ".nan", "true",
    "0x7fffffffffffffff", "9" * 4000, '"' + "x" * 200_000 + '"', "'\\0'", '"\\0"',
    '"\\x1b[31mred"', '"\\u202eevil"', '"\\ud800"', '"\\U0001f600"', "*alias", "&anchor x",
    "!!python/object/apply:os.system [ls]", "!!binary AAAA", "|\n  multi\n  line",
    '"a\\nb"', "'=HYPERLINK(\"http://evil\")'", "<script>alert(1)</script>",
    "{a: 1, a: 2}", "[a, [b, [c]]]", "2026-13-45", "1:2:3", "? x", "@x", "`x`",
]


@st.composite
def mutated_base(draw):
    """The shipped instrument with one value replaced by a hostile one."""
    index = draw(st.sampled_from(VALUE_LINES))
    line = BASE_LINES[index]
    key, _sep, _value = line.partition(": ")
    value = draw(st.sampled_from(HOSTILE_VALUES) | st.text(max_size=40).map(repr))
    lines = list(BASE_LINES)
    lines[index] = f"{key}: {value}\n"
    return "".join(lines)


# --- the reader ---------------------------------------------------------------------------

@FAST
@given(data=st.binary(max_size=4000))
@example(data=b"\xff\xfe\x00\x00")
@example(data=b"\x00" * 100)
@example(data=b"PK\x03\x04" + b"\x00" * 60)
@example(data=b"\xef\xbb\xbf")
def test_random_bytes_are_read_or_refused_with_a_problem(tmp_path_factory, data):
    check_read(tmp_path_factory.mktemp("bytes"), data)


@FAST
@given(text=yaml_noise)
def test_yaml_shaped_noise_is_read_or_refused_with_a_problem(tmp_path_factory, text):
    check_read(tmp_path_factory.mktemp("noise"),
               text.encode("utf-8", errors="surrogatepass"))


@FAST
@given(text=billion_laughs())
def test_an_alias_bomb_is_refused_before_it_expands(tmp_path_factory, text):
    doc, problems = check_read(tmp_path_factory.mktemp("bomb"), text.encode())
    assert doc is None
    assert "anchors and aliases are not allowed" in problems[0].message
    # Refused at the first anchor, so nothing after it was ever composed, let alone expanded.
    first_anchor = next(i for i, line in enumerate(text.splitlines(), 1) if "&" in line)
    assert problems[0].line == first_anchor


@FAST
@given(text=tagged())
def test_an_unsafe_or_unknown_tag_is_refused(tmp_path_factory, text):
    doc, problems = check_read(tmp_path_factory.mktemp("tag"), text.encode())
    assert doc is None and problems


@FAST
@given(text=duplicate_keys())
def test_a_duplicate_key_at_any_depth_is_refused_by_name(tmp_path_factory, text):
    doc, problems = check_read(tmp_path_factory.mktemp("dup"), text.encode())
    assert doc is None
    assert problems[0].message.startswith("duplicate key")


@FAST
@given(text=nested())
def test_nesting_is_read_or_refused_with_a_problem(tmp_path_factory, text):
    doc, problems = check_read(tmp_path_factory.mktemp("nest"), text.encode())
    assert doc is None and problems  # none of these is an instrument


@FAST
@given(data=foreign_encoding())
def test_a_file_in_another_encoding_is_refused_or_read(tmp_path_factory, data):
    check_read(tmp_path_factory.mktemp("enc"), data)


@SLOW
@given(text=mutated_base())
def test_the_instrument_with_a_hostile_value_is_read_or_refused(tmp_path_factory, text):
    check_read(tmp_path_factory.mktemp("mut"), text.encode("utf-8"))


def test_a_file_over_the_size_limit_is_refused_without_being_read(tmp_path):
    path = tmp_path / "big.yaml"
    with path.open("wb") as f:
        f.write(b"a: [")
        f.seek(MAX_BYTES + 10)
        f.write(b"]\n")
    [problem] = validate_file(path)
    assert "more than the limit" in problem.message


# --- the command line ---------------------------------------------------------------------

CLI_CASES = {
    "bytes": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    "bomb": b'a: &a ["lol","lol"]\nb: &b [*a,*a,*a]\nc: [*b,*b,*b]\n',
    "python-tag": b"schema: !!python/object/apply:os.system ['echo owned']\n",
    "duplicate": b"schema: acsreview-instrument/1\nschema: acsreview-instrument/1\n",
    "latin-1": "title: Caf\xe9\n".encode("latin-1"),
    "utf-16": BASE[:500].encode("utf-16"),
    "empty": b"",
    "not-a-mapping": b"- a\n- b\n",
    "wrong-types": BASE.replace("levels:", "levels: 12\nlevels_:", 1).encode(),
    "huge-string": BASE.replace("title: ACS diagnostic tool",
                                "title: " + "x" * 300_000, 1).encode(),
}


@pytest.mark.parametrize("name", sorted(CLI_CASES))
def test_the_command_refuses_a_hostile_file_in_one_line_each(tmp_path, cli, name):
    path = tmp_path / f"{name}.yaml"
    path.write_bytes(CLI_CASES[name])
    result = cli("instrument", "validate", path)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.stderr.splitlines() == [result.stderr.strip()]
    assert re.fullmatch(r"error: \d+ problem\(s\) found", result.stderr.strip())
    for line in result.stdout.splitlines():
        assert line.startswith(str(path)), line


# --- cases that once crashed --------------------------------------------------------------

# PyYAML composes nested nodes recursively: a file nested a few thousand deep raised
# RecursionError out of yamlio.parse_yaml, which caught only yaml.YAMLError.
@pytest.mark.parametrize("text", [
    "a: " + "[" * DEEP + "]" * DEEP + "\n",
    "a: " + "{b: " * DEEP + "1" + "}" * DEEP + "\n",
], ids=["flow-list", "flow-map"])
def test_a_deeply_nested_file_is_refused_not_a_crash(tmp_path, cli, text):
    path = tmp_path / "deep.yaml"
    path.write_text(text, encoding="utf-8")
    result = cli("instrument", "validate", path)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.stdout == (f"{path}:1: nested more than {MAX_DEPTH} deep: an instrument "
                             "file never needs that\n")


# A problem was not always one line: PyYAML's reader error (a NUL or control character)
# adds '\n  in "<unicode string>", position N', and a message quoting a value (unknown
# schema '...') kept the value's line breaks.
@pytest.mark.parametrize("data", [
    b"schema: acsreview-instrument/1\x00\n",
    b"a: \x1b[2J\x07\n",
    b'schema: "multi\\nline\\n"\n',
], ids=["nul", "control", "quoted-newline"])
def test_every_problem_is_one_printable_line(tmp_path, cli, data):
    path = tmp_path / "instrument.yaml"
    path.write_bytes(data)
    result = cli("instrument", "validate", path)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines and all(line.startswith(str(path)) for line in lines), lines
    assert all(line.isprintable() for line in lines), lines


# An integer of more than 4300 digits made PyYAML's int() raise ValueError (Python's
# int_max_str_digits), which escaped yamlio.parse_yaml.
def test_an_integer_too_long_to_read_is_refused_not_a_crash(tmp_path, cli):
    path = tmp_path / "long-int.yaml"
    path.write_text("schema: acsreview-instrument/1\nid: 1" + "0" * 5000 + "\n",
                    encoding="utf-8")
    result = cli("instrument", "validate", path)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.stdout == (f"{path}:2: the number 10000000000000000000... (5001 "
                             "characters) is too long to read\n")


# A text with a control character (here BEL and ESC, written as YAML escapes) passed
# `instrument validate`, then `instrument export --format xlsform` (and the web's field
# form) crashed with openpyxl's IllegalCharacterError. It is now refused by name.
def test_an_instrument_the_validator_accepts_exports_as_an_xlsform(tmp_path, cli):
    text = BASE.replace("title: ACS diagnostic tool", 'title: "ACS \\a\\e tool"', 1)
    text = text.replace("id: acs-diagnostic\n", "id: hostile\n", 1)
    path = tmp_path / "hostile-1.0.yaml"
    path.write_text(text, encoding="utf-8")
    validated = cli("instrument", "validate", path)
    if validated.exit_code == 1:
        return  # refused with its problem: as good as exportable
    result = cli("instrument", "export", "--format", "xlsform", "--dir", tmp_path,
                 "--instrument", "hostile", "-o", tmp_path / "form.xlsx")
    assert result.exit_code == 0, result.output


def hostile_title(tmp_path, title: str):
    text = BASE.replace("title: ACS diagnostic tool", f"title: {title}", 1)
    path = tmp_path / "hostile-1.0.yaml"
    path.write_text(text.replace("id: acs-diagnostic\n", "id: hostile\n", 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(("escape", "code"), [
    ("\\0", "0000"), ("\\a", "0007"), ("\\e", "001B"), ("\\x7f", "007F"), ("\\x85", "0085"),
    ("\\uffff", "FFFF")])
def test_a_text_with_a_control_character_is_refused_naming_its_field(tmp_path, cli, escape,
                                                                       code):
    path = hostile_title(tmp_path, f'"ACS {escape} tool"')
    result = cli("instrument", "validate", path)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{path}:11: title: the character U+{code} (character 5) cannot be shown, printed or "
        "exported: remove it"]


def test_tabs_and_line_breaks_in_a_text_are_allowed(tmp_path, cli):
    path = hostile_title(tmp_path, '"ACS\\tdiagnostic\\ntool"')
    result = cli("instrument", "validate", path)
    assert result.exit_code == 0, result.output
