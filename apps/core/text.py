"""Vietnamese text: diacritic-insensitive search keys and Vietnamese alphabetical order.

Both are stored on rows (not computed in SQL at query time) so that they can be indexed:
`unaccent()` and collations at query time are two orders of magnitude slower at national scale.
"""

import unicodedata

# Vietnamese alphabet, then the foreign letters that appear in names (f, j, w, z) in Latin order.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
# Tone order used in dictionaries: level, grave, hook, tilde, acute, dot.
_TONES = {"": 0, "\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
# Letter modifiers that make a separate letter (ă â ê ô ơ ư), not a tone.
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}
# Symbols of the sort key: only digits and lowercase ASCII letters, because every collation
# (C, en_US, vi_VN, SQLite binary) orders those the same way.
_SYMBOLS = "123456789abcdefghijklmnopqrstuvwxyz"
_LETTER_SYMBOL = {letter: _SYMBOLS[i] for i, letter in enumerate(_ALPHABET)}


def fold(text: str) -> str:
    """Lowercase, strip diacritics, đ→d, collapse spaces: "Nguyễn  Văn Hùng" → "nguyen van hung"."""
    text = unicodedata.normalize("NFC", text or "").replace("đ", "d").replace("Đ", "d")
    decomposed = unicodedata.normalize("NFD", text.lower())
    stripped = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return " ".join(stripped.split())


def _split_letters(word: str) -> tuple[list[str], int]:
    """Return the base letters of a word (ă, ơ … kept whole) and its tone."""
    tone = 0
    letters: list[str] = []
    for char in unicodedata.normalize("NFD", word.lower()):
        if char in _TONES:
            tone = _TONES[char]
        elif char in _LETTER_MARKS and letters:
            letters[-1] = unicodedata.normalize("NFC", letters[-1] + char)
        elif unicodedata.category(char) != "Mn":
            letters.append(char)
    return letters, tone


def _words_key(words: list[str]) -> str:
    primary, tones = [], []
    for word in words:
        letters, tone = _split_letters(word)
        primary.append("".join(_LETTER_SYMBOL.get(ch, "") for ch in letters))
        tones.append(str(tone))
    # "0" separates words and sorts before every letter, so "An" comes before "Anh".
    return "0".join(primary) + "0" + "".join(tones)


def name_sort_key(family: str, middle: str, given: str) -> str:
    """Key for Vietnamese name order: given name first, then family and middle names.

    Within a part, letters compare by the Vietnamese alphabet (a ă â … đ …) before tones.
    """
    # NFC first: a name typed decomposed (NFD) sorts exactly like the same name precomposed.
    family, middle, given = (unicodedata.normalize("NFC", part or "") for part in (family, middle, given))
    given_words = given.split()
    rest_words = f"{family} {middle}".split()
    return f"{_words_key(given_words)}00{_words_key(rest_words)}"[:200]


def title_sort_key(title: str) -> str:
    """Key for a title in Vietnamese order ("Chi bộ Ấp 2" before "Chi bộ Bình An"), numbers by
    value, before words ("khu phố 2" before "khu phố 10" before "khu phố Tân Hòa")."""
    primary, tones = [], []
    for word in unicodedata.normalize("NFC", title or "").split():
        if word.isdigit() and len(word) < len(_SYMBOLS):
            # Before every letter ("0" is below every letter's symbol); the length first, so 9 < 10.
            primary.append("0" + _SYMBOLS[len(word)] + "".join(_SYMBOLS[int(d)] for d in word))
        else:
            letters, tone = _split_letters(word)
            primary.append("".join(_LETTER_SYMBOL.get(ch, "") for ch in letters))
            tones.append(str(tone))
    return ("0".join(primary) + "0" + "".join(tones))[:255]


# Two-word family names: "Âu Dương Thị Vân" is of the Âu Dương family, not Âu with a middle name.
COMPOUND_FAMILY_NAMES = frozenset(
    fold(name) for name in ("Âu Dương", "Tôn Thất", "Tôn Nữ", "Hoàng Phủ", "Tư Mã", "Gia Cát", "Thượng Quan")
)


def split_full_name(full_name: str) -> tuple[str, str, str]:
    """Split "Nguyễn Văn Hùng" into family, middle and given names."""
    words = " ".join((full_name or "").split()).split(" ")
    if len(words) == 1:
        return "", "", words[0]
    family = 2 if len(words) > 2 and fold(" ".join(words[:2])) in COMPOUND_FAMILY_NAMES else 1
    return " ".join(words[:family]), " ".join(words[family:-1]), words[-1]


def vn_sorted(items, key=lambda item: item):
    """Sort items whose key(item) is a full name in Vietnamese order (for short in-memory lists)."""
    return sorted(items, key=lambda item: name_sort_key(*split_full_name(key(item))))
