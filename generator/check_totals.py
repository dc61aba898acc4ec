"""Totals: a 合计/总计 row of a table, and ``共X个，其中A个、B个……`` in running text.

A table row whose label is 合计, 总计 or 共计 must hold, in each column of plain numbers, the sum
of the rows above it (back to the header or the previous total); 小计 rows are left out of the
sum when a 合计 follows them. Columns of rates (``%``, 率, 占比) are not added up.

In running text, the parts listed after 其中 must not add up to more than the total before it,
counted in the same unit: ``执法检查155次，其中双随机抽查131次、专项检查23次、即时检查1次``. The
parts run to the end of the 其中 bracket, or else of the sentence or clause, and stop at a clause
that starts something new (``完成…``). Parts that add up to less are not an error: 其中 often
names only some of the whole (``共50个，其中5A级2个、4A级10个``).
"""

from __future__ import annotations

import decimal
import re
from decimal import Decimal

from generator.check_text import (
    ERROR,
    CheckParagraph,
    CheckTable,
    Finding,
    Quantity,
    bracket_chains,
    number_text,
    plain_digits,
    quantities,
    sentences,
)
from generator.stated_rates import RATE_CONTEXT

_TOTAL_LABELS = frozenset({"合计", "总计", "共计", "总数", "全市合计", "全省合计"})
_SUBTOTAL_LABELS = frozenset({"小计"})
_CELL_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_RATE_HEADER = re.compile(r"率|%|％|占比|比重|比例|同比|增幅|增长|排名|序号|名次")
_WHERE = re.compile(r"其中")
_NEW_CLAUSE = re.compile(
    r"^(?:完成|实现|开展|推进|推动|建成|启动|召开|出台|制定|制订|印发|组织|举办|引进|落实|加强|加快"
    r"|提升|累计|同时|并|另|此外|有效|全市|全省|全年|共|总|比|较|同比|占|均|达到|超额|新增|新建"
    r"|新开工|以及)"
)


def check_table_totals(table: CheckTable) -> list[Finding]:
    """Every 合计/总计 row whose numbers are not the sums of the rows above it."""
    findings: list[Finding] = []
    header: tuple[CheckParagraph, ...] | None = None
    block: list[tuple[CheckParagraph, ...]] = []
    for row in table.rows:
        labels = {_squeezed(cell.text) for cell in row}
        if labels & _TOTAL_LABELS:
            findings.extend(_compare(row, block, header))
            block = []
        elif labels & _SUBTOTAL_LABELS:
            findings.extend(_compare(row, block, header))
        elif header is None and not any(_number(cell.text) is not None for cell in row):
            header = row
            block = []
        else:
            block.append(row)
    return findings


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _number(text: str) -> Decimal | None:
    plain = _squeezed(plain_digits(text))
    return Decimal(plain.replace(",", "")) if _CELL_NUMBER.match(plain) else None


def _compare(
    total: tuple[CheckParagraph, ...],
    rows: list[tuple[CheckParagraph, ...]],
    header: tuple[CheckParagraph, ...] | None,
) -> list[Finding]:
    findings: list[Finding] = []
    rows = [row for row in rows if len(row) == len(total)]
    if len(rows) < 2:
        return findings
    for column, cell in enumerate(total):
        stated = _number(cell.text)
        if stated is None:
            continue
        labelled = header is not None and len(header) == len(total)
        if labelled and header is not None and _RATE_HEADER.search(header[column].text):
            continue
        parts = [_number(row[column].text) for row in rows]
        if any(
            part is None and row[column].text.strip() for part, row in zip(parts, rows, strict=True)
        ):
            continue
        values = [part for part in parts if part is not None]
        if len(values) < 2:
            continue
        with decimal.localcontext(RATE_CONTEXT):
            added = sum(values, Decimal(0))
        if abs(added - stated) <= _tolerance([stated, *values]):
            continue
        shown = " + ".join(number_text(value) for value in values)
        name = (
            header[column].text.strip() if header is not None and len(header) == len(total) else ""
        )
        findings.append(
            Finding(
                ERROR,
                "total",
                "table-total",
                cell.place_at(0),
                f"{_squeezed(total[0].text) or '合计'}行{('“' + name + '”') if name else ''}的 "
                f"{cell.text.strip()} 不等于上面各行之和",
                cell.context(0, len(cell.text)),
                f"{shown} = {number_text(added)}",
                "请核对合计数和各行的数。",
            )
        )
    return findings


