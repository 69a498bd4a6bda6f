"""Telling a commitment from a deferral.

"I'll consider it" answers an obstacle without clearing it. A commitment has a step in it: an
action verb and what it acts on ("Send the signed contract to legal", "Call Sam"). So an answer
is read clause by clause ("..., and send a plan"): past who and when ("I'll", "let me",
"tomorrow"), the first word is the verb, and it needs an object that is a thing or a person,
not "it", "that" or "to you". Verbs that only weigh a matter (think, consider, look, mull) are
no step, nor are light verbs whose object is a deferral ("take a look", "give it some
thought", "keep an eye on it"). The app.yaml list of vague phrases is taken out first, so a
team can refuse a phrasing of its own; what is left beside it must still hold a step ("Get
back to legal with the signed NDA" does, "Let me get back to you, Ana" does not).

Case, punctuation, curly quotes, contractions and text-speak do not matter: "Lemme get back to
u" is "let me get back to you".
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
    "wanna": "want to",
    "gotta": "got to",
    "lemme": "let me",
    "imma": "i am going to",
    "ill": "i will",  # "Ill think about it": the apostrophe is the first thing phones drop
    "u": "you",
    "ya": "you",
    "ur": "your",
    "pls": "please",
    "plz": "please",
    "l8r": "later",
    "tmrw": "tomorrow",
    "tmr": "tomorrow",
    "n": "and",
    "2": "to",
}

# Who, when and how sure: what stands before the verb and carries no step of its own.
_LEAD_WORDS = """
    i we you me us he she they it will shall would should could can cannot might may must
    let going to be am is are was just also then so ok okay yes yeah yep sure fine hmm well
    please maybe probably possibly perhaps definitely certainly surely happy glad want need
    needs got try trying attempt first quickly asap now later soon today tomorrow tonight
    eventually sometime next this that week weekend morning afternoon evening on by before
    after monday tuesday wednesday thursday friday saturday sunday mon tue wed thu fri all
    right personally myself ourselves my our your best
"""
LEAD = frozenset(_LEAD_WORDS.split())

# Words after the verb that name no thing: pronouns, particles, prepositions, time and hedges.
_FILLER_WORDS = """
    i we you me us it this that these those he she they them him her i'm will shall would
    should could can cannot might may let going to be am is are was do does did just also
    and or then so on about for with of the a an now later soon sometime sometimes eventually
    probably possibly perhaps maybe surely sure ok okay yes yeah yep hmm well fine try trying
    again please all right some point time when if once next week tomorrow today asap
    definitely certainly by over end month quarter year weekend morning afternoon evening
    tonight thanks thank promise first thing monday tuesday wednesday thursday friday
    saturday sunday january february march april may june july august september october
    november december back up out in into at around through what how whether why which
    something anything everything stuff things one more bit little while asap your my our
    his their its there here get got done soonest possible goes round best
"""
FILLER = frozenset(_FILLER_WORDS.split())

# Verbs that weigh a matter without moving it: no step whatever they are about.
_WEIGHING_WORDS = """
    think thinking thought consider considering ponder pondering mull mulling reflect
    reflecting contemplate contemplating wonder look looking glance peek revisit explore
    exploring sleep wait waiting circle monitor watch
"""
WEIGHING = frozenset(_WEIGHING_WORDS.split())

# The object that turns a light verb into a deferral: "take a look", "give it some thought".
_DEFERRAL_NOUNS = """
    look looks glance peek thought thoughts think consideration eye eyes stab shot go crack
    whirl spin chance mind moment minute
"""
DEFERRAL_NOUNS = frozenset(_DEFERRAL_NOUNS.split())

# Where one step ends and the next begins.
_CLAUSE_BREAK = re.compile(r"[,;:.!?…()\[\]/&+\n]+|\b(?:and|then|but|plus|also|so|or)\b")


def words(text: str) -> list[str]:
    """Lowercase words, with contractions and text-speak spelled out and punctuation gone."""
    folded = unicodedata.normalize("NFKC", text).lower()
    folded = folded.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    out: list[str] = []
    for token in re.findall(r"[\w']+", folded):
        token = token.strip("'")
        out += _CONTRACTIONS.get(token, token).split()
    return [w for w in out if w]


def _without(clause: list[str], phrase: list[str]) -> tuple[list[list[str]], bool]:
    """The clause cut where the phrase stood: its two sides are not one step."""
    pieces: list[list[str]] = [[]]
    found = False
    i = 0
    while i < len(clause):
        if phrase and clause[i : i + len(phrase)] == phrase:
            found = True
            pieces.append([])
            i += len(phrase)
        else:
            pieces[-1].append(clause[i])
            i += 1
    return [p for p in pieces if p], found


def is_step(clause: Sequence[str]) -> bool:
    """Whether a clause holds an action verb and a thing or person it acts on."""
    rest = list(clause)
    while rest and rest[0] in LEAD:
        rest.pop(0)
    if not rest or rest[0] in WEIGHING:
        return False
    objects = [w for w in rest[1:] if w not in FILLER]
    return bool(objects) and objects[0] not in DEFERRAL_NOUNS and objects[0] not in WEIGHING


def deferral(action: str, phrases: Sequence[str]) -> str | None:
    """What an action that puts things off amounts to, or None when it holds a step.

    The answer is the team's vague phrase it used ("think about it"), for the refusal to quote,
    or "" when it used none and simply names no step ("I'll consider it").
    """
    clauses = [words(part) for part in _CLAUSE_BREAK.split(action)]
    matched: str | None = None
    # Longest first, so "get back to you" is taken whole before "get back to".
    for phrase in sorted(phrases, key=lambda p: len(words(p)), reverse=True):
        cut: list[list[str]] = []
        for clause in clauses:
            pieces, found = _without(clause, words(phrase))
            cut += pieces
            if found and matched is None:
                matched = phrase
        clauses = cut
    if any(is_step(clause) for clause in clauses):
        return None
    return matched or ""
