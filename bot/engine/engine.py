"""One function from a user's text to a reply, shared by the terminal, `ask` and Telegram.

The order of checks is the product's promise: danger first, then a job advertisement to check,
then numbers, then courtesy, then the FAQ — where the trained model scores and the decision
policy answers, asks "Maksud Anda ...?" between close entries, or says honestly that it is
not sure.
"""

from __future__ import annotations

from functools import cached_property

from bot.content.models import FaqEntry
from bot.engine.knowledge import Knowledge
from bot.engine.replies import ReplyBuilder
from bot.engine.reply import Intent, Reply
from bot.language.normaliser import NormalisedText
from bot.language.places import PlaceMention
from bot.language.smalltalk import SmalltalkKind, asks_about_the_bot, classify_smalltalk
from bot.language.stemming import stemming_budget
from bot.prevention.job_ad_check import PROMPT_ACTION as JOB_AD_ACTION
from bot.prevention.job_offer_check import ACTION as JOB_CHECK_ACTION
from bot.prevention.job_offer_check import CANCEL_ACTION
from bot.prevention.offer_detection import mentions_job_offer
from bot.stats.charts import chart_for
from bot.stats.query import StatsQuery
from bot.understanding.model import Ranking
from bot.understanding.policy import DecisionPolicy, Outcome

ABOUT_FAQ_ID = "tentang-bot"
"""The entry that answers questions about the bot itself (also /tentang)."""
LOCAL_HELP_FAQ_ID = "layanan-kaltim"
"""Answers "layanan di Berau", "saya di Samarinda, lapor ke mana", with that region's services."""
_MAY_OFFER_JOB_CHECK = frozenset({Intent.FAQ, Intent.CLARIFY, Intent.FALLBACK})


class _Reading:
    """One message as the checks read it. The asking sentence and the model's ranking are
    made once, when a check first needs them: a story can need each in up to three checks."""

    def __init__(self, knowledge: Knowledge, text: str, normalised: NormalisedText,
                 ranking: Ranking | None) -> None:
        self._knowledge = knowledge
        self.text = text
        self.normalised = normalised
        self._given_ranking = ranking

    @cached_property
    def asking(self) -> str:
        """The sentence that asks, or `text` itself when the message is one sentence."""
        return self._knowledge.intents.asking_sentence(self.text)

    @cached_property
    def asking_normalised(self) -> NormalisedText:
        if self.asking is self.text:
            return self.normalised
        return self._knowledge.normaliser.normalise(self.asking)

    @cached_property
    def ranking(self) -> Ranking:
        return self._given_ranking or self._knowledge.intents.rank(self.text, self.normalised)


