"""What the engine's tests share: a generated repository's tasks."""

import os

import pytest

from helpers import bench_generator
from tbtrack.files.records import Task
from tbtrack.files.registry import Registry
from tbtrack.loading.dataset import WorkingTree, load_dataset

THOROUGH = os.environ.get("TBTRACK_HYPOTHESIS") == "thorough"


@pytest.fixture(scope="package")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Registry, list[Task]]:
    """The tasks of a synthetic repository (benchmarks/generate.py) of 80 notices' tasks,
    300 with the thorough profile, read without a cache."""
    root = tmp_path_factory.mktemp("generated") / "root"
    bench_generator().generate(root, 300 if THOROUGH else 80, 5, None)
    data = load_dataset(root, WorkingTree(root, use_cache=False))
    return data.registry, [t.task for t in data.tasks]
