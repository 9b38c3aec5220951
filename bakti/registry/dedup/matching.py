"""Comparing two person records: name keys suited to Indonesian names, blocking keys, a score.

Indonesian names are spelt many ways: the old spelling (Soekarno / Sukarno, Djoko / Joko,
Tjahjo / Cahyo), Arabic names transliterated differently (Achmad / Ahmad / Akhmad, Muhammad /
Mohamad / Moh. / M.), doubled letters (Fitri / Fitrii), titles and honorifics (H., Hj., Drs.,
S.Pd.). :func:`normalise_name` folds these to one form; :func:`name_key` gives a short phonetic
key used for blocking, so that only records that share a key are ever compared.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass, field

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA, Levenshtein

from . import reasons

# Pairs scoring at least this are offered for review.
THRESHOLD = 0.85

TITLES = {
    "h",
    "hj",
    "haji",
    "hajjah",
    "drs",
    "dra",
    "dr",
    "ir",
    "prof",
    "st",
    "se",
    "sh",
    "spd",
    "skom",
    "sag",
    "amd",
    "mm",
    "mpd",
    "bpk",
    "bapak",
    "ibu",
    "ny",
    "nyonya",
    "sdr",
    "alm",
    "almh",
    "kh",
    "raden",
    "rr",
}
MUHAMMAD = {
    "m",
    "mh",
    "mhd",
    "moh",
    "mohd",
    "muh",
    "muhd",
    "mochammad",
    "mochamad",
    "mohammad",
    "mohamad",
    "mohamed",
    "muhamad",
    "muhammad",
    "muhammat",
    "muchammad",
    "muchamad",
    "mukhammad",
    "mukhamad",
}

# Old spelling and transliteration variants, applied in this order.
# The old spelling wrote y as j and j as dj (Djojo = Joyo): j and y are folded into one letter.
_REWRITES = [
    ("oe", "u"),
    ("tj", "c"),
    ("dj", "J"),
    ("sj", "sy"),
    ("nj", "ny"),
    ("j", "y"),
    ("J", "y"),
    ("ch", "h"),
    ("kh", "h"),
    ("dh", "d"),
    ("th", "t"),
    ("ph", "f"),
    ("v", "f"),
    ("q", "k"),
    ("z", "y"),
    ("x", "ks"),
    ("ie", "i"),
]


_DOUBLED = re.compile(r"(.)\1+")
_SOFT = re.compile(r"[aeiouhwy]")


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


@functools.lru_cache(maxsize=65536)
def normalise_token(token: str) -> str:
    """One name part in its folded form; cached, since a registry repeats a few thousand name
    parts over and over."""
    if token in MUHAMMAD:
        return "muhamad"
    for old, new in _REWRITES:
        token = token.replace(old, new)
    token = _DOUBLED.sub(r"\1", token)  # doubled letters
    return token


def name_tokens(name: str) -> list[str]:
    # Academic degrees follow a comma ("Budi Santoso, S.Pd."): drop them.
    text = _ascii(name).lower().split(",")[0]
    # Short dotted abbreviations ("S.Pd", "A.Md") become one token, then titles are dropped.
    text = re.sub(r"\b([a-z]{1,2})\.([a-z]{1,3})\b", r"\1\2", text)
    raw = [t for t in re.split(r"[^a-z]+", text.replace(".", " ")) if t]
    return [normalise_token(t) for t in raw if t not in TITLES]


def normalise_name(name: str) -> str:
    return " ".join(name_tokens(name))


@functools.lru_cache(maxsize=65536)
def _skeleton(token: str) -> str:
    """First letter plus the following consonants, vowels dropped: a crude phonetic key."""
    if not token:
        return ""
    rest = _SOFT.sub("", token[1:])
    return (token[0] + rest)[:4]


def name_key(name: str, tokens: list[str] | None = None) -> str:
    """A phonetic key of the name that ignores a leading Muhammad (so common it says nothing)."""
    tokens = name_tokens(name) if tokens is None else tokens
    meaningful = [t for t in tokens if t != "muhamad"] or tokens
    return _skeleton(meaningful[0]) if meaningful else ""


def full_name_key(name: str, tokens: list[str] | None = None) -> str:
    """Phonetic keys of every name part, sorted: catches swapped order of name parts."""
    tokens = name_tokens(name) if tokens is None else tokens
    return "-".join(sorted(_skeleton(t) for t in tokens if t != "muhamad"))


@dataclass(frozen=True)
class PersonRecord:
    """What matching needs of a person."""

    id: int
    full_name: str
    birth_date: dt.date | None
    region_id: str
    sex: str = ""
    nik: str | None = None
    household_id: int | None = None
    norm_name: str = field(default="", compare=False)

    @property
    def kabupaten(self) -> str:
        return self.region_id[:5]


def _parts(tokens: list[str]) -> tuple[str, str, str, str]:
    meaningful = [t for t in tokens if t != "muhamad"] or tokens
    first = _skeleton(meaningful[0]) if meaningful else ""
    last = _skeleton(meaningful[-1]) if meaningful else ""
    return " ".join(tokens), first, last, full_name_key("", tokens)


@functools.lru_cache(maxsize=262144)
def name_parts(full_name: str) -> tuple[str, str, str, str]:
    """The normalised name and its blocking keys (first part, last part, all parts sorted),
    once per distinct name: a registry repeats names over and over."""
    return _parts(name_tokens(full_name))


def blocking_keys_of(
    parts: tuple[str, str, str, str],
    birth_date: dt.date | None,
    kab: str,
    nik: str | None,
    sex: str | None = None,
) -> list[str]:
    """Keys under which a person is filed (``parts`` from :func:`name_parts`); two records are
    compared only when they share one. Every key includes the kabupaten so a block never spans
    the country. With ``sex`` ("M", "F", or "" when not recorded: filed under both), the name
    and date keys hold one sex: a pair of different sex scores at most :data:`DIFFERENT`, so
    for a threshold above it they need not meet (the date blocks of a large kabupaten halve)."""
    _norm, first, last, full = parts
    suffixes = [""] if sex is None else [f"|{sex}"] if sex else ["|M", "|F"]
    keys = []
    for suffix in suffixes:
        if birth_date:
            b = birth_date
            # A mistyped birth date (not merely day and month swapped) still meets the same
            # name: filed by year and the first and last name parts. With the first part
            # alone, these blocks grew with the kabupaten's population (every Agus born in
            # 1980), and so did the number of pairs to compare within them.
            keys.append(f"y|{kab}|{b.year}|{first}|{last}{suffix}")
            # The date with day and month in either order, so a swapped date still meets.
            low, high = sorted((b.day, b.month))
            keys.append(f"d|{kab}|{b.year}|{low}|{high}{suffix}")
        if full:
            keys.append(f"n|{kab}|{full}{suffix}")
    if nik:
        # Region and birth date part of the NIK: catches typos in the serial.
        keys.append(f"k|{nik[:12]}")
    return keys


def blocking_keys(person: PersonRecord) -> list[str]:
    """The blocking keys of one record (see :func:`blocking_keys_of`)."""
    tokens = person.norm_name.split() if person.norm_name else name_tokens(person.full_name)
    return blocking_keys_of(_parts(tokens), person.birth_date, person.kabupaten, person.nik)


@dataclass
class Match:
    """A score from 0 to 1 and the reasons (``{"rule", "detail"}``) behind it."""

    score: float
    reasons: list[dict[str, str]]


def date_similarity(a: dt.date | None, b: dt.date | None) -> tuple[float, str]:
    if a is None or b is None:
        return 0.3, reasons.BIRTH_DATE_MISSING
    if a == b:
        return 1.0, reasons.SAME_BIRTH_DATE
    if (a.year, a.month, a.day) == (b.year, b.day, b.month):
        return 0.9, reasons.DAY_MONTH_SWAPPED
    if (a.month, a.day) == (b.month, b.day) and abs(a.year - b.year) == 1:
        return 0.6, reasons.ONE_YEAR_APART
    if a.year == b.year and a.month == b.month:
        return 0.6, reasons.SAME_BIRTH_MONTH
    if a.year == b.year:
        return 0.35, reasons.SAME_BIRTH_YEAR
    if abs((a - b).days) <= 400:
        return 0.2, reasons.ABOUT_A_YEAR_APART
    return 0.0, reasons.DIFFERENT_BIRTH_DATES


def region_similarity(a: str, b: str) -> tuple[float, str]:
    if a == b:
        return 1.0, reasons.SAME_DESA
    if a[:8] == b[:8]:
        return 0.7, reasons.SAME_KECAMATAN
    if a[:5] == b[:5]:
        return 0.4, reasons.SAME_KABUPATEN
    return 0.0, reasons.DIFFERENT_KABUPATEN


NAME_WEIGHT, DATE_WEIGHT, REGION_WEIGHT, NIK_BONUS = 0.6, 0.28, 0.12, 0.1
# NIKs that differ only in the serial count for one person only with names at least this alike.
SERIAL_NAME = 0.95
# What different NIKs or a different sex multiply the score by.
DIFFERENT = 0.6
# Weight of the subset comparison (a name inside the other): two words or more, one word.
SUBSET, SUBSET_ONE_WORD = 0.9, 0.8


def name_floor(threshold: float) -> float:
    """The least name similarity with which a pair can still reach ``threshold`` (everything
    else at its best): pairs below it need not be scored at all."""
    best_rest = DATE_WEIGHT + REGION_WEIGHT + NIK_BONUS
    return max(0.0, (threshold - best_rest) / NAME_WEIGHT)


def name_similarity(a: str, b: str) -> float:
    """0-1 for two normalised names: the best of word-order-free, space-free (Nur Haliza /
    Nurhaliza) and subset (a dropped middle name) comparisons, lowered when a word of the
    shorter name has no close match in the other (Agus Pratama / Andi Pratama: siblings)."""
    short, long = sorted((a.split(), b.split()), key=len)
    # A subset of two words or more is a dropped middle name; one word alone (Fina / Fina
    # Suharto, Mulyadi / Mulyadi Puji Mulyono) is much weaker evidence: in a large kabupaten
    # many people share a first name and a birth date.
    subset = SUBSET if len(set(short)) >= 2 else SUBSET_ONE_WORD
    overall = (
        max(
            fuzz.token_sort_ratio(a, b),
            fuzz.ratio(a.replace(" ", ""), b.replace(" ", "")),
            subset * fuzz.token_set_ratio(a, b),
        )
        / 100
    )
    if not short:
        return overall
    cover = min(max(_word_similarity(word, other) for other in long) for word in short)
    return overall * (0.7 + 0.3 * cover)


def _word_similarity(word: str, other: str) -> float:
    """0-1 for two name parts. One slip of the keyboard (a letter wrong, missing, doubled, or
    two letters swapped: Andi / Anid, Tri / Try) in a part of three letters or more is a typo
    of the same part, not another name: Indel similarity alone rated Anid / Andi 0.75, as far
    apart as Agus / Andi, and a one-letter typo then cost the name twice (here and overall)."""
    if min(len(word), len(other)) >= 3 and OSA.distance(word, other, score_cutoff=1) <= 1:
        return 1.0
    return fuzz.ratio(word, other) / 100


def _nik_fits(person: PersonRecord) -> bool:
    """Whether the NIK's kecamatan, sex and birth date are the person's own."""
    nik, born = person.nik or "", person.birth_date
    if len(nik) != 16 or not nik.isdigit() or born is None:
        return False
    day = born.day + (40 if person.sex == "F" else 0)
    return (
        nik[:6] == person.region_id.replace(".", "")[:6]
        and nik[6:12] == f"{day:02d}{born.month:02d}{born.year % 100:02d}"
    )


def _issued_apart(a: PersonRecord, b: PersonRecord) -> bool:
    """Two NIKs a digit or two apart are usually one NIK mistyped, except when they differ in
    the kecamatan or birth-date digits and each agrees with its own record: then they were
    issued to two people (born on different days, or in different kecamatan)."""
    return a.nik[:12] != b.nik[:12] and _nik_fits(a) and _nik_fits(b)  # type: ignore[index]


def nik_typo(a: PersonRecord, b: PersonRecord) -> bool:
    """Whether two NIKs a digit or two apart are one NIK mistyped (see :func:`_issued_apart`)."""
    return Levenshtein.distance(a.nik, b.nik, score_cutoff=3) <= 2 and not _issued_apart(a, b)  # type: ignore[arg-type]


def known_distinct(a: PersonRecord, b: PersonRecord) -> bool:
    """Whether two records are two people by their NIKs: both have one, and the two are not one
    NIK mistyped."""
    return bool(a.nik and b.nik) and not nik_typo(a, b)


def compare(a: PersonRecord, b: PersonRecord) -> Match:
    """A score from 0 to 1 that ``a`` and ``b`` are the same person, with the reasons."""
    name_a = a.norm_name or normalise_name(a.full_name)
    name_b = b.norm_name or normalise_name(b.full_name)
    name = name_similarity(name_a, name_b)
    date, date_reason = date_similarity(a.birth_date, b.birth_date)
    region, region_reason = region_similarity(a.region_id, b.region_id)
    score = NAME_WEIGHT * name + DATE_WEIGHT * date + REGION_WEIGHT * region
    found = [
        {"rule": "name", "detail": reasons.name_detail(name)},
        {"rule": "birth_date", "detail": date_reason},
        {"rule": "region", "detail": region_reason},
    ]
    if a.nik and b.nik:
        if a.nik == b.nik:
            score = min(1.0, score + NIK_BONUS)
            found.append({"rule": "nik", "detail": reasons.SAME_NIK})
        elif nik_typo(a, b):
            distance = Levenshtein.distance(a.nik, b.nik)  # type: ignore[arg-type]
            serial_only = a.nik[:12] == b.nik[:12] and name < SERIAL_NAME  # type: ignore[index]
            if not serial_only:
                score = min(1.0, score + NIK_BONUS)
            # Else only the serial differs: Dukcapil numbers the people born on one day in one
            # kecamatan 0001, 0002, ...; two such people hold NIKs a digit apart. Evidence of
            # one person only when the names agree as well.
            detail = reasons.nik_detail(distance, serial_only=serial_only)
            found.append({"rule": "nik", "detail": detail})
        else:
            # Two different valid NIKs are strong evidence of two people.
            score *= DIFFERENT
            found.append({"rule": "nik", "detail": reasons.DIFFERENT_NIKS})
    if a.sex and b.sex and a.sex != b.sex:
        score *= DIFFERENT
        found.append({"rule": "sex", "detail": reasons.DIFFERENT_SEX})
    if a.household_id is not None and a.household_id == b.household_id and date < 1.0:
        # Relatives in one household share surnames and regions: need the same birth date.
        score *= 0.8
        found.append({"rule": "household", "detail": reasons.SAME_HOUSEHOLD})
    return Match(score=round(score, 4), reasons=found)
