"""The message catalogue: every message in both languages, with the same blanks to fill."""

from __future__ import annotations

from string import Formatter

from tbtrack.errors import UsageError
from tbtrack.messages import CATALOGUE, Message, plain

# the same words in both languages: only arguments, or an option's name before a message
SAME_IN_BOTH = {"text", "option", "env-date"}


def blanks(template: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(template) if name}


def test_every_message_has_both_languages_with_the_same_blanks() -> None:
    for key, (english, vietnamese) in CATALOGUE.items():
        assert english.strip() and vietnamese.strip(), key
        assert blanks(english) == blanks(vietnamese), key
        assert (english == vietnamese) == (key in SAME_IN_BOTH), key


def test_a_message_inside_a_message_and_alternatives() -> None:
    inner = Message("unknown-agency-hint", {"name": "BTX", "suggestions": ("BTC", "Bộ TC")})
    outer = Message("option", {"option": "--by", "message": inner})
    assert outer.text() == "--by: unknown agency or group 'BTX'; did you mean 'BTC' or 'Bộ TC'?"
    assert outer.text("vi") == (
        "--by: không có cơ quan hoặc nhóm 'BTX'; có phải ý bạn là 'BTC' hoặc 'Bộ TC'?"
    )


def test_an_error_is_its_english_text_and_says_itself_in_either_language() -> None:
    error = UsageError(Message("no-value", {"option": "--note"}))
    assert str(error) == "--note: no value given"
    assert error.text("vi") == "--note: chưa nhập giá trị"
    # a message not in the catalogue reads the same in both
    assert UsageError("as written").text("vi") == plain("as written").text("en") == "as written"
