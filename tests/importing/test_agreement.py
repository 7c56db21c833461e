"""The importer against hand transcriptions, assignment by assignment (SPEC 10)."""

from __future__ import annotations

from pathlib import Path

from helpers import NOTICES, SEED_NOTICE
from tbtrack.files.registry import Registry
from tbtrack.importing import RegistryResolver, parse_notice

from .agreement import compare
from .conftest import DATA, REPO

SEED = SEED_NOTICE


def _measure(text_path: Path, folder: Path, registry: Registry, name: str) -> float:
    draft = parse_notice(text_path.read_text(encoding="utf-8"), RegistryResolver(registry))
    result = compare(draft, folder, registry)
    print("\n" + result.summary(name))
    return result.ratio


def test_seed_notice_matches_its_hand_transcription(registry: Registry) -> None:
    ratio = _measure(SEED, REPO / "tasks" / "tgv-2025-06-06", registry, "seed")
    assert ratio == 1.0


def test_467_tb_vpcp_matches_its_hand_transcription(registry: Registry) -> None:
    ratio = _measure(
        NOTICES / "467-TB-VPCP.txt", DATA / "467-tb-vpcp-2024-10-14", registry, "467/TB-VPCP"
    )
    assert ratio == 1.0


def test_9389_bnnmt_bdkh_matches_its_hand_transcription(registry: Registry) -> None:
    ratio = _measure(
        NOTICES / "9389-BNNMT-BDKH.txt",
        DATA / "9389-bnnmt-bdkh-2025-11-20",
        registry,
        "9389/BNNMT-BĐKH",
    )
    assert ratio == 1.0


def test_held_out_notice_matches_its_hand_transcription(registry: Registry) -> None:
    # held out of the tuning: its transcription was written first and the parser run on it
    # once; the figure asserted is the one that first run gave
    ratio = _measure(
        DATA / "heldout-215-TB-VPCP.txt", DATA / "215-tb-vpcp-2025-08-18", registry, "held-out"
    )
    # first run: 37/38; the miss is section 6's second undated obligation (a standing duty
    # with no deadline phrase beside a conditional report)
    assert ratio >= 37 / 38
