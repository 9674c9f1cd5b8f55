"""Rendering: escaping, Telegram's tag set, splitting long messages, fallbacks and caps."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.errors import TemplateError
from bot.models import Alert, Article, Match, Severity
from bot.render import Renderer
from bot.telegram.markup import split_html, telegram_html, utf16_len, visible_text
from tests.conftest import TEMPLATES_DIR
from tests.fakes.bot_api import parse_telegram_html


def alert(title: str = "Tom & <Jerry>", text: str = "a<b and c>d", **match_kw) -> Alert:
    article = Article("wire", title, text, url="https://news.example/x?a=1&b=2",
                      published=datetime(2023, 9, 24, 6, 0, tzinfo=UTC))
    match = Match("fatal-clash", "Fatal armed clash", match_kw.pop("severity", Severity.HIGH), **match_kw)
    return Alert(article, match, datetime(2023, 9, 24, 6, 1, tzinfo=UTC), 1)


def test_article_text_is_escaped_and_valid_for_telegram() -> None:
    [message] = Renderer(TEMPLATES_DIR).render(alert(facts={"killed": 4}, regions=("Kosovo",)))
    assert "Tom &amp; &lt;Jerry&gt;" in message.text
    assert "a&lt;b and c&gt;d" in message.text
    assert 'href="https://news.example/x?a=1&amp;b=2"' in message.text
    parsed = parse_telegram_html(message.text)  # the fake server's validator: raises on bad markup
    assert "killed: 4" in parsed.text
    assert "Kosovo" in parsed.text
    assert message.parse_mode == "HTML"
    assert message.disable_notification is False


def test_figures_are_written_with_thousands_separators() -> None:
    [message] = Renderer(TEMPLATES_DIR).render(alert(facts={"troops": 4500, "troops_change": "decrease",
                                                            "killed": 12}))
    text = parse_telegram_html(message.text).text
    assert "troops: 4,500" in text and "killed: 12" in text and "troops change: decrease" in text


def test_low_severity_is_silent() -> None:
    [message] = Renderer(TEMPLATES_DIR).render(alert(severity=Severity.LOW))
    assert message.disable_notification is True


def test_feed_markup_cannot_inject_tags() -> None:
    [message] = Renderer(TEMPLATES_DIR).render(alert(title='<a href="javascript:x">click</a><script>', text="<p>x"))
    assert "<script" not in message.text and "<p>" not in message.text
    parse_telegram_html(message.text)


def test_telegram_html_keeps_allowed_tags_only() -> None:
    out = telegram_html('<p>Hello <b>bold <i>both</b> tail</p><img src=x><br><a href="javascript:alert(1)">js</a>'
                        '<a href="https://ok.example">ok</a><span class="tg-spoiler">s</span><span>plain</span>')
    assert "<p>" not in out and "<img" not in out and "javascript" not in out
    assert '<a href="https://ok.example">ok</a>' in out
    assert "<b>bold <i>both</i></b>" in out
    parse_telegram_html(out)


def test_long_message_is_split_with_balanced_tags() -> None:
    body = "<b>Title</b>\n" + "<i>" + "\n".join(f"Line {i} " + "word " * 30 for i in range(120)) + "</i>"
    parts = split_html(body)
    assert len(parts) > 1
    for part in parts:
        parsed = parse_telegram_html(part)  # balanced, valid
        assert utf16_len(parsed.text) <= 4096
    joined = "".join(visible_text(p) for p in parts)
    assert "Line 0 " in joined and "Line 119 " in joined


def test_split_counts_utf16_for_emoji() -> None:
    parts = split_html("🔥" * 4097)
    assert len(parts) >= 3  # 8,194 UTF-16 units need at least three parts under a 4,000 budget
    for part in parts:
        assert utf16_len(parse_telegram_html(part).text) <= 4096


def _templates(tmp_path: Path, body: str) -> Path:
    (tmp_path / "default.html.j2").write_text(body)
    return tmp_path


def test_template_typo_is_caught_at_check(tmp_path: Path) -> None:
    renderer = Renderer(_templates(tmp_path, "Killed: {{ artcle.title }}"))
    with pytest.raises(TemplateError) as info:
        renderer.check()
    assert "default.html.j2:1" in str(info.value)
    assert "artcle" in str(info.value)


def test_failing_template_falls_back_and_the_alert_still_renders(tmp_path: Path,
                                                                   caplog: pytest.LogCaptureFixture) -> None:
    renderer = Renderer(_templates(tmp_path, "{{ article.nope.deeper }}"))
    [message] = renderer.render(alert())
    assert "Fatal armed clash" in message.text
    assert "Tom &amp; &lt;Jerry&gt;" in message.text
    parse_telegram_html(message.text)
    assert "using the built-in message" in caplog.text


@pytest.mark.parametrize("body", [
    "{{ ''.__class__.__mro__ }}",
    "{{ 'x' * 50000000 }}",
    "{% for i in range(100000) %}{% for j in range(100000) %}xxxxxxxx{% endfor %}{% endfor %}",
    "{% for i in range(100000) %}{% for j in range(3000) %}{% endfor %}{% endfor %}ok",   # silent busy loop
    "{% set s = 'x' * 50000000 %}ok",                                                     # built, never printed
    "{{ 9 ** 99999999 }}",
    "{% set s = 'x' * 99999 %}{% for a in s %}{% for b in s %}{% endfor %}{% endfor %}",   # ran for hours
    "{{ 'x'|center(10**9) }}",                                                            # 1 GB each
    "{{ '{:>1000000000}'.format(1) }}",
    "{{ '%01000000000d'|format(1) }}",
])
def test_hostile_templates_are_contained(tmp_path: Path, body: str) -> None:
    renderer = Renderer(_templates(tmp_path, body))
    with pytest.raises(TemplateError) as refused:
        renderer.check()
    # refused by a bound, not stopped by the 2 s clock after running that long (the busy loop took 12 s)
    assert "took over" not in str(refused.value), str(refused.value)
    [message] = renderer.render(alert())
    assert "Fatal armed clash" in message.text
    assert len(message.text) < 4096
