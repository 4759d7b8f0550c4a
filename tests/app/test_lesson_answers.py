"""Checking typed answers: every way a student writes a value, and text that is no value."""

import pytest

import core
from app.lesson_answers import AnswerCheck, Verdict, answer_text, check_answer

RIGHT, WRONG, UNREADABLE = Verdict.RIGHT, Verdict.WRONG, Verdict.UNREADABLE


def verdict(typed: str, expected: object) -> Verdict:
    return check_answer(typed, expected).verdict


@pytest.mark.parametrize("typed", ["(1, 4)", "1, 4", "[1, 4]", "1 4", " ( 1,4 ) ", "(1, 4,)"])
def test_a_tuple_typed_any_of_the_ways(typed):
    assert verdict(typed, (1, 4)) is RIGHT


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("(4, 1)", WRONG), ("1, 4, 1", WRONG), ("(1,)", WRONG), ("14", WRONG), ("(1.0, 4.0)", RIGHT)],
)
def test_a_tuple_must_have_the_same_values_in_order(typed, expected):
    assert verdict(typed, (1, 4)) is expected


def test_a_one_element_tuple_needs_its_comma():
    assert verdict("(3,)", (3,)) is RIGHT
    assert verdict("3,", (3,)) is RIGHT
    wrong = check_answer("3", (3,))
    assert wrong == AnswerCheck(WRONG, "Not quite: the answer is one value in a tuple: (3,).")


@pytest.mark.parametrize(
    "typed", ["torch.Size([3, 4])", "Size([3, 4])", "core.Size([3, 4])", "(3, 4)", "3, 4", "[3,4]"]
)
def test_a_shape_typed_as_pytorch_prints_it_or_as_a_tuple(typed):
    assert verdict(typed, core.Size([3, 4])) is RIGHT


def test_a_shape_from_a_real_tensor():
    shape = core.arange(12).view(3, 4).t().shape

    assert verdict("torch.Size([4, 3])", shape) is RIGHT
    assert verdict("torch.Size([3, 4])", shape) is WRONG
    assert verdict("torch.Size([])", core.tensor(2.0).shape) is RIGHT


@pytest.mark.parametrize("typed", ["True", "true", "TRUE", "yes", "Yes", "y", "예", "네", "참"])
def test_true_in_english_and_korean(typed):
    assert verdict(typed, True) is RIGHT
    assert verdict(typed, False) is WRONG


@pytest.mark.parametrize(
    "typed", ["False", "false", "no", "No", "아니요", "아니오", "아니", "거짓"]
)
def test_false_in_english_and_korean(typed):
    assert verdict(typed, False) is RIGHT
    assert verdict(typed, True) is WRONG


def test_a_boolean_is_not_a_number():
    assert check_answer("1", True) == AnswerCheck(WRONG, "Not quite: the answer is True or False.")
    assert check_answer("True", 1) == AnswerCheck(WRONG, "Not quite: the answer is one number.")
    assert verdict("0", False) is WRONG


@pytest.mark.parametrize(
    ("typed", "expected", "result"),
    [
        ("6", 6, RIGHT),
        ("6.0", 6, RIGHT),
        ("6", 6.0, RIGHT),
        ("+6", 6, RIGHT),
        ("-2", -2, RIGHT),
        ("7", 6, WRONG),
        ("0.3333", 1 / 3, RIGHT),
        ("0.33", 1 / 3, WRONG),
        ("0.1", 0.10000000149011612, RIGHT),  # float32's 0.1, as .item() gives it
        ("1e-3", 0.001, RIGHT),
        ("0", 1e-9, RIGHT),
        ("0", 0.01, WRONG),
        ("2.5", 2.5, RIGHT),
    ],
)
def test_numbers_by_value_and_floats_within_a_small_tolerance(typed, expected, result):
    assert verdict(typed, expected) is result


def test_tensors_compare_by_their_values():
    matrix = core.arange(6).view(2, 3).t()

    assert verdict("[[0, 3], [1, 4], [2, 5]]", matrix) is RIGHT
    assert verdict("tensor([[0, 3], [1, 4], [2, 5]])", matrix) is RIGHT
    assert verdict("torch.tensor([[0, 3], [1, 4], [2, 5]])", matrix) is RIGHT
    assert verdict("[[0, 1, 2], [3, 4, 5]]", matrix) is WRONG
    assert verdict("tensor(15)", matrix.sum()) is RIGHT
    assert verdict("15", matrix.sum()) is RIGHT
    halves = core.tensor([0.5, 1.5])
    assert verdict("tensor([0.5000, 1.5000], dtype=torch.float32)", halves) is RIGHT
    assert verdict("0.5, 1.5", halves) is RIGHT


@pytest.mark.parametrize(
    "typed",
    ["float32", "torch.float32", "core.float32", "torch.float", "'float32'", "Float32", "FLOAT"],
)
def test_a_dtype_by_its_name_with_or_without_torch(typed):
    expected = core.arange(3.0).dtype

    # Case is not what the question asks about: answers compare without it, as words do.
    assert verdict(typed, expected) is RIGHT


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("−3", -3.0),  # the minus sign the lessons print (U+2212), copied from their text
        ("−3.", core.tensor(-3.0)),
        ("–3", -3),  # an en dash, as a word processor turns a minus
        ("（1，4）", (1, 4)),  # full-width, as an East Asian input method types them
        ("１，４", (1, 4)),
        ("６", 6),
        ("`(1, 4)`", (1, 4)),  # backticks, as the lessons write code
        ("`True`", True),
        ("[0 4 8]", [0, 4, 8]),  # as NumPy prints an array
        ("(4 1)", (4, 1)),
        ("[2. 4. 6.]", core.tensor([2.0, 4.0, 6.0])),
    ],
)
def test_minus_signs_full_width_forms_backticks_and_numpy_arrays_read_as_values(typed, expected):
    assert verdict(typed, expected) is RIGHT


