#!/usr/bin/env python3
"""Writes the sections "Value rules per item" and "Code tables and their sources" of
docs/records.md (between the markers <!-- value rules: begin/end -->) from the catalogs'
sources (tools/checkup_table.txt, include/myna/records/{drug,expense}.hpp) and
tools/code_tables/code_tables.json. Python 3 standard library only.

    python3 tools/code_tables/gen_value_rules.py [--check]
"""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, '..', '..'))
DOC = os.path.join(ROOT, 'docs', 'records.md')
BEGIN, END = '<!-- value rules: begin -->', '<!-- value rules: end -->'

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(ROOT, 'tests', 'data', 'variants'))
import build_variants as bv  # noqa: E402  (catalog kinds, names, the rule constants)

TABLES = json.load(open(os.path.join(HERE, 'code_tables.json'), encoding='utf-8'))
SETS = {s['id']: s for s in TABLES['code_sets']}
ITEM_SETS = {(i['record_type'], i['item']): i for i in TABLES['items']}

KIND_RULE = {
    'Text': 'T', 'Date': 'D', 'YearMonth': 'M', 'Count': 'N', 'Yen': 'Y', 'Decimal': 'X',
    'InstitutionCode': 'C', 'InsurerNumber': 'C', 'MedicineCode': 'C', 'PriceListCode': 'C', 'BranchNumber': 'C',
    'Coded': 'K',
}
CODE_FORM = {'InstitutionCode': '10 digits', 'InsurerNumber': '6 or 8 digits', 'MedicineCode': '9 digits',
             'PriceListCode': '12 × [0-9A-Z]', 'BranchNumber': '2 digits'}

LEGEND = """\
Rule letters (every rule here is **our assumption** unless the source column says otherwise: the
guideline fixes item numbers and names only and defines no format, range or length):

| rule | valid (typed value; re-encodes to the received text) | lenient: anything else | strict |
|---|---|---|---|
| **T** text | any JSON string, kept byte for byte; `""` is present and empty | invalid UTF-8 or an unpaired surrogate escape: value repaired with U+FFFD (one per maximal ill-formed subpart), `unparsed_text()` = the original (bytes / escape text), `text_repaired`. A JSON number: its digits as text, `wrong_json_type`. `true`/`false`/object/array: unparsed (compact JSON text), `wrong_json_type` | error on any issue |
| **D** date | `YYYYMMDD` or `YYYY-MM-DD`, a real Gregorian date (re-encoded in the form received) | unparsed, `unparsed_value`: 和暦 (`3370304`, `R06.01.15`, `S40.07.20`), `2024/1/15`, full-width digits, impossible dates, surrounding spaces | error |
| **M** year-month | `YYYYMM` or `YYYY-MM` (form kept) | unparsed: `20240115`, `R0601`, `2024/01` | error |
| **N** count | `0` or `[1-9][0-9]{0,8}`, string or JSON number | unparsed: `1.0`, `014`, full-width. A canonical negative integer: valid + `out_of_range` | error |
| **Y** yen | an optional `-`, then `0` or up to 15 digits without a leading zero, string or JSON number; **negative is a value** (corrections) | unparsed: `3,450`, `¥3450`, `3450.0`, 16+ digits | error |
| **X** decimal | canonical: an optional `-`, `0` or digits without a leading zero, optionally `.` and digits (at most 20), below 2^53 as an integer (15–16 significant digits), string or JSON number; trailing zeros kept (`82.0` stays `82.0`) | unparsed: `.5`, `5.`, `+5`, `05.6`, `1e3`, `１２０`, ` 5.6`, `L`, `H`, `未実施`, `0.5未満` | error |
| **C** code | the item's exact format (below); string | unparsed (`unparsed_value`): other lengths (`141234567`), lower case, spaces. A JSON number: its digits, `wrong_json_type` (+ `unparsed_value` when the digits no longer fit) | error |
| **K** coded answer | 1–3 ASCII digits (string; a JSON number adds `wrong_json_type`). In the item's table for the record's period: valid with meaning. Not in it: valid **without meaning** + `unknown_code` (unless the set is marked "no unknown_code") | unparsed: `－`, `＋`, `１`, `1 `, 4+ digits. Period-dependent code with no usable 実施年月日: no meaning + `ambiguous_code` | error |

For every rule: JSON `null` and a missing key are absent; `""` is absent for every kind but text
(`Profile::empty_is_absent`); a repeated key keeps the first value, adds `duplicate_item` and keeps
the later value as an `ExtraItem`; a key that is not in the catalog (after width folding and
aliases) is kept as an `ExtraItem` with `unknown_item` and is **not** an error in strict mode (the
item list can grow, e.g. 第4期 検査未実施の理由). Lenient (the default) keeps every value as
received (`unparsed_text()`) and never fails a record on a value; strict fails with a typed
`decode` error (record index, item number, item name) on the record's first issue in document
order; `ambiguous_code` counts at the end of its record. Only canonical forms are valid, so a valid
value re-encodes to exactly the received text.

Changes from the strict-only decoder of earlier versions: now valid — negative 使用量 / 一回用量 /
窓口負担相当額, `<`/`<=`/`>`/`>=` on checkup measurements, any 1–3 digit code (every set is open;
codes outside the table are `unknown_code`); now issues (errors under strict) — `05.6` / `014`-style
leading zeros (they do not re-encode to the received text), decimals beyond 2^53, invalid UTF-8 or
an unpaired surrogate escape in text, measurements beyond the MHLW 入力範囲 and negative counts
(`out_of_range`), period-dependent codes without a usable 実施年月日 (`ambiguous_code`).
"""


