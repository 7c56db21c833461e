"""Words shown to people, in Vietnamese and English. Machine output uses the status codes."""

from __future__ import annotations

STATUS = {
    "vi": {
        "done": "Hoàn thành đúng hạn",
        "done-late": "Hoàn thành quá hạn",
        "overdue": "Quá hạn",
        "due-soon": "Sắp đến hạn",
        "upcoming": "Chưa đến hạn",
        "ongoing": "Thường xuyên",
        "undated": "Chưa có hạn",
        "cancelled": "Đã hủy",
    },
    "en": {
        "done": "Done on time",
        "done-late": "Done late",
        "overdue": "Overdue",
        "due-soon": "Due soon",
        "upcoming": "Upcoming",
        "ongoing": "Ongoing",
        "undated": "No date",
        "cancelled": "Cancelled",
    },
}

WORDS = {
    "vi": {
        "task": "Nhiệm vụ",
        "section": "Mục",
        "title": "Nội dung",
        "assignee": "Cơ quan",
        "kind": "Loại",
        "due": "Hạn",
        "days": "Còn",
        "status": "Tình trạng",
        "role": "Vai trò",
        "lead": "chủ trì",
        "support": "phối hợp",
        "agency": "Cơ quan",
        "notice": "Thông báo",
        "rate": "Tỷ lệ đúng hạn",
        "extended": "gia hạn từ",
        "nothing": "Không có nhiệm vụ nào.",
        "done_of": "xong",
        "was": "gốc",
        "obligation": "Nghĩa vụ",
        "evidence": "Căn cứ",
        "progress": "Tiến độ",
        "occurrence": "Kỳ",
        "complete": "hoàn thành",
        "report": "báo cáo",
        "submit": "trình/gửi",
        "milestone": "mốc",
    },
    "en": {
        "task": "Task",
        "section": "Sec.",
        "title": "Title",
        "assignee": "Assignee",
        "kind": "Kind",
        "due": "Due",
        "days": "Days",
        "status": "Status",
        "role": "Role",
        "lead": "lead",
        "support": "support",
        "agency": "Agency",
        "notice": "Notice",
        "rate": "On-time rate",
        "extended": "extended from",
        "nothing": "Nothing to show.",
        "done_of": "done",
        "was": "was",
        "obligation": "Obligation",
        "evidence": "Evidence",
        "progress": "Progress",
        "occurrence": "Occurrence",
        "complete": "complete",
        "report": "report",
        "submit": "submit",
        "milestone": "milestone",
    },
}


def status_label(status: str, lang: str) -> str:
    return STATUS[lang].get(status, status)


def word(key: str, lang: str) -> str:
    return WORDS[lang].get(key, key)
