#!/usr/bin/env python3
"""Builds the variant corpus: for every case of cases.py one <id>.telegram (the exact bytes of a
result telegram, IFA0303-S01) and one <id>.expect.json (the expected outcome in both policies).

Per-item expectations are written by hand in cases.py; this script derives only what follows
from them mechanically (issue counts, the strict outcome, code meanings from
tools/code_tables/code_tables.json) and checks that the cases agree with the code tables.
Python 3 standard library only.

    python3 tests/data/variants/build_variants.py [--check]
"""
import argparse
import json
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ next to the corpus

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, '..', '..', '..'))
sys.path.insert(0, HERE)

ISSUE_KINDS = ['unparsed_value', 'unknown_code', 'out_of_range', 'text_repaired', 'wrong_json_type',
               'duplicate_item', 'unknown_item', 'ambiguous_code']
TYPE_KEYS = {'drug': '薬剤情報', 'checkup': '特定健診情報', 'expense': '医療費通知情報'}
ORG = '社会保険診療報酬支払基金・国民健康保険中央会'
KEY_ALIASES = {('drug', '医療機関(薬局名称)'): 12}
PERIOD_4 = '2024-04-01'

# ----------------------------------------------------------------------------- JSON tokens


class Token:
    """One JSON value exactly as it stands in the payload document (bytes)."""

    def __init__(self, raw, kind, content=None, note=None):
        self.raw = raw            # bytes of the token in the payload document
        self.kind = kind          # 'string' | 'number' | 'literal' | 'object' | 'array' | 'null'
        self.content = content    # bytes of a string's content after JSON unescaping (strings only)
        self.note = note          # 'lone_surrogate' when content holds an unpaired escape


def _escape_string(text):
    out = []
    for ch in text:
        if ch == '"':
            out.append('\\"')
        elif ch == '\\':
            out.append('\\\\')
        elif ord(ch) < 0x20:
            out.append({'\n': '\\n', '\r': '\\r', '\t': '\\t'}.get(ch, '\\u%04x' % ord(ch)))
        else:
            out.append(ch)
    return ''.join(out)


def s(text):
    """A JSON string with the given (valid) text, minimally escaped, non-ASCII raw."""
    return Token(('"' + _escape_string(text) + '"').encode('utf-8'), 'string', text.encode('utf-8'))


def sb(content):
    """A JSON string whose content bytes are given verbatim (for invalid UTF-8). No quotes,
    backslashes or control bytes allowed in content."""
    assert b'"' not in content and b'\\' not in content and all(b >= 0x20 for b in content)
    return Token(b'"' + content + b'"', 'string', content)


def lone(before, escape, after):
    """A JSON string holding an unpaired surrogate escape such as \\ud800 between two texts."""
    raw = ('"' + _escape_string(before) + escape + _escape_string(after) + '"').encode('utf-8')
    return Token(raw, 'string', (before + escape + after).encode('utf-8'), note='lone_surrogate')


def num(text):
    return Token(text.encode('ascii'), 'number')


def lit(text):
    kind = {'true': 'literal', 'false': 'literal', 'null': 'null'}[text]
    return Token(text.encode('ascii'), kind)


def obj(text):
    """An object or array, written compactly (its compact text is also its exact text)."""
    compact = json.dumps(json.loads(text), ensure_ascii=False, separators=(',', ':'))
    assert compact == text, 'write objects compactly: ' + compact
    return Token(text.encode('utf-8'), 'object' if text.startswith('{') else 'array')


def wire_of(tok):
    """The text a re-encoder must reproduce / unparsed_text() must return, or None for bytes
    that are not UTF-8 (then the hex form is used)."""
    if tok.kind == 'string':
        try:
            return tok.content.decode('utf-8')
        except UnicodeDecodeError:
            return None
    return tok.raw.decode('utf-8')


# ----------------------------------------------------------------------------- expectations


class Exp:
    def __init__(self, state, issues=(), **typed):
        self.state = state
        self.issues = list(issues)
        self.typed = typed


def valid(*issues, **typed):
    return Exp('valid', issues, **typed)


def unparsed(*issues):
    return Exp('unparsed', issues or ('unparsed_value',))


