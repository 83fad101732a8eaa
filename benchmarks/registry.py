"""Benchmark: the registry (cadastro de clientes) on SQLite and PostgreSQL, with 1M customers.

One seeded brand of ``--customers`` customers (1M by default) with realistic
Brazilian names (accents, second first names, "da"/"dos" particles), valid
CPFs, unique e-mails and mobiles, and ``--orders-per-customer`` orders each, is
written through otocore's repositories (``add_many``: the triggers and keys of
migration 0007 are maintained as in production) to a fresh SQLite file and,
with ``--store postgresql``, to a throwaway PostgreSQL cluster started the way
``tests/contract/conftest.py`` starts one (Debian's binaries).

Parts (``--part``, repeatable; all by default):

* ``search``: ``--queries`` searches of each kind, drawn from stored customers
  and written the way people type them: *name* (a first name, sometimes
  without its accents or in capitals, and the first 3 to 5 letters of one of
  the surnames: "joao sil"), *cpf* (formatted, bare or with spaces), *e-mail*
  (in capitals) and *phone* ("(11) 98765-4321", "11987654321", "+55 11 98765
  4321"). Each is run through ``uow.customer_search.search`` (the query read
  and classified, the total counted, the first page of 50 sorted by name, and
  the page's figures read from its orders) inside one open unit of work, and
  beside it the *anchor*: the hand-written SQL of the same index lookup on the
  same connection (for names, the FTS5 ``MATCH`` with the name sort and
  ``LIMIT 50`` on SQLite; on PostgreSQL the full-text ``@@`` in a MATERIALIZED
  CTE, counted and sorted, ``LIMIT 50``: without the fence the generic plan of
  the prepared statement walks the name index, seconds at 1M; the equality on the indexed column for the
  others). Every exact search must find its customer. It prints p50, p95 and
  p99 in milliseconds, the anchor's p50 and p95, and the ratio of the p95s;
  the target is p95 <= 50 ms for each kind on each store.
* ``export``: the export figures of ``benchmarks/exports.py`` (all customers to CSV and to
  .xlsx through ``ExportService``, beside a hand-written ``csv.writer`` / XlsxWriter anchor
  on the same SQLite file; seconds, CPU seconds, rows per second, peak memory, the ratio;
  the target is 1M customers in <= 60 s with flat memory), taken once, on SQLite, with
  ``--export-runs`` runs of each runner.

Usage::

    python benchmarks/registry.py                          # 1M customers, SQLite and PostgreSQL
    python benchmarks/registry.py --store sqlite --queries 500
    python benchmarks/registry.py --quick                  # a smoke run (3,000 customers)
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa

from otocore.adapters.sql import open_database
from otocore.customers import Cpf, Customer, Email, Mobile
from otocore.orders import Channel, Order
from otocore.search import CustomerQuery, name_key

HERE = Path(__file__).resolve().parent
SEED = 20261206
TARGET_MS = 50.0
KINDS = ("name", "cpf", "email", "phone")

FIRST = [
    "João",
    "José",
    "Antônio",
    "Francisco",
    "Carlos",
    "Paulo",
    "Pedro",
    "Lucas",
    "Luiz",
    "Marcos",
    "Luís",
    "Gabriel",
    "Rafael",
    "Daniel",
    "Marcelo",
    "Bruno",
    "Eduardo",
    "Felipe",
    "Raimundo",
    "Rodrigo",
    "Manoel",
    "Mateus",
    "André",
    "Fernando",
    "Fábio",
    "Leonardo",
    "Gustavo",
    "Guilherme",
    "Leandro",
    "Tiago",
    "Anderson",
    "Ricardo",
    "Márcio",
    "Jorge",
    "Sebastião",
    "Alexandre",
    "Roberto",
    "Édson",
    "Diego",
    "Vítor",
    "Sérgio",
    "Cláudio",
    "Matheus",
    "Thiago",
    "Geraldo",
    "Adriano",
    "Luciano",
    "Júlio",
    "Renato",
    "Maria",
    "Ana",
    "Francisca",
    "Antônia",
    "Adriana",
    "Juliana",
    "Márcia",
    "Fernanda",
    "Patrícia",
    "Aline",
    "Sandra",
    "Camila",
    "Amanda",
    "Bruna",
    "Jéssica",
    "Letícia",
    "Júlia",
    "Luciana",
    "Vanessa",
    "Mariana",
    "Gabriela",
    "Vera",
    "Vitória",
    "Larissa",
    "Cláudia",
    "Beatriz",
    "Luana",
    "Rita",
    "Sônia",
    "Renata",
    "Eliane",
    "Josefa",
    "Simone",
    "Natália",
    "Cristiane",
    "Carla",
    "Débora",
    "Rosângela",
    "Jaqueline",
    "Rosa",
    "Daniela",
    "Aparecida",
    "Marlene",
    "Terezinha",
    "Raimunda",
    "Andréia",
    "Fabiana",
    "Lúcia",
    "Raquel",
    "Ângela",
    "Rafaela",
    "Joana",
    "Luzia",
    "Conceição",
    "Cecília",
    "Inês",
    "Íris",
    "Úrsula",
    "Glória",
    "Conceição",
]
LAST = [
    "Silva",
    "Santos",
    "Oliveira",
    "Souza",
    "Rodrigues",
    "Ferreira",
    "Alves",
    "Pereira",
    "Lima",
    "Gomes",
    "Costa",
    "Ribeiro",
    "Martins",
    "Carvalho",
    "Almeida",
    "Lopes",
    "Soares",
    "Fernandes",
    "Vieira",
    "Barbosa",
    "Rocha",
    "Dias",
    "Nascimento",
    "Andrade",
    "Moreira",
    "Nunes",
    "Marques",
    "Machado",
    "Mendes",
    "Freitas",
    "Cardoso",
    "Ramos",
    "Gonçalves",
    "Santana",
    "Teixeira",
    "Araújo",
    "Simões",
    "Magalhães",
    "Brandão",
    "Conceição",
    "Guimarães",
    "Falcão",
    "Leão",
    "Assunção",
    "Damião",
    "Romão",
    "Sebastião",
    "Bragança",
    "Jordão",
    "Mourão",
    "Tavares",
    "Cavalcanti",
    "Monteiro",
    "Moura",
    "Correia",
    "Pinto",
    "Azevedo",
    "Cunha",
    "Campos",
    "Batista",
    "Xavier",
    "Medeiros",
    "Aragão",
    "Loureiro",
    "Sá",
    "Brito",
    "Figueiredo",
    "Antunes",
    "Quintão",
    "Peçanha",
    "Tomé",
    "Galvão",
    "Estêvão",
    "Abreu",
    "Coelho",
    "Macedo",
    "Borges",
    "Siqueira",
    "Castro",
    "Neves",
]
PARTICLES = ("da", "de", "dos", "das", "do")
DDD = ("11", "21", "31", "41", "51", "61", "71", "81", "85", "91", "19", "27", "47", "62")


# the brand ---------------------------------------------------------------------------------


def _cpf(base: int) -> str:
    digits = [int(d) for d in f"{base:09d}"]
    for size in (9, 10):
        total = sum(d * w for d, w in zip(digits[:size], range(size + 1, 1, -1), strict=True))
        digits.append((11 - total) % 11 % 10)
    return "".join(map(str, digits))


def make_customers(count: int, *, seed: int = SEED) -> list[Customer]:
    """``count`` seeded customers with Brazilian names, CPFs, e-mails and mobiles."""
    rng = random.Random(seed)
    start = datetime(2020, 1, 1, tzinfo=UTC)
    people: list[Customer] = []
    bases = rng.sample(range(1_000_000, 999_999_999), count)
    phones = rng.sample(range(10_000_000, 99_999_999), count)
    for n in range(count):
        words = [rng.choice(FIRST)]
        if rng.random() < 0.3:
            words.append(rng.choice(FIRST))
        for _ in range(rng.choice((1, 2, 2, 3))):
            if rng.random() < 0.25:
                words.append(rng.choice(PARTICLES))
            words.append(rng.choice(LAST))
        name = " ".join(words)
        cpf = _cpf(bases[n])
        if cpf == cpf[0] * 11:  # pragma: no cover - a repeated-digit CPF: skip it
            cpf = _cpf(bases[n] + 1)
        local = name_key(f"{words[0]} {words[-1]}").replace(" ", ".")
        people.append(
            Customer(
                customer_id=f"C{n:07d}",
                name=name,
                registered_at=start + timedelta(minutes=n),
                cpf=Cpf(cpf),
                email=Email(f"{local}{n}@example.com"),
                mobile=Mobile(f"+55{DDD[n % len(DDD)]}9{phones[n]}"),
            )
        )
    return people


def make_orders(
    people: Sequence[Customer], per_customer: int, *, seed: int = SEED
) -> Iterator[Order]:
    """About ``per_customer`` orders per customer over 2025, 80% in store."""
    rng = random.Random(seed + 1)
    start = datetime(2025, 1, 1, 12, tzinfo=UTC)
    n = 0
    for person in people:
        for _ in range(rng.randint(0, 2 * per_customer)):
            n += 1
            yield Order(
                order_id=f"P{n:08d}",
                customer_id=person.customer_id,
                store_id=f"L{rng.randrange(50):02d}",
                placed_at=start + timedelta(minutes=rng.randrange(525_600)),
                total=Decimal(rng.randrange(1_000, 50_000)).scaleb(-2),
                seller_code=None,
                channel=Channel.STORE if rng.random() < 0.8 else Channel.ONLINE,
            )


def load(url: str, people: Sequence[Customer], per_customer: int) -> float:
    """Migrate ``url`` and write the brand through the repositories; return seconds."""
    began = time.perf_counter()
    db = open_database(url, upgrade=True)
    uow = db.unit_of_work()
    with uow:
        uow.customers.add_many(people)
        uow.orders.add_many(make_orders(people, per_customer))
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM ANALYZE")
    else:
        with db.engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
    db.close()
    return time.perf_counter() - began


# the queries ---------------------------------------------------------------------------------


def _plain(text: str) -> str:
    return name_key(text)


def queries(
    people: Sequence[Customer], per_kind: int, *, seed: int = SEED
) -> dict[str, list[tuple[str, str]]]:
    """Per kind, (text as typed, the id of the customer it was drawn from)."""
    rng = random.Random(seed + 2)
    out: dict[str, list[tuple[str, str]]] = {kind: [] for kind in KINDS}
    for person in rng.sample(list(people), per_kind):
        words = person.name.split()
        surnames = [w for w in words[1:] if w not in PARTICLES]
        surname = rng.choice(surnames)
        first = rng.choice((words[0], _plain(words[0]), words[0].upper()))
        prefix = _plain(surname)[: rng.randint(3, 5)]
        out["name"].append((f"{first} {prefix}", person.customer_id))
        if person.cpf is None or person.email is None or person.mobile is None:
            raise SystemExit(f"{person.customer_id} lacks a CPF, an e-mail or a mobile")
        cpf = person.cpf.digits
        cpf_text = rng.choice(
            (person.cpf.formatted, cpf, f"{cpf[:3]} {cpf[3:6]} {cpf[6:9]} {cpf[9:]}")
        )
        out["cpf"].append((cpf_text, person.customer_id))
        out["email"].append((person.email.address.upper(), person.customer_id))
        e164 = person.mobile.e164
        phone = rng.choice(
            (person.mobile.formatted, e164[3:], f"+55 {e164[3:5]} {e164[5:10]} {e164[10:]}")
        )
        out["phone"].append((phone, person.customer_id))
    return out


def anchor_sql(dialect: str, kind: str) -> str:
    """The hand-written query of one kind: the plain index lookup otocore's search wraps."""
    if kind == "name":
        if dialect == "sqlite":
            return (
                "SELECT * FROM customers WHERE rowid IN (SELECT rowid FROM customers_name_fts"
                " WHERE customers_name_fts MATCH :q) ORDER BY name_key, customer_id LIMIT 50"
            )
        return (
            "WITH m AS MATERIALIZED (SELECT * FROM customers"
            " WHERE array_to_tsvector(string_to_array(name_key, ' ')) @@ CAST(:q AS tsquery))"
            " SELECT *, (SELECT count(*) FROM m) AS total FROM m"
            ' ORDER BY name_key COLLATE "C", customer_id COLLATE "C" LIMIT 50'
        )
    column = {"cpf": "cpf", "email": "email", "phone": "mobile"}[kind]
    return f"SELECT * FROM customers WHERE {column} = :q"  # noqa: S608 - a fixed column name


