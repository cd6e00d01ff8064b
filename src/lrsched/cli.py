"""The ``lrsched`` command: print, sparkline or plot any schedule.

Usage::

    lrsched cosine --base-lr 1e-3 --min-lr 1e-5 --total-steps 1000 --steps 1000
    lrsched triangular --min-lr 1e-4 --max-lr 1e-2 --step-size 200 --steps 800 --sparkline
    lrsched --config schedule.json --format csv
    lrsched describe --config schedule.json

Every leaf schedule is a subcommand whose options are generated from the
schedule class itself (its attrs fields, their type annotations and defaults,
and the ``Args:`` section of its docstring), so the command line never drifts
from the library. Bad input prints one line on stderr and exits with status 2,
never a traceback. Output that cannot be written (a full disk, a closed
stdout) prints one line and exits with status 1; a reader that goes away
(``lrsched ... | head``) ends the program quietly with status 0, as Unix
tools do.
"""

from __future__ import annotations

import argparse
import difflib
import functools
import inspect
import json
import math
import os
import re
import sys
import types
import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, NoReturn, TextIO

import attrs

from . import _compat, _curves, _tree, shapes
from ._compat import SPELLINGS, Spelling
from ._compose import with_warmup
from ._state import class_type_name, from_state_dict, registered_types
from ._validate import show
from .plot import _spark, boundaries, to_svg

__all__ = ["leaf_commands", "main", "run"]

#: Subcommand names that differ from the registered type name, and extra aliases.
_RENAMED: dict[str, str] = {}
_ALIASES = {"step_decay": ["step"]}
_EXIT_USAGE = 2
_EXIT_OUTPUT = 1  # the output could not be written