def repaired(*issues):
    """Text with invalid UTF-8 (or an unpaired surrogate): repaired value, original kept."""
    return Exp('repaired', issues or ('text_repaired',))


def absent(*issues):
    return Exp('absent', issues)


def dup():
    """A repeated occurrence of an item: the first occurrence stays the value."""
    return Exp('duplicate', ('duplicate_item',))


def unknown_key():
    return Exp('unknown', ('unknown_item',))


# ----------------------------------------------------------------------------- catalogs / code tables


def load_items():
    names, numbers = {}, {}
    for line in open(os.path.join(ROOT, 'tests', 'data', 'guideline_items.tsv'), encoding='utf-8'):
        if line.startswith('#'):
            continue
        t, n, name = line.rstrip('\n').split('\t')[:3]
        names[(t, int(n))] = name
        numbers[(t, name)] = int(n)
    return names, numbers


def load_kinds():
    """Value kind per (type, item) from the catalogs' sources."""
    kinds = {}
    for line in open(os.path.join(ROOT, 'tools', 'checkup_table.txt'), encoding='utf-8'):
        if line.startswith('#') or not line.strip():
            continue
        p = line.split('|')
        kinds[('checkup', int(p[1]))] = p[4].split(':')[0]
    import re
    for rtype, header in (('drug', 'drug.hpp'), ('expense', 'expense.hpp')):
        text = open(os.path.join(ROOT, 'include', 'myna', 'records', header), encoding='utf-8').read()
        member_types = {m.group(2): m.group(1) for m in re.finditer(r'^  ([A-Za-z]+) (\w+)(?:\{[^}]*\})?;', text, re.M)}
        for m in re.finditer(r'field<[^>]*>\((\d+), "([^"]+)", "([^"]+)"\)', text):
            kinds[(rtype, int(m.group(1)))] = member_types[m.group(3)]
    return kinds


NAMES, NUMBERS = load_items()
KINDS = load_kinds()
TABLES = json.load(open(os.path.join(ROOT, 'tools', 'code_tables', 'code_tables.json'), encoding='utf-8'))
SETS = {cs['id']: cs for cs in TABLES['code_sets']}
ITEM_SETS = {(i['record_type'], i['item']): i['code_set'] for i in TABLES['items']}


def fold(key):
    """Full-width ASCII to half-width and spaces removed (docs/wire-format.md key matching)."""
    out = []
    for ch in key:
        if '\uff01' <= ch <= '\uff5e':
            ch = chr(ord(ch) - 0xfee0)
        if ch in ' \u3000':
            continue
        out.append(ch)
    return ''.join(out)


def item_number(rtype, key):
    if (rtype, key) in NUMBERS:
        return NUMBERS[(rtype, key)]
    if (rtype, key) in KEY_ALIASES:
        return KEY_ALIASES[(rtype, key)]
    folded = fold(key)
    for (t, name), n in NUMBERS.items():
        if t == rtype and fold(name) == folded:
            return n
    return 0


def period_of(record):
    """'3' or '4' from a valid 実施年月日, else None."""
    for key, tok, _ in record:
        if key == '実施年月日' and tok.kind == 'string':
            t = tok.content.decode('utf-8', 'replace')
            if len(t) == 8 and t.isascii() and t.isdigit():
                iso = t[:4] + '-' + t[4:6] + '-' + t[6:]
            elif len(t) == 10 and t[4] == '-' and t[7] == '-':
                iso = t
            else:
                return None
            return '4' if iso >= PERIOD_4 else '3'
    return None


def lookup(set_id, code, period):
    """(known, meaning, system, ambiguous) of a code in a period (None = period unknown)."""
    cs = SETS[set_id]
    hits = []
    for t in cs['tables']:
        f, u = t['period']['from'], t['period']['until']
        in_period = period is None or (f is None or period == '4') and (u is None or period == '3')
        if not in_period:
            continue
        for c in t['codes']:
            if c['code'] == code:
                hits.append((c['meaning'], t['fhir_system']))
                break
        else:
            hits.append(None)
    if period is None and len(cs['tables']) > 1:
        if any(h is None for h in hits) or len({h[0] for h in hits}) > 1:
            known = any(h is not None for h in hits)
            return known, None, None, True
    found = [h for h in hits if h is not None]
    if not found:
        return False, None, None, False
    system = found[0][1] if len({h[1] for h in found}) == 1 else None  # period unknown, systems differ
    return True, found[0][0], system, False