def anchor_params(dialect: str, kind: str, text: str) -> dict[str, str]:
    """The anchor's parameters for ``text`` (normalized by hand, as the anchor's author would)."""
    if kind == "name":
        first, prefix = name_key(text).split(" ")
        if dialect == "sqlite":
            return {"q": f'"{first}"* AND "{prefix}"*'}
        return {"q": f"'{first}':* & '{prefix}':*"}
    if kind == "cpf":
        return {"q": "".join(ch for ch in text if ch.isdigit())}
    if kind == "email":
        return {"q": text.lower()}
    return {"q": Mobile.parse(text).e164}


def _percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def search_part(url: str, people: Sequence[Customer], per_kind: int) -> list[str]:
    """Time every kind of search and its anchor on ``url``; return the lines to print."""
    drawn = queries(people, per_kind)
    db = open_database(url)
    lines: list[str] = []
    uow = db.unit_of_work()
    with uow:
        conn: sa.Connection = uow.customer_search._c  # type: ignore[attr-defined]
        dialect = conn.dialect.name
        search = uow.customer_search.search
        for kind in KINDS:
            ours: list[float] = []
            theirs: list[float] = []
            missed = 0
            statement = sa.text(anchor_sql(dialect, kind))
            for text, customer_id in drawn[kind]:
                # round robin: each query once through otocore, once by hand
                began = time.perf_counter()
                found = search(CustomerQuery.parse(text))
                ours.append(time.perf_counter() - began)
                params = anchor_params(dialect, kind, text)
                began = time.perf_counter()
                rows = conn.execute(statement, params).all()
                theirs.append(time.perf_counter() - began)
                if kind != "name" and customer_id not in found.customer_ids:
                    missed += 1
                if kind != "name" and [r.customer_id for r in rows] != found.customer_ids:
                    missed += 1
            p50, p95, p99 = (1000 * _percentile(ours, q) for q in (0.5, 0.95, 0.99))
            a50, a95 = (1000 * _percentile(theirs, q) for q in (0.5, 0.95))
            verdict = "ok" if p95 <= TARGET_MS else "MISSED"
            lines.append(
                f"  {kind:<6} n={len(ours):<5} p50 {p50:7.2f}  p95 {p95:7.2f}  p99 {p99:7.2f} ms"
                f" | anchor p50 {a50:7.2f}  p95 {a95:7.2f} ms | p95 ratio {p95 / max(a95, 1e-6):5.2f}"
                f" | target p95 <= {TARGET_MS:.0f} ms: {verdict}"
                + (f" | {missed} WRONG ANSWERS" if missed else "")
            )
    db.close()
    return lines


