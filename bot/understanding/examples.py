"""What the classifier learns from: every FAQ's question and examples, and the off-topic file."""

from __future__ import annotations

from dataclasses import dataclass

from bot.content.bundle import ContentBundle

OFFTOPIC = "offtopic"
"""The label of messages the bot must refuse; never an FAQ id (ids are validated slugs that
the loader checks, and `content check` would report an FAQ with this id as a clash)."""


@dataclass(frozen=True)
class Example:
    text: str
    label: str


def training_examples(content: ContentBundle) -> list[Example]:
    examples = [Example(text, entry.id)
                for entry in content.faq.faqs for text in (entry.question, *entry.examples)]
    examples += [Example(text, OFFTOPIC) for text in content.offtopic.examples]
    return examples