# ----------------------------------------------------------------------------- value rules
# The value rules (docs/records.md "Value rules per item"), used to cross-check every
# expectation written in cases.py and every base value.
import re  # noqa: E402

DECIMAL = re.compile(r'-?(0|[1-9][0-9]*)(\.[0-9]+)?')
COMPARATOR = re.compile(r'(<=|>=|<|>)((0|[1-9][0-9]*)(\.[0-9]+)?)')
CODE_FORMATS = {'InstitutionCode': r'[0-9]{10}', 'MedicineCode': r'[0-9]{9}', 'PriceListCode': r'[0-9A-Z]{12}',
                'BranchNumber': r'[0-9]{2}', 'InsurerNumber': r'[0-9]{6}|[0-9]{8}'}


def load_rules():
    """The catalog's value rules (with_negative_expected, with_comparator, with_range in
    include/myna/records/{drug,checkup,expense}.hpp): the catalog is the one source."""
    negative, comparator, ranges = set(), set(), {}
    for rtype, header in (('drug', 'drug.hpp'), ('checkup', 'checkup.hpp'), ('expense', 'expense.hpp')):
        text = open(os.path.join(ROOT, 'include', 'myna', 'records', header), encoding='utf-8').read()
        for line in text.splitlines():
            m = re.search(r'field<[^>]*>\((\d+),', line)
            if not m:
                continue
            n = int(m.group(1))
            if 'with_negative_expected(' in line:
                negative.add((rtype, n))
            if 'with_comparator(' in line:
                comparator.add((rtype, n))
            r = re.search(r', ([0-9.]+), ([0-9.]+)\),$', line) if 'with_range(' in line else None
            if r:
                ranges[(rtype, n)] = (float(r.group(1)), float(r.group(2)))
    return negative, comparator, ranges


NEGATIVE_ALLOWED, COMPARATOR_ALLOWED, INPUT_RANGES = load_rules()


def real_date(y, m, d):
    import datetime
    try:
        datetime.date(y, m, d)
        return True
    except ValueError:
        return False


def classify(rtype, n, tok):
    """(state, issues, comparator) that the value rules give a token of item n."""
    kind = KINDS[(rtype, n)]
    numeric = kind in ('Decimal', 'Count', 'Yen')
    if tok.kind == 'null':
        return 'absent', [], None
    if tok.kind in ('literal', 'object', 'array'):
        return 'unparsed', ['wrong_json_type'], None
    issues = []
    if tok.kind == 'number' and not numeric:
        issues.append('wrong_json_type')
    if tok.kind == 'string':
        try:
            text = tok.content.decode('utf-8')
        except UnicodeDecodeError:
            return ('repaired' if kind == 'Text' else 'unparsed'), ['text_repaired'], None
        if tok.note == 'lone_surrogate':
            return 'repaired', ['text_repaired'], None
    else:
        text = tok.raw.decode('ascii')
    if kind == 'Text':
        return 'valid', issues, None
    if text == '' and tok.kind == 'string':
        return 'absent', issues, None
    ok, extra, comparator = False, [], None
    if kind == 'Date':
        m = re.fullmatch(r'([0-9]{4})([0-9]{2})([0-9]{2})|([0-9]{4})-([0-9]{2})-([0-9]{2})', text)
        if m:
            g = [x for x in m.groups() if x is not None]
            ok = real_date(int(g[0]), int(g[1]), int(g[2]))
    elif kind == 'YearMonth':
        m = re.fullmatch(r'([0-9]{4})([0-9]{2})|([0-9]{4})-([0-9]{2})', text)
        if m:
            g = [x for x in m.groups() if x is not None]
            ok = int(g[0]) >= 1 and 1 <= int(g[1]) <= 12
    elif kind == 'Count':
        ok = re.fullmatch(r'-?(0|[1-9][0-9]{0,8})', text) is not None
        if ok and text.startswith('-'):
            extra.append('out_of_range')
    elif kind == 'Yen':
        ok = re.fullmatch(r'-?(0|[1-9][0-9]{0,14})', text) is not None
    elif kind == 'Decimal':
        m = COMPARATOR.fullmatch(text) if (rtype, n) in COMPARATOR_ALLOWED else None
        if m:
            ok, comparator, value = True, m.group(1), m.group(2)
        elif DECIMAL.fullmatch(text) and int(text.replace('-', '').replace('.', '')) < 2 ** 53:
            ok, value = True, text
        if ok and text.startswith('-') and (rtype, n) not in NEGATIVE_ALLOWED:
            extra.append('out_of_range')
        elif ok and (rtype, n) in INPUT_RANGES:
            lo, hi = INPUT_RANGES[(rtype, n)]
            if not lo <= float(value) <= hi:
                extra.append('out_of_range')
    elif kind in CODE_FORMATS:
        ok = re.fullmatch(CODE_FORMATS[kind], text) is not None
    elif kind == 'Coded':
        ok = re.fullmatch(r'[0-9]{1,3}', text) is not None
    if not ok:
        return 'unparsed', issues + ['unparsed_value'], None
    return 'valid', issues + extra, comparator


