"""Load and validate the content folder into frozen dataclasses.

    content = load_content(default_content_dir())   # raises ContentError listing every problem
    content.exercise("abdominal-breathing").body.timings.cycles

Layout of a content folder (see docs/writing-content.md)::

    modules/<module-id>.yaml         one per group session, with its exercises
    questionnaires/<id>.yaml         pre/post and weekly instruments (optional folder)
    safety.yaml                      crisis phrases, support message, grounding, resources
    locales/id.yaml, locales/en.yaml UI strings

Every problem in every file is collected before anything is raised; each names the file, the
line and the field path. Files are read with hostile input in mind (see
``bot.contentschema.yamlread``).
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Mapping
from pathlib import Path

import bot
from bot.contentschema.locales import check_locales, flatten
from bot.contentschema.modules import read_module
from bot.contentschema.problems import ContentError, Doc, Problem
from bot.contentschema.questionnaires import read_instrument
from bot.contentschema.safety import normalise, read_safety
from bot.contentschema.yamlread import read_yaml
from bot.core.content import Content
from bot.core.content.exercises import (
    Builder,
    Category,
    Exercise,
    ExerciseKind,
    FollowUp,
    Frequency,
    Module,
    PacedBreathing,
    Priority,
    Quiz,
    QuizItem,
    Reminder,
    Schedule,
    ThoughtRecord,
    Timings,
)
from bot.core.content.questionnaires import (
    Instrument,
    Item,
    ReliableChange,
    ResponseOption,
    Scoring,
    Subscale,
)
from bot.core.content.safety import Resource, Safety, SafetyCategory
from bot.core.content.texts import LANGUAGES, Field, InputType, Option, Step, Text

__all__ = [
    "Builder", "Category", "Content", "ContentError", "Exercise", "ExerciseKind", "Field",
    "FollowUp", "Frequency", "InputType", "Instrument", "Item", "Module", "Option",
    "PacedBreathing", "Priority", "Problem", "Quiz", "QuizItem", "ReliableChange", "Reminder",
    "Resource", "ResponseOption", "Safety", "SafetyCategory", "Schedule", "Scoring", "Step",
    "Subscale", "Text", "ThoughtRecord", "Timings", "default_content_dir", "load_content",
    "normalise",
]

MAX_FILES_PER_FOLDER = 100
MAX_PROBLEMS_PER_FILE = 100
FOLDERS = ("modules", "questionnaires", "locales")


def default_content_dir() -> Path:
    """The shipped content: ``content/`` next to ``bot/`` in a checkout, else ``bot/_content``."""
    package = Path(bot.__file__).resolve().parent
    checkout = package.parent / "content"
    if (checkout / "modules").is_dir():
        return checkout
    return package / "_content"


def load_content(content_dir: Path) -> Content:
    """Read and check every content file; raise ContentError listing all problems."""
    content_dir = Path(content_dir)
    loader = _Loader(content_dir)
    content = loader.load()
    if loader.problems or content is None:
        raise ContentError(_capped(loader.problems), content_dir)
    return content


def load_content_or_report(content_dir: Path | None) -> Content | None:
    """Load content; on problems print them all and return None."""
    folder = content_dir or default_content_dir()
    try:
        return load_content(folder)
    except ContentError as exc:
        print(f"The content in {folder} has problems:\n{exc}", file=sys.stderr)
        return None


def load_locales(content_dir: Path) -> Mapping[str, Mapping[str, str]]:
    """Only the UI strings (for the CLI's messages); problems leave keys visible."""
    return _Loader(Path(content_dir)).load_locales()


def _capped(problems: list[Problem]) -> list[Problem]:
    """At most MAX_PROBLEMS_PER_FILE per file, then one line saying how many more."""
    kept: list[Problem] = []
    extra: dict[str, int] = {}
    per_file: dict[str, int] = {}
    for problem in problems:
        per_file[problem.file] = per_file.get(problem.file, 0) + 1
        if per_file[problem.file] <= MAX_PROBLEMS_PER_FILE:
            kept.append(problem)
        else:
            extra[problem.file] = extra.get(problem.file, 0) + 1
    kept.extend(Problem(file, None, "", f"... and {count} more problems in this file")
                for file, count in extra.items())
    return kept


class _Loader:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []
        self.hash = hashlib.sha256()

    def problem(self, file: str, message: str) -> None:
        self.problems.append(Problem(file, None, "", message))

    def yaml_files(self, folder: str) -> list[Path]:
        """The .yaml files of a folder, sorted; other files are ignored, .yml is reported."""
        base = self.root / folder
        if not base.is_dir():
            return []
        try:
            names = sorted(entry.name for entry in os.scandir(base))
        except OSError as exc:
            self.problem(folder + "/", f"cannot list the folder: {exc.strerror or exc}")
            return []
        paths = []
        for name in names:
            if name.startswith("."):
                continue
            if name.endswith(".yml"):
                self.problem(f"{folder}/{name}", "rename to .yaml (files ending in .yml are "
                                                 "not read)")
            elif name.endswith(".yaml"):
                paths.append(base / name)
        if len(paths) > MAX_FILES_PER_FOLDER:
            self.problem(folder + "/", f"too many files ({len(paths)}; at most "
                                       f"{MAX_FILES_PER_FOLDER})")
            return paths[:MAX_FILES_PER_FOLDER]
        return paths

    def read(self, path: Path) -> tuple[Doc, object] | None:
        rel = path.relative_to(self.root).as_posix()
        parsed = read_yaml(path, rel, self.problems)
        if parsed is None:
            return None
        self.hash.update(rel.encode() + b"\0" + parsed.data + b"\0")
        return Doc(rel, parsed.lines, self.problems), parsed.value

    def load(self) -> Content | None:
        if not self.root.is_dir():
            self.problem(str(self.root), "content folder not found")
            return None
        self.check_top_level()
        modules = self.load_modules()
        safety = self.load_safety()
        instruments = self.load_instruments()
        locales = self.load_locales()
        if safety is None:
            return None
        return Content(self.hash.hexdigest()[:12], modules, safety, instruments, locales,
                       str(self.root))

    def check_top_level(self) -> None:
        try:
            names = sorted(entry.name for entry in os.scandir(self.root))
        except OSError as exc:
            self.problem(".", f"cannot list the content folder: {exc.strerror or exc}")
            return
        for name in names:
            if name.endswith((".yaml", ".yml")) and name != "safety.yaml":
                self.problem(name, "unknown file here: modules go in modules/, questionnaires "
                                   "in questionnaires/, UI strings in locales/")
        if not (self.root / "modules").is_dir():
            self.problem("modules/", "missing folder (it holds one .yaml file per module)")

    def load_modules(self) -> tuple[Module, ...]:
        modules = []
        for path in self.yaml_files("modules"):
            read = self.read(path)
            if read is not None:
                modules.append(read_module(read[0], read[1], path.stem))
        if not modules and (self.root / "modules").is_dir():
            self.problem("modules/", "no module files (.yaml)")
        self.check_ids(modules)
        return tuple(sorted(modules, key=lambda m: (m.session, m.id)))

    def check_ids(self, modules: list[Module]) -> None:
        """Module and exercise ids are unique across files; builds_on names known exercises."""
        seen_modules: dict[str, str] = {}
        seen: dict[str, str] = {}
        for module in modules:
            if module.id in seen_modules:
                self.problem(module.file, f"module id {module.id!r} is also used in "
                                          f"{seen_modules[module.id]}")
            seen_modules.setdefault(module.id, module.file)
            for exercise in module.exercises:
                if exercise.id in seen and seen[exercise.id] != module.file:
                    self.problem(module.file, f"exercise id {exercise.id!r} is also used in "
                                              f"{seen[exercise.id]}")
                seen.setdefault(exercise.id, module.file)
        for module in modules:
            for exercise in module.exercises:
                for other in exercise.builds_on:
                    if other == exercise.id:
                        self.problem(module.file, f"exercise {exercise.id!r} builds_on itself")
                    elif other and other not in seen:
                        self.problem(module.file, f"exercise {exercise.id!r} builds_on "
                                                  f"{other!r}, which is not an exercise id")

    def load_safety(self) -> Safety | None:
        path = self.root / "safety.yaml"
        if not path.exists():
            self.problem("safety.yaml", "missing (crisis phrases and support resources)")
            return None
        read = self.read(path)
        return read_safety(read[0], read[1]) if read is not None else None

    def load_instruments(self) -> tuple[Instrument, ...]:
        instruments = []
        for path in self.yaml_files("questionnaires"):
            read = self.read(path)
            if read is not None:
                instrument = read_instrument(read[0], read[1], path.stem)
                if instrument is not None:
                    instruments.append(instrument)
        return tuple(instruments)

    def load_locales(self) -> Mapping[str, Mapping[str, str]]:
        docs: dict[str, Doc] = {}
        tables: dict[str, dict[str, str]] = {}
        unreadable: set[str] = set()
        for path in self.yaml_files("locales"):
            lang = path.stem
            if lang not in LANGUAGES:
                self.problem(f"locales/{path.name}", "unknown language; expected "
                             + " and ".join(f"{code}.yaml" for code in LANGUAGES))
                continue
            read = self.read(path)
            if read is None:
                unreadable.add(lang)
            else:
                docs[lang] = read[0]
                tables[lang] = flatten(read[0], read[1])
        return check_locales(docs, tables, self.problems, unreadable)
