"""The affixed forms of an Indonesian word, so a list of roots matches words as people type them.

Staff write "sekap" once and the emergency detector recognises disekap, menyekap, nyekap,
penyekapan and disekapnya by a set lookup. Generating the forms up front (a few hundred per
word) keeps matching a dictionary lookup per token, with no stemmer on the reply path. Forms
that no one writes are harmless: they simply never occur in a message.
"""

from __future__ import annotations

_SUFFIXES = ("", "i", "kan", "an", "in", "nya", "inya", "kannya", "annya", "lah", "ku", "mu")
_SIMPLE_PREFIXES = ("", "di", "ter", "ke", "ber", "se", "diper", "memper")


_NASAL_RULES: tuple[tuple[str, tuple[str, ...], str | None], ...] = (
    # first letters, formal meN- forms, spoken N- form ("rest" is the root without its first letter)
    ("aeiou", ("meng{word}",), "ng{word}"),
    ("k", ("meng{rest}", "meng{word}"), "ng{rest}"),
    ("p", ("mem{rest}", "mem{word}"), "m{rest}"),
    ("t", ("men{rest}", "men{word}"), "n{rest}"),
    ("s", ("meny{rest}", "men{word}"), "ny{rest}"),
    ("c", ("men{word}",), "ny{rest}"),
    ("jd", ("men{word}",), "n{word}"),
    ("bfv", ("mem{word}",), "m{word}"),
    ("gh", ("meng{word}",), "ng{word}"),
)
_NASAL_BY_LETTER = {letter: (formal, spoken) for letters, formal, spoken in _NASAL_RULES
                    for letter in letters}
_NASAL_OTHER: tuple[tuple[str, ...], str | None] = (("me{word}",), None)


def _nasal_forms(word: str) -> set[str]:
    """meN-/peN- and the spoken N- ("mukul", "nyekap", "ngurung"), with their sound changes."""
    formal_templates, spoken_template = _NASAL_BY_LETTER.get(word[0], _NASAL_OTHER)
    parts = {"word": word, "rest": word[1:]}
    formal = {template.format(**parts) for template in formal_templates}
    spoken = {"nge" + word}
    if spoken_template is not None:
        spoken.add(spoken_template.format(**parts))
    nouns = {"pe" + form[2:] for form in formal}
    return formal | nouns | spoken


def word_forms(word: str) -> frozenset[str]:
    """`word` itself and its prefixed, suffixed and clitic forms, all lowercase."""
    if not word.isalpha() or len(word) < 3:
        return frozenset({word})
    stems = {prefix + word for prefix in _SIMPLE_PREFIXES} | _nasal_forms(word)
    return frozenset(stem + suffix for stem in stems for suffix in _SUFFIXES)
