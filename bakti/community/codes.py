"""Tracking codes: 9 random characters and a check character from an alphabet without the
look-alikes 0/O and 1/I, so that a code read over the phone or copied by hand is typed right,
and a mistyped one is caught before it is looked up. 32^9 (about 3.5e13) codes."""

import secrets

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
RANDOM_LENGTH = 9
LENGTH = RANDOM_LENGTH + 1


def check_character(body: str) -> str:
    """Luhn mod N over the alphabet: catches every single-character error and most swaps of
    neighbours."""
    n = len(ALPHABET)
    factor = 2
    total = 0
    for char in reversed(body):
        addend = factor * ALPHABET.index(char)
        factor = 1 if factor == 2 else 2
        total += addend // n + addend % n
    return ALPHABET[(n - total % n) % n]


def new_code() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    return body + check_character(body)


def normalise(raw: str) -> str:
    """Upper case, without spaces and dashes (people write ``abcde-fghjk``)."""
    return "".join(ch for ch in (raw or "").upper() if ch not in " -")


def is_valid(code: str) -> bool:
    return (
        len(code) == LENGTH
        and all(ch in ALPHABET for ch in code)
        and check_character(code[:-1]) == code[-1]
    )


def display(code: str) -> str:
    return f"{code[:5]}-{code[5:]}"
