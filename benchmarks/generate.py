#!/usr/bin/env python3
"""Write a synthetic tbtrack data root for benchmarks.

    python benchmarks/generate.py OUT_DIR --tasks 10000 [--seed 1] [--taskwarrior FILE]

OUT_DIR gets ``agencies.yaml`` (the registry shipped in ``src/tbtrack/data``, or a small
fallback when that does not exist yet), ``tasks/<notice>/<id>.yaml`` (SPEC section 4,
about 20 tasks per notice), ``.gitignore`` and ``.bench.json`` (metadata that
``run.py`` needs). The output depends only on ``--tasks``, ``--seed`` and the registry.

Task files are written from string templates, not through a YAML emitter: that keeps
100,000 tasks to a few seconds.
"""

from __future__ import annotations

import argparse
import calendar
import json
import math
import random
import re
import shutil
import sys
import time
import unicodedata
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHIPPED_REGISTRY = REPO / "src" / "tbtrack" / "data" / "agencies.yaml"

FIRST_NOTICE = date(2024, 1, 1)
LAST_NOTICE = date(2026, 6, 30)
LAST_DUE = date(2026, 12, 31)
EVENTS_UNTIL = date(2026, 6, 30)  # no event is dated after this (nor after the real today)
BENCH_AS_OF = date(2025, 6, 30)  # the --as-of of run.py; "open" in the Taskwarrior export
DONE_ON = date(2025, 6, 20)  # the --on of run.py's `done`

TEXT_WIDTH = 88
LEAD_KINDS = {"ministry", "ministerial-agency", "provincial-government"}

# --------------------------------------------------------------------------------------
# Fallback registry (SPEC 3 format), used only when the project has not shipped one yet.

_MINISTRIES = [
    ("Bộ Quốc phòng", "BQP", "ministry"),
    ("Bộ Công an", "BCA", "ministry"),
    ("Bộ Ngoại giao", "BNG", "ministry"),
    ("Bộ Nội vụ", "BNV", "ministry"),
    ("Bộ Tư pháp", "BTP", "ministry"),
    ("Bộ Tài chính", "BTC", "ministry"),
    ("Bộ Công Thương", "BCT", "ministry"),
    ("Bộ Nông nghiệp và Môi trường", "BNNMT", "ministry"),
    ("Bộ Xây dựng", "BXD", "ministry"),
    ("Bộ Văn hóa, Thể thao và Du lịch", "BVHTTDL", "ministry"),
    ("Bộ Khoa học và Công nghệ", "BKHCN", "ministry"),
    ("Bộ Giáo dục và Đào tạo", "BGDĐT", "ministry"),
    ("Bộ Y tế", "BYT", "ministry"),
    ("Bộ Dân tộc và Tôn giáo", "BDTTG", "ministry"),
    ("Ngân hàng Nhà nước Việt Nam", "NHNN", "ministerial-agency"),
    ("Thanh tra Chính phủ", "TTCP", "ministerial-agency"),
    ("Văn phòng Chính phủ", "VPCP", "ministerial-agency"),
]
_ABOLISHED = [
    ("Bộ Kế hoạch và Đầu tư", "BKHĐT", "Bộ Tài chính"),
    ("Bộ Thông tin và Truyền thông", "BTTTT", "Bộ Khoa học và Công nghệ"),
    ("Bộ Giao thông vận tải", "BGTVT", "Bộ Xây dựng"),
]
_CITIES = ["Hà Nội", "Huế", "Hải Phòng", "Đà Nẵng", "Hồ Chí Minh", "Cần Thơ"]
_PROVINCES = ["Quảng Ninh", "Thanh Hóa", "Nghệ An", "Lào Cai", "Gia Lai", "Đồng Tháp"]


def fallback_registry() -> str:
    out = [
        "# Fallback registry written by benchmarks/generate.py: the project had not shipped",
        "# src/tbtrack/data/agencies.yaml yet. A small subset, for benchmarks only.",
        "agencies:",
    ]
    for name, code, kind in _MINISTRIES:
        out += [f"  - name: {name}", f"    code: {code}", f"    kind: {kind}"]
    for name, code, successor in _ABOLISHED:
        out += [
            f"  - name: {name}",
            f"    code: {code}",
            "    kind: ministry",
            f"    successor: {successor}",
        ]
    for place in _CITIES + _PROVINCES:
        unit = "thành phố" if place in _CITIES else "tỉnh"
        party = "Thành ủy" if place in _CITIES else "Tỉnh ủy"
        out += [
            f"  - name: Ủy ban nhân dân {unit} {place}",
            f"    aliases: [UBND {unit} {place}]",
            "    kind: provincial-government",
            f"  - name: {party} {place}",
            "    kind: provincial-party-committee",
        ]
    out += [
        "  - name: Cơ quan Thường trực Ban Chỉ đạo Trung ương",
        "    aliases: [Thường trực Ban Chỉ đạo]",
        "    kind: steering-body",
        "groups:",
        "  - name: Các bộ, ngành, địa phương",
        "    aliases:",
        "      - Các bộ, ngành và địa phương",
        "    kinds: [ministry, ministerial-agency, government-agency, provincial-government]",
        "    members: []",
        "  - name: Các tỉnh ủy, thành ủy",
        "    kinds: [provincial-party-committee]",
        "    members: []",
    ]
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------------------
# Phrase lists