def test_a_wrong_dtype():
    assert verdict("int64", core.float32) is WRONG
    assert verdict("torch.long", core.int64) is RIGHT
    assert check_answer("3", core.float32) == AnswerCheck(
        WRONG, "Not quite: the answer is a dtype."
    )


@pytest.mark.parametrize(
    ("typed", "result"),
    [
        ("MulBackward0", RIGHT),
        ("mulbackward0", RIGHT),
        ("'MulBackward0'", RIGHT),
        ("`MulBackward0`", RIGHT),
        ("AddBackward0", WRONG),
    ],
)
def test_a_word_ignoring_case_and_quotes(typed, result):
    assert verdict(typed, "MulBackward0") is result


def test_words_with_spaces_and_korean_words():
    assert verdict("  Channels   Last ", "channels last") is RIGHT
    assert verdict("연속 텐서", "연속 텐서") is RIGHT
    assert verdict("뷰 아님", "연속 텐서") is WRONG
    assert verdict("3", "3") is RIGHT


def test_nested_lists_and_tuples_compare_as_tuples():
    expected = ((1, 2), [3, (4, 5)])

    assert verdict("[[1, 2], [3, [4, 5]]]", expected) is RIGHT
    assert verdict("((1, 2), (3, (4, 5)))", expected) is RIGHT
    assert verdict("((1, 2), (3, (4, 6)))", expected) is WRONG
    assert check_answer("((1, 2),)", expected) == AnswerCheck(
        WRONG, "Not quite: the answer has 2 values."
    )


def test_none():
    assert verdict("None", None) is RIGHT
    assert verdict("0", None) is WRONG


def test_nothing_typed_says_to_type_an_answer_of_the_right_kind():
    assert check_answer("", (1, 4)) == AnswerCheck(
        UNREADABLE, "Type an answer first. Type the values separated by commas, such as (2, 3)."
    )
    assert check_answer("   ", True) == AnswerCheck(
        UNREADABLE, "Type an answer first. Type True or False (yes or no)."
    )
    assert check_answer("", 12) == AnswerCheck(
        UNREADABLE, "Type an answer first. Type a number, such as 12."
    )
    assert check_answer("", "MulBackward0") == AnswerCheck(
        UNREADABLE, "Type an answer first. Type a word."
    )
    assert check_answer("", core.int64) == AnswerCheck(
        UNREADABLE, "Type an answer first. Type a dtype, such as float32."
    )


@pytest.mark.parametrize("typed", ["(1, 4", "1,, 4", "((", "1 4)", ")", "#"])
def test_garbage_is_unreadable_not_wrong(typed):
    check = check_answer(typed, (1, 4))

    assert check == AnswerCheck(
        UNREADABLE,
        f"Could not read “{typed}”. Type the values separated by commas, such as (2, 3).",
    )


@pytest.mark.parametrize(
    "typed", ["y.stride()", "x.shape", "y[0]", "len(x)", "x.t().is_contiguous()", "3 * 4"]
)
def test_code_typed_literally_says_to_type_the_value(typed):
    check = check_answer(typed, (1, 4))

    assert check.verdict is UNREADABLE
    assert check.message == (
        f"“{typed}” is code: type the value it gives, not the code. "
        "Type the values separated by commas, such as (2, 3)."
    )


def test_code_is_unreadable_for_a_word_answer_too():
    check = check_answer("y.grad_fn.name()", "MulBackward0")

    assert check.verdict is UNREADABLE
    assert check.message.startswith("“y.grad_fn.name()” is code")


def test_a_bare_word_where_a_value_is_wanted():
    assert check_answer("stride", 12) == AnswerCheck(
        UNREADABLE, "“stride” is not a value. Type a number, such as 12."
    )


def test_right_and_a_plain_wrong_answer_say_so():
    assert check_answer("12", 12) == AnswerCheck(RIGHT, "Right!")
    assert check_answer("13", 12) == AnswerCheck(WRONG, "Not quite. Try again.")


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ((1, 4), "(1, 4)"),
        ((3,), "(3,)"),
        ((), "()"),
        ([1, [2, 3]], "[1, [2, 3]]"),
        (core.Size([3, 4]), "torch.Size([3, 4])"),
        (core.Size([]), "torch.Size([])"),
        (True, "True"),
        (False, "False"),
        (12, "12"),
        (2.5, "2.5"),
        (3.0, "3.0"),
        (1 / 3, "0.333333"),
        (1e-8, "1e-08"),
        (core.float32, "torch.float32"),
        (core.arange(4).view(2, 2), "[[0, 1], [2, 3]]"),
        (core.tensor(1.5), "1.5"),
        ("MulBackward0", "MulBackward0"),
        (None, "None"),
    ],
)
def test_answer_text_writes_the_value_as_python_prints_it(value, text):
    assert answer_text(value) == text


@pytest.mark.parametrize(
    "value",
    [(1, 4), (3,), core.Size([2, 3]), True, 6, 0.25, core.int64, core.arange(4).view(2, 2), "x"],
)
def test_answer_text_is_read_back_as_right(value):
    assert verdict(answer_text(value), value) is RIGHT
