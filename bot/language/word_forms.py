"""The affixed forms of an Indonesian word, so a list of roots matches words as people type them.

Staff write "sekap" once and the emergency detector recognises disekap, menyekap, nyekap,
penyekapan and disekapnya by a set lookup. Generating the forms up front (a few hundred per
word) keeps matching a dictionary lookup per token, with no stemmer on the reply path. Forms
that no one writes are harmless: they simply never occur in a message.
"""

from __future__ import annotations

_VOWELS = frozenset("aeiou")
_SUFFIXES = ("", "i", "kan", "an", "in", "nya", "inya", "kannya", "annya", "lah", "ku", "mu")
_SIMPLE_PREFIXES = ("", "di", "ter", "ke", "ber", "se", "diper", "memper")


def _nasal_forms(word: str) -> set[str]:
    """meN-/peN- and the spoken N- ("mukul", "nyekap", "ngurung"), with their sound changes."""
    first, rest = word[0], word[1:]
    spoken: set[str] = {"nge" + word}
    if first in _VOWELS:
        formal = {"meng" + word}
        spoken.add("ng" + word)
    elif first == "k":
        formal = {"meng" + rest, "meng" + word}
        spoken.add("ng" + rest)
    elif first == "p":
        formal = {"mem" + rest, "mem" + word}
        spoken.add("m" + rest)
    elif first == "t":
        formal = {"men" + rest, "men" + word}
        spoken.add("n" + rest)
    elif first == "s":
        formal = {"meny" + rest, "men" + word}
        spoken.add("ny" + rest)
    elif first == "c":
        formal = {"men" + word}
        spoken.add("ny" + rest)
    elif first in "jd":
        formal = {"men" + word}
        spoken.add("n" + word)
    elif first in "bfv":
        formal = {"mem" + word}
        spoken.add("m" + word)
    elif first in "gh":
        formal = {"meng" + word}
        spoken.add("ng" + word)
    else:
        formal = {"me" + word}
    nouns = {"pe" + form[2:] for form in formal}
    return formal | nouns | spoken


def word_forms(word: str) -> frozenset[str]:
    """`word` itself and its prefixed, suffixed and clitic forms, all lowercase."""
    if not word.isalpha() or len(word) < 3:
        return frozenset({word})
    stems = {prefix + word for prefix in _SIMPLE_PREFIXES} | _nasal_forms(word)
    return frozenset(stem + suffix for stem in stems for suffix in _SUFFIXES)
