"""Tracking codes are short, unguessable, typeable and carry a check character."""

from bakti.community import codes


def test_codes_have_ten_characters_without_look_alikes() -> None:
    for _ in range(200):
        code = codes.new_code()
        assert len(code) == 10
        assert not set(code) & set("01OI")
        assert codes.is_valid(code)


def test_a_single_typo_is_caught() -> None:
    code = codes.new_code()
    for position in range(len(code)):
        for replacement in codes.ALPHABET:
            if replacement == code[position]:
                continue
            typo = code[:position] + replacement + code[position + 1 :]
            assert not codes.is_valid(typo)


def test_people_may_type_lower_case_and_dashes() -> None:
    code = codes.new_code()
    typed = f"{code[:5].lower()} - {code[5:]}"
    assert codes.normalise(typed) == code
    assert codes.display(code) == f"{code[:5]}-{code[5:]}"


def test_codes_are_random() -> None:
    assert len({codes.new_code() for _ in range(1000)}) == 1000
