"""Read a generated ChatGPT export with the chat-export reader vs bare ijson on the same file.

The baseline only builds each conversation object (no detection, no thread rules, no values), so
the ratio shows what detection, the thread walk and text extraction cost. A last run of the
reader under tracemalloc gives its peak memory against the file size.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import tracemalloc
from pathlib import Path

import ijson

from nexus.conversations.infrastructure.chat_exports import read_chat_export

from .common import console, interleaved, report

WORDS = ("the", "of", "and", "a", "to", "in", "is", "you", "that", "it", "was", "for", "on")


def _node(cid: str, position: int, parent: str) -> dict[str, object]:
    text = " ".join(WORDS[(position + k) % len(WORDS)] for k in range(20 + position % 80))
    key = f"{cid}-{position}"
    message = {
        "id": key,
        "author": {"role": "user" if position % 2 == 0 else "assistant", "metadata": {}},
        "create_time": 1.7e9 + position,
        "content": {"content_type": "text", "parts": [text]},
        "status": "finished_successfully",
        "weight": 1.0,
        "metadata": {"model_slug": "gpt-4o", "request_id": "r" * 20},
        "recipient": "all",
    }
    return {"id": key, "message": message, "parent": parent, "children": []}


def _write(path: Path, conversations: int, messages: int) -> int:
    with path.open("w", encoding="utf-8") as out:
        out.write("[")
        for number in range(conversations):
            cid = f"conv-{number}"
            mapping = {f"{cid}-root": {"id": f"{cid}-root", "message": None, "children": []}}
            parent = f"{cid}-root"
            for position in range(messages):
                node = _node(cid, position, parent)
                mapping[parent]["children"] = [node["id"]]
                parent = str(node["id"])
                mapping[parent] = node
            conversation = {"id": cid, "title": cid, "current_node": parent, "mapping": mapping}
            out.write(("," if number else "") + json.dumps(conversation))
        out.write("]")
    return path.stat().st_size


def _bare(path: Path) -> None:
    with path.open("rb") as stream:
        for _ in ijson.items(stream, "item", use_float=True):
            pass


def _reader(path: Path) -> None:
    for _ in read_chat_export(path):
        pass


def run(*, quick: bool = False) -> None:
    conversations, messages = (300, 30) if quick else (6_000, 30)
    workdir = Path(tempfile.mkdtemp(prefix="nexus-bench-chat-"))
    try:
        path = workdir / "conversations.json"
        size = _write(path, conversations, messages)
        medians = interleaved(
            {"bare ijson.items": lambda: _bare(path), "read_chat_export": lambda: _reader(path)},
            repetitions=3 if quick else 5,
        )
        report(
            f"Reading a {size / 1e6:.0f} MB ChatGPT export",
            medians,
            baseline="bare ijson.items",
            operations=conversations * messages,
            unit="messages",
        )
        tracemalloc.start()
        _reader(path)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        console.print(f"reader peak traced memory {peak / 1e6:.1f} MB, file {size / 1e6:.0f} MB")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
