"""Hostile or accidental junk in content files: always a ContentError, fast, never a crash."""

from __future__ import annotations

import os
import random
import time
from pathlib import Path

import pytest
import yaml

from bot.content import ContentError, load_content
from bot.contentschema import yamlread
from bot.contentschema.yamlread import MAX_FILE_BYTES
from tests.content.conftest import write_content

BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def deep_block(levels: int) -> str:
    return "".join("  " * depth + f"k{depth}:\n" for depth in range(levels)) + \
        "  " * levels + "leaf\n"


def junk(seed: int, size: int) -> bytes:
    rng = random.Random(seed)
    return bytes(rng.randrange(256) for _ in range(size))


HOSTILE: dict[str, tuple[str | bytes, int | None, str]] = {
    # name: (content of modules/m.yaml, expected line or None, expected message)
    "alias bomb": (BILLION_LAUGHS, 2, "aliases (*a) are not allowed"),
    # libyaml stops this itself (a syntax error); the pure-Python parser hits our depth limit
    "deep flow nesting": ("[" * (MAX_FILE_BYTES - 10), 1, "YAML syntax error|nested too deeply"),
    "deep block nesting": (deep_block(200), 25, "nested too deeply"),
    "too many nodes": ("- a\n" * 240_000, 50_000, "too many entries"),
    "many duplicate keys": ("id: m\n" * 150_000, 2, "duplicate key"),
    "binary junk": (junk(1, 4096), None, ""),
    "invalid utf-8": (b"id: m\nsession: \xff\xfe\n", 2, "not valid UTF-8"),
    "nul byte": ("id: m\n\x00\n", 2, "control character"),
    "python tag": ("id: !!python/object/apply:os.system [echo hi]\n", 1,
                   "tags like tag:yaml.org,2002:python/object/apply:os.system"),
    "top level scalar": ("just some text\n", 1, "expected a mapping"),
    "two documents": ("id: m\n---\nid: n\n", 2, "only one YAML document"),
    "one huge string": ("id: m\ntitle: {id: " + "x" * 900_000 + ", en: y}\n", 2, "too long"),
}


@pytest.fixture(params=["libyaml", "pure-python"])
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run with the C parser (when installed) and with PyYAML's pure-Python fallback."""
    if request.param == "pure-python":
        monkeypatch.setattr(yamlread, "_LOADER", yaml.SafeLoader)
    elif not yaml.__with_libyaml__:
        pytest.skip("libyaml not installed")
    return str(request.param)


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_module_file_is_refused_quickly(tmp_path: Path, name: str, parser: str) -> None:
    body, line, message = HOSTILE[name]
    root = write_content(tmp_path / "content", {"modules/m.yaml": body})
    started = time.perf_counter()
    with pytest.raises(ContentError) as caught:
        load_content(root)
    # not a performance target (bench/ measures those): a guard against a hang; a blow-up
    # (quadratic keys, an alias bomb) takes minutes, the refusal a second or two
    assert time.perf_counter() - started < 15.0
    mine = [p for p in caught.value.problems if p.file == "modules/m.yaml"]
    assert mine, str(caught.value)
    if message:
        hit = [p for p in mine
               if any(alt in f"{p.path}: {p.message}" for alt in message.split("|"))]
        assert hit, str(caught.value)
        if line is not None:
            assert hit[0].line == line, str(hit[0])
    assert len(str(caught.value).splitlines()) <= 300


def test_fifty_megabytes_is_refused_before_parsing(tmp_path: Path) -> None:
    root = write_content(tmp_path / "content")
    with (root / "modules" / "big.yaml").open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: 50 MB of NUL bytes
    started = time.perf_counter()
    with pytest.raises(ContentError) as caught:
        load_content(root)
    # not a performance target (bench/ measures those): a guard against a hang; a blow-up
    # (quadratic keys, an alias bomb) takes minutes, the refusal a second or two
    assert time.perf_counter() - started < 15.0
    assert "modules/big.yaml: file too large (52,428,800 bytes" in str(caught.value)


def test_fifo_and_folder_named_like_yaml_do_not_block(tmp_path: Path) -> None:
    root = write_content(tmp_path / "content")
    (root / "modules" / "folder.yaml").mkdir()
    if hasattr(os, "mkfifo"):
        os.mkfifo(root / "modules" / "pipe.yaml")
    started = time.perf_counter()
    with pytest.raises(ContentError) as caught:
        load_content(root)
    # not a performance target (bench/ measures those): a guard against a hang; a blow-up
    # (quadratic keys, an alias bomb) takes minutes, the refusal a second or two
    assert time.perf_counter() - started < 15.0
    text = str(caught.value)
    assert "modules/folder.yaml: not a regular file" in text
    if hasattr(os, "mkfifo"):
        assert "modules/pipe.yaml: not a regular file" in text


def test_symlink_to_a_device_is_not_read(tmp_path: Path) -> None:
    root = write_content(tmp_path / "content")
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    (root / "modules" / "zero.yaml").symlink_to("/dev/zero")
    with pytest.raises(ContentError) as caught:
        load_content(root)
    assert "modules/zero.yaml: not a regular file" in str(caught.value)


@pytest.mark.parametrize("seed", range(20))
def test_random_bytes_in_every_kind_of_file(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    target = rng.choice(["modules/m.yaml", "safety.yaml", "locales/id.yaml",
                         "questionnaires/q.yaml"])
    root = write_content(tmp_path / "content", {target: junk(seed, rng.randrange(1, 3000))})
    with pytest.raises(ContentError) as caught:
        load_content(root)
    assert any(p.file == target for p in caught.value.problems)
