import pytest
from django.core.exceptions import ValidationError

from qifu.accounts.validators import build_credit_code, validate_credit_code


def test_a_known_valid_credit_code_is_accepted():
    validate_credit_code("91350100M000100Y43")


def test_generated_codes_are_valid():
    for serial in (1, 31, 961, 123456):
        validate_credit_code(build_credit_code(serial=serial))


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91350100M000100Y4", "18位"),
        ("91350100M000100Y44", "校验位"),
        ("91350100M000100YI3", "不允许的字符"),
    ],
)
def test_bad_credit_codes_are_rejected_with_a_clear_message(code, message):
    with pytest.raises(ValidationError) as info:
        validate_credit_code(code)
    assert message in info.value.messages[0]