class Engine:
    def __init__(self, knowledge: Knowledge, policy: DecisionPolicy | None = None) -> None:
        self._knowledge = knowledge
        self._builder = ReplyBuilder(knowledge)
        self.policy = policy or DecisionPolicy()

    @property
    def knowledge(self) -> Knowledge:
        return self._knowledge

    def use(self, knowledge: Knowledge) -> None:
        """Swap to new content. Both references change together, so a reply never mixes two."""
        self._knowledge, self._builder = knowledge, ReplyBuilder(knowledge)

    def reply_to(self, text: str, *, forwarded: bool = False,
                 ranking: Ranking | None = None) -> Reply:
        """`forwarded`: the message was forwarded from another chat (a job ad, most often);
        `ranking` replaces the model's scores of `text` (the held-out routing check)."""
        with stemming_budget():  # a message of made-up words costs milliseconds, not 100s of ms
            return self._reply(text, forwarded=forwarded, ranking=ranking)

    def _reply(self, text: str, *, forwarded: bool, ranking: Ranking | None) -> Reply:
        knowledge, builder = self._knowledge, self._builder
        normalised = knowledge.normaliser.normalise(text)
        reply = self._decide(knowledge, builder, normalised, text, forwarded, ranking)
        if reply.intent in _MAY_OFFER_JOB_CHECK and mentions_job_offer(normalised):
            return builder.with_job_check(reply)
        return reply

    def reply_to_caption(self, caption: str, *, forwarded: bool = False) -> Reply | None:
        """A picture's caption is answered only when it is a job advertisement (posters are
        often shared as an image with the vacancy written below) or an emergency; None
        otherwise."""
        knowledge = self._knowledge
        normalised = knowledge.normaliser.normalise(caption)
        if knowledge.emergency.is_emergency(normalised):
            return self._builder.emergency(knowledge.places.find(normalised))
        if knowledge.job_ads.is_job_ad(caption, forwarded=forwarded):
            return knowledge.job_ads.reply(caption)
        return None

    def _decide(self, knowledge: Knowledge, builder: ReplyBuilder, normalised: NormalisedText,
                text: str, forwarded: bool, ranking: Ranking | None) -> Reply:
        places = knowledge.places.find(normalised)
        reading = _Reading(knowledge, text, normalised, ranking)
        if knowledge.emergency.is_emergency(normalised):
            return self._emergency(knowledge, builder, places, reading)
        if knowledge.job_ads.is_job_ad(text, forwarded=forwarded):
            return knowledge.job_ads.reply(text)
        if places.regions and self._asks_for_local_help(knowledge, reading):
            local_help = knowledge.content.faqs_by_id.get(LOCAL_HELP_FAQ_ID)
            if local_help is None:
                return builder.channels(places)
            return builder.faq(self._story_answer(knowledge, reading) or local_help,
                               places=places)
        # Numbers are asked for in the asking sentence: a story's others mention years and
        # cases ("bulan depan", "kasus di kampung sebelah") without asking for them.
        query = knowledge.stats_parser.parse(reading.asking_normalised, reading.asking)
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
        decision = self.policy.decide(reading.ranking)
        faqs = knowledge.content.faqs_by_id
        entries = [faqs[faq_id] for faq_id in decision.candidates]
        named = self._named_channels(knowledge, normalised)
        if decision.outcome is Outcome.ANSWER:
            if named and not set(named) & set(entries[0].channels):
                return builder.named_channels(named)
            return builder.faq(entries[0], decision.score)
        if decision.outcome is Outcome.CLARIFY:
            return builder.clarify(entries, decision.score)
        if named:
            return builder.named_channels(named)
        return builder.fallback(entries, decision.score)

    @staticmethod
    def _named_channels(knowledge: Knowledge, normalised: NormalisedText) -> tuple[str, ...]:
        """Channels asked for by name ("nomor kpai berapa", "kontak komnas perempuan"): they
        are given rather than guessed at, unless the answer found already lists one of them."""
        if not knowledge.places.asks_for_services(normalised):
            return ()
        return knowledge.places.named_channels(normalised)

    def _asks_for_local_help(self, knowledge: Knowledge, reading: _Reading) -> bool:
        """The asking sentence wants a place to turn to ("lapor ke mana"), and a story is
        about the topic: a flood in Samarinda is not a question for TPPO services. A short
        message ("saya di Samarinda, lapor ke mana") is taken at its word, unless it names
        a service the bot does not cover ("nomor pln balikpapan")."""
        asking = reading.asking_normalised
        places = knowledge.places
        if not places.asks_for_services(asking) or places.names_other_service(asking):
            return False
        if reading.asking is reading.text:
            return True
        return self.policy.decide(reading.ranking).outcome is not Outcome.OFFTOPIC

    def _story_answer(self, knowledge: Knowledge, reading: _Reading) -> FaqEntry | None:
        """The FAQ a story asking where to turn is answered with outright ("paid 12 million to
        an agency that closed, where do I report?" is about the lost fee): the region's
        services follow it. None for a short message, or when the model would not answer."""
        if reading.asking is reading.text:
            return None
        decision = self.policy.decide(reading.ranking)
        if decision.outcome is not Outcome.ANSWER:
            return None
        return knowledge.content.faqs_by_id[decision.candidates[0]]

    def _emergency(self, knowledge: Knowledge, builder: ReplyBuilder, places: PlaceMention,
                   reading: _Reading) -> Reply:
        """The emergency block, followed by the FAQ answer when the story also asks a question
        the model would answer outright (never after a guess: a clarifying question or a
        fallback would only distract from the numbers)."""
        if not knowledge.intents.asks(reading.text):
            return builder.emergency(places)
        decision = self.policy.decide(reading.ranking)
        if decision.outcome is Outcome.ANSWER:
            entry = knowledge.content.faqs_by_id[decision.candidates[0]]
            return builder.emergency_with_faq(entry, places)
        return builder.emergency(places)

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
        if action == JOB_AD_ACTION:
            return knowledge.job_ads.prompt()
        if name == JOB_CHECK_ACTION:
            return knowledge.job_offer_check.handle(action)
        simple = {
            "menu": lambda: builder.menu(),
            "start": builder.welcome,
            "faq-categories": builder.categories,
            "channels": builder.channels,
            "emergency": builder.emergency,
            "privacy": lambda: builder.text_page(knowledge.content.privacy.page_html()),
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