def _nfc(items: Iterable[str]) -> list[str]:
    return [unicodedata.normalize("NFC", s) for s in items]


VERBS = _nfc(
    [
        "Nghiên cứu, xây dựng",
        "Hoàn thiện",
        "Rà soát, sửa đổi",
        "Xây dựng, trình Thủ tướng Chính phủ ban hành",
        "Triển khai",
        "Đẩy nhanh tiến độ triển khai",
        "Tổ chức thực hiện",
        "Ban hành",
        "Đánh giá, tổng kết",
        "Hướng dẫn thực hiện",
        "Kiểm tra, đôn đốc",
        "Chuẩn hóa",
        "Số hóa",
        "Nâng cấp",
        "Tích hợp, chia sẻ",
    ]
)
OBJECTS = _nfc(
    [
        "dự thảo Nghị định về quản lý, kết nối và chia sẻ dữ liệu",
        "cơ sở dữ liệu quốc gia về đất đai",
        "Cổng Dịch vụ công quốc gia",
        "kế hoạch chuyển đổi số năm {year}",
        "hệ thống thông tin giải quyết thủ tục hành chính cấp bộ, cấp tỉnh",
        "quy trình nội bộ giải quyết thủ tục hành chính",
        "nền tảng định danh và xác thực điện tử",
        "đề án phát triển hạ tầng số giai đoạn {year}-2030",
        "cơ sở dữ liệu hộ tịch điện tử",
        "danh mục dịch vụ công trực tuyến toàn trình",
        "quy chế khai thác, chia sẻ dữ liệu dùng chung",
        "chương trình đào tạo kỹ năng số cho cán bộ, công chức, viên chức",
        "Hệ thống thông tin báo cáo Chính phủ",
        "kho dữ liệu dùng chung của bộ, ngành, địa phương",
        "bộ chỉ số đánh giá mức độ chuyển đổi số",
        "phương án cắt giảm thành phần hồ sơ, giấy tờ",
        "Trung tâm dữ liệu quốc gia",
        "hệ thống giám sát an toàn thông tin mạng",
        "Sàn giao dịch khoa học, công nghệ",
        "ứng dụng phục vụ mô hình chính quyền địa phương hai cấp",
        "bảng danh mục và mã số các đơn vị hành chính Việt Nam",
        "Luật Khoa học, công nghệ và đổi mới sáng tạo",
        "Sổ tay đảng viên điện tử",
        "cơ sở dữ liệu cán bộ, công chức, viên chức",
        "thủ tục đăng ký biện pháp bảo đảm trực tuyến",
        "hạ tầng thanh toán điện tử cho dịch vụ công",
        "phần mềm số hóa hồ sơ, tài liệu lưu trữ",
        "quy định về đầu tư công trong lĩnh vực công nghệ thông tin",
    ]
)
QUALIFIERS = _nfc(
    [
        "bảo đảm đồng bộ, thống nhất",
        "theo đúng chỉ đạo của Thủ tướng Chính phủ",
        "phù hợp với mô hình tổ chức chính quyền địa phương hai cấp",
        "bảo đảm an toàn, an ninh thông tin",
        "đáp ứng yêu cầu của người dân, doanh nghiệp",
        "trên phạm vi toàn quốc",
        "bảo đảm dữ liệu đúng, đủ, sạch, sống",
        "tiết kiệm, hiệu quả, tránh lãng phí",
    ]
)
EXTRA_SENTENCES = _nfc(
    [
        "Tăng cường kiểm tra, giám sát, kịp thời tháo gỡ khó khăn, vướng mắc phát sinh"
        " trong quá trình triển khai.",
        "Chủ động đề xuất cấp có thẩm quyền các giải pháp bảo đảm kinh phí thực hiện.",
        "Tái sử dụng thông tin, dữ liệu đã số hóa, giảm tối đa hồ sơ giấy trong thực hiện"
        " thủ tục hành chính.",
        "Các cơ quan, đơn vị chịu trách nhiệm trước cấp có thẩm quyền về kết quả, chất"
        " lượng triển khai.",
        "Trường hợp vượt thẩm quyền, kịp thời báo cáo Thủ tướng Chính phủ xem xét, quyết định.",
        "Bảo đảm vận hành thông suốt, hiệu quả, thực chất.",
    ]
)
NOTICE_TOPICS = _nfc(
    [
        "về phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số",
        "về triển khai Đề án 06",
        "về cung cấp dịch vụ công trực tuyến trên Cổng Dịch vụ công quốc gia",
        "về tháo gỡ điểm nghẽn trong đầu tư công lĩnh vực công nghệ thông tin",
        "về số hóa tài liệu, triển khai các ứng dụng phục vụ chính quyền địa phương 2 cấp",
        "về phát triển hạ tầng số và dữ liệu",
        "về cải cách thủ tục hành chính",
    ]
)
LEADERS = _nfc(
    [
        "Thủ tướng Chính phủ",
        "Phó Thủ tướng Chính phủ",
        "Phó Thủ tướng Thường trực Chính phủ",
    ]
)
TAGS = [
    "chuyen-doi-so",
    "de-an-06",
    "dich-vu-cong",
    "du-lieu",
    "the-che",
    "ha-tang-so",
    "an-toan-thong-tin",
    "khcn",
    "so-hoa",
]
STATE_REASONS = _nfc(
    [
        "Được thay thế bởi nhiệm vụ tại Thông báo số {n}/TB-VPCP",
        "Nhiệm vụ không còn phù hợp sau khi sắp xếp tổ chức bộ máy",
    ]
)
NOTES = _nfc(
    [
        "Đã nhắc tại cuộc họp giao ban tháng.",
        "Liên quan đến nhiệm vụ tại Thông báo số {n}/TB-VPCP.",
        "Đầu mối theo dõi: Vụ Tổng hợp.",
    ]
)
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
SECTION_LETTERS = [
    ("a", "a"),
    ("b", "b"),
    ("c", "c"),
    ("d", "d"),
    ("đ", "dd"),
    ("e", "e"),
    ("g", "g"),
    ("h", "h"),
    ("i", "i"),
    ("k", "k"),
]
RFC_RULES = [
    # (rule, explicit start needed, as_written)
    ("FREQ=MONTHLY;BYMONTHDAY=25", False, "Trước ngày 25 hằng tháng báo cáo kết quả thực hiện"),
    ("RRULE:FREQ=MONTHLY;BYMONTHDAY=15", False, "Ngày 15 hằng tháng báo cáo tiến độ"),
    ("FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=29", True, "Trước ngày 30 tháng 6 hằng năm"),
    ("FREQ=YEARLY;BYMONTH=1,7;BYMONTHDAY=10", False, "Định kỳ 6 tháng báo cáo"),
    ("FREQ=MONTHLY;BYMONTH=3,6,9,12;BYMONTHDAY=20", False, "Ngày 20 tháng cuối quý báo cáo"),
]
EVERY_WORDING = {
    "monthly": "Định kỳ hằng tháng báo cáo kết quả thực hiện",
    "quarterly": "Định kỳ hằng quý báo cáo kết quả thực hiện",
    "weekly": "Hằng tuần báo cáo tiến độ triển khai",
    "half-yearly": "Định kỳ 6 tháng báo cáo kết quả thực hiện",
    "yearly": "Định kỳ hằng năm báo cáo kết quả thực hiện",
}

