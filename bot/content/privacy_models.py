"""Model of `privasi.yaml`: the words scrubbing may keep, the retention table and the /privasi
page, in one file so the page, the docs and the code cannot say different things."""

from __future__ import annotations

from pydantic import Field

from bot.content.models import ContentModel, Text

LowerWord = Text


class ScrubbingWords(ContentModel):
    """Word lists for `bot.storage.scrub` (see the file's header for what each one does)."""

    function_words: list[LowerWord] = Field(min_length=1)
    name_cues: list[LowerWord] = Field(min_length=1)
    place_cues: list[LowerWord] = Field(min_length=1)
    place_nouns: list[LowerWord] = Field(default_factory=list)
    common_names: list[LowerWord] = Field(default_factory=list)


class RetentionRow(ContentModel):
    record: Text
    """What is kept, as a user reads it."""
    tables: list[Text] = Field(min_length=1)
    """Database tables holding it (checked against the schema by the tests)."""
    lifetime: Text


class PrivacyPage(ContentModel):
    intro: Text
    scrubbing: Text
    retention_intro: Text
    closing: Text


class PrivacyContent(ContentModel):
    scrubbing: ScrubbingWords
    lock_screen_words: list[LowerWord] = Field(min_length=1)
    """Never in a tip's preview or the neutral line: what a lock screen shows."""
    retention: list[RetentionRow] = Field(min_length=1)
    page: PrivacyPage

    def retention_markdown(self) -> str:
        """The table in docs/PRIVACY.md (a test keeps the two identical)."""
        lines = ["| what is kept (as /privasi says it) | tables | lifetime |",
                 "| --- | --- | --- |"]
        lines += [f"| {row.record} | {', '.join(f'`{t}`' for t in row.tables)} | {row.lifetime} |"
                  for row in self.retention]
        return "\n".join(lines)

    def page_html(self) -> str:
        """The /privasi text: every line generated from this file, nothing written twice."""
        rows = ";\n".join(f"• {row.record} — {row.lifetime}" for row in self.retention) + "."
        return "\n\n".join((self.page.intro.strip(), self.page.retention_intro.strip() + "\n"
                            + rows, self.page.scrubbing.strip(), self.page.closing.strip()))