def check_case(case):
    rtype = case['type']
    for r_index, record in enumerate(case.get('records', [])):
        period = period_of(record)
        for key, tok, exp in record:
            n = item_number(rtype, key)
            if n == 0:
                assert exp is not None and exp.state == 'unknown', (case['id'], key, 'unknown key needs unknown_key()')
                continue
            state, issues, comparator = classify(rtype, n, tok)
            where = (case['id'], r_index, key)
            if exp is None:
                assert state in ('valid', 'absent') and not issues, (where, 'base value breaks the rules', state, issues)
                if KINDS[(rtype, n)] == 'Coded':
                    known, _, _, ambiguous = lookup(ITEM_SETS[(rtype, n)], tok.content.decode(), period)
                    assert known and not ambiguous, (where, 'base code not plainly known')
                continue
            if exp.state in ('duplicate',):
                continue
            assert exp.state == state, (where, 'rules say', state, 'case says', exp.state)
            declared = [k for k in exp.issues if k not in ('unknown_code', 'ambiguous_code')]
            assert sorted(declared) == sorted(issues), (where, 'rules give issues', issues, 'case says', exp.issues)
            if comparator or 'comparator' in exp.typed:
                assert exp.typed.get('comparator') == comparator, (where, 'comparator')


# ----------------------------------------------------------------------------- one case


def item_expectation(rtype, r_index, key, tok, exp, period):
    n = item_number(rtype, key)
    name = NAMES.get((rtype, n), '')
    e = dict(record=r_index, item=n, name=name)
    if exp.state == 'unknown':
        # kept as an extra item of the record (contracts: nothing dropped)
        e.update(key=key, state='extra', extra_text=wire_of(tok), issues=exp.issues)
        return e
    kind = KINDS[(rtype, n)]
    issues = list(exp.issues)
    if exp.state == 'valid':
        e['state'] = 'valid'
        typed = dict(exp.typed)
        if kind == 'Coded':
            code = typed.pop('code')
            set_id = ITEM_SETS[(rtype, n)]
            known, meaning, system, ambiguous = lookup(set_id, code, period)
            wants_unknown = (not known) and SETS[set_id]['unknown_code_issue']
            assert ('unknown_code' in issues) == wants_unknown, (key, code, 'unknown_code mismatch')
            assert ('ambiguous_code' in issues) == ambiguous, (key, code, 'ambiguous_code mismatch')
            e.update(code=code, known=known, meaning=meaning)
            if system and meaning is not None:
                e['system'] = system
        e.update(typed)
        w = wire_of(tok)
        e['wire'] = w
    elif exp.state == 'unparsed':
        e['state'] = 'unparsed'
        w = wire_of(tok)
        if w is None:
            e['unparsed_hex'] = tok.content.hex()
        else:
            e['unparsed_text'] = w
    elif exp.state == 'repaired':
        e['state'] = 'unparsed'
        if tok.note == 'lone_surrogate':
            text = tok.content.decode('utf-8')
            import re
            e['text'] = re.sub(r'\\u[dD][89abAB][0-9a-fA-F]{2}|\\u[dD][c-fC-F][0-9a-fA-F]{2}', '\ufffd', text)
            e['unparsed_text'] = text
        else:
            e['text'] = tok.content.decode('utf-8', 'replace')
            e['unparsed_hex'] = tok.content.hex()
    elif exp.state == 'absent':
        e['state'] = 'absent'
    e['issues'] = issues
    return e