def catalog_rows():
    rows = []
    for line in open(os.path.join(ROOT, 'tools', 'checkup_table.txt'), encoding='utf-8'):
        if line.startswith('#') or not line.strip():
            continue
        p = line.rstrip('\n').split('|')
        rows.append(('checkup', int(p[1]), p[2], p[4].split(':')[0], p[5]))
    for rtype in ('drug', 'expense'):
        for (t, n), kind in sorted(bv.KINDS.items()):
            if t == rtype:
                rows.append((rtype, n, bv.NAMES[(rtype, n)], kind, ''))
    return rows


def coded_detail(rtype, n):
    item = ITEM_SETS[(rtype, n)]
    cs = SETS[item['code_set']]
    parts = []
    for t in cs['tables']:
        f, u = t['period']['from'], t['period']['until']
        period = '' if not f and not u else ('until ' + u if u else 'from ' + f) + ': '
        codes = ','.join(c['code'] for c in t['codes'])
        system = t['fhir_system'] or 'no FHIR system'
        parts.append(f'{period}`{cs["id"]}` {{{codes}}} ({system.replace("urn:oid:1.2.392.200119.6.", "OID …")})')
    flags = []
    if not cs['unknown_code_issue']:
        flags.append('no unknown_code')
    if not cs['fhir_category_use']:
        flags.append('not for FHIR categories')
    if any(c['meaning'] is None for t in cs['tables'] for c in t['codes']):
        flags.append('some meanings withheld')
    srcs = sorted({s for t in cs['tables'] for s in t['sources']})
    text = '; '.join(parts) + (' — ' + ', '.join(flags) if flags else '')
    return text, ', '.join(srcs)


def row(rtype, n, name, kind, unit):
    rule = KIND_RULE[kind]
    detail, source = '', 'assumption'
    lenient_extra = ''
    if kind in CODE_FORM:
        detail = CODE_FORM[kind]
    elif kind == 'Decimal':
        if (rtype, n) in bv.COMPARATOR_ALLOWED:
            detail = 'measured' + (f' ({unit})' if unit else '') + '; comparators `<` `<=` `>` `>=`'
            lenient_extra = 'negative → `out_of_range`'
            rng = bv.INPUT_RANGES.get((rtype, n))
            if rng:
                detail += f'; 入力範囲 {rng[0]:g}–{rng[1]:g}'
                lenient_extra += '; outside 入力範囲 → `out_of_range`'
                source = 'assumption; range: mhlw-program-r6 p.200'
        elif (rtype, n) in bv.NEGATIVE_ALLOWED:
            detail = '**negative expected (corrections)**; no comparator'
    elif kind == 'Yen':
        detail = '**negative expected (corrections)**'
    elif kind == 'Coded':
        detail, srcs = coded_detail(rtype, n)
        source = 'format: assumption; codes: ' + ('**source: none**' if srcs == 'none' else srcs)
    elif kind == 'Count':
        lenient_extra = 'negative → `out_of_range`'
    t = 'code' if kind in CODE_FORM else kind
    return f'| {n} | {name} | {t} | {rule}{": " + detail if detail else ""} | {rule}{"; " + lenient_extra if lenient_extra else ""} | error | {source} |'


