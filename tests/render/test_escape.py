"""Text from the data made safe for a terminal line and for Markdown."""

from __future__ import annotations

import pytest

from tbtrack.render.escape import markdown, printable


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Bộ Tài chính", "Bộ Tài chính"),
        ("a\nb", "a\\nb"),
        ("a\r\nb", "a\\r\\nb"),
        ("a\tb", "a\\tb"),
        ("a\u2028b\u2029c", "a\\u2028b\\u2029c"),
        ("\x1b[31mred", "\\u001b[31mred"),
        ("\x00\x07\x7f\x85", "\\u0000\\u0007\\u007f\\u0085"),
        ("left\u202eright", "left\\u202eright"),
        ("nbsp\u00a0kept", "nbsp\u00a0kept"),
    ],
)
def test_printable(text: str, shown: str) -> None:
    assert printable(text) == shown
    assert "\n" not in printable(text)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Báo cáo số 123/BC-BTC", "Báo cáo số 123/BC-BTC"),
        ("*bold* _it_ `code`", "\\*bold\\* \\_it\\_ \\`code\\`"),
        ("[link](x) <b> a|b #1 \\", "\\[link\\](x) \\<b\\> a\\|b \\#1 \\\\"),
        ("line one\nline two\r\n  three\u2028four", "line one line two three four"),
    ],
)
def test_markdown(text: str, shown: str) -> None:
    assert markdown(text) == shown