# --------------------------------------------------------------------------------------
# YAML text helpers

_PLAIN_OK = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`][^\n]*$")
_PLAIN_FLOW_OK = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`][^\n,\[\]{}]*$")
_LOOKS_TYPED = re.compile(
    r"^(?:[-+]?[0-9][0-9_.:eE+\-]*|null|Null|NULL|~|true|True|TRUE|false|False|FALSE"
    r"|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|\.inf|\.nan)$"
)


def scalar(s: str, flow: bool = False) -> str:
    """Return s as a YAML scalar: plain where that reads back as the same string."""
    ok = _PLAIN_FLOW_OK if flow else _PLAIN_OK
    if (
        ok.match(s)
        and ": " not in s
        and " #" not in s
        and not s.endswith((" ", ":"))
        and not _LOOKS_TYPED.match(s)
    ):
        return s
    return json.dumps(s, ensure_ascii=False)


def name_list(key: str, names: list[str], indent: str, block: bool) -> list[str]:
    if not names:
        return [f"{indent}{key}: []"]
    if block or any("," in n for n in names):
        return [f"{indent}{key}:"] + [f"{indent}  - {scalar(n)}" for n in names]
    return [f"{indent}{key}: [" + ", ".join(scalar(n, flow=True) for n in names) + "]"]


def wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    cur: list[str] = []
    n = 0
    for word in text.split():
        if cur and n + 1 + len(word) > width:
            lines.append(" ".join(cur))
            cur, n = [word], len(word)
        else:
            n += len(word) + (1 if cur else 0)
            cur.append(word)
    if cur:
        lines.append(" ".join(cur))
    return lines


def vn(d: date) -> str:
    """A date as Vietnamese notices write it: 06/6/2025."""
    return f"{d.day:02d}/{d.month}/{d.year}"


def month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


# --------------------------------------------------------------------------------------
# Occurrences


def occurrences(every: str, start: date, end: date) -> list[date]:
    """Occurrence dates of a recurring due form in [start, end]."""
    if end < start:
        return []
    if every == "weekly":
        d = start + timedelta(days=(4 - start.weekday()) % 7)
        out = []
        while d <= end:
            out.append(d)
            d += timedelta(days=7)
        return out
    months = {
        "monthly": range(1, 13),
        "quarterly": (3, 6, 9, 12),
        "half-yearly": (6, 12),
        "yearly": (12,),
    }.get(every)
    if months is not None:
        out = []
        for y in range(start.year, end.year + 1):
            for m in months:
                d = month_end(y, m)
                if start <= d <= end:
                    out.append(d)
        return out
    from dateutil.rrule import rrulestr

    rule = every.removeprefix("RRULE:")
    dt0 = datetime.combine(start, datetime.min.time())
    dt1 = datetime.combine(end, datetime.min.time())
    return [x.date() for x in rrulestr(rule, dtstart=dt0).between(dt0, dt1, inc=True)]


# --------------------------------------------------------------------------------------
# Model of what is generated


