#!/usr/bin/env python3
# Generates include/myna/records/checkup.hpp from one table (kept in tools/ for review).
import os
here = os.path.dirname(os.path.abspath(__file__))
rows = "\n".join(l for l in open(os.path.join(here, 'checkup_table.txt'), encoding='utf-8').read().splitlines()
                 if l and not l.startswith('#'))
groups = {
 'q': ('Qualification', 'qualification', '資格情報'),
 'v': ('Visit', 'visit', '特定健診受診情報'),
 'b': ('Basic', 'basic', '健診情報・基本項目'),
 'd': ('DoctorJudgement', 'doctor', '健診情報・医師の判断'),
 's': ('Questionnaire', 'questionnaire', '健診情報・質問票(特定健診)'),
 'e': ('ElderlyQuestionnaire', 'elderly_questionnaire', '特定健診・質問票(後期高齢者健診)'),
}
# MHLW 入力範囲 of the 特定健診 XML items, where read (標準的な健診・保健指導プログラム 令和6年度版 p.200):
# ヘマトクリット値 0-99.9 %, 血色素量 0.0-30.0 g/dl, 赤血球数 0-1000 万/mm3.
INPUT_RANGES = {76: (0, 99.9), 77: (0, 30.0), 78: (0, 1000)}
items = []
for line in rows.strip().splitlines():
    g, n, ja, en, ty, unit, code, desc = line.split('|')
    items.append(dict(g=g, n=int(n), ja=ja, en=en, ty=ty, unit=unit, code=code, desc=desc))
assert [i['n'] for i in items] == list(range(1, 144))
out = []
w = out.append
w('// 特定健診情報: table 2.4-3 of the guideline (143 items), grouped by its 項目分類.')
w('// Generated from tools/checkup_table.txt by tools/gen_checkup.py; edit the table, not this file.')
w('// clang-format off')
w('#pragma once\n\n#include "myna/core_export.hpp"\n#include "myna/records/catalog.hpp"\n#include "myna/records/issues.hpp"\n\nnamespace myna {\n')
w('/// One 特定健診情報 record: members grouped as the table groups its items.')
w('struct MYNA_CORE_API CheckupRecord {')
for key, (cls, mem, ja) in groups.items():
    gi = [i for i in items if i['g'] == key]
    w(f'  /// {ja} (items {gi[0]["n"]}–{gi[-1]["n"]})')
    w(f'  struct {cls} {{')
    for i in gi:
        ty = i['ty']
        if ty.startswith('Coded:'):
            decl = f'Coded {i["en"]}{{CodeSetId::{ty[6:]}}};'
        else:
            decl = f'{ty} {i["en"]};'
        unit = f' [{i["unit"]}]' if i['unit'] else ''
        w(f'    {decl:<56} ///< {i["n"]} {i["ja"]}{unit}')
    w(f'  }} {mem};')
w('  /// Items whose value did not fit the SDK\'s rules, and keys the fields could not hold.')
w('  Issues issues;')
w('};\n')
w('/// The 項目分類 names of table 2.4-3, in table order.')
w('inline constexpr std::array<std::string_view, 6> kCheckupGroups{{')
for key, (cls, mem, ja) in groups.items():
    w(f'  "{ja}",')
w('}};\n')
w('namespace catalogs {\n// clang-format off')
w('inline constexpr std::array<FieldInfo, 143> kCheckup = [] {')
w('  using C = CheckupRecord;  // the rows\' member paths')
w('  return std::array<FieldInfo, 143>{{')
for i in items:
    cls, mem, ja = groups[i['g']]
    e = f'field<&C::{mem}, &C::{cls}::{i["en"]}>({i["n"]}, "{i["ja"]}", "{i["en"]}")'
    e = f'with_group({e}, "{ja}")'
    if i['desc']: e = f'with_description({e}, "{i["desc"]}")'
    if i['unit']: e = f'with_unit({e}, "{i["unit"]}")'
    if i['ty'].startswith('Coded:'): e = f'with_codes({e}, CodeSetId::{i["ty"][6:]})'
    if i['code']: e = f'with_observation_code({e}, "{i["code"]}")'
    if i['ty'] == 'Decimal': e = f'with_comparator({e})'  # lab values at the limits of an assay
    if i['n'] in INPUT_RANGES: e = f'with_range({e}, {INPUT_RANGES[i["n"]][0]}, {INPUT_RANGES[i["n"]][1]})'
    w(f'  {e},')
w('}};\n}();\n// clang-format on\n}  // namespace catalogs\n')
w('template <>\nstruct RecordTraits<CheckupRecord> {')
w('  static constexpr RecordType type = RecordType::checkup;')
w('  static constexpr const auto& catalog = catalogs::kCheckup;\n};\n')
w('}  // namespace myna')
open(os.path.join(here, '..', 'include', 'myna', 'records', 'checkup.hpp'), 'w', encoding='utf-8').write('\n'.join(out) + '\n')
