"""CPFs as spreadsheets mangle them: leading zeros dropped, scientific notation.

docs/import.md ("CPFs from a spreadsheet") states the rule; the worked cases are in
tests/vectors/cpf.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from _support import cli
from otocore.adapters.memory import InMemoryUnitOfWork
from otocore.customers import (
    Cpf,
    CpfPolicy,
    _cpf_from_base,  # the sample brand's generator, checked by stdnum
)
from otocore.errors import NotFound, ValidationError
from otocore.importing import ImportRejected, import_file
from otocore.serialization import make_converter


@st.composite
def shortened(draw: st.DrawFn) -> tuple[str, str]:
    """A valid CPF that starts with one or more zeros, and the digits a spreadsheet keeps."""
    zeros = draw(st.integers(min_value=1, max_value=8))
    rest = draw(st.text("0123456789", min_size=9 - zeros, max_size=9 - zeros))
    digits = _cpf_from_base("0" * zeros + rest)
    stripped = digits.lstrip("0")
    if len(set(digits)) == 1 or not stripped:
        return draw(shortened())
    return digits, stripped


@given(shortened())
def test_restoring_the_zeros_gives_back_the_cpf(pair: tuple[str, str]) -> None:
    digits, stripped = pair
    assert CpfPolicy(restore_leading_zeros=True).parse(stripped) == Cpf(digits)


@given(shortened())
def test_without_the_policy_a_shortened_cpf_is_refused_with_the_remedy(
    pair: tuple[str, str],
) -> None:
    digits, stripped = pair
    with pytest.raises(ValidationError) as raised:
        CpfPolicy().parse(stripped, field="cpf")
    message = str(raised.value)
    assert message.startswith(f"cpf has {len(stripped)} digits, not 11: a spreadsheet may")
    assert Cpf(digits).formatted in message
    assert "--cpf-restore-zeros" in message


@given(st.text("0123456789", min_size=11, max_size=11))
def test_the_policy_never_changes_an_eleven_digit_answer(digits: str) -> None:
    def answer(policy: CpfPolicy) -> str:
        try:
            return policy.parse(digits).digits
        except ValidationError as exc:
            return str(exc)

    assert answer(CpfPolicy()) == answer(CpfPolicy(restore_leading_zeros=True))


@pytest.mark.parametrize("allow_repeated", [False, True])
@pytest.mark.parametrize("restore", [False, True])
@pytest.mark.parametrize("text", ["000.000.000-00", "00000000000", "0", "000000000"])
def test_all_zeros_is_refused_under_every_policy(
    text: str, allow_repeated: bool, restore: bool
) -> None:
    policy = CpfPolicy(allow_repeated_digits=allow_repeated, restore_leading_zeros=restore)
    with pytest.raises(ValidationError, match=r"^cpf (is not a CPF|must be 11 ASCII)"):
        policy.parse(text, field="cpf")


def test_the_policy_field_must_be_a_bool() -> None:
    with pytest.raises(ValidationError, match=r"^CpfPolicy.restore_leading_zeros must be a bool"):
        CpfPolicy(restore_leading_zeros="yes")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=r"^restore_leading_zeros must be a bool"):
        Cpf.parse("52998224725", restore_leading_zeros=1)  # type: ignore[arg-type]


def test_json_structuring_follows_the_policy() -> None:
    lenient = make_converter(cpf_policy=CpfPolicy(restore_leading_zeros=True))
    assert lenient.structure("1234567890", Cpf) == Cpf("01234567890")
    with pytest.raises(ValidationError, match="leading zeros"):
        make_converter().structure("1234567890", Cpf)


def _customers_csv(path: Path, cpf: str) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["customer_id", "name", "cpf", "registered_at"])
        writer.writerow(["C1", "Ana Souza", cpf, "2024-01-15T10:00:00-03:00"])
    return path


def test_an_import_row_with_a_shortened_cpf_is_a_row_error_that_says_so(tmp_path: Path) -> None:
    path = _customers_csv(tmp_path / "customers.csv", "1234567890")
    uow = InMemoryUnitOfWork()
    with pytest.raises(ImportRejected) as raised:
        import_file(uow, path)
    (error,) = raised.value.errors
    assert error.line == 2
    assert error.field == "cpf"
    assert "a spreadsheet may have dropped its leading zeros (012.345.678-90)" in error.rule
    with uow, pytest.raises(NotFound, match=r"^Customer 'C1' not found"):
        uow.customers.get("C1")


def test_an_import_restores_the_zeros_when_asked(tmp_path: Path) -> None:
    path = _customers_csv(tmp_path / "customers.csv", "1234567890")
    uow = InMemoryUnitOfWork()
    import_file(uow, path, cpf_policy=CpfPolicy(restore_leading_zeros=True))
    with uow:
        customer = uow.customers.get("C1")
    assert customer.cpf == Cpf("01234567890")


def test_the_command_line_restores_the_zeros_when_asked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _customers_csv(tmp_path / "customers.csv", "1234567890")
    db = f"sqlite:///{tmp_path / 'brand.sqlite'}"
    assert cli.run(capsys, "db", "upgrade", db)[0] == 0
    code, out, err = cli.run(capsys, "import", str(path), "--db", db)
    assert code != 0
    assert "leading zeros (012.345.678-90)" in out + err
    code, out, err = cli.run(capsys, "import", str(path), "--db", db, "--cpf-restore-zeros")
    assert code == 0, err
    code, out, err = cli.run(capsys, "customers", "show", "C1", "--db", db, "--json")
    assert code == 0, err
    assert '"cpf": "01234567890"' in out
