"""One function from a user's text to a reply, shared by the terminal, `ask` and Telegram.

The order of checks is the product's promise: danger first, then numbers, then courtesy,
then the FAQ — and an honest "I am not sure" when the FAQ match is weak or ambiguous.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.engine.knowledge import Knowledge
from bot.engine.replies import ReplyBuilder
from bot.engine.reply import Intent, Reply
from bot.language.normaliser import NormalisedText
from bot.language.smalltalk import SmalltalkKind, asks_about_the_bot, classify_smalltalk
from bot.language.stemming import stemming_budget
from bot.prevention.job_offer_check import ACTION as JOB_CHECK_ACTION
from bot.prevention.job_offer_check import CANCEL_ACTION
from bot.prevention.offer_detection import mentions_job_offer
from bot.stats.charts import chart_for
from bot.stats.query import StatsQuery

ABOUT_FAQ_ID = "tentang-bot"
"""The entry that answers questions about the bot itself (also /tentang)."""


@dataclass(frozen=True)
class MatchPolicy:
    """Calibrated on the content's held-out examples and tests/data/questions.yaml."""

    answer_threshold: float = 0.26
    ambiguity_margin: float = 0.01
    ambiguous_floor: float = 0.45
    min_coverage: float = 0.3
    suggestion_threshold: float = 0.15
    max_suggestions: int = 3


class Engine:
    def __init__(self, knowledge: Knowledge, policy: MatchPolicy | None = None) -> None:
        self._knowledge = knowledge
        self._builder = ReplyBuilder(knowledge)
        self.policy = policy or MatchPolicy()

    @property
    def knowledge(self) -> Knowledge:
        return self._knowledge

    def use(self, knowledge: Knowledge) -> None:
        """Swap to new content. Both references change together, so a reply never mixes two."""
        self._knowledge, self._builder = knowledge, ReplyBuilder(knowledge)

    def reply_to(self, text: str) -> Reply:
        with stemming_budget():  # a message of made-up words costs milliseconds, not 100s of ms
            return self._reply(text)

    def _reply(self, text: str) -> Reply:
        knowledge, builder = self._knowledge, self._builder
        normalised = knowledge.normaliser.normalise(text)
        reply = self._decide(knowledge, builder, normalised, text)
        if reply.intent in {Intent.FAQ, Intent.FALLBACK} and mentions_job_offer(normalised):
            return builder.with_job_check(reply)
        return reply

    def _decide(self, knowledge: Knowledge, builder: ReplyBuilder,
                normalised: NormalisedText, text: str) -> Reply:
        if knowledge.emergency.is_emergency(normalised):
            return builder.emergency()
        query = knowledge.stats_parser.parse(normalised, text)
        if query is not None:
            return self._stats_reply(knowledge, builder, query)
        smalltalk = classify_smalltalk(normalised)
        if smalltalk is not None:
            messages = knowledge.content.messages
            text_by_kind = {
                SmalltalkKind.GREETING: messages.greeting,
                SmalltalkKind.THANKS: messages.thanks,
                SmalltalkKind.FAREWELL: messages.farewell,
            }
            return builder.smalltalk(text_by_kind[smalltalk])
        if asks_about_the_bot(normalised) and ABOUT_FAQ_ID in knowledge.content.faqs_by_id:
            return builder.faq(knowledge.content.faqs_by_id[ABOUT_FAQ_ID])
        result = knowledge.matcher.match(normalised)
        policy = self.policy
        candidates = result.candidates
        best = candidates[0] if candidates else None
        if best is not None and best.anchored and result.coverage >= policy.min_coverage:
            runner_up = candidates[1].score if len(candidates) > 1 else 0.0
            clear = best.score - runner_up >= policy.ambiguity_margin
            confident = clear or best.score >= policy.ambiguous_floor
            if best.score >= policy.answer_threshold and confident:
                entry = knowledge.content.faqs_by_id[best.faq_id]
                return builder.faq(entry, best.score)
        suggestions = [
            knowledge.content.faqs_by_id[c.faq_id]
            for c in candidates[: policy.max_suggestions]
            if c.score >= policy.suggestion_threshold
        ]
        return builder.fallback(suggestions, best.score if best else 0.0)

    def _stats_reply(
        self, knowledge: Knowledge, builder: ReplyBuilder, query: StatsQuery
    ) -> Reply:
        html = knowledge.stats_answers.answer(query)
        return builder.stats(html, chart_for(knowledge.content, query))

    def reply_to_action(self, action: str) -> Reply | None:
        """Replies for buttons and deep links; None when the action is unknown or outdated."""
        knowledge, builder = self._knowledge, self._builder
        messages = knowledge.content.messages
        name, _, argument = action.partition(":")
        if name == "faq":
            entry = knowledge.content.faqs_by_id.get(argument)
            return builder.faq(entry) if entry else None
        if name == "cat":
            category_id, _, page = argument.partition(":")
            return builder.category(category_id, int(page)) if page.isdigit() else None
        if name == "stats":
            return self._stats_action(knowledge, builder, argument)
        if action == CANCEL_ACTION:
            return builder.job_check_cancelled()
        if name == JOB_CHECK_ACTION:
            return knowledge.job_offer_check.handle(action)
        simple = {
            "menu": lambda: builder.menu(),
            "start": lambda: builder.menu(messages.welcome),
            "faq-categories": builder.categories,
            "channels": builder.channels,
            "emergency": builder.emergency,
            "privacy": lambda: builder.text_page(messages.privacy),
            "help": lambda: builder.text_page(messages.help),
            "about": lambda: self._about(),
        }
        factory = simple.get(action)
        return factory() if factory else None

    def _about(self) -> Reply:
        entry = self._knowledge.content.faqs_by_id.get(ABOUT_FAQ_ID)
        if entry is None:
            return self._builder.text_page(self._knowledge.content.messages.help)
        return self._builder.faq(entry)

    def _stats_action(
        self, knowledge: Knowledge, builder: ReplyBuilder, argument: str
    ) -> Reply | None:
        kind, _, key = argument.partition(":")
        if not argument:
            query = StatsQuery()
        elif kind == "year" and key.isdigit() and int(key) in knowledge.content.years_by_number:
            query = StatsQuery(years=(int(key),))
        elif kind == "region" and key in knowledge.content.regions_by_id:
            query = StatsQuery(regions=(key,))
        else:
            return None
        return self._stats_reply(knowledge, builder, query)

