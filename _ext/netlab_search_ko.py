"""Korean for Sphinx's search: words found with their particles, in the index and in the query.

Korean writes a noun and its particle (조사) or a verb's ending as one word:
핸드셰이크는, 핸드셰이크를, 핸드셰이크의 are the same 핸드셰이크. Sphinx's search
has no Korean language (it would index the English stemmer's way, every
particle a different word), so this registers one (``app.add_search_language``):

* ``stem`` strips, again and again, the longest particle or ``하다``/``되다``
  ending a word ends with while a syllable is left (``korean_stem``), and stems
  words in Latin letters as the English edition does (Porter), so TCP는 is tcp;
* the same stemmer in JavaScript (``js_stemmer_code``) stems the words a
  reader types, so 핸드셰이크는 finds the pages that say 핸드셰이크 or
  핸드셰이크를. ``tests/test_i18n.py`` runs both stemmers on the same words.

Why not pagefind: it indexes the built HTML of any language, but it has no
Korean stemming either (a typed particle still has to be stripped), and it
loads its index with ``fetch``, which browsers refuse for ``file://`` pages,
while the site is meant to work from a downloaded copy. Sphinx's own search
loads ``searchindex.js`` as a script and works there; the English edition keeps
it unchanged.

Stripping is crude by design: a noun that happens to end like a particle (속도,
경로) is cut too (속, 경), in the index and in the query alike, so it is still
found; the price is an occasional extra page in the results.
"""

from __future__ import annotations

import json
import re
from typing import Any

import snowballstemmer
from sphinx.application import Sphinx
from sphinx.search import SearchLanguage
from sphinx.search.en import english_stopwords, js_porter_stemmer

# Particles (조사) and endings, longest first so that 에서는 goes before 는.
PARTICLES = [
    "에서부터", "으로부터", "이라든가", "에게서는", "로부터", "에게서", "한테서", "께서는", "에서는",
    "에게는", "으로는", "이라고", "이라는", "에서의", "으로서", "으로써", "에서", "에게", "한테",
    "으로", "부터", "까지", "처럼", "보다", "마다", "조차", "밖에", "이나", "이며", "이고", "하고",
    "이랑", "라고", "라는", "로서", "로써", "에는", "에도", "와는", "과는", "이란", "이다", "입니다",
    "은", "는", "이", "가", "을", "를", "의", "에", "도", "만", "로", "와", "과", "나", "랑", "란",
]
ENDINGS = [
    "하였습니다", "되었습니다", "했습니다", "됐습니다", "합니다", "됩니다", "하였다", "되었다",
    "한다", "된다", "했다", "됐다", "하는", "되는", "하고", "되고", "하면", "되면", "해서", "돼서",
    "하여", "되어", "하지", "되지", "하게", "되게",
]
SUFFIXES = sorted(set(PARTICLES + ENDINGS), key=lambda s: (-len(s), s))
HANGUL_END = re.compile(r"[\uac00-\ud7a3]$")
_porter = snowballstemmer.stemmer("porter")


def korean_stem(word: str) -> str:
    """``word`` without its particles and 하다/되다 endings; Latin words Porter-stemmed."""
    word = word.lower()
    changed = True
    while changed and HANGUL_END.search(word):
        changed = False
        for suffix in SUFFIXES:
            if word.endswith(suffix) and len(word) > len(suffix):
                word = word[: -len(suffix)]
                changed = True
                break
    if word.isascii():
        return _porter.stemWord(word)
    return word


JS_STEMMER = js_porter_stemmer.replace("var Stemmer = function", "var PorterStemmer = function") + """
/**
 * Korean: particles and endings stripped (_ext/netlab_search_ko.py), Latin words Porter-stemmed.
 */
var Stemmer = function() {
  var porter = new PorterStemmer();
  var suffixes = SUFFIXES;
  var hangulEnd = /[\\uac00-\\ud7a3]$/;
  this.stemWord = function(word) {
    word = word.toLowerCase();
    var changed = true;
    while (changed && hangulEnd.test(word)) {
      changed = false;
      for (var i = 0; i < suffixes.length; i++) {
        var s = suffixes[i];
        if (word.length > s.length && word.slice(-s.length) === s) {
          word = word.slice(0, -s.length);
          changed = true;
          break;
        }
      }
    }
    return /^[\\x00-\\x7f]*$/.test(word) ? porter.stemWord(word) : word;
  };
};
""".replace("SUFFIXES", json.dumps(SUFFIXES, ensure_ascii=False))


class SearchKorean(SearchLanguage):
    """Korean words indexed and queried without their particles."""

    lang = "ko"
    language_name = "Korean"
    js_stemmer_code = JS_STEMMER
    stopwords = english_stopwords

    def stem(self, word: str) -> str:
        return korean_stem(word)


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the Korean search language."""
    app.add_search_language(SearchKorean)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
