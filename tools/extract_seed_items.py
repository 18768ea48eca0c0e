#!/usr/bin/env python3
"""Extracts the item tables 2.4-2, 2.4-3 and 2.4-4 from the OCR'd guideline (the seed) and
writes tests/data/guideline_items.tsv: type, item number, Japanese item name, 項目分類.

The seed is OCR output: names wrap across lines, one item number is missing, some
characters are wrong. Generic repairs (spaces, look-alike characters) are applied to every
name; item-specific repairs are listed in REPAIRS with the reason. docs/records.md shows
the same list. The tests compare the SDK's catalogs with this file, not with themselves.

usage: tools/extract_seed_items.py [seed.txt] [out.tsv]
"""
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = os.path.join(HERE, '..', '..', 'shared', 'seed', '000_599dbe5040ed47fb.txt')
OUT = os.path.join(HERE, '..', 'tests', 'data', 'guideline_items.tsv')

# Look-alike characters the OCR produced, with what the guideline means.
CHAR_REPAIRS = {
    '臟': '臓',   # 内臟脂肪面積 (臟 is the old form; the guideline and JLAC10 use 臓)
    '歷': '歴',   # 既往歷1/2
    '•': '・',   # 健診情報•基本項目 (bullet for the katakana middle dot)
}

# (table, item) -> (repaired name, reason). Applied after the generic repairs.
REPAIRS = {
    ('drug', 12): ('医療機関(薬局)名称',
                   'printed "医療機関(薬局名称)"; the parenthesis is misplaced: item 11 is '
                   '医療機関(薬局)コード and 表2.4-4 item 5 is 医療機関(薬局)名称. The decoder also '
                   'accepts the printed spelling (Profile::key_aliases).'),
    ('drug', 17): ('調剤日', 'name and description run together in one cell: "調剤日 診療年月日、…"'),
    ('drug', 23): ('医薬品コード', 'name and description run together: "医薬品コード 医薬品コード"'),
    ('drug', 24): ('薬剤名', 'name and description run together; description lost "の医薬品マス" at a line break'),
    ('drug', 28): ('回数', 'name and description run together: "回数 回数、調剤数量…"'),
    ('drug', 29): ('調剤単位', 'name and description run together: "調剤単位 診療識別等区分…"'),
    ('drug', 30): ('薬価基準収載医薬品コード', 'name and description run together; description lost "の医薬品マス" at a line break'),
    ('checkup', 53): ('γ-GT(γ-GTP)可視吸光光度法', 'OCR set it as LaTeX: "$\\gamma - GT (\\gamma - GTP)$ 可視吸光光度法"'),
    ('checkup', 54): ('γ-GT(γ-GTP)その他', 'OCR set it as LaTeX and lost "そ": "$\\gamma - GT (\\gamma - GTP) $ の他"'),
    ('checkup', 132): ('半年前に比べて固いもの(*)が食べにくくなりましたか(後期)',
                       'the footnote "*さきいか、たくあんなど" printed in the name cell is the explanation of (*); '
                       'it is kept as the item description'),
    ('checkup', 139): ('今日が何月何日かわからない時がありますか(後期)',
                       'the first line was split into the number column: "139 今日が何月何日かわた" + "今日が何月何日かわから"'),
    ('checkup', 141): ('週に1回以上は外出していますか(後期)',
                       'the item number 141 is missing from the printed table; the row sits between 140 and 142'),
}

def clean(text):
    """Generic repairs: look-alike characters, OCR spacing, full-width ASCII."""
    for bad, good in CHAR_REPAIRS.items():
        text = text.replace(bad, good)
    text = ''.join(chr(ord(c) - 0xFEE0) if 0xFF01 <= ord(c) <= 0xFF5E else c for c in text)
    text = text.replace('（', '(').replace('）', ')').replace('：', ':')
    return re.sub(r'\s+', '', text)


def table_lines(lines, title, end_marker):
    start = next(i for i, l in enumerate(lines) if title in l and not l.startswith('表\t'))
    end = next(i for i in range(start, len(lines)) if end_marker in lines[i])
    return lines[start + 1:end]


def parse_simple(lines, count):
    """Tables 2.4-2 and 2.4-4: item<TAB>name<TAB>description, names wrap into later lines."""
    items = {}
    current = None
    for line in lines:
        cells = line.split('\t')
        head = cells[0].strip()
        if head.isdigit() and len(cells) >= 2 and cells[1].strip():
            n = int(head)
            if n in items or n > count:
                continue
            items[n] = cells[1]
            current = n
        elif current and len(cells) >= 2 and cells[0] == '' and cells[1].strip():
            items[current] += cells[1]  # a wrapped name
    return items


def parse_checkup(lines):
    """Table 2.4-3: item<TAB>group<TAB>name<TAB>description; names wrap into later lines.
    The group column wraps too; the group ranges are read off the table (GROUP_RANGES)."""
    items = {}
    current = None
    for line in lines:
        cells = line.split('\t') + ['', '', '']
        head, name = cells[0].strip(), cells[2]
        if head in ('項', '番'):
            continue
        if head.isdigit():
            current = int(head)
            items[current] = name
        elif re.match(r'^\d+\s', cells[0]):  # "139 今日が…": number and text in one cell
            current = int(cells[0].split()[0])
            items[current] = name
        elif current and name.strip():
            if current == 140 and clean(items[140]).endswith('か(後期)'):
                current = 141  # the unnumbered row between 140 and 142
                items[current] = name
            else:
                items[current] += name
    return items


GROUP_RANGES = [
    (1, 12, '資格情報'),
    (13, 17, '特定健診受診情報'),
    (18, 94, '健診情報・基本項目'),
    (95, 95, '健診情報・医師の判断'),
    (96, 128, '健診情報・質問票(特定健診)'),
    (129, 143, '特定健診・質問票(後期高齢者健診)'),
]


def group_of(n):
    return next(g for lo, hi, g in GROUP_RANGES if lo <= n <= hi)


def main():
    seed = sys.argv[1] if len(sys.argv) > 1 else SEED
    out = sys.argv[2] if len(sys.argv) > 2 else OUT
    lines = open(seed, encoding='utf-8').read().splitlines()
    drug = parse_simple(table_lines(lines, '表 2.4-2 取得可能な薬剤情報の詳細', '# 2.4.2.'), 30)
    checkup = parse_checkup(table_lines(lines, '表 2.4-3 取得可能な特定健診情報の詳細', '# 2.4.3.'))
    expense = parse_simple(table_lines(lines, '表 2.4-4 取得可能な医療費通知情報の詳細', '#### 2.5.'), 6)
    rows = []
    for kind, table, count in (('drug', drug, 30), ('checkup', checkup, 143), ('expense', expense, 6)):
        missing = [n for n in range(1, count + 1) if n not in table]
        if missing:
            sys.exit(f'{kind}: items missing after parsing: {missing}')
        for n in range(1, count + 1):
            name = clean(table[n])
            if (kind, n) in REPAIRS:
                name = REPAIRS[(kind, n)][0]
            group = group_of(n) if kind == 'checkup' else ''
            rows.append(f'{kind}\t{n}\t{name}\t{group}')
    with open(out, 'w', encoding='utf-8') as f:
        f.write('# type\titem\tname\tgroup  (generated by tools/extract_seed_items.py from the seed)\n')
        f.write('\n'.join(rows) + '\n')
    print(f'wrote {len(rows)} items to {out}')


if __name__ == '__main__':
    main()