# the parts ---------------------------------------------------------------------------------

PartFunction = Callable[[str, Sequence[Customer], argparse.Namespace], list[str]]


def _search(url: str, people: Sequence[Customer], args: argparse.Namespace) -> list[str]:
    return search_part(url, people, args.queries)


def _export(url: str, people: Sequence[Customer], args: argparse.Namespace) -> list[str]:
    """The export figures (``benchmarks/exports.py``): CSV and .xlsx, beside their anchors.

    Exports read the store a page at a time; the figures are taken on SQLite, with a brand
    of the same size seeded by the export benchmark (cached under the temporary directory).
    """
    if url.startswith("postgresql"):
        return ["  (the export figures are taken once, on SQLite)"]
    sys.path.insert(0, str(HERE))
    import exports

    code = exports.main(["--customers", str(args.customers), "--runs", str(args.export_runs)])
    if code != 0:
        raise SystemExit("the export benchmark failed: an anchor's file differs")
    return []


PARTS: dict[str, PartFunction] = {
    "search": _search,
    "export": _export,
}


# the run ------------------------------------------------------------------------------------


def _stores(names: Sequence[str], directory: Path) -> Iterator[tuple[str, str]]:
    """(store name, URL) of each store asked for; PostgreSQL is started only when asked."""
    if "sqlite" in names:
        yield "sqlite", str(directory / "registry.db")
    if "postgresql" in names:
        sys.path.insert(0, str(HERE))
        import _dailyjob as dj

        with dj.postgres_server() as server:
            server.execute('CREATE DATABASE "registry"')
            yield "postgresql", server.url("registry")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--orders-per-customer", type=int, default=2)
    parser.add_argument("--queries", type=int, default=300, help="searches of each kind")
    parser.add_argument(
        "--store", action="append", choices=("sqlite", "postgresql"), help="default: both"
    )
    parser.add_argument("--part", action="append", choices=sorted(PARTS), help="default: all")
    parser.add_argument(
        "--export-runs", type=int, default=1, help="runs of each export runner (medians)"
    )
    parser.add_argument("--quick", action="store_true", help="3,000 customers, 30 queries")
    args = parser.parse_args(argv)
    if args.quick:
        args.customers, args.queries = 3_000, 30
    stores = args.store or ["sqlite", "postgresql"]
    parts = args.part or list(PARTS)
    began = time.perf_counter()
    people = make_customers(args.customers)
    print(
        f"{args.customers:,} customers generated in {time.perf_counter() - began:.1f} s"
        f" (seed {SEED}); about {args.orders_per_customer} orders each"
    )
    with tempfile.TemporaryDirectory(prefix="otocore-bench-registry-") as folder:
        for store, url in _stores(stores, Path(folder)):
            seconds = load(url, people, args.orders_per_customer)
            print(f"{store}: written through the repositories in {seconds:.1f} s")
            for part in parts:
                print(f"{store}, part {part}:")
                for line in PARTS[part](url, people, args):
                    print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
