"""Text similarity of Italian descriptions: words stemmed by Snowball, weighted by TF-IDF, compared by cosine.

No model and no download: the stemmer is a pure-Python package, the weights come
from the organizations' own descriptions. Words shorter than three letters and
Italian function words are dropped; a stem keeps the commonest word it came
from, so an explanation shows "pulizia", not "puliz".
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import snowballstemmer

WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)

STOPWORDS = frozenset(
    """
    abbia abbiamo alla alle allo agli anche ancora avere aveva che chi come con contro cosa cui dal dalla dalle
    dallo dagli degli dei del della delle dello dentro deve devono dove due ecc essere fra gli hanno loro lungo
    nei nel nella nelle nello negli non nostra nostro oltre ogni oppure per perché più poi presso proprio quale
    quali quando quanto quella quelle quello questa queste questi questo sia siamo sono sua sue sui sul sulla
    sulle sullo suo tale tali tra tramite tutta tutte tutti tutto una uno verso viene vengono anni anno
    the and for with from that this are its our their into
    sede attività principale servizi servizio ente enti comune città metropolitana torino
    """.split()  # noqa: SIM905
)

_stemmer = snowballstemmer.stemmer("italian")
# Stems of the words already met: descriptions repeat their words, and Snowball in Python is slow.
_stems: dict[str, str] = {}


def words(text: str) -> list[str]:
    return [word for word in WORD.findall(text.lower()) if word not in STOPWORDS]


def stem_words(found: list[str]) -> list[str]:
    result = []
    for word in found:
        stem = _stems.get(word)
        if stem is None:
            stem = _stems[word] = _stemmer.stemWord(word)
        result.append(stem)
    return result


def stems(text: str) -> list[str]:
    return stem_words(words(text))


@dataclass
class Vocabulary:
    """Document frequencies over a corpus, and the commonest word of each stem."""

    documents: int = 0
    frequency: Counter[str] = field(default_factory=Counter)
    surface: dict[str, Counter[str]] = field(default_factory=dict)

    def add(self, text: str) -> list[str]:
        found = words(text)
        stemmed = stem_words(found)
        for stem, word in zip(stemmed, found, strict=True):
            self.surface.setdefault(stem, Counter())[word] += 1
        self.documents += 1
        self.frequency.update(set(stemmed))
        return stemmed

    def idf(self, stem: str) -> float:
        return math.log((1 + self.documents) / (1 + self.frequency.get(stem, 0))) + 1.0

    def word(self, stem: str) -> str:
        counts = self.surface.get(stem)
        return counts.most_common(1)[0][0] if counts else stem

    def vector(self, stemmed: Iterable[str]) -> dict[str, float]:
        """The L2-normalised TF-IDF vector of a document's stems."""
        counts = Counter(stemmed)
        weights = {stem: (1 + math.log(count)) * self.idf(stem) for stem, count in counts.items()}
        norm = math.sqrt(sum(weight * weight for weight in weights.values()))
        return {stem: weight / norm for stem, weight in weights.items()} if norm else {}


def shared_terms(first: dict[str, float], second: dict[str, float], *, limit: int = 3) -> list[str]:
    """The stems that weigh most in the similarity of two vectors."""
    products = {stem: weight * second[stem] for stem, weight in first.items() if stem in second}
    return [stem for stem, _ in sorted(products.items(), key=lambda item: (-item[1], item[0]))[:limit]]
