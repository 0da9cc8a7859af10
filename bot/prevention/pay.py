"""Reading the pay an advertisement promises, as rupiah per month, to compare with normal pay.

"Gaji USD 1.500", "Rp 8-12 jt/bulan", "RM 150 sehari", "NT$ 30,000": the amount follows a pay
word (gaji, salary), its currency and period come from content, and thousands separators are
told from decimals by the three digits that follow them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.content.job_ad_models import Currency, JobPay, Matchers, PayRules
from bot.prevention.ad_text import CompiledMatchers, any_of

_NUMBER = r"\d[\d.,]*"


def parse_number(written: str) -> float | None:
    """'1.500' → 1500, '1,500,000' → 1500000, '3,5' → 3.5, '4.5' → 4.5."""
    written = written.rstrip(".,")
    parts = re.split(r"[.,]", written)
    if len(parts) == 1:
        return float(parts[0])
    if all(len(p) == 3 for p in parts[1:]):
        return float("".join(parts))
    if len(parts) == 2:
        return float(f"{parts[0]}.{parts[1]}")
    return None


@dataclass(frozen=True)
class PayAmount:
    monthly_rupiah: float
    foreign: bool


class PayReader:
    """Finds the pay an ad promises and tells whether it is far above normal pay for the job."""

    def __init__(self, rules: PayRules) -> None:
        self._rules = rules
        self._context = any_of(rules.context_words)
        symbols = {s.casefold(): c for c in rules.currencies for s in c.symbols}
        self._currency_by_symbol = symbols
        currency = "|".join(_symbol_pattern(s) for s in sorted(symbols, key=len, reverse=True))
        multiplier = "|".join(rf"{re.escape(m.casefold())}(?![a-z])"
                              for m in sorted(rules.multipliers, key=len, reverse=True))
        self._amount = re.compile(
            rf"(?P<before>{currency})?\s*\.?\s*(?P<number>{_NUMBER})"
            rf"(?:\s*(?:-|–|s/?d|sampai|hingga|~)\s*(?P<upper>{_NUMBER}))?"
            rf"\s*(?P<multiplier>{multiplier})?\s*(?P<after>{currency})?"
        )
        self._periods = [(any_of(p.words), p.per_month) for p in rules.periods]
        self._default = next(c for c in rules.currencies if c.id == rules.default_currency)
        self._abroad = CompiledMatchers(rules.abroad)
        self._jobs = [(CompiledMatchers(Matchers(phrases=j.words)), j) for j in rules.jobs]

    def amounts(self, text: str) -> list[PayAmount]:
        """Every pay amount found close after a pay word, converted to rupiah per month."""
        if self._context is None:
            return []
        found: list[PayAmount] = []
        for context in self._context.finditer(text):
            window = text[context.end() : context.end() + self._rules.context_distance]
            for match in self._amount.finditer(window):
                amount = self._amount_of(match, window[: match.start()],
                                         window[match.end() : match.end() + 25])
                if amount is not None:
                    found.append(amount)
        return found

    def _amount_of(self, match: re.Match[str], preceding: str,
                   following: str) -> PayAmount | None:
        """`following` names the period ('/hari'), or else `preceding` does ('gaji harian')."""
        symbol = match.group("before") or match.group("after")
        multiplier_word = match.group("multiplier")
        if symbol is None and multiplier_word is None:
            return None  # a bare number: an age, a count, a date
        number = parse_number(match.group("upper") or match.group("number"))
        if number is None:
            return None
        currency: Currency = self._currency_by_symbol.get((symbol or "").casefold(),
                                                           self._default)
        multiplier = self._rules.multipliers.get((multiplier_word or "").casefold(), 1)
        per_month = next((factor for regex, factor in self._periods
                          if regex is not None and regex.match(following.lstrip())), None)
        if per_month is None:
            per_month = next((factor for regex, factor in self._periods
                              if regex is not None and regex.search(preceding)), 1.0)
        rupiah = number * multiplier * currency.rupiah * per_month
        return PayAmount(rupiah, foreign=currency.id != self._default.id)

    def is_abroad(self, text: str, amounts: Sequence[PayAmount]) -> bool:
        return any(a.foreign for a in amounts) or self._abroad.found(text)

    def normal_max(self, text: str, abroad: bool) -> int:
        """The most generous ceiling of the jobs named (a wrong guess must not accuse)."""
        jobs: list[JobPay] = [job for words, job in self._jobs if words.found(text)]
        if not jobs:
            return (self._rules.default_normal_max_abroad if abroad
                    else self._rules.default_normal_max_domestic)
        return max(j.normal_max_abroad if abroad else j.normal_max_domestic for j in jobs)

    def far_above_normal(self, text: str) -> bool:
        amounts = self.amounts(text)
        if not amounts:
            return False
        highest = max(a.monthly_rupiah for a in amounts)
        return highest > self.normal_max(text, self.is_abroad(text, amounts))


def _symbol_pattern(symbol: str) -> str:
    """Letters must stand alone ('rm' but not 'form'); '$' and '¥' need no boundary."""
    escaped = re.escape(symbol)
    return rf"(?<![a-z]){escaped}(?![a-z])" if re.search(r"[a-z]", symbol) else escaped

