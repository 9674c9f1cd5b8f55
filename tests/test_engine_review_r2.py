"""Alerts a code review (R2) found lost: a report judged by its writer after its own toll, a new attack years or days
after something that is no attack, a war word inside another subject's phrase, animals counted among the dead, and
sentences that open with a quote of another language. Every sentence here is our own; the engine is the real one."""

from __future__ import annotations

from bot.engine.lead import lead_text

# --------------------------------------------------------------------------- opening quotes of every language


def test_a_sentence_ends_before_an_opening_quote_of_any_language() -> None:
    russian = "Погибли двое. «Мы не ожидали атаки», сказал он. «Ранены трое». Село оцеплено. Пятое. Шестое."
    assert lead_text(russian) == "Погибли двое. «Мы не ожидали атаки», сказал он. «Ранены трое». Село оцеплено."
    german = "Zwei Polizisten starben. „Wir waren nicht vorbereitet“, sagte er. „Drei.“ Vier. Fünf. Sechs."
    assert lead_text(german) == "Zwei Polizisten starben. „Wir waren nicht vorbereitet“, sagte er. „Drei.“ Vier."
    # a sentence that ends inside its closing quote ends there too
    closing = "Он сказал: «Мы уходим.» Село пусто. Три. Четыре. Пять. Шесть."
    assert lead_text(closing) == "Он сказал: «Мы уходим.» Село пусто. Три. Четыре."