def code_table_section():
    out = ['### Code tables and their sources', '',
           'Machine-readable: `tools/code_tables/code_tables.json` (built by '
           '`tools/code_tables/build_code_tables.py`, which reads the eCheckup package; see '
           '`tools/code_tables/README.md` for every source, the 第4期 changes and the disagreements). '
           'Period: by the record\'s 実施年月日 (before 2024-04-01: 第3期; from 2024-04-01: 第4期).', '',
           '| code set | items | period | FHIR CodeSystem | codes | sources (verification) |', '|---|---|---|---|---|---|']
    items_by_set = {}
    for i in TABLES['items']:
        items_by_set.setdefault(i['code_set'], []).append(f'{i["record_type"][0]}{i["item"]}')
    for cs in TABLES['code_sets']:
        for t in cs['tables']:
            f, u = t['period']['from'], t['period']['until']
            period = 'all' if not f and not u else (f'until {u}' if u else f'from {f}')
            codes = ', '.join(f'{c["code"]} {c["meaning"] if c["meaning"] is not None else "(withheld)"}'
                              for c in t['codes'])
            srcs = ', '.join(t['sources']) + f' ({t["verification"]})'
            if 'none' in t['sources']:
                srcs = '**source: none** — SDK assumption, not for FHIR categories'
            out.append(f'| {cs["name"]} | {" ".join(items_by_set.get(cs["id"], []))} | {period} | '
                       f'{t["fhir_system"] or "—"} | {codes} | {srcs} |')
    out += ['', 'Items are written `d7` (薬剤情報 項番7), `c122` (特定健診情報 項番122). Questionnaire items 97–99, '
            '101–103 and 105–107 are free text. Disputed tables (SCOTT分類, 後期 たばこ code 3) and the '
            'question change of item 126 are listed under "disagreements" in code_tables.json.']
    return '\n'.join(out)


def section():
    titles = {'drug': '薬剤情報 (table 2.4-2)', 'checkup': '特定健診情報 (table 2.4-3)', 'expense': '医療費通知情報 (table 2.4-4)'}
    out = [BEGIN, '', '## Value rules per item', '',
           '*Generated from the catalogs (`include/myna/records/*.hpp`: kinds, formats, code sets, '
           '`with_negative_expected`, `with_comparator`, `with_range`) and `tools/code_tables/code_tables.json` by '
           '`tools/code_tables/gen_value_rules.py`; CTest `value_rules_doc_current` fails when this section is stale. '
           'The variant corpus (`tests/data/variants/`) checks the decoder against these rules in both policies '
           '(`unit_variants`); `docs/errors.md` describes the policies and the issue kinds.*', '', LEGEND]
    rows = catalog_rows()
    for rtype in ('drug', 'checkup', 'expense'):
        out += [f'### {titles[rtype]}', '', '| 項番 | 項目名 | type | accepted forms | lenient | strict | source of the rule |',
                '|---|---|---|---|---|---|---|']
        out += [row(*r) for r in rows if r[0] == rtype]
        out.append('')
    out += [code_table_section(), '', END]
    return '\n'.join(out) + '\n'


def main():
    doc = open(DOC, encoding='utf-8').read()
    new = section()
    if BEGIN in doc:
        head, rest = doc.split(BEGIN, 1)
        tail = rest.split(END, 1)[1].lstrip('\n')
        text = head + new + tail
    else:
        text = doc.rstrip('\n') + '\n\n' + new
    if '--check' in sys.argv:
        same = text == doc
        print('docs/records.md value rules are up to date' if same else 'docs/records.md is stale')
        return 0 if same else 1
    open(DOC, 'w', encoding='utf-8').write(text)
    print('wrote the value rules of docs/records.md')
    return 0


if __name__ == '__main__':
    sys.exit(main())
