"""Finding a curator's quote in its source text: exactly once, as code-point offsets of the original text.

Text copies lose and change characters: line breaks become spaces, en dashes become hyphens, curly quotes
become straight ones. Both the quote and the source are compared after the same normalisation (every run of
white space is one space; every dash is '-'; every quote mark is ' or "), and the match is mapped back to the
offsets of the original text, which is what a W3C Web Annotation TextPositionSelector counts.

A quote found nowhere, or more than once, is an error that says where the nearest text is.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass

# Characters a text copy may exchange for one another, mapped to one representative.
_EQUIVALENT_CHARACTERS = str.maketrans({
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
})
NEAREST_SHOWN = 3
_MINIMUM_ANCHOR = 4  # characters a candidate must share with the quote in one run to be worth scoring


@dataclass(frozen=True)
class Located:
    """Where a quote lies in the original text: [start, end) in code points."""

    start: int
    end: int


@dataclass(frozen=True)
class NearMatch:
    """A stretch of the text that resembles a quote, for the error message."""

    start: int
    end: int
    similarity: float
    text: str


class QuoteNotFound(Exception):
    def __init__(self, nearest: list[NearMatch]):
        self.nearest = nearest


class QuoteAmbiguous(Exception):
    def __init__(self, places: list[Located]):
        self.places = places


class NormalisedText:
    """A text after normalisation, with the original offset of every normalised character."""

    def __init__(self, original: str):
        self.original = original
        characters: list[str] = []
        offsets: list[int] = []
        pending_space = False
        for offset, character in enumerate(original):
            if character.isspace():
                pending_space = bool(characters)
                continue
            if pending_space:
                characters.append(" ")
                offsets.append(offset - 1)
                pending_space = False
            characters.append(character.translate(_EQUIVALENT_CHARACTERS))
            offsets.append(offset)
        self.text = "".join(characters)
        self.offsets = offsets

    def original_span(self, start: int, end: int) -> Located:
        """The original [start, end) covering normalised characters [start, end)."""
        return Located(self.offsets[start], self.offsets[end - 1] + 1)


def normalise(text: str) -> str:
    return NormalisedText(text).text


def locate_quote(quote: str, source: NormalisedText) -> Located:
    """The one place `quote` occurs in the source; QuoteNotFound or QuoteAmbiguous otherwise."""
    needle = normalise(quote)
    if not needle:
        raise QuoteNotFound([])
    places = []
    index = source.text.find(needle)
    while index != -1:
        places.append(source.original_span(index, index + len(needle)))
        index = source.text.find(needle, index + 1)
    if len(places) == 1:
        return places[0]
    if places:
        raise QuoteAmbiguous(places)
    raise QuoteNotFound(nearest_matches(needle, source))


def nearest_matches(needle: str, source: NormalisedText, limit: int = NEAREST_SHOWN) -> list[NearMatch]:
    """The stretches of the source most like `needle`, best first, not overlapping."""
    haystack = source.text
    matcher = difflib.SequenceMatcher(None, haystack, needle, autojunk=False)
    starts = {max(0, block.a - block.b) for block in matcher.get_matching_blocks() if block.size >= _MINIMUM_ANCHOR}
    scored = []
    for start in starts:
        end = min(len(haystack), start + len(needle))
        ratio = difflib.SequenceMatcher(None, haystack[start:end], needle, autojunk=False).ratio()
        scored.append((ratio, start, end))
    chosen: list[NearMatch] = []
    for ratio, start, end in sorted(scored, key=lambda item: (-item[0], item[1])):
        if any(start < other.end and other.start < end for other in chosen):
            continue
        located = source.original_span(start, end)
        chosen.append(NearMatch(located.start, located.end, ratio, haystack[start:end]))
        if len(chosen) == limit:
            break
    return chosen
