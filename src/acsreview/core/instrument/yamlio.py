"""Reading instrument YAML safely, remembering the line of every value.

Instrument files are written by people: a problem must name the line. The
reader also refuses what a hand-written instrument never needs and a hostile
file could abuse: duplicate keys (silently overwritten by plain PyYAML),
anchors and aliases (the "billion laughs"), tags, and very large files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

MAX_BYTES = 5 * 1024 * 1024
# An instrument nests about eight deep (levels, domains, questions, their lists). PyYAML
# composes nodes recursively: thousands deep would exhaust Python's stack.
MAX_DEPTH = 50

Loc = tuple[str | int, ...]


class YamlProblem(Exception):
    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass
class LocatedData:
    """Plain data read from YAML, and the line each location of it starts on."""

    data: object
    lines: dict[Loc, int] = field(default_factory=dict)

    def line_of(self, loc: Loc) -> int | None:
        """The line of ``loc``, or of its nearest enclosing location that has one."""
        loc = tuple(loc)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get(())


def read_yaml(path: Path) -> LocatedData:
    """Read ``path`` as YAML; raise :class:`YamlProblem` naming the line on failure."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise YamlProblem(f"cannot read the file: {exc.strerror or exc}") from None
    if size > MAX_BYTES:
        raise YamlProblem(f"file is {size} bytes, more than the limit of {MAX_BYTES}")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise YamlProblem(f"not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise YamlProblem(f"cannot read the file: {exc.strerror or exc}") from None
    return parse_yaml(text)


def parse_yaml(text: str) -> LocatedData:
    try:
        loader = _StrictComposer(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise YamlProblem(f"not valid YAML: {exc.problem or exc.context}", line) from None
    except yaml.reader.ReaderError as exc:
        # Its own text adds a second line, 'in "<unicode string>", position N': say the line.
        line = text.count("\n", 0, exc.position) + 1
        raise YamlProblem(f"not valid YAML: the character U+{exc.character:04X} is not "
                          "allowed in a YAML file", line) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(f"not valid YAML: {exc}") from None
    if node is None:
        raise YamlProblem("the file is empty", 1)
    located = LocatedData(data=None)
    located.data = _build(node, (), located.lines)
    return located


class _StrictComposer(yaml.SafeLoader):
    """Composes a node tree, refusing anchors and aliases before they can expand, and
    nesting deeper than :data:`MAX_DEPTH` before it can exhaust the stack."""

    depth = 0

    def compose_node(self, parent, index):  # noqa: ANN001 - PyYAML's signature
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise YamlProblem(
                "anchors and aliases are not allowed in an instrument file",
                event.start_mark.line + 1,
            )
        if self.depth >= MAX_DEPTH:
            raise YamlProblem(f"nested more than {MAX_DEPTH} deep: an instrument file "
                              "never needs that", event.start_mark.line + 1)
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}


def _build(node: yaml.Node, loc: Loc, lines: dict[Loc, int]) -> object:
    line = node.start_mark.line + 1
    lines[loc] = line
    if isinstance(node, yaml.MappingNode):
        if node.tag != "tag:yaml.org,2002:map":
            raise YamlProblem(f"the tag {node.tag} is not allowed", line)
        result: dict[str, object] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlProblem("a key must be plain text", key_node.start_mark.line + 1)
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise YamlProblem("merge keys (<<) are not allowed", key_node.start_mark.line + 1)
            key = str(key_node.value)
            if key in result:
                raise YamlProblem(f"duplicate key '{key}'", key_node.start_mark.line + 1)
            result[key] = _build(value_node, (*loc, key), lines)
            lines[(*loc, key)] = key_node.start_mark.line + 1  # point at the key, not its value
        return result
    if isinstance(node, yaml.SequenceNode):
        if node.tag != "tag:yaml.org,2002:seq":
            raise YamlProblem(f"the tag {node.tag} is not allowed", line)
        return [_build(item, (*loc, i), lines) for i, item in enumerate(node.value)]
    if node.tag == "tag:yaml.org,2002:timestamp":
        return node.value  # a date stays the text the author wrote
    if node.tag not in _SCALAR_TAGS:
        raise YamlProblem(f"the tag {node.tag} is not allowed", line)
    # The tag's constructor called directly: construct_object would keep every node it
    # sees in the shared loader's cache, for ever.
    try:
        return _SCALARS.yaml_constructors[node.tag](_SCALARS, node)
    except (ValueError, OverflowError):
        # int() refuses more than 4300 digits (Python's guard against slow conversions).
        shown = node.value if len(node.value) <= 20 else f"{node.value[:20]}..."
        raise YamlProblem(f"the number {shown} ({len(node.value)} characters) is too long "
                          "to read", line) from None


_SCALARS = yaml.SafeLoader("")