def derive(case):
    rtype = case['type']
    items, order = [], []   # order: (record, position, issues, item, name) for the strict outcome
    for r_index, record in enumerate(case['records']):
        period = period_of(record)
        end_issues = []
        for pos, (key, tok, exp) in enumerate(record):
            n = item_number(rtype, key)
            if exp is None:
                assert n != 0, 'base key unknown: ' + key
                continue
            if exp.state == 'duplicate':
                # the first occurrence carries the expectation of the item's value
                target = next(e for e in items if e['record'] == r_index and e['item'] == n)
                target['issues'] = target['issues'] + ['duplicate_item']
                target['extras'] = target.get('extras', []) + [wire_of(tok)]  # the later value, kept
                order.append((r_index, pos, ['duplicate_item'], n, NAMES[(rtype, n)]))
                continue
            e = item_expectation(rtype, r_index, key, tok, exp, period)
            items.append(e)
            positional = [k for k in e['issues'] if k != 'ambiguous_code']
            if positional:
                order.append((r_index, pos, positional, e['item'], e['name']))
            if 'ambiguous_code' in e['issues']:
                end_issues.append((r_index, len(record), ['ambiguous_code'], e['item'], e['name']))
        order.extend(end_issues)
    counts = {k: 0 for k in ISSUE_KINDS}
    for e in items:
        for k in e['issues']:
            counts[k] += 1
    counts = {k: v for k, v in counts.items() if v}
    strict = dict(outcome='ok', records=len(case['records']))
    for r_index, pos, kinds, n, name in order:
        if any(k != 'unknown_item' for k in kinds):
            strict = dict(outcome='error', category='decode', record=r_index, item=n, name=name,
                          kinds=[k for k in kinds if k != 'unknown_item'])
            break
    lenient = dict(outcome='ok', records=len(case['records']), items=items, issue_counts=counts,
                   issue_total=sum(counts.values()))
    return lenient, strict


# ----------------------------------------------------------------------------- telegram bytes


def payload_bytes(case):
    if 'payload' in case:
        return case['payload']
    recs = []
    for record in case['records']:
        parts = [s(key).raw + b':' + tok.raw for key, tok, _ in record]
        recs.append(b'{' + b','.join(parts) + b'}')
    return (b'[{' + s(ORG).raw + b':{' + s(TYPE_KEYS[case['type']]).raw + b':[' + b','.join(recs) + b']}}]')


def embed(payload):
    out = bytearray()
    for b in payload:
        if b == 0x22:
            out += b'\\"'
        elif b == 0x5c:
            out += b'\\\\'
        elif b < 0x20:
            out += ('\\u%04x' % b).encode('ascii')
        else:
            out.append(b)
    return bytes(out)


def telegram(case, seq):
    header = dict(telegramId='TL-00000086-240701093000-%04d' % seq, telegramType='IFA0303-S01', mode='1',
                  processId='PRC%017d' % seq, errorCode=case.get('error_code', ''))
    head = json.dumps(header, ensure_ascii=False, separators=(',', ':')).encode('utf-8')
    body = b'{"commonHeader":' + head
    if case.get('payload_present', True):
        body += b',"selfPersonalDataProvisionInfo":{"selfPersonalData":"' + embed(payload_bytes(case)) + b'"}'
    return body + b'}'


# ----------------------------------------------------------------------------- main


def expectation(case, seq):
    base = dict(case=case['id'], record_type=case['type'], telegram=case['id'] + '.telegram', why=case['why'],
                sources=case.get('sources', []))
    if 'error' in case:
        base['lenient'] = dict(case['error'])
        base['strict'] = dict(case['error'])
        return base
    check_case(case)
    lenient, strict = derive(case)
    base['lenient'], base['strict'] = lenient, strict
    return base