class _UsageError(Exception):
    """Bad input: reported as one line on stderr, exit status 2."""


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line and never exit by themselves."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # argparse takes "-1e-3" for an option name (it only knows -1 and -1.5 as
        # numbers); learning rates are written like that, so let it be a value and
        # let the schedule say "'base_lr' must be >= 0".
        self._negative_number_matcher = re.compile(r"^-(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")

    def error(self, message: str) -> NoReturn:
        match = re.match(r"argument SCHEDULE: invalid choice: '(.*?)' \(choose from", message)
        if match:
            name = match.group(1)
            close = difflib.get_close_matches(name, list(_commands()), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            message = f"unknown schedule {show(name)}{hint} (`lrsched --help` lists them)"
        raise _UsageError(f"{self.prog}: error: {message}")


# -- the leaf schedules and their options -----------------------------------------


def leaf_commands() -> dict[str, type[Any]]:
    """Subcommand name -> leaf schedule class, in registry order.

    The leaves are the registered types gathered in ``lrsched._curves``; names
    are hyphenated type names (``step_decay`` is ``step``).

    Examples:
        >>> list(leaf_commands())[:4]
        ['constant', 'step-decay', 'multi-step', 'exponential']
    """
    leaves = {getattr(_curves, name) for name in _curves.__all__}
    return {
        _RENAMED.get(name, name.replace("_", "-")): cls
        for name, cls in registered_types().items()
        if cls in leaves
    }


def _commands() -> dict[str, type[Any]]:
    commands = leaf_commands()
    for type_key, aliases in _ALIASES.items():
        for alias in aliases:
            commands[alias] = commands[_RENAMED.get(type_key, type_key.replace("_", "-"))]
    return commands


def _clean(text: str) -> str:
    """Docstring markup (``code``, *emphasis*, `refs`) as plain text."""
    text = re.sub(r"``(.*?)``", r"\1", text)
    text = re.sub(r"(?<![\w*])\*(\w[^*]*?)\*(?!\w)", r"\1", text)
    return re.sub(r":\w+:`(.*?)`|`(.*?)`", lambda m: m.group(1) or m.group(2), text)


def _escape(text: str) -> str:
    """*text* safe for argparse, which %-formats help strings."""
    return text.replace("%", "%%")


def _summary(cls: type[Any]) -> str:
    doc = inspect.cleandoc(cls.__doc__ or "")
    return _clean(doc.splitlines()[0]) if doc else cls.__name__


def _arg_docs(cls: type[Any]) -> dict[str, str]:
    """Parameter descriptions from the ``Args:`` section of the class docstring."""
    docs: dict[str, str] = {}
    lines = inspect.cleandoc(cls.__doc__ or "").splitlines()
    try:
        start = next(i for i, line in enumerate(lines) if line.strip() == "Args:")
    except StopIteration:
        return docs
    current = None
    for line in lines[start + 1 :]:
        if line.strip() and not line.startswith(" "):
            break
        match = re.match(r"^ {4}(\w+): ?(.*)$", line)
        if match:
            current = match.group(1)
            docs[current] = match.group(2).strip()
        elif current and line.strip():
            docs[current] += " " + line.strip()
    return {k: _clean(v) for k, v in docs.items()}


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {show(text)}") from None


def _integer(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        pass
    value = _number(text) if re.fullmatch(r"[\d.eE+_-]+", text) else math.nan
    if not value.is_integer():
        raise argparse.ArgumentTypeError(f"expected an integer, got {show(text)}")
    return int(value)


def _parser_for(tp: Any, name: str) -> tuple[Callable[[str], Any], str]:
    """A string parser and a metavar for a field annotated *tp*."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if shapes.Shape in args:
        return _shape, "SHAPE"
    if tp is float:
        return _number, "X"
    if tp is int:
        return _integer, "N"
    if tp is str:
        return str, "NAME"
    if origin in (typing.Union, types.UnionType) and type(None) in args:
        rest = [a for a in args if a is not type(None)]
        if len(rest) == 1:
            return _parser_for(rest[0], name)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        item, item_var = _parser_for(args[0], name)

        def parse_list(text: str) -> tuple[Any, ...]:
            parts = [p.strip() for p in text.split(",")] if text.strip() else []
            return tuple(item(p) for p in parts)

        return parse_list, f"{item_var},{item_var},..."
    if origin is tuple and args and Ellipsis not in args:
        parsers = [_parser_for(a, name) for a in args]

        def parse_tuple(text: str) -> tuple[Any, ...]:
            parts = text.split(":")
            if len(parts) != len(parsers):
                raise argparse.ArgumentTypeError(
                    f"expected {len(parsers)} values separated by ':', got {show(text)}"
                )
            return tuple(p(part.strip()) for (p, _), part in zip(parsers, parts, strict=True))

        return parse_tuple, ":".join(var for _, var in parsers)
    raise TypeError(f"no command-line syntax for parameter {name!r} of type {tp!r}")


def _shape(text: str) -> shapes.ShapeLike:
    """A shape: a name (``cosine``) or a class with parameters (``polynomial:power=2``)."""
    name, _, params = text.partition(":")
    name = name.strip().lower()
    if not params and name in shapes.NAMES:
        return name
    cls = registered_types().get(f"shape.{name}")
    if cls is None:
        known = sorted({*shapes.NAMES, "polynomial", "tanh", "rex"})
        raise argparse.ArgumentTypeError(
            f"unknown shape {text!r}; use one of {', '.join(known)} "
            "(parameters as NAME:KEY=VALUE,..., e.g. polynomial:power=2)"
        )
    kwargs: dict[str, float] = {}
    for part in filter(None, (p.strip() for p in params.split(","))):
        key, eq, value = part.partition("=")
        if not eq:
            raise argparse.ArgumentTypeError(f"expected KEY=VALUE in shape {text!r}, got {part!r}")
        kwargs[key.strip().replace("-", "_")] = _number(value)
    try:
        shape: shapes.Shape = cls(**kwargs)  # type: ignore[assignment]
        return shape
    except (TypeError, ValueError) as error:
        raise argparse.ArgumentTypeError(f"shape {text!r}: {error}") from None


_METAVARS = {"points": "STEP:LR,...", "milestones": "STEP,STEP,...", "boundaries": "STEP,STEP,..."}


def _add_parameters(parser: argparse.ArgumentParser, cls: type[Any], command: str) -> list[str]:
    """One option per constructor parameter of *cls*; returns the field names."""
    hints = typing.get_type_hints(cls, localns={"ShapeLike": shapes.ShapeLike})
    docs = _arg_docs(cls)
    group = parser.add_argument_group(f"parameters of {command}")
    names = []
    for field in attrs.fields(cls):
        if not field.init:
            continue
        name = field.name
        names.append(name)
        flag = "--" + name.replace("_", "-")
        tp = hints[name]
        help_text = docs.get(name, "")
        required = field.default is attrs.NOTHING
        if tp is bool:
            default = False if required else field.default
            group.add_argument(
                flag,
                dest=name,
                action=argparse.BooleanOptionalAction,
                default=default,
                help=_escape(f"{help_text} (default: {'on' if default else 'off'})"),
            )
            continue
        parse, metavar = _parser_for(tp, name)
        if metavar == "SHAPE":
            help_text += (
                " One of linear, cosine, sqrt, exponential, or a shape with parameters as"
                " NAME:KEY=VALUE,... (polynomial:power=2, cosine:exponent=2, tanh, rex:d=0.5)."
            )
        suffix = " (required)" if required else f" (default: {_show(field.default)})"
        if "(default:" in help_text:  # the docstring says what the default means
            suffix = ""
        group.add_argument(
            flag,
            dest=name,
            type=parse,
            metavar=_METAVARS.get(name, metavar),
            required=required,
            default=None if required else field.default,
            help=_escape((help_text + suffix).strip()),
        )
    return names


def _add_published(parser: argparse.ArgumentParser, type_key: str) -> None:
    """Options for the published spellings of *type_key* (lrsched 0.3 - 0.5; `lrsched._compat`).

    A renamed option no longer needs its modern spelling (either may be
    given; both is an error); a convention's options pass to the constructor.
    """
    row = _row(type_key)
    if row is None:
        return
    group = parser.add_argument_group(f"spellings of lrsched {row.release}")
    actions = {a.dest: a for a in parser._actions}
    if row.convention:  # the modern required options are checked after parsing
        for action in actions.values():
            action.required = False
    for old, new in sorted(row.renames.items()):
        modern = actions[new]
        modern.required = False
        group.add_argument(
            "--" + old.replace("_", "-"),
            dest=f"published_{old}",
            type=modern.type or str,
            metavar=modern.metavar,
            default=None,
            help=_escape(f"lrsched {row.release}'s spelling of --{new.replace('_', '-')}"),
        )
    for old in sorted(row.convention - actions.keys()):
        parse, metavar = (
            (_integer, "N")
            if old.endswith("steps")
            else (str, "NAME")
            if "shape" in old
            else (_number, "X")
        )
        group.add_argument(
            "--" + old.replace("_", "-"),
            dest=f"published_{old}",
            type=parse,
            metavar=metavar,
            default=None,
            help=_escape(f"lrsched {row.release}'s {old} (selects its curve; see migration.md)"),
        )


#: Subcommands whose published spellings are another constructor's (0.5's ``wsd`` options).
_CLI_ROWS = {"wsd": "warmup_stable_decay"}


def _row(type_key: str) -> Spelling | None:
    """The row of published spellings a subcommand takes."""
    row = SPELLINGS.get(_CLI_ROWS.get(type_key, type_key))
    return row if row is not None and row.type_name == type_key else None


def _published_kwargs(cls: type[Any], args: argparse.Namespace) -> tuple[Any, dict[str, Any]]:
    """The constructor and its arguments, with any published spelling the command line used."""
    fields = [f for f in attrs.fields(cls) if f.init]
    kwargs = {f.name: getattr(args, f.name) for f in fields}
    key = type_name_of(cls)
    row = _row(key)
    if row is None:
        return cls, kwargs
    given = {
        old: getattr(args, f"published_{old}")
        for old in row.published
        if getattr(args, f"published_{old}", None) is not None
    }
    if not given:
        missing = [f.name for f in fields if kwargs[f.name] is None and f.default is attrs.NOTHING]
        if missing:
            flags = ", ".join("--" + n.replace("_", "-") for n in missing)
            raise TypeError(f"the following arguments are required: {flags}")
        return cls, kwargs
    if given.keys() & row.convention:  # another curve: only the parameters it takes
        kwargs = {k: v for k, v in kwargs.items() if k in row.accepts}
    defaults = {f.name: f.default for f in fields}
    for old, new in row.renames.items():
        # the published spelling given, the modern one left at its default: not given
        if old in given and kwargs.get(new) in (None, defaults.get(new)):
            kwargs.pop(new, None)
    build = getattr(_compat, _CLI_ROWS.get(key, key))
    return build, {k: v for k, v in kwargs.items() if v is not None} | given


def _show(value: object) -> str:
    if isinstance(value, tuple):
        return ",".join(map(str, value))
    return "none" if value is None else str(value)


def type_name_of(cls: type[Any]) -> str:
    """The registered type name of a schedule class."""
    return class_type_name(cls) or cls.__name__


# -- shared options -----------------------------------------------------------------


def _positive_int(text: str) -> int:
    value = _integer(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be >= 1, got {value}")
    return value


#: The widest sparkline (columns).
MAX_WIDTH = 10_000


def _width(text: str) -> int:
    value = _positive_int(text)
    if value > MAX_WIDTH:
        raise argparse.ArgumentTypeError(f"must be <= {MAX_WIDTH}, got {value}")
    return value


def _count_int(text: str) -> int:
    value = _integer(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, got {value}")
    return value


_COMMON: list[tuple[tuple[str, ...], dict[str, Any]]] = [
    (
        ("--steps",),
        {
            "type": _count_int,
            "metavar": "N",
            "help": "number of steps to print (default: total_steps; required if unbounded)",
        },
    ),
    (
        ("--start",),
        {"type": _count_int, "metavar": "S", "default": 0, "help": "first step (default: 0)"},
    ),
    (
        ("--warmup-steps",),
        {
            "type": _count_int,
            "metavar": "W",
            "dest": "prepend_warmup",
            "help": "prepend a linear warmup of W steps",
        },
    ),
    (
        ("--warmup-start-lr",),
        {
            "type": _number,
            "metavar": "X",
            "default": 0.0,
            "help": "learning rate the warmup starts from (default: 0)",
        },
    ),
    (
        ("--scale",),
        {"type": _number, "metavar": "K", "help": "multiply every value (warmup included) by K"},
    ),
    (
        ("--format",),
        {
            "choices": ("lines", "csv", "json"),
            "default": "lines",
            "help": "output format: one value per line, csv with a step,lr header, "
            "or json (default: lines)",
        },
    ),
    (
        ("--sparkline",),
        {
            "action": "store_true",
            "default": False,
            "help": "print a one-line sparkline with min and max instead of values",
        },
    ),
    (
        ("--width",),
        {
            "type": _width,
            "metavar": "N",
            "default": 60,
            "help": f"sparkline columns, at most {MAX_WIDTH} (default: 60)",
        },
    ),
    (
        ("--svg",),
        {"metavar": "FILE", "help": "write an SVG plot to FILE ('-' for stdout) instead of values"},
    ),
]


def _add_common(parser: argparse.ArgumentParser, *, taken: Iterable[str] = (), sub: bool) -> None:
    group = parser.add_argument_group("output")
    taken = set(taken)
    skip_warmup = "warmup_steps" in taken  # the schedule has its own warmup parameter
    for flags, options in _COMMON:
        dest = options.get("dest", flags[0][2:].replace("-", "_"))
        if dest in taken or (skip_warmup and flags[0].startswith("--warmup")):
            continue
        options = dict(options, dest=dest)
        if sub:  # values given before the subcommand survive
            options["default"] = argparse.SUPPRESS
        group.add_argument(*flags, **options)


def _defaults() -> dict[str, Any]:
    out: dict[str, Any] = {}
    for flags, options in _COMMON:
        dest = options.get("dest", flags[0][2:].replace("-", "_"))
        out[dest] = options.get("default")
    return out


_SUBPARSERS: dict[str, argparse.ArgumentParser] = {}


def _unrecognized(parser: argparse.ArgumentParser, command: str | None, extras: list[str]) -> str:
    """One line about the first argument no option took, with the likely fix."""
    prog = f"lrsched {command}" if command else "lrsched"
    first = extras[0]
    name = first.split("=", 1)[0]
    if name == "--config" and command:
        return (
            f"{prog}: error: --config replaces the schedule name: run "
            f"`lrsched --config FILE.json ...` without {command!r}"
        )
    if not first.startswith("-"):
        return (
            f"{prog}: error: unexpected value {first!r} "
            "(give each option one value; lists are comma lists, e.g. --milestones 30,60,90)"
        )
    sub = _SUBPARSERS.get(command or "", parser)
    flags = [f for action in sub._actions for f in action.option_strings if f.startswith("--")]
    close = difflib.get_close_matches(name, flags, n=1)
    hint = f"; did you mean {close[0]}?" if close else f" (`{prog} --help` lists the options)"
    return f"{prog}: error: unrecognized argument {name}{hint}"


def _flags(message: str, names: Iterable[str], renames: Mapping[str, str] | None = None) -> str:
    """*message* with parameter names (``'start_lr'``) written as the flags that set them."""
    table = {n: "--" + n.replace("_", "-") for n in names} | dict(renames or {})
    return re.sub(r"'(\w+)'", lambda m: table.get(m.group(1), m.group(0)), message)


@functools.cache
def _build_parser() -> _Parser:
    # Built once per process: parsing does not change an ArgumentParser.
    parser = _Parser(
        prog="lrsched",
        description="Print, sparkline or plot a learning-rate schedule.",
        epilog="Run `lrsched SCHEDULE --help` for a schedule's parameters. "
        "List parameters are comma lists: --milestones 30,60,90, --points 0:0,100:1e-3.",
    )
    parser.add_argument(
        "--config",
        metavar="FILE.json",
        help="build the schedule from a state_dict JSON file (instead of a SCHEDULE name)",
    )
    from . import __version__

    parser.add_argument("--version", action="version", version=f"lrsched {__version__}")
    _add_common(parser, sub=False)
    _add_total(parser)
    subparsers = parser.add_subparsers(dest="command", metavar="SCHEDULE", title="schedules")
    for command, cls in leaf_commands().items():
        key = type_name_of(cls)
        sub = subparsers.add_parser(
            command,
            aliases=_ALIASES.get(key, []),
            help=_escape(_summary(cls)),
            description=_escape(_summary(cls)),
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        sub.set_defaults(schedule_class=cls)
        _SUBPARSERS[command] = sub
        names = _add_parameters(sub, cls, command)
        _add_published(sub, key)
        _add_common(sub, taken=names, sub=True)
    describe = subparsers.add_parser(
        "describe",
        help="print a config's tree, total_steps and values at its phase boundaries",
        description="Print the tree of a schedule, its total_steps and its values at the "
        "phase boundaries.",
    )
    describe.add_argument(
        "--config", metavar="FILE.json", required=True, help="a state_dict JSON file"
    )
    _add_total(describe)
    return parser


def _add_total(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--total-steps",
        dest="plan_total_steps",
        metavar="N",
        type=_positive_int,
        help="resolve a config's durations given as shares of the training "
        "(lrsched.share, rest) over N optimizer updates",
    )


def _resolve_plan(schedule: Any, args: argparse.Namespace, prog: str) -> Any:
    """A config's plan resolved with --total-steps; a config without shares as it is."""
    from ._plans import Plan

    total = getattr(args, "plan_total_steps", None)
    if not isinstance(schedule, Plan):
        return schedule if total is None else schedule.over(total_steps=total)
    if total is None:
        raise _UsageError(
            f"{prog}: error: the config holds durations given as shares of the training; "
            "pass --total-steps N (the number of optimizer updates) to resolve them"
        )
    try:
        return schedule.over(total_steps=total)
    except (TypeError, ValueError) as error:
        raise _UsageError(f"{prog}: error: --total-steps {total}: {error}") from None


# -- building the schedule --------------------------------------------------------


#: The largest config file read (bytes): ``--config /dev/zero`` stops here.
MAX_CONFIG_BYTES = 16 * 2**20


def _read_config(path: str) -> Any:
    try:
        with open(path, "rb") as file:
            raw = file.read(MAX_CONFIG_BYTES + 1)
    except OSError as error:
        raise _UsageError(
            f"lrsched: error: cannot read config {path}: {error.strerror or error}"
        ) from None
    if len(raw) > MAX_CONFIG_BYTES:
        raise _UsageError(
            f"lrsched: error: config {path} is larger than {MAX_CONFIG_BYTES >> 20} MiB"
        )
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise _UsageError(f"lrsched: error: config {path} is not UTF-8 text") from None
    except ValueError as error:  # JSONDecodeError, or an int of more than 4300 digits
        raise _UsageError(f"lrsched: error: config {path} is not valid JSON: {error}") from None
    except RecursionError:
        raise _UsageError(f"lrsched: error: config {path} is nested too deeply") from None
    data = _schedule_state_of(data, path)
    try:
        return from_state_dict(data)
    except (TypeError, ValueError, RecursionError) as error:
        raise _UsageError(f"lrsched: error: invalid config {path}: {error}") from None


def _schedule_state_of(data: Any, path: str) -> Any:
    """The schedule state in *data*: a schedule's own, or a checkpoint's (said on stderr).

    A `Stepper` or `ReduceOnPlateau` state (``{"version": .., "step": ..,
    "schedule": {...}}``) and a ``lrsched.torch.LRScheduler`` state
    (``{"stepper": {...}}``) are what training saves; their schedule is used.
    """
    holder = data
    if isinstance(holder, dict) and isinstance(holder.get("stepper"), dict):
        holder = holder["stepper"]  # a torch adapter's state
    if (
        isinstance(holder, dict)
        and "type" not in holder
        and isinstance(holder.get("schedule"), dict)
        and "step" in holder
    ):
        step = holder["step"]
        at = f" at step {step}" if type(step) is int else ""
        _say(f"lrsched: note: {path} is a checkpoint{at}; using the schedule it holds")
        return holder["schedule"]
    return data


def _schedule_from(args: argparse.Namespace, prog: str) -> Any:
    cls = getattr(args, "schedule_class", None)
    if cls is None:
        if args.config is None:
            raise _UsageError(
                "lrsched: error: choose a SCHEDULE or pass --config FILE.json "
                "(`lrsched --help` lists the schedules)"
            )
        return _read_config(args.config)
    try:
        build, kwargs = _published_kwargs(cls, args)
        return build(**kwargs)
    except (TypeError, ValueError) as error:
        names = [f.name for f in attrs.fields(cls) if f.init]
        raise _UsageError(f"{prog}: error: {_flags(str(error), names)}") from None


def _finish(schedule: Any, args: argparse.Namespace, prog: str) -> Any:
    """Apply --warmup-steps and --scale."""
    warmup_steps = getattr(args, "prepend_warmup", None)
    start_lr = getattr(args, "warmup_start_lr", 0.0)
    try:
        if warmup_steps is None:
            if start_lr != 0.0:
                raise ValueError("--warmup-start-lr needs --warmup-steps")
        else:
            schedule = with_warmup(schedule, warmup_steps=warmup_steps, start_lr=start_lr)
        if args.scale is not None:
            schedule = args.scale * schedule
    except (TypeError, ValueError) as error:
        message = _flags(
            str(error),
            (),
            {
                "start_lr": "--warmup-start-lr",
                "warmup_steps": "--warmup-steps",
                "factor": "--scale",
            },
        )
        raise _UsageError(f"{prog}: error: {message.replace('scale factor', '--scale')}") from None
    return schedule


# -- output -------------------------------------------------------------------------


def _finite(values: Iterable[Any], start: int, prog: str) -> Iterable[Any]:
    """*values*, stopping with a usage error at the first value that is not finite."""
    for t, value in enumerate(values, start):
        numbers = value.values() if isinstance(value, Mapping) else (value,)
        if not all(math.isfinite(v) for v in numbers):
            raise _UsageError(
                f"{prog}: error: the value at step {t} is not finite ({_show_value(value)}); "
                "the parameters are too large together"
            )
        yield value


def _lines(values: Iterable[Any]) -> Iterable[str]:
    for value in values:
        if isinstance(value, Mapping):
            yield " ".join(f"{k}={v!r}" for k, v in value.items()) + "\n"
        else:
            yield f"{value!r}\n"


def _csv(values: Iterable[Any], start: int, names: Sequence[str] | None) -> Iterable[str]:
    yield "step," + (",".join(names) if names else "lr") + "\n"
    for t, value in enumerate(values, start):
        if isinstance(value, Mapping):
            yield f"{t}," + ",".join(repr(v) for v in value.values()) + "\n"
        else:
            yield f"{t},{value!r}\n"


def _json(values: Iterable[Any], start: int) -> Iterable[str]:
    yield "["
    for t, value in enumerate(values, start):
        sep = "," if t > start else ""
        lr = dict(value) if isinstance(value, Mapping) else value
        yield f"{sep}\n  {json.dumps({'step': t, 'lr': lr})}"
    yield "\n]\n"


def _write(out: TextIO, chunks: Iterable[str]) -> None:
    buffer: list[str] = []
    for chunk in chunks:
        buffer.append(chunk)
        if len(buffer) >= 4096:
            out.write("".join(buffer))
            buffer.clear()
    out.write("".join(buffer))


def _describe_name(schedule: Any) -> str:
    """The root of *schedule* as ``type(param=value, ...)`` (its children are in the tree)."""
    return _tree.node_name(schedule)


def _show_value(value: Any) -> str:
    if isinstance(value, Mapping):
        return " ".join(f"{k}={v!r}" for k, v in value.items())
    return repr(value)


def _describe(schedule: Any) -> Iterable[str]:
    yield _tree.describe(schedule) + "\n"
    total = schedule.total_steps
    yield f"total_steps: {total if total is not None else 'None (unbounded)'}\n"
    rows: list[tuple[int, str]] = [(0, "start"), *boundaries(schedule)]
    if total is not None:
        rows = [(t, label) for t, label in rows if t < total]
        if total >= 1:
            rows.append((total - 1, "last step"))
        rows.append((total, "end, held after"))
    seen: set[int] = set()
    yield "values at phase boundaries:\n"
    width = max(len(str(t)) for t, _ in rows)
    for step, label in rows:
        if step in seen:
            continue
        seen.add(step)
        yield f"  step {step:>{width}}  {_show_value(schedule(step))}  ({label})\n"


def _sparkline_lines(schedule: Any, steps: int, start: int, width: int) -> Iterable[str]:
    """The sparkline, each row with its range, and what a column stands for."""
    spark = _spark(schedule, steps, width, start)
    about = "~" if spark.sampled else ""
    for row, name in zip(spark.rows, spark.names, strict=True):
        lo, hi = spark.bounds[name]
        yield f"{row}  min {about}{lo!r}  max {about}{hi!r}\n"
    if spark.per_column > 1:
        what = "a sample of 512 of" if spark.sampled else "its"
        yield (
            f"(each column is the mean of {what} {spark.per_column} steps"
            + ("; ~: range of the sampled steps)\n" if spark.sampled else ")\n")
        )


def _hyphenated(argv: Sequence[str]) -> list[str]:
    """Options as the parser spells them: ``--total_steps`` (a Python keyword) is ``--total-steps``.

    Examples:
        >>> _hyphenated(["cosine", "--total_steps", "10", "--base_lr=0.1", "--svg", "a_b.svg"])
        ['cosine', '--total-steps', '10', '--base-lr=0.1', '--svg', 'a_b.svg']
        >>> _hyphenated(["--steps", "3", "--", "--x_y"])
        ['--steps', '3', '--', '--x_y']
        >>> _hyphenated(["cosine_restarts", "--help"])
        ['cosine-restarts', '--help']
    """
    out, options = [], True
    for arg in argv:
        if arg == "--":  # what follows is not options
            options = False
        elif options and arg.startswith("--"):
            name, eq, value = arg.partition("=")
            arg = name.replace("_", "-") + eq + value
        elif options and "_" in arg and arg.replace("_", "-") in _commands():
            arg = arg.replace("_", "-")  # a schedule's Python name: step_decay is step-decay
        out.append(arg)
    return out


def _run(argv: Sequence[str] | None, out: TextIO) -> int:
    parser = _build_parser()
    tokens = _hyphenated(sys.argv[1:] if argv is None else argv)
    command = next((t for t in tokens if t in _commands()), None)
    if command is not None and any(
        t == "--config" or t.startswith("--config=") for t in tokens[tokens.index(command) :]
    ):
        raise _UsageError(_unrecognized(parser, command, ["--config"]))
    try:
        args, extras = parser.parse_known_args(tokens)
    except SystemExit as exit_:  # --help, --version
        return exit_.code if isinstance(exit_.code, int) else 0
    if extras:
        raise _UsageError(_unrecognized(parser, getattr(args, "command", None), extras))
    args_dict = _defaults()
    args_dict.update(vars(args))
    args = argparse.Namespace(**args_dict)
    command = args.command
    prog = f"lrsched {command}" if command else "lrsched"
    if command == "describe":
        _write(out, _describe(_resolve_plan(_read_config(args.config), args, prog)))
        return 0
    if command and args.config is not None:
        raise _UsageError(f"{prog}: error: pass either a SCHEDULE or --config, not both")
    schedule = _schedule_from(args, prog)
    if command is None:
        schedule = _resolve_plan(schedule, args, prog)
    schedule = _finish(schedule, args, prog)
    steps = args.steps
    if steps is None:
        total = schedule.total_steps
        if total is None:
            raise _UsageError(
                f"{prog}: error: --steps N is required: "
                "this schedule has no end (total_steps is None)"
            )
        steps = total
    start = args.start
    if args.format != "lines" and (args.svg is not None or args.sparkline):
        raise _UsageError(
            f"{prog}: error: --format {args.format} formats printed values; "
            "it does not apply to --sparkline or --svg"
        )
    if args.svg is not None:
        if steps < 1:
            raise _UsageError(f"{prog}: error: --svg needs --steps >= 1")
        svg = to_svg(schedule, steps, start=start, title=_tree.expression(schedule, 120))
        if args.svg == "-":
            out.write(svg)
        else:
            try:
                with open(args.svg, "w", encoding="utf-8") as file:
                    file.write(svg)
            except OSError as error:
                raise _UsageError(
                    f"{prog}: error: cannot write {args.svg}: {error.strerror or error}"
                ) from None
    if args.sparkline:
        if steps < 1:
            raise _UsageError(f"{prog}: error: --sparkline needs --steps >= 1")
        _write(out, _sparkline_lines(schedule, steps, start, args.width))
    if args.svg is not None or args.sparkline:
        return 0
    values = _finite((schedule(t) for t in range(start, start + steps)), start, prog)
    names = getattr(schedule, "groups", None)
    if args.format == "csv":
        _write(out, _csv(values, start, names))
    elif args.format == "json":
        _write(out, _json(values, start))
    else:
        _write(out, _lines(values))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with *argv* (default ``sys.argv[1:]``); return the exit status.

    Examples:
        >>> main(["linear", "--start-lr", "1", "--end-lr", "0", "--total-steps", "4"])
        1.0
        0.75
        0.5
        0.25
        0
    """
    out = sys.stdout
    if out is None:  # started with stdout closed (`lrsched ... >&-`)
        _say("lrsched: error: cannot write output: stdout is closed")
        return _EXIT_OUTPUT
    try:
        status = _run(argv, out)
        out.flush()
        return status
    except _UsageError as error:
        _say(" ".join(str(error).split("\n")))
        return _EXIT_USAGE
    except BrokenPipeError:
        # The reader went away (`lrsched ... | head`): stop quietly, as Unix tools do.
        _silence_stdout()
        return 0
    except OSError as error:
        # Writing the output failed (a full disk, `> /dev/full`): one line, status 1.
        _silence_stdout()
        _say(f"lrsched: error: cannot write output: {error.strerror or error}")
        return _EXIT_OUTPUT
    except (ArithmeticError, RecursionError, ValueError) as error:
        # Values past what floats hold (e.g. a 400-digit --start): one line, never a traceback.
        _say(f"lrsched: error: {' '.join(str(error).split())}")
        return _EXIT_USAGE
    except MemoryError:
        _say("lrsched: error: out of memory")
        return _EXIT_USAGE
    except KeyboardInterrupt:
        return 130


def _say(line: str) -> None:
    """Print one line on stderr, if there is a stderr to print on."""
    try:
        if sys.stderr is not None:
            print(line, file=sys.stderr)
    except (OSError, ValueError):
        pass


def _silence_stdout() -> None:
    # Point stdout at devnull, so that the interpreter's final flush of what is
    # still buffered does not fail (and print a traceback) again.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (AttributeError, OSError, ValueError):
        pass


def run(argv: Sequence[str]) -> int:
    """The command line as a function: print the output, return the exit status.

    The name lrsched 0.3 published (``lrsched.cli.run``); the same as `main`.

    Examples:
        >>> run(["constant", "--lr", "0.5", "--steps", "2"])
        0.5
        0.5
        0
    """
    return main(argv)