@dataclass
class Registry:
    leads: list[str]
    supports: list[str]
    groups: list[str]  # groups with members: may lead
    vague: list[str]  # groups without members ("Các cơ quan liên quan"): support only
    members: dict[str, list[str]]
    codes: dict[str, str]
    recipients: list[str]


@dataclass
class Event:
    on: date
    lines: list[str]


@dataclass
class Obligation:
    oid: str
    kind: str
    form: str  # by | before | within | every | ongoing | undated
    lines: list[str]
    due: date | None = None  # L before extensions (non-recurring)
    due_now: date | None = None  # L after extensions known on BENCH_AS_OF
    every: str | None = None
    start: date | None = None
    until: date | None = None
    who: list[str] | None = None
    # state as of BENCH_AS_OF, for the Taskwarrior export and the `done` target
    open_asof: bool = True
    done_occ_asof: set[date] = field(default_factory=set)
    has_events: bool = False


def load_registry(path: Path) -> Registry:
    from ruamel.yaml import YAML

    data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    agencies = data.get("agencies") or []
    groups = data.get("groups") or []
    current = [a for a in agencies if not a.get("successor")]
    leads = [a["name"] for a in current if a.get("kind") in LEAD_KINDS]
    supports = [
        a["name"]
        for a in current
        if a.get("kind") in LEAD_KINDS | {"government-agency", "provincial-party-committee"}
    ]
    codes = {a["name"]: str(a["code"]) for a in agencies if a.get("code")}
    recipients = [a["name"] for a in current if a.get("kind") == "steering-body"]
    recipients += [n for n in leads if n == "Văn phòng Chính phủ"]
    members = {}
    for g in groups:
        kinds = set(g.get("kinds") or [])
        m = [a["name"] for a in current if a.get("kind") in kinds]
        m += [x for x in g.get("members") or [] if x not in m]
        members[g["name"]] = m
    if not leads:
        sys.exit(f"{path}: no current ministry, ministerial-agency or provincial-government")
    nfc = _nfc
    return Registry(
        leads=nfc(leads),
        supports=nfc(supports),
        groups=nfc(g for g, m in members.items() if m),
        vague=nfc(g for g, m in members.items() if not m),
        members={unicodedata.normalize("NFC", k): nfc(v) for k, v in members.items()},
        codes={unicodedata.normalize("NFC", k): v for k, v in codes.items()},
        recipients=nfc(recipients),
    )


def code_of(reg: Registry, name: str) -> str:
    code = reg.codes.get(name)
    if code:
        return code
    if name.startswith("Ủy ban nhân dân"):
        return "UBND"
    if name.startswith(("Tỉnh ủy", "Thành ủy")):
        return "TU"
    return "VP"


# --------------------------------------------------------------------------------------
# Generator