def readme(expects):
    """README.md with the generated statistics and case table between its markers."""
    path = os.path.join(HERE, 'README.md')
    text = open(path, encoding='utf-8').read()
    begin, end = '<!-- cases: begin -->', '<!-- cases: end -->'
    head, rest = text.split(begin, 1)
    tail = rest.split(end, 1)[1]
    by_type = {t: sum(1 for e in expects if e['record_type'] == t and e['lenient']['outcome'] == 'ok') for t in TYPE_KEYS}
    errors = [e for e in expects if e['lenient']['outcome'] == 'error']
    ok = [e for e in expects if e['lenient']['outcome'] == 'ok']
    strict_ok = sum(1 for e in ok if e['strict']['outcome'] == 'ok')
    strict_decode = sum(1 for e in ok if e['strict']['outcome'] == 'error')
    totals = {k: 0 for k in ISSUE_KINDS}
    for e in ok:
        for k, v in e['lenient']['issue_counts'].items():
            totals[k] += v
    lines = [begin, '',
             f'{len(expects)} cases: {by_type["drug"]} 薬剤情報, {by_type["checkup"]} 特定健診情報, '
             f'{by_type["expense"]} 医療費通知情報 telegrams that decode, and {len(errors)} service-error / '
             f'structure cases. Lenient: {len(ok)} decode with {sum(e["lenient"]["records"] for e in ok)} records '
             f'(none may be lost), {len(errors)} return a typed error. Strict: {strict_ok} decode, {strict_decode} '
             f'fail with a `decode` error naming record and item, {len(errors)} with the service or structure '
             f'error (`variants_strict_errors` = {strict_decode + len(errors)}).', '',
             'Issues over the corpus (lenient): ' + ', '.join(f'`{k}` {v}' for k, v in totals.items()) + '.', '',
             '| case | type | records | lenient issues | strict | why |', '|---|---|---|---|---|---|']
    for e in expects:
        le, st = e['lenient'], e['strict']
        if le['outcome'] == 'error':
            rec, iss = '—', 'error ' + le['category']
            strict = 'error ' + st['category']
        else:
            rec = str(le['records'])
            iss = ', '.join(f'{k} {v}' for k, v in le['issue_counts'].items()) or '—'
            strict = 'ok' if st['outcome'] == 'ok' else f'decode #{st["record"]} item {st["item"]}'
        why = e['why'].replace('|', '\\|').replace('\n', ' ')
        lines.append(f'| `{e["case"]}` | {e["record_type"]} | {rec} | {iss} | {strict} | {why} |')
    lines += ['', end]
    return head + '\n'.join(lines) + tail


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--check', action='store_true', help='fail if a generated file differs')
    args = ap.parse_args()
    import cases
    ids = set()
    stale = []
    written = {}
    for seq, case in enumerate(cases.CASES, start=1):
        assert case['id'] not in ids, case['id']
        ids.add(case['id'])
        written[case['id'] + '.telegram'] = telegram(case, seq)
        written[case['id'] + '.expect.json'] = (json.dumps(expectation(case, seq), ensure_ascii=False, indent=1)
                                                + '\n').encode('utf-8')
    index = dict(cases=[c['id'] for c in cases.CASES], issue_kinds=ISSUE_KINDS,
                 by_type={t: sum(1 for c in cases.CASES if c['type'] == t) for t in TYPE_KEYS})
    written['index.json'] = (json.dumps(index, ensure_ascii=False, indent=1) + '\n').encode('utf-8')
    expects = [json.loads(written[c['id'] + '.expect.json']) for c in cases.CASES]
    written['README.md'] = readme(expects).encode('utf-8')
    existing = {f for f in os.listdir(HERE) if f.endswith(('.telegram', '.expect.json'))}
    for name, data in written.items():
        path = os.path.join(HERE, name)
        old = open(path, 'rb').read() if os.path.exists(path) else None
        if old != data:
            stale.append(name)
            if not args.check:
                open(path, 'wb').write(data)
    orphans = sorted(existing - set(written))  # README.md and index.json are not in existing
    if args.check:
        if stale or orphans:
            print('stale:', stale, 'orphans:', orphans)
            return 1
        print('corpus up to date:', len(cases.CASES), 'cases')
        return 0
    for o in orphans:
        os.remove(os.path.join(HERE, o))
    print('wrote', len(cases.CASES), 'cases;', len(stale), 'files changed')
    return 0


if __name__ == '__main__':
    sys.exit(main())
