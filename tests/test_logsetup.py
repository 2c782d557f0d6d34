"""The log file of the entry points: configured once however often it is asked for."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from auditor.logsetup import configure_logging


@pytest.fixture
def root_logger() -> Iterator[logging.Logger]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield root
    for handler in root.handlers:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


def test_configuring_twice_adds_one_log_file(
    root_logger: logging.Logger, private_folders: Path
) -> None:
    before = len(root_logger.handlers)
    first = configure_logging()
    second = configure_logging()
    assert first is not None and first == second
    assert first.name == "auditor.log" and private_folders in first.parents
    assert len(root_logger.handlers) == before + 1
    logging.getLogger("auditor.test").info("written once")
    for handler in root_logger.handlers:
        handler.flush()
    assert first.read_text(encoding="utf-8").count("written once") == 1