class Generator:
    def __init__(self, reg: Registry, seed: int) -> None:
        self.reg = reg
        self.rng = random.Random(seed)
        self.tw_rng = random.Random(f"taskwarrior-{seed}")  # task files must not depend on it
        self.doc_no = 100
        self.stats = {"notices": 0, "tasks": 0, "obligations": 0, "events": 0}
        self.done_candidates: list[tuple[str, str, str]] = []
        self.tw: list[dict[str, object]] | None = None
        self.twseq = 0

    # -- small helpers -------------------------------------------------------------
    def docno(self) -> int:
        self.doc_no += self.rng.randint(1, 40)
        if self.doc_no > 19999:
            self.doc_no = 100
        return self.doc_no

    def day_between(self, a: date, b: date) -> date:
        if b <= a:
            return a
        return a + timedelta(days=self.rng.randint(0, (b - a).days))

    def expand(self, names: list[str]) -> set[str]:
        out: set[str] = set()
        for n in names:
            out.update(self.reg.members.get(n) or [n])
        return out

    # -- obligations ---------------------------------------------------------------
    def due_form(self, ob: Obligation, d0: date, report: bool) -> None:
        rng = self.rng
        target = d0 + timedelta(days=rng.randint(7, 50) if report else rng.randint(14, 300))
        target = min(target, LAST_DUE)
        verb = "Báo cáo kết quả thực hiện" if report else "Hoàn thành"
        r = rng.random()
        if report:
            r = r * 0.5  # reports: only by / before
        if r < 0.28:
            ob.form, ob.due = "by", target
            ob.lines.append(f"    by: {target.isoformat()}")
            wording = rng.choice(["chậm nhất ngày", "trước ngày", "đến ngày"])
            aw = f"{verb} {wording} {vn(target)}"
        elif r < 0.50:
            ob.form, ob.due = "before", target - timedelta(days=1)
            ob.lines.append(f"    before: {target.isoformat()}")
            aw = f"{verb} trước ngày {vn(target)}"
        elif r < 0.66:
            ob.form, ob.due = "within", month_end(target.year, target.month)
            ob.lines.append(f"    within: {target.year}-{target.month:02d}")
            aw = f"{verb} trong tháng {target.month}/{target.year}"
        elif r < 0.74:
            q = (target.month - 1) // 3 + 1
            ob.form, ob.due = "within", month_end(target.year, 3 * q)
            ob.lines.append(f"    within: {target.year}-Q{q}")
            aw = f"{verb} trong quý {ROMAN[q]}/{target.year}"
        elif r < 0.78:
            h = 1 if target.month <= 6 else 2
            ob.form, ob.due = "within", month_end(target.year, 6 * h)
            ob.lines.append(f"    within: {target.year}-H{h}")
            half = "đầu" if h == 1 else "cuối"
            aw = f"{verb} trong 6 tháng {half} năm {target.year}"
        elif r < 0.83:
            ob.form, ob.due = "within", date(target.year, 12, 31)
            ob.lines.append(f"    within: {target.year}")
            aw = f"{verb} trong năm {target.year}"
        elif r < 0.93:
            ob.form = "ongoing"
            ob.lines.append("    ongoing: true")
            aw = "Nhiệm vụ thường xuyên"
        else:
            ob.form = "undated"
            ob.lines.append("    undated: true")
            aw = rng.choice(["Khẩn trương triển khai thực hiện", "Báo cáo sớm", "Thực hiện ngay"])
        ob.due_now = ob.due
        if rng.random() < 0.7:
            ob.lines.append(f"    as_written: {scalar(aw)}")

    def recurring_form(self, ob: Obligation, d0: date) -> None:
        rng = self.rng
        r = rng.random()
        start: date | None = None
        until: date | None = None
        aw_rfc = ""
        if r < 0.45:
            every = "monthly"
        elif r < 0.68:
            every = "quarterly"
        elif r < 0.76:
            every = "weekly"
            until = d0 + timedelta(days=7 * rng.randint(8, 26))
        elif r < 0.81:
            every = "half-yearly"
        elif r < 0.86:
            every = "yearly"
        else:
            every, needs_start, aw_rfc = rng.choice(RFC_RULES)
            if needs_start:
                start = date(d0.year + 1, 1, 1)
        if every in ("monthly", "quarterly") and rng.random() < 0.4:
            until = date(d0.year + 1, 12, 31)
        if start is None and rng.random() < 0.15:
            start = month_end(d0.year, d0.month) + timedelta(days=1)
        ob.form, ob.every = "every", every
        ob.start, ob.until = start or d0, until
        ob.lines.append(f"    every: {scalar(every)}")
        if start is not None:
            ob.lines.append(f"    start: {start.isoformat()}")
        if until is not None:
            ob.lines.append(f"    until: {until.isoformat()}")
        if rng.random() < 0.7:
            aw = EVERY_WORDING.get(every) or aw_rfc
            if start is not None and every.startswith("FREQ=YEARLY;BYMONTH=6"):
                aw += f", kể từ năm {start.year}"
            ob.lines.append(f"    as_written: {scalar(aw)}")

    # -- progress ------------------------------------------------------------------
    def evidence_report(self, who: str) -> str:
        return f"Báo cáo số {self.docno()}/BC-{code_of(self.reg, who)}"

    def progress_once(
        self, ob: Obligation, d0: date, assignees: list[str], events: list[Event]
    ) -> None:
        """Events of a non-recurring dated obligation."""
        rng = self.rng
        assert ob.due is not None
        due = ob.due
        r = rng.random()
        if r < 0.03:
            on = self.day_between(d0 + timedelta(days=1), max(due, d0 + timedelta(days=1)))
            if on <= EVENTS_UNTIL:
                n = self.docno()
                events.append(
                    Event(
                        on,
                        [
                            f"  - on: {on.isoformat()}",
                            f"    cancels: {ob.oid}",
                            f"    evidence: Thông báo số {n}/TB-VPCP điều chỉnh nhiệm vụ",
                        ],
                    )
                )
                ob.has_events = True
                if on <= BENCH_AS_OF:
                    ob.open_asof = False
            return
        first_day = d0 + timedelta(days=1)
        if rng.random() < 0.12:
            for _ in range(2 if rng.random() < 0.2 else 1):
                on = self.day_between(first_day, max(due, first_day))
                if on > EVENTS_UNTIL:
                    break
                due = max(due, on) + timedelta(days=rng.randint(15, 90))
                n = self.docno()
                evidence = rng.choice(
                    [
                        f"Công văn số {n}/VPCP-KSTT đồng ý gia hạn",
                        f"Công văn số {n}-CV/VPTW đồng ý gia hạn",
                    ]
                )
                events.append(
                    Event(
                        on,
                        [
                            f"  - on: {on.isoformat()}",
                            f"    extends: {ob.oid}",
                            f"    to: {due.isoformat()}",
                            f"    evidence: {evidence}",
                        ],
                    )
                )
                ob.has_events = True
                if on <= BENCH_AS_OF:
                    ob.due_now = due
                first_day = on
        if rng.random() >= 0.6:
            return
        groups = [a for a in assignees if a in self.reg.members]
        candidates = sorted(self.expand(assignees)) if groups else assignees
        if len(candidates) > 1 and rng.random() < 0.5:
            k = rng.randint(1, min(5, len(candidates)))
            bys: list[str | None] = list(rng.sample(candidates, k))
        else:
            bys = [None]
        covered: set[str] = set()
        for who in bys:
            on = max(first_day, due + timedelta(days=rng.randint(-30, 20)))
            if on > EVENTS_UNTIL:
                continue
            lines = [f"  - on: {on.isoformat()}", f"    fulfils: {ob.oid}"]
            if who is not None:
                lines.append(f"    by: {scalar(who)}")
            lines.append(f"    evidence: {self.evidence_report(who or assignees[0])}")
            events.append(Event(on, lines))
            ob.has_events = True
            if on <= BENCH_AS_OF:
                covered |= self.expand([who]) if who else self.expand(assignees)
        if covered >= self.expand(assignees):
            ob.open_asof = False

    def progress_every(
        self, ob: Obligation, d0: date, assignees: list[str], events: list[Event]
    ) -> None:
        rng = self.rng
        assert ob.every is not None and ob.start is not None
        end = min(ob.until or EVENTS_UNTIL, EVENTS_UNTIL)
        occs = occurrences(ob.every, ob.start, end)
        single = len(assignees) == 1 and assignees[0] not in self.reg.members
        prev_dates: list[date] = []
        all_prev_done = True
        for occ in occs:
            if rng.random() >= 0.75:
                all_prev_done = False
                continue
            on = max(d0, ob.start, occ + timedelta(days=rng.randint(-7, 10)))
            if on > EVENTS_UNTIL:
                all_prev_done = False
                continue
            omit_for = (
                single and all_prev_done and all(p < on for p in prev_dates) and rng.random() < 0.5
            )
            lines = [f"  - on: {on.isoformat()}", f"    fulfils: {ob.oid}"]
            if not omit_for:
                lines.append(f"    for: {occ.isoformat()}")
            lines.append(f"    evidence: {self.evidence_report(assignees[0])}")
            events.append(Event(on, lines))
            ob.has_events = True
            prev_dates.append(on)
            if on <= BENCH_AS_OF:
                ob.done_occ_asof.add(occ)

    # -- one task ------------------------------------------------------------------
    def task(self, notice: dict[str, object], section: str, tid: str) -> str:
        rng = self.rng
        reg = self.reg
        d0 = notice["date"]
        assert isinstance(d0, date)
        # who
        if reg.groups and rng.random() < 0.10:
            lead = [rng.choice(reg.groups)]
        elif rng.random() < 0.15:
            lead = rng.sample(reg.leads, min(2, len(reg.leads)))
        else:
            lead = [rng.choice(reg.leads)]
        support: list[str] = []
        if rng.random() < 0.6:
            taken = self.expand(lead) | set(lead)
            pool = [s for s in reg.supports if s not in taken]
            support = rng.sample(pool, min(len(pool), rng.randint(1, 3)))
            if reg.vague and rng.random() < 0.15:
                support.append(rng.choice(reg.vague))
        # words
        verb = rng.choice(VERBS)
        obj = rng.choice(OBJECTS).format(year=d0.year)
        qual = rng.choice(QUALIFIERS) if rng.random() < 0.5 else ""
        title = f"{verb} {obj}" + (f" {qual}" if qual else "")
        sentence = f"{', '.join(lead)} chủ trì"
        if support:
            sentence += ", phối hợp với " + ", ".join(
                f"c{s[1:]}" if s.startswith("Các ") else s for s in support
            )
        sentence += f" {verb[0].lower()}{verb[1:]} {obj}"
        sentence += f", {qual}." if qual else "."
        extra = rng.sample(EXTRA_SENTENCES, rng.randint(0, 1))
        # obligations
        shape = rng.random()
        obligations: list[Obligation] = []
        if shape < 0.85:
            kind = rng.choices(["complete", "submit", "milestone"], [60, 25, 15])[0]
            ob = Obligation(kind, kind, "", [f"  - id: {kind}"])
            if kind != "complete" or rng.random() < 0.5:
                ob.lines.append(f"    kind: {kind}")
            self.due_form(ob, d0, report=False)
            obligations.append(ob)
        if shape >= 0.5:
            ob = Obligation("report", "report", "", [])
            if shape >= 0.85 or rng.random() < 0.3:
                self.recurring_form(ob, d0)
                if shape >= 0.85 and rng.random() < 0.5:
                    assert ob.every is not None
                    ob.oid = f"report-{ob.every if ob.every in EVERY_WORDING else 'periodic'}"
            else:
                self.due_form(ob, d0, report=True)
            ob.lines[:0] = [f"  - id: {ob.oid}", "    kind: report"]
            if reg.recipients and rng.random() < 0.2:
                ob.lines.append(f"    to: {scalar(rng.choice(reg.recipients))}")
            if len(lead) > 1 and rng.random() < 0.3:
                ob.who = [lead[0]]
                ob.lines += name_list("who", ob.who, "    ", block=False)
            obligations.append(ob)
        # state
        state = "active"
        if rng.random() < 0.01:
            state = rng.choice(["cancelled", "superseded"])
        # progress
        events: list[Event] = []
        if state == "active":
            for ob in obligations:
                assignees = ob.who or lead
                if ob.form in ("by", "before", "within"):
                    self.progress_once(ob, d0, assignees, events)
                elif ob.form == "every":
                    self.progress_every(ob, d0, assignees, events)
        events.sort(key=lambda e: e.on)
        # text
        words = " ".join([sentence, *extra])
        for ob in obligations:
            for line in ob.lines:
                if line.startswith("    as_written: ") and rng.random() < 0.5:
                    aw = line[len("    as_written: ") :]
                    if aw.startswith('"'):
                        aw = json.loads(aw)
                    words += f" {aw}."
                    break
        text_lines = wrap(words, TEXT_WIDTH)
        want = rng.randint(2, 4)
        pool = [s for s in EXTRA_SENTENCES if s not in extra]
        while len(text_lines) < want and pool:
            more = wrap(f"{words} {pool.pop(rng.randrange(len(pool)))}", TEXT_WIDTH)
            if len(more) > 4:
                break
            words, text_lines = " ".join(more), more
        if len(text_lines) > 4:
            text_lines = wrap(words, math.ceil(len(words) / 4) + 12)
        if len(text_lines) < 2:
            text_lines = wrap(words, max(20, len(words) // 2 + 1))
        # assemble
        number = notice["number"]
        out = [
            "source:",
            f"  notice: {scalar(str(notice['title']))}",
            f"  number: {json.dumps(number, ensure_ascii=False) if number else 'null'}",
            f"  date: {d0.isoformat()}",
            f'  section: "{section}"',
            f"title: {scalar(title)}",
            "text: >-",
            *(f"  {ln}" for ln in text_lines),
            *name_list("lead", lead, "", block=rng.random() < 0.2),
        ]
        if support or rng.random() < 0.3:
            out += name_list("support", support, "", block=rng.random() < 0.2)
        if reg.recipients and rng.random() < 0.5:
            out.append(f"report_to: {scalar(rng.choice(reg.recipients))}")
        if rng.random() < 0.4:
            out.append("tags: [" + ", ".join(rng.sample(TAGS, rng.randint(1, 2))) + "]")
        if state != "active":
            reason = rng.choice(STATE_REASONS).format(n=self.docno())
            # from the notice's day: inactive throughout, as before state_on existed
            out += [f"state: {state}", f"state_reason: {scalar(reason)}", f"state_on: {d0}"]
        elif rng.random() < 0.2:
            out.append("state: active")
        out.append("obligations:")
        for ob in obligations:
            out += ob.lines
        if events:
            out.append("progress:")
            for ev in events:
                out += ev.lines
        else:
            out.append("progress: []")
        if rng.random() < 0.05:
            out.append(f"notes: {scalar(rng.choice(NOTES).format(n=self.docno()))}")
        self.stats["tasks"] += 1
        self.stats["obligations"] += len(obligations)
        self.stats["events"] += len(events)
        task_id = f"{notice['folder']}/{tid}"
        self.bookkeep(task_id, d0, state, lead, obligations, events, title, str(notice["folder"]))
        return "\n".join(out) + "\n"

    def bookkeep(
        self,
        task_id: str,
        d0: date,
        state: str,
        lead: list[str],
        obligations: list[Obligation],
        events: list[Event],
        title: str,
        project: str,
    ) -> None:
        if state != "active":
            return
        # a target for run.py's `done`: open, non-recurring, single agency, no event after
        # DONE_ON so that appending one dated DONE_ON keeps the log in date order
        if (
            d0 <= DONE_ON
            and len(lead) == 1
            and lead[0] not in self.reg.members
            and all(e.on <= DONE_ON for e in events)
        ):
            for ob in obligations:
                if ob.form in ("by", "before", "within") and not ob.has_events and not ob.who:
                    self.done_candidates.append((task_id, ob.oid, f"tasks/{task_id}.yaml"))
                    break
        if self.tw is None:
            return
        for ob in obligations:
            if ob.form in ("by", "before", "within"):
                if ob.open_asof:
                    self.tw_task(title, project, d0, ob.due_now, ob.kind)
            elif ob.form == "every":
                assert ob.every is not None and ob.start is not None
                # like Taskwarrior's recurrence.limit=1: the occurrences up to the as-of
                # date and the next one
                end = min(ob.until or LAST_DUE, LAST_DUE)
                for occ in occurrences(ob.every, ob.start, end):
                    if occ not in ob.done_occ_asof:
                        self.tw_task(title, project, d0, occ, ob.kind)
                    if occ > BENCH_AS_OF:
                        break
            elif ob.form == "undated":
                self.tw_task(title, project, d0, None, ob.kind)

    def tw_task(self, title: str, project: str, entry: date, due: date | None, kind: str) -> None:
        assert self.tw is not None
        self.twseq += 1
        t: dict[str, object] = {
            "uuid": str(uuid.UUID(int=self.tw_rng.getrandbits(128), version=4)),
            "status": "pending",
            "description": title,
            "project": project,
            "entry": f"{entry:%Y%m%d}T000000Z",
            "tags": [kind],
        }
        if due is not None:
            t["due"] = f"{due:%Y%m%d}T000000Z"
        self.tw.append(t)

    # -- notices -------------------------------------------------------------------
    def run(self, out: Path, n_tasks: int) -> None:
        rng = self.rng
        n_notices = max(1, math.ceil(n_tasks / 20))
        span = (LAST_NOTICE - FIRST_NOTICE).days
        counters: dict[str, int] = {}
        folders: set[str] = set()
        made = 0
        for i in range(n_notices):
            remaining = n_tasks - made
            if remaining <= 0:
                break
            left = n_notices - i
            size = remaining if left == 1 else min(remaining, rng.randint(12, 28))
            if left > 1 and remaining - size < left - 1:
                size = max(1, remaining - (left - 1))
            d0 = FIRST_NOTICE + timedelta(
                days=min(span, int(i * span / n_notices) + rng.randint(0, 3))
            )
            issuer = rng.choices(["vpcp", "tgv", "bcd"], [6, 3, 1])[0]
            # numbers never repeat within an issuer: `check` flags a number reused with
            # another date or title
            counters[issuer] = counters.get(issuer, rng.randint(1, 30)) + rng.randint(1, 5)
            n = counters[issuer]
            topic = rng.choice(NOTICE_TOPICS)
            if issuer == "vpcp":
                number = f"{n}/TB-VPCP"
                title = f"Thông báo kết luận của {rng.choice(LEADERS)} tại cuộc họp {topic}"
            elif issuer == "tgv":
                number = f"{n}-TB/TGV"
                title = (
                    f"Thông báo kết luận cuộc họp ngày {vn(d0)} của lãnh đạo Ban Chỉ đạo"
                    f" Trung ương {topic}"
                )
            else:
                number = f"{n}/TB-BCĐ"
                title = f"Thông báo kết luận phiên họp của Ban Chỉ đạo của Chính phủ {topic}"
            if rng.random() < 0.2:
                number = None
                title += f" ngày {vn(d0)}"
            folder = f"tb-{d0:%Y-%m%d}-{issuer}"
            k = 2
            while folder in folders:
                folder = f"tb-{d0:%Y-%m%d}-{issuer}-{k}"
                k += 1
            folders.add(folder)
            notice = {"date": d0, "number": number, "title": title, "folder": folder}
            ndir = out / "tasks" / folder
            ndir.mkdir(parents=True)
            self.stats["notices"] += 1
            item = 0
            for section, tid in self.sections(size):
                (ndir / f"{tid}.yaml").write_text(self.task(notice, section, tid), encoding="utf-8")
                item += 1
            made += item

    def sections(self, size: int) -> Iterable[tuple[str, str]]:
        rng = self.rng
        made = 0
        item = 0
        while made < size:
            item += 1
            style = rng.choices(["none", "letter", "num"], [4, 4, 2])[0]
            if style == "none":
                yield str(item), str(item)
                made += 1
                continue
            count = min(size - made, rng.randint(2, 6))
            for j in range(count):
                if style == "letter":
                    sec, idl = SECTION_LETTERS[j % len(SECTION_LETTERS)]
                    yield f"{item}.{sec}", f"{item}{idl}"
                else:
                    yield f"{item}.{j + 1}", f"{item}-{j + 1}"
            made += count


def generate(out: Path, n_tasks: int, seed: int, taskwarrior: Path | None) -> dict[str, object]:
    t0 = time.perf_counter()
    if out.exists() and any(out.iterdir()):
        sys.exit(f"{out}: exists and is not empty")
    out.mkdir(parents=True, exist_ok=True)
    if SHIPPED_REGISTRY.is_file():
        shutil.copyfile(SHIPPED_REGISTRY, out / "agencies.yaml")
        registry_source = "shipped"
    else:
        (out / "agencies.yaml").write_text(fallback_registry(), encoding="utf-8")
        registry_source = "fallback"
    (out / ".gitignore").write_text(".tbtrack/\n", encoding="utf-8")
    reg = load_registry(out / "agencies.yaml")
    gen = Generator(reg, seed)
    if taskwarrior is not None:
        gen.tw = []
    gen.run(out, n_tasks)
    cands = gen.done_candidates
    target = None
    if cands:
        task_id, oid, path = cands[len(cands) // 2]
        target = {"task": task_id, "obligation": oid, "path": path}
    tw_info = None
    if taskwarrior is not None:
        assert gen.tw is not None
        taskwarrior.parent.mkdir(parents=True, exist_ok=True)
        with taskwarrior.open("w", encoding="utf-8") as f:
            f.write("[\n")
            f.write(",\n".join(json.dumps(t, ensure_ascii=False) for t in gen.tw))
            f.write("\n]\n")
        tw_info = {"file": str(taskwarrior.resolve()), "tasks": len(gen.tw)}
    meta: dict[str, object] = {
        "generator": 1,
        "seed": seed,
        "registry": registry_source,
        **gen.stats,
        "as_of": BENCH_AS_OF.isoformat(),
        "done": target,
        "taskwarrior": tw_info,
        "seconds": round(time.perf_counter() - t0, 3),
    }
    (out / ".bench.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n")
    return meta


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("out", type=Path, help="the data root to create (must be absent or empty)")
    p.add_argument("--tasks", type=int, default=10_000, help="number of tasks (default 10000)")
    p.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    p.add_argument(
        "--taskwarrior",
        type=Path,
        metavar="FILE",
        help="also write the open obligation occurrences as Taskwarrior 2.6 import JSON",
    )
    args = p.parse_args(argv)
    if args.tasks < 1:
        p.error("--tasks must be at least 1")
    meta = generate(args.out, args.tasks, args.seed, args.taskwarrior)
    tw = meta["taskwarrior"]
    print(
        f"{args.out}: {meta['tasks']} tasks in {meta['notices']} notices,"
        f" {meta['obligations']} obligations, {meta['events']} events"
        + (f", {tw['tasks']} Taskwarrior tasks" if isinstance(tw, dict) else "")
        + f" ({meta['registry']} registry) in {meta['seconds']} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
