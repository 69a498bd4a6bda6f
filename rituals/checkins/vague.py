"""Telling a commitment from a deferral.

"I'll think about it" answers an obstacle without clearing it. The rule: take out every vague
phrase (app.yaml's list) and the filler words around them ("I'll", "maybe", "later", "on
that", "by Friday"); if fewer than two words are left to say what will be done, the answer is
a deferral. So "Let me
get back to you on that!" is refused, and "Think through the pricing options with Sam and send
a plan" is not: its soft word stands beside real steps. Case, punctuation, curly quotes and
contractions do not matter: "WE'LL SEE..." is "we will see".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

_CONTRACTIONS = {
    "i'll": "i will",
    "we'll": "we will",
    "you'll": "you will",
    "he'll": "he will",
    "she'll": "she will",
    "they'll": "they will",
    "i'm": "i am",
    "we're": "we are",
    "let's": "let us",
    "won't": "will not",
    "can't": "cannot",
    "i'd": "i would",
    "we'd": "we would",
    "it's": "it is",
    "that's": "that is",
    "gonna": "going to",
    "ill": "i will",  # "Ill think about it": the apostrophe is the first thing phones drop
}

# Words that carry no action of their own: what is left of a deferral once its phrase is out.
_FILLER_WORDS = """
    i we you me us it this that he she they them i'm will shall would should could can cannot
    might may let going to be am is are was do does did just also and or then so on about for
    with of the a an now later soon sometime sometimes eventually probably possibly perhaps
    maybe surely sure ok okay yes yeah yep hmm well fine try trying again please all right
    some point time when if once next week tomorrow today asap definitely certainly
    by over end this that month quarter year weekend morning afternoon evening tonight
    thanks thank promise first thing monday tuesday wednesday thursday friday saturday sunday
    january february march april may june july august september october november december
"""
FILLER = frozenset(_FILLER_WORDS.split())


# What a deferral says of "it" it says of "this" and "that": "think about this".
_SAME_AS_IT = {"this": "it", "that": "it"}


def words(text: str) -> list[str]:
    """Lowercase words, with contractions spelled out, punctuation gone, and "this" and "that"
    read as "it"."""
    folded = unicodedata.normalize("NFKC", text).lower()
    folded = folded.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    tokens = re.findall(r"[\w']+", folded)
    out: list[str] = []
    for token in tokens:
        token = token.strip("'")
        out += _CONTRACTIONS.get(token, token).split()
    return [_SAME_AS_IT.get(w, w) for w in out if w]


def _without(tokens: list[str], phrase: list[str]) -> tuple[list[str], bool]:
    size = len(phrase)
    out: list[str] = []
    found = False
    i = 0
    while i < len(tokens):
        if size and tokens[i : i + size] == phrase:
            found = True
            i += size
        else:
            out.append(tokens[i])
            i += 1
    return out, found


def deferral(action: str, phrases: Sequence[str]) -> str | None:
    """The vague phrase an action amounts to, or None when it says what will be done.

    An action made only of filler ("will do", "soon") counts as a deferral too, named by its
    own words; so does a deferral with a single word beside it ("let me get back to you, Ana").
    """
    tokens = words(action)
    matched: str | None = None
    # Longest first, so "get back to you" is taken whole before "get back to".
    for phrase in sorted(phrases, key=lambda p: len(words(p)), reverse=True):
        tokens, found = _without(tokens, words(phrase))
        if found and matched is None:
            matched = phrase
    left = [t for t in tokens if t not in FILLER]
    # Beside a deferral, one stray word ("..., Ana") is not yet an action: it takes a verb
    # and what it acts on ("and send Ana the list").
    if len(left) >= (2 if matched else 1):
        return None
    return matched or " ".join(words(action)) or action