def _tolerance(values: list[Decimal]) -> Decimal:
    """Half a unit of the last place shown, for each rounded number that was added."""
    places = max((-value.as_tuple().exponent for value in values), default=0)  # type: ignore[operator]
    if places <= 0:
        return Decimal(0)
    return Decimal(1).scaleb(-places) / 2 * len(values)


def check_text_totals(paragraph: CheckParagraph) -> list[Finding]:
    """Every ``X，其中A、B……`` of a paragraph whose parts add up to more than X."""
    text = plain_digits(paragraph.text)
    chains = bracket_chains(text)
    found = quantities(text)
    bounds = sentences(text)
    findings: list[Finding] = []
    for match in _WHERE.finditer(text):
        where = match.start()
        chain = chains[where]
        total = _total(text, where, found, bounds, chain)
        if total is None:
            continue
        parts = _parts(text, match.end(), found, bounds, chains, total)
        if len(parts) < 2:
            continue
        with decimal.localcontext(RATE_CONTEXT):
            added = sum((part.value for part in parts), Decimal(0))
        if added <= total.value + _tolerance([total.value, *(part.value for part in parts)]):
            continue
        shown = " + ".join(part.typed for part in parts)
        findings.append(
            Finding(
                ERROR,
                "total",
                "parts-exceed-total",
                paragraph.place_at(parts[0].start),
                f"“其中”各项之和大于总数 {total.typed}",
                paragraph.context(total.start, parts[-1].end, width=6),
                f"{shown} = {number_text(added / _scale(total))}{_unit_shown(total)}，"
                f"大于 {total.typed}",
                "请核对总数和各项的数；如果后面的数不属于“其中”，加 --lenient 只作提醒。",
            )
        )
    return findings


def _scale(quantity: Quantity) -> Decimal:
    """What ``value`` was multiplied by for the magnitude typed (万, 亿)."""
    typed = quantity.typed.replace(",", "").replace(" ", "")
    number = re.match(r"\d+(?:\.\d+)?", typed)
    assert number is not None
    return quantity.value / Decimal(number[0])


def _unit_shown(quantity: Quantity) -> str:
    typed = quantity.typed.replace(" ", "")
    number = re.match(r"[\d.,]+", typed)
    return typed[number.end() :] if number else ""


def _total(
    text: str,
    where: int,
    found: list[Quantity],
    bounds: list[tuple[int, int]],
    chain: tuple[int, ...],
) -> Quantity | None:
    """The total before 其中: the last quantity of its sentence before it (or of the sentence
    before, when 其中 starts a sentence), outside the 其中's own bracket."""
    sentence = next((start for start, end in bounds if start <= where < end), 0)
    inside = chain[:-1] if chain and text[chain[-1] + 1 : where].strip("，, ") == "" else chain
    before = [
        quantity
        for quantity in found
        if quantity.end <= where and not quantity.is_rate and quantity.brackets == inside
    ]
    if not before:
        return None
    last = before[-1]
    if last.start >= sentence:
        between = text[last.end : where]
        return last if not re.search(r"[；;]", between) else None
    if text[sentence:where].strip(" ，,（(") == "":
        previous = next((start for start, end in bounds if end == sentence), None)
        if previous is not None and last.start >= previous:
            return last
    return None


def _parts(
    text: str,
    start: int,
    found: list[Quantity],
    bounds: list[tuple[int, int]],
    chains: list[tuple[int, ...]],
    total: Quantity,
) -> list[Quantity]:
    """The quantities counted like ``total`` from ``start`` to the end of the 其中's bracket,
    or else of its clause, stopping at a clause that starts something new."""
    chain = chains[start - 2]
    bracketed = bool(chain) and text[chain[-1] + 1 : start - 2].strip("，, ") == ""
    if bracketed:
        end = next(
            (index for index in range(start, len(text)) if len(chains[index]) < len(chain)),
            len(text),
        )
    else:
        end = next((high for low, high in bounds if low <= start < high), len(text))
        stop = re.search(r"[；;]", text[start:end])
        if stop:
            end = start + stop.start()
        for clause in re.finditer(r"[，,]", text[start:end]):
            following = text[start + clause.end() : end].lstrip()
            if _NEW_CLAUSE.match(following):
                end = start + clause.start()
                break
    parts: list[Quantity] = []
    for quantity in found:
        if not start <= quantity.start < end or quantity.brackets != chain:
            continue
        if quantity.is_rate and not bracketed:
            break
        if quantity.unit == total.unit and not quantity.is_rate:
            if quantity.value > total.value:
                break  # more than the whole: not a part, a new statement (入库新开工项目28个)
            parts.append(quantity)
    return parts
