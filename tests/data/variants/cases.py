"""The variant corpus, readable: every case is a list of records, each record a list of
(payload key, JSON token, expectation). Entries with expectation None come from the base
record of the type and must decode valid (or absent) with no issue; the others are the
variants under test. build_variants.py writes the .telegram and .expect.json files.

Token helpers (build_variants.py): s(text) JSON string; sb(bytes) string with raw content bytes
(invalid UTF-8); lone(before, r'\\ud800', after) unpaired surrogate escape; num('1e3') JSON
number; lit('true'); obj('{...}') compact object/array.
Expectation helpers: valid(*issues, **typed), unparsed(*issues), repaired(), absent(), dup(),
unknown_key(). Coded values: valid(code='4') — meaning and FHIR system come from
tools/code_tables/code_tables.json by the record's 実施年月日.

The base records are written for this corpus (not taken from the sandbox generator).
"""
from build_variants import s, sb, lone, num, lit, obj, valid, unparsed, repaired, absent, dup, unknown_key

# ----------------------------------------------------------------------------- base records

DRUG = [
    ('カナ氏名', 'サトウ ハナコ'), ('氏名', '佐藤 花子'), ('生年月日', '19620304'), ('年齢', '61'),
    ('男女区分1', '2'), ('診療年月', '202401'), ('入外等の別', '2'), ('医療機関(薬局)コード', '0141234567'),
    ('医療機関(薬局)名称', 'しらかば調剤薬局'), ('処方箋発行医療機関コード', '0111234567'),
    ('処方箋発行医療機関名称', '札幌北内科医院'), ('医師番号', '0012345'), ('保険医氏名', '佐々木 健一'),
    ('調剤日', '20240115'), ('処方箋発行日', '20240115'), ('処方グループ番号', '1'), ('診療識別等区分', '21'),
    ('用法名称', '1日2回朝夕食後'), ('医薬品コード', '610463147'), ('薬剤名', 'テルミサルタン錠40mg'),
    ('単位', '錠'), ('使用量', '1'), ('一回用量', '1'), ('回数', '28'), ('調剤単位', '錠'),
    ('薬価基準収載医薬品コード', '2149044F2030'),
]

CHECKUP = [
    ('保険者番号', '06131234'), ('被保険者証等記号', '123'), ('被保険者証等番号', '45'), ('枝番', '00'),
    ('カナ氏名', 'タナカ イチロウ'), ('氏名', '田中 一郎'), ('生年月日', '19650720'), ('年齢', '58'),
    ('男女区分1', '1'), ('報告区分', '10'), ('実施年月日', '20240615'), ('健診プログラムコード', '010'),
    ('特定健診機関番号', '1312345678'), ('特定健診機関名称', '東京ひかり健診センター'),
    ('身長', '170.2'), ('体重', '68.4'), ('BMI', '23.6'), ('腹囲(実測)', '84.5'),
    ('既往歴', '2'), ('自覚症状', '2'), ('他覚症状', '2'),
    ('収縮期血圧(1回目)', '128'), ('拡張期血圧(1回目)', '82'), ('採血時間(食後)', '2'),
    ('中性脂肪(可視吸光光度法)', '110'), ('HDLコレステロール(可視吸光光度法)', '55'),
    ('LDLコレステロール(可視吸光光度法)', '120'), ('GOT(AST)紫外線吸光光度法', '22'),
    ('GPT(ALT)紫外線吸光光度法', '20'), ('γ-GT(γ-GTP)可視吸光光度法', '35'),
    ('空腹時血糖(紫外線吸光光度法)', '98'), ('HbA1c(HPLC)', '5.6'),
    ('尿糖(機械読み取り)', '1'), ('尿蛋白(機械読み取り)', '1'),
    ('メタボリックシンドローム判定', '3'), ('保健指導レベル', '3'), ('医師の診断(判定)', '異常なし'),
    ('服薬1(血圧)', '2'), ('服薬2(血糖)', '2'), ('服薬3(脂質)', '2'), ('既往歴1(脳血管)', '2'),
    ('既往歴2(心血管)', '2'), ('既往歴3(腎不全・人工透析)', '2'), ('貧血', '2'), ('喫煙', '1'),
    ('20歳からの体重変化', '2'), ('30分以上の運動習慣', '2'), ('歩行又は身体活動', '1'), ('歩行速度', '1'),
    ('咀嚼', '1'), ('食べ方1(早食い等)', '2'), ('食べ方2(就寝前)', '2'), ('食べ方3(間食)', '2'),
    ('食習慣', '2'), ('飲酒', '1'), ('飲酒量', '1'), ('睡眠', '1'), ('生活習慣の改善', '2'),
    ('保健指導の希望', '2'),
]

EXPENSE = [
    ('受診者氏名', '鈴木 恵美'), ('保険者名称', '全国健康保険協会 北海道支部'), ('ユニークコード', '2024011234567890'),
    ('診療年月', '202401'), ('医療機関(薬局)名称', 'さっぽろ中央病院'), ('窓口負担相当額', '3450'),
]

ELDERLY = [
    ('あなたの現在の健康状態はいかがですか(後期)', '3'), ('毎日の生活に満足していますか(後期)', '2'),
    ('1日3食きちんと食べていますか(後期)', '1'), ('半年前に比べて固いもの(*)が食べにくくなりましたか(後期)', '2'),
    ('お茶や汁物等でむせることがありますか(後期)', '2'), ('6カ月間で2~3kg以上の体重減少がありましたか(後期)', '2'),
    ('以前に比べて歩く速度が遅くなってきたと思いますか(後期)', '1'), ('この1年間に転んだことがありますか(後期)', '2'),
    ('ウォーキング等の運動を週に1回以上していますか(後期)', '1'),
    ('周りの人から「いつも同じことを聞く」などの物忘れがあると言われていますか(後期)', '2'),
    ('今日が何月何日かわからない時がありますか(後期)', '2'), ('あなたはたばこを吸いますか(後期)', '2'),
    ('週に1回以上は外出していますか(後期)', '1'), ('ふだんから家族や友人と付き合いがありますか(後期)', '1'),
    ('体調が悪いときに、身近に相談できる人がいますか(後期)', '1'),
]


def rec(base, changes=(), drop=(), reverse=False):
    """A record from a base: changes is a list of (key, token, expectation); a key of the base is
    replaced in place, any other key (or a repeated key, for duplicates) is appended."""
    out = [(k, s(v), None) for k, v in base if k not in drop]
    for key, tok, exp in changes:
        positions = [i for i, (k, _, e) in enumerate(out) if k == key]
        if positions and (exp is None or exp.state != 'duplicate'):
            out[positions[0]] = (key, tok, exp)
        else:
            out.append((key, tok, exp))
    return list(reversed(out)) if reverse else out


def checkup(date, changes=(), age='58', **kw):
    return rec(CHECKUP, [('実施年月日', s(date), None), ('年齢', s(age), None)] + list(changes), **kw)


CASES = []


def case(id_, type_, why, records=None, sources=(), **kw):
    c = dict(id=id_, type=type_, why=why, sources=list(sources), **kw)
    if records is not None:
        c['records'] = records
    CASES.append(c)


# ============================================================================= 薬剤情報 (drug)

case('drug_negative_quantity', 'drug',
     'A correction line (返戻・過誤の調整) can carry negative quantities; the value must survive as a '
     'negative decimal. Negative 使用量/一回用量 are expected values, not errors (our assumption: the '
     'guideline defines no sign).',
     [rec(DRUG, [('使用量', s('-28'), valid(decimal='-28')), ('一回用量', s('-1'), valid(decimal='-1'))])],
     sources=['corrections (過誤・返戻の調整) produce negative lines: our assumption', 'guideline 表2.4-2 (no format)'])

case('drug_institution_code_9_digits', 'drug',
     'A 10-digit 医療機関コード whose leading 0 (都道府県 01 北海道) was lost by a system that stored it '
     'as a number: 9 digits. Kept as text, not a valid code.',
     [rec(DRUG, [('医療機関(薬局)コード', s('141234567'), unparsed())])],
     sources=['医療機関コード: 都道府県番号2桁 + 点数表番号1桁 + 医療機関番号7桁'])

case('drug_codes_as_json_numbers', 'drug',
     'Codes sent as JSON numbers: the 9-digit 医薬品コード still reads as a code (wrong JSON type noted); '
     'the 処方箋発行医療機関コード lost its leading zero and is not a code any more.',
     [rec(DRUG, [('処方箋発行医療機関コード', num('111234567'), unparsed('wrong_json_type', 'unparsed_value')),
                 ('医薬品コード', num('610463147'), valid('wrong_json_type', code='610463147'))])],
     sources=['docs/wire-format.md: codes are strings only'])

case('drug_wareki_dates', 'drug',
     'Japanese-era dates: レセプト電算 records write dates as 元号コード+YYMMDD (7 digits, 3 = 昭和), '
     'screens as R06.01.15. Neither is YYYYMMDD: kept as text (a later version may convert them).',
     [rec(DRUG, [('生年月日', s('3370304'), unparsed()), ('調剤日', s('R06.01.15'), unparsed())])],
     sources=['レセプト電算処理システム 記録条件仕様: 生年月日 = 元号区分 + 年月日 (public; not re-read here)'])

case('drug_iso_and_slash_dates', 'drug',
     'ISO dates (accepted today: YYYY-MM-DD, YYYY-MM) stay valid and must re-encode as received; '
     'a slash date with unpadded month/day is not a date form we accept.',
     [rec(DRUG, [('診療年月', s('2024-01'), valid(year_month='2024-01')),
                 ('調剤日', s('2024-01-15'), valid(date='2024-01-15')),
                 ('処方箋発行日', s('2024/1/15'), unparsed())])],
     sources=['src/records/values.cpp (date forms accepted today)'])

case('drug_full_width_digits', 'drug',
     'Full-width digits (全角数字) typed into a date and an age by a front office system.',
     [rec(DRUG, [('年齢', s('６１'), unparsed()), ('調剤日', s('２０２４０１１５'), unparsed())])])

case('drug_sex_codes', 'drug',
     'A two-digit sex code ("01", zero-padded by a fixed-width export) and a code outside 1/2: kept as '
     'codes without a meaning, each with unknown_code.',
     [rec(DRUG, [('男女区分1', s('01'), valid('unknown_code', code='01')),
                 ('男女区分2', s('3'), valid('unknown_code', code='3'))])],
     sources=['mhlw-oid 1104 男女区分コード 1 男 2 女 (transcription)'])

case('drug_unsourced_code_sets', 'drug',
     '入外等の別 and 診療識別等区分 have no published table for this API: codes outside our guess are '
     'kept without meaning and without an issue (no table to be "not in").',
     [rec(DRUG, [('入外等の別', s('4'), valid(code='4')), ('診療識別等区分', s('24'), valid(code='24'))])],
     sources=['tools/code_tables/code_tables.json: source none'])

case('drug_half_width_kana_and_spaces', 'drug',
     'Half-width katakana (半角カナ) in カナ氏名 is common in insurer data; names with ideographic '
     'and leading/trailing spaces are text and kept byte for byte.',
     [rec(DRUG, [('カナ氏名', s('ｻﾄｳ ﾊﾅｺ'), valid(text='ｻﾄｳ ﾊﾅｺ')),
                 ('氏名', s(' 佐藤\u3000花子 '), valid(text=' 佐藤\u3000花子 '))])])

case('drug_invalid_utf8', 'drug',
     'Bytes that are not UTF-8 inside text: a Shift_JIS fragment (0x83 0x65) in 薬剤名 and a '
     'UTF-8-encoded surrogate (CESU-8, ED A0 80) in 保険医氏名. Lenient repairs with U+FFFD per maximal '
     'subpart (as Python\'s "replace") and keeps the original bytes; strict fails.',
     [rec(DRUG, [('保険医氏名', sb('佐々木 '.encode('utf-8') + b'\xed\xa0\x80'), repaired()),
                 ('薬剤名', sb('テルミサルタン'.encode('utf-8') + b'\x83\x65' + '錠40mg'.encode('utf-8')),
                  repaired())])])

case('drug_lone_surrogate_escape', 'drug',
     'An unpaired surrogate escape (\\ud800) in the payload JSON, as a UTF-16 based serializer writes a '
     'cut surrogate pair. Proposal: lenient replaces it with U+FFFD and keeps the escape text; strict fails.',
     [rec(DRUG, [('用法名称', lone('1日2回', r'\ud800', '朝夕食後'), repaired())])],
     sources=['RFC 8259 §8.2 (unpaired surrogates are syntactically allowed, meaning unpredictable)'])

case('drug_control_characters', 'drug',
     'Control characters in text (an escaped NUL from a C string, tab/CR/LF from a free-text field): '
     'valid UTF-8, kept exactly, no issue. Exporters must escape them (FHIR string forbids most).',
     [rec(DRUG, [('特別指示', s('粉砕\u0000'), valid(text='粉砕\u0000')),
                 ('用法名称', s('1日2回\t朝夕\r\n食後'), valid(text='1日2回\t朝夕\r\n食後'))])])

case('drug_json_numbers', 'drug',
     'Numbers sent as JSON numbers where the profile allows them (年齢, 回数, 使用量) are valid; a number '
     'for a text item (医師番号) is kept as text with wrong_json_type; "1.0" is not a count.',
     [rec(DRUG, [('年齢', num('61'), valid(count=61)), ('医師番号', num('12345'), valid('wrong_json_type', text='12345')),
                 ('処方グループ番号', s('1.0'), unparsed()), ('使用量', num('1.5'), valid(decimal='1.5')),
                 ('回数', num('28'), valid(count=28))])],
     sources=['docs/wire-format.md value kinds'])

case('drug_decimal_forms', 'drug',
     'Decimal spellings other systems write: ".5", "5.", "+5", exponent, leading zero, full-width. '
     'None is in canonical form (the typed value would not re-encode to the same text): kept as text.',
     [rec(DRUG, [('使用量', s('.5'), unparsed()), ('一回用量', s('5.'), unparsed())]),
      rec(DRUG, [('使用量', s('+5'), unparsed()), ('一回用量', num('1e3'), unparsed())]),
      rec(DRUG, [('使用量', s('05.6'), unparsed()), ('一回用量', s('１２０'), unparsed())])])

case('drug_alias_order_unknown_key', 'drug',
     'Items in reverse order, the printed spelling 医療機関(薬局名称) (a documented alias) and a key the '
     'guideline does not list (a later service version may add items): the unknown key is reported, '
     'never an error in either policy.',
     [rec(DRUG, [('医療機関(薬局名称)', s('しらかば調剤薬局'), valid(text='しらかば調剤薬局')),
                 ('後発医薬品区分', s('1'), unknown_key())], drop=('医療機関(薬局)名称',), reverse=True)],
     sources=['docs/wire-format.md key_aliases'])

case('drug_code_formats', 'drug',
     'A 薬価基準収載医薬品コード typed in lower case and an 8-digit 医薬品コード (leading digit dropped): '
     'not in the code formats, kept as text.',
     [rec(DRUG, [('医薬品コード', s('10463147'), unparsed()),
                 ('薬価基準収載医薬品コード', s('2149044f2030'), unparsed())])])

case('drug_duplicate_item', 'drug',
     'The same item twice in one record (a merge of two sources): the first occurrence is the value, '
     'the repetition is reported and kept as an extra item of the record.',
     [rec(DRUG, [('薬剤名', s('テルミサルタン錠40mg'), valid(text='テルミサルタン錠40mg')),
                 ('薬剤名', s('テルミサルタン錠20mg'), dup())])])

case('drug_wrong_json_types', 'drug',
     'A boolean, an object and an array where a value belongs: kept as their compact JSON text.',
     [rec(DRUG, [('調剤日', lit('true'), unparsed('wrong_json_type')),
                 ('単位', obj('{"名称":"錠","コード":"1"}'), unparsed('wrong_json_type')),
                 ('用法名称', obj('["1日2回","朝夕食後"]'), unparsed('wrong_json_type'))])])

# ============================================================================= 特定健診情報 (checkup)

case('checkup_q4_codes_2024', 'checkup',
     '第4期 (from 2024-04-01) answers: 喫煙 2 = 以前は吸っていたが最近1ヶ月間は吸っていない, 飲酒 4 = 週1～2日, '
     '飲酒量 5 = 5合以上, 保健指導の希望 (質問22 in 第4期: 特定保健指導の受診歴) 1 = はい.',
     [checkup('20240615', [('喫煙', s('2'), valid(code='2')), ('飲酒', s('4'), valid(code='4')),
                           ('飲酒量', s('5'), valid(code='5')), ('保健指導の希望', s('1'), valid(code='1'))])],
     sources=['echk 24060/24040/24050', 'mhlw-program-r6 質問8・18・19・22'])

case('checkup_q4_codes_in_2023', 'checkup',
     'The same 第4期-only codes in a 2023 checkup (第3期 tables): not in the table of the period, kept as '
     'codes without meaning.',
     [checkup('20230615', [('喫煙', s('3'), valid('unknown_code', code='3')),
                           ('飲酒', s('4'), valid('unknown_code', code='4')),
                           ('飲酒量', s('5'), valid('unknown_code', code='5'))], age='57')],
     sources=['mhlw-wg-2022 (第3期 answers)', 'mhlw-program-r6 p.79'])

case('checkup_meaning_switch_at_boundary', 'checkup',
     'Codes whose meaning changed on 2024-04-01: 喫煙 2 (いいえ → 過去喫煙), 飲酒 3 (ほとんど飲まない → '
     '週3～4日), 飲酒量 4 (3合以上 → 3～5合未満). Record 0 is 2024-03-31 (第3期), record 1 2024-04-01 (第4期).',
     [checkup('20240331', [('喫煙', s('2'), valid(code='2')), ('飲酒', s('3'), valid(code='3')),
                           ('飲酒量', s('4'), valid(code='4'))]),
      checkup('20240401', [('喫煙', s('2'), valid(code='2')), ('飲酒', s('3'), valid(code='3')),
                           ('飲酒量', s('4'), valid(code='4'))])],
     sources=['echk 24040/24050/24060', 'mhlw-wg-2022', 'mhlw-review-2022'])

case('checkup_period_unknown', 'checkup',
     'No usable 実施年月日: a code whose meaning differs between the periods cannot be given one '
     '(issue kind ambiguous_code); a code with the same meaning in both (喫煙 1 はい) keeps it. '
     'Record 0 has no 実施年月日, record 1 a 和暦 one.',
     [rec(CHECKUP, [('飲酒', s('2'), valid('ambiguous_code', code='2')), ('喫煙', s('1'), valid(code='1'))],
          drop=('実施年月日',)),
      rec(CHECKUP, [('実施年月日', s('R060615'), unparsed()), ('飲酒量', s('4'), valid('ambiguous_code', code='4'))])],
     sources=['tools/code_tables/code_tables.json period_rule'])

case('checkup_lab_comparators', 'checkup',
     'Lab values reported with a comparator at the limits of the assay: a decimal with a comparator '
     '(FHIR Quantity.comparator).',
     [checkup('20240615', [('血清クレアチニン(可視吸光光度法)', s('<0.5'), valid(decimal='0.5', comparator='<')),
                           ('GPT(ALT)紫外線吸光光度法', s('<=5'), valid(decimal='5', comparator='<=')),
                           ('随時血糖(その他)', s('>=300'), valid(decimal='300', comparator='>=')),
                           ('γ-GT(γ-GTP)可視吸光光度法', s('>1000'), valid(decimal='1000', comparator='>'))])],
     sources=['jpcore (valueQuantity.comparator 「未満」)', 'lab reports: values at the assay limits'])

case('checkup_lab_out_of_measurable_range', 'checkup',
     'The MHLW 入力範囲 rule writes "L"/"H" for values at or beyond the input range and "未実施" for tests '
     'not done; labs also write 未満/以上. None is a decimal: kept as text.',
     [checkup('20240615', [('中性脂肪(可視吸光光度法)', s('1000以上'), unparsed()),
                           ('HDLコレステロール(可視吸光光度法)', s('L'), unparsed()),
                           ('LDLコレステロール(可視吸光光度法)', s('未実施'), unparsed()),
                           ('γ-GT(γ-GTP)可視吸光光度法', s('H'), unparsed()),
                           ('血清クレアチニン(可視吸光光度法)', s('0.5未満'), unparsed())])],
     sources=['mhlw-program-r6 p.200 (※1 基準範囲外 L/H, ※2 未実施)'])

case('checkup_decimal_forms', 'checkup',
     'Measurements in non-canonical spellings (trailing point, plus sign, leading zero, exponent number, '
     'full-width digits) are kept as text; JSON numbers and trailing zeros in canonical form are valid.',
     [checkup('20240615', [('体重', s('68.'), unparsed()), ('BMI', s('+23.6'), unparsed()),
                           ('腹囲(実測)', s('084.5'), unparsed()), ('身長', num('1.702e2'), unparsed()),
                           ('内臓脂肪面積', s('１２０'), unparsed()), ('収縮期血圧(1回目)', num('128'), valid(decimal='128')),
                           ('拡張期血圧(1回目)', s('82.0'), valid(decimal='82.0'))])])

case('checkup_whitespace_and_empty', 'checkup',
     'Whitespace around a number, an empty string for a measurement (absent, documented) and for a text '
     '(present and empty), spaces kept in free text.',
     [checkup('20240615', [('身長', s(' 170.2'), unparsed()), ('体重', s(''), absent()),
                           ('氏名(その他)', s(''), valid(text='')),
                           ('医師の診断(判定)', s('  異常なし  '), valid(text='  異常なし  '))])],
     sources=['docs/wire-format.md empty_is_absent'])

case('checkup_wrong_json_types', 'checkup',
     'A boolean for 既往歴, an object for a lab value (value + unit), an array for a code, and a JSON number '
     'for a coded answer (still a readable code).',
     [checkup('20240615', [('既往歴', lit('true'), unparsed('wrong_json_type')),
                           ('HbA1c(HPLC)', obj('{"値":"5.6","単位":"%"}'), unparsed('wrong_json_type')),
                           ('尿糖(機械読み取り)', obj('["1"]'), unparsed('wrong_json_type')),
                           ('飲酒', num('4'), valid('wrong_json_type', code='4'))])])

case('checkup_answers_as_symbols', 'checkup',
     'Urine results written as their symbols (the display, not the code) and codes outside the tables '
     '(尿蛋白 6, メタボ判定 0).',
     [checkup('20240615', [('尿糖(目視法)', s('－'), unparsed()), ('尿蛋白(目視法)', s('＋'), unparsed()),
                           ('尿蛋白(機械読み取り)', s('6'), valid('unknown_code', code='6')),
                           ('メタボリックシンドローム判定', s('0'), valid('unknown_code', code='0'))])],
     sources=['echk 2102, 1008'])

case('checkup_program_and_report_codes', 'checkup',
     'A 健診プログラムコード that lost its leading zero ("10" for "010") and a 報告区分 outside the table.',
     [checkup('20240615', [('報告区分', s('99'), valid('unknown_code', code='99')),
                           ('健診プログラムコード', s('10'), valid('unknown_code', code='10'))])],
     sources=['echk 1002, checkup-report-category'])

case('checkup_numbers_of_other_length', 'checkup',
     'A 7-digit 保険者番号 (leading zero of an 8-digit number lost), a 1-digit 枝番 and a 9-digit '
     '特定健診機関番号.',
     [checkup('20240615', [('保険者番号', s('6131234'), unparsed()), ('枝番', s('0'), unparsed()),
                           ('特定健診機関番号', s('312345678'), unparsed())])],
     sources=['mhlw-oid 101 保険者番号 8桁 (先頭ゼロで8桁化), 102 特定健診機関番号 10桁'])

case('checkup_sex_and_kana', 'checkup',
     'A full-width sex code (not a code), a 男女区分2 outside the table, half-width kana.',
     [checkup('20240615', [('カナ氏名', s('ﾀﾅｶ ｲﾁﾛｳ'), valid(text='ﾀﾅｶ ｲﾁﾛｳ')), ('男女区分1', s('１'), unparsed()),
                           ('男女区分2', s('9'), valid('unknown_code', code='9'))])])

case('checkup_detail_targets', 'checkup',
     '(対象者) codes of the 詳細な健診: 0 for a test done outside the 詳細な健診 (血清クレアチニン), a code '
     'outside the 心電図(対象者) table.',
     [checkup('20240615', [('血清クレアチニン(可視吸光光度法)', s('0.72'), valid(decimal='0.72')),
                           ('血清クレアチニン(対象者)', s('0'), valid(code='0')),
                           ('心電図(対象者)', s('3'), valid('unknown_code', code='3'))])],
     sources=['mhlw-program-r6 p.179', 'echk 18120'])

case('checkup_elderly_questionnaire', 'checkup',
     'A 後期高齢者健診 record (age 78) with all 15 後期 answers; each question has its own CodeSystem '
     '(19010…19150). Two answers outside their tables.',
     [checkup('20240910', [(k, s(v), valid(code=v)) for k, v in ELDERLY]
              + [('毎日の生活に満足していますか(後期)', s('5'), valid('unknown_code', code='5')),
                 ('1日3食きちんと食べていますか(後期)', s('3'), valid('unknown_code', code='3'))], age='78')],
     sources=['echk 19010-19150'])

case('checkup_long_text_reverse_order', 'checkup',
     'A long 医師の診断(判定) (20 000 characters, 60 000 bytes: within the 64 KiB value limit) and items in '
     'reverse order.',
     [checkup('20240615', [('医師の診断(判定)', s('経過観察。' * 4000), valid(text='経過観察。' * 4000))],
              reverse=True)],
     sources=['docs/wire-format.md max_value_bytes'])

case('checkup_fourth_period_item_names', 'checkup',
     'Keys the guideline does not list but 第4期 data has (検査未実施の理由, and the 第4期 name of 質問22 '
     '特定保健指導の受診歴): reported as unknown items, not errors; the record keeps its other values.',
     [checkup('20240615', [('検査未実施の理由', s('1'), unknown_key()), ('特定保健指導の受診歴', s('2'), unknown_key())],
              drop=('保健指導の希望',))],
     sources=['echk observations 9N512 検査未実施の理由, 9N808 特定保健指導の受診歴'])

case('checkup_duplicate_and_full_width_key', 'checkup',
     'A key in full-width letters (ＢＭＩ, matched after folding) and a repeated 身長.',
     [checkup('20240615', [('ＢＭＩ', s('23.6'), valid(decimal='23.6')), ('身長', s('170.2'), valid(decimal='170.2')),
                           ('身長', s('171.0'), dup())], drop=('BMI',))],
     sources=['docs/wire-format.md key matching'])

case('checkup_invalid_utf8_institution', 'checkup',
     'A Shift_JIS encoded institution name (健診 = 8C 92 90 66) inside UTF-8: every byte that cannot start '
     'or continue a UTF-8 sequence becomes U+FFFD.',
     [checkup('20240615', [('特定健診機関名称', sb('東京'.encode('utf-8') + b'\x8c\x92\x90\x66' + 'センター'.encode('utf-8')),
                            repaired())])])

case('checkup_unit_confusion_out_of_range', 'checkup',
     'Unit mix-ups outside the MHLW input range: 赤血球数 in /μL instead of 万/mm3 (4500000 > 1000) and '
     '血色素量 in g/L instead of g/dL (142 > 30.0). The values stay readable, with out_of_range.',
     [checkup('20240615', [('血色素量(ヘモグロビン値)', s('142'), valid('out_of_range', decimal='142')),
                           ('赤血球数', s('4500000'), valid('out_of_range', decimal='4500000'))])],
     sources=['mhlw-program-r6 p.200 (入力範囲 Hb 0.0-30.0 g/dl, 赤血球数 0-1000 万/mm3)'])

case('checkup_date_forms', 'checkup',
     'ISO 実施年月日 (valid, period 第4期), a 和暦 生年月日 with era letter and dots, an impossible date.',
     [checkup('2024-06-15', [('生年月日', s('S40.07.20'), unparsed()), ('飲酒', s('4'), valid(code='4'))]),
      checkup('20240615', [('生年月日', s('19650230'), unparsed())])],
     sources=['src/records/values.cpp (date forms accepted today)'])

case('checkup_without_results', 'checkup',
     'Only the qualification and visit items (1-17), none of the results (18-143): a visit recorded '
     'before its results, or a correction that re-sends the header. The record survives with an odd '
     '年齢 kept as text and a key that is no item kept with its value (FHIR: a JP_Encounter carries them).',
     [rec(CHECKUP, [('年齢', s('58歳'), unparsed()), ('備考', s('受診中止'), unknown_key())],
          drop=tuple(k for k, _ in CHECKUP[14:]))])

# ============================================================================= 医療費通知情報 (expense)

case('expense_negative_copayment', 'expense',
     'A 窓口負担相当額 correction (過誤調整) is negative: a valid negative amount (our assumption: the '
     'guideline defines no sign).',
     [rec(EXPENSE, [('窓口負担相当額', s('-3450'), valid(yen=-3450))]), rec(EXPENSE, [('窓口負担相当額', s('0'), valid(yen=0))])],
     sources=['corrections (過誤・返戻の調整) produce negative lines: our assumption'])

case('expense_copayment_forms', 'expense',
     'Amounts as printed on a notice (thousands separator, yen sign), with decimals, as a JSON number '
     '(valid), and 16 digits (beyond 15).',
     [rec(EXPENSE, [('窓口負担相当額', s('3,450'), unparsed())]), rec(EXPENSE, [('窓口負担相当額', s('¥3450'), unparsed())]),
      rec(EXPENSE, [('窓口負担相当額', num('3450'), valid(yen=3450))]),
      rec(EXPENSE, [('窓口負担相当額', s('3450.0'), unparsed())]),
      rec(EXPENSE, [('窓口負担相当額', s('1000000000000000'), unparsed())])])

case('expense_treatment_month_forms', 'expense',
     '診療年月 as YYYY-MM (valid), as a full date, as 和暦 and with a slash.',
     [rec(EXPENSE, [('診療年月', s('2024-01'), valid(year_month='2024-01'))]),
      rec(EXPENSE, [('診療年月', s('20240115'), unparsed())]), rec(EXPENSE, [('診療年月', s('R0601'), unparsed())]),
      rec(EXPENSE, [('診療年月', s('2024/01'), unparsed())])])

case('expense_unique_code_number', 'expense',
     'A 20-digit ユニークコード sent as a JSON number: beyond double precision, so it must be kept as its '
     'exact digits (text, wrong JSON type noted).',
     [rec(EXPENSE, [('ユニークコード', num('20240112345678901234'), valid('wrong_json_type', text='20240112345678901234'))])])

case('expense_invalid_utf8_and_kana', 'expense',
     'A stray 0xFF byte in 受診者氏名 and a half-width kana insurer name.',
     [rec(EXPENSE, [('受診者氏名', sb('鈴木'.encode('utf-8') + b'\xff' + '恵美'.encode('utf-8')), repaired()),
                    ('保険者名称', s('ｾﾞﾝｺｸｹﾝｺｳﾎｹﾝｷｮｳｶｲ'), valid(text='ｾﾞﾝｺｸｹﾝｺｳﾎｹﾝｷｮｳｶｲ'))])])

case('expense_null_and_empty', 'expense',
     'null is absent; "" is absent for an amount and an empty text for a name.',
     [rec(EXPENSE, [('医療機関(薬局)名称', lit('null'), absent()), ('窓口負担相当額', s(''), absent()),
                    ('保険者名称', s(''), valid(text=''))])],
     sources=['docs/wire-format.md absent'])

case('expense_unknown_key_reverse_order', 'expense',
     'Items in reverse order and an item the guideline does not list (公費負担額).',
     [rec(EXPENSE, [('公費負担額', s('1200'), unknown_key())], reverse=True)])

case('expense_wrong_json_types', 'expense',
     '診療年月 as a JSON number (still a readable month) and a boolean amount.',
     [rec(EXPENSE, [('診療年月', num('202401'), valid('wrong_json_type', year_month='2024-01')),
                    ('窓口負担相当額', lit('false'), unparsed('wrong_json_type'))])])

# ============================================================================= service errors / structure

case('service_error_token', 'drug',
     'commonHeader.errorCode E0003 (token invalid): decode_result returns that typed error in both policies.',
     payload_present=False, error_code='E0003',
     error=dict(outcome='error', category='auth', service_code='E0003'),
     sources=['docs/wire-format.md §5'])

case('service_error_not_ready', 'checkup',
     'errorCode E0006 (処理中): a typed timeout error, not zero records.',
     payload_present=False, error_code='E0006', error=dict(outcome='error', category='timeout', service_code='E0006'),
     sources=['docs/wire-format.md §5'])

case('service_error_unknown_code', 'expense',
     'An errorCode the profile does not list: protocol error carrying the service code.',
     payload_present=False, error_code='E9999', error=dict(outcome='error', category='protocol', service_code='E9999'),
     sources=['src/codec/envelope.cpp check_service_error'])

case('service_error_with_payload', 'drug',
     'errorCode E0004 (grant ended) while a payload is present: the error wins; no records are returned.',
     error_code='E0004', records=[rec(DRUG)],
     error=dict(outcome='error', category='consent_required', service_code='E0004'))

case('structure_records_not_array', 'drug',
     'The information type maps to an object, not an array of records: broken structure stays a decode '
     'error in lenient mode too.',
     payload=b'[{"' + '社会保険診療報酬支払基金・国民健康保険中央会'.encode('utf-8') + b'":{"' + '薬剤情報'.encode('utf-8')
     + b'":{"' + 'カナ氏名'.encode('utf-8') + b'":"x"}}}]',
     error=dict(outcome='error', category='decode'))


case('drug_numbers_beyond_double', 'drug',
     'JSON numbers beyond the range of a double (RFC 8259 sets no limit on numbers): 1e400 for a date, '
     'a 400-digit integer for a code and for a count, -2.5E+999 for a quantity. Each is a value kept '
     'with its text (wrong_json_type where the item is no number), never a broken telegram: lenient '
     'decodes the record, strict refuses it for its first issue like any other value.',
     [rec(DRUG, [('調剤日', num('1e400'), unparsed('wrong_json_type', 'unparsed_value')),
                 ('医薬品コード', num('9' * 400), unparsed('wrong_json_type', 'unparsed_value')),
                 ('回数', num('1' + '0' * 399), unparsed('unparsed_value')),
                 ('使用量', num('-2.5E+999'), unparsed('unparsed_value'))])],
     sources=['RFC 8259 section 6 (no range on numbers)', 'docs/wire-format.md value kinds'])


case('checkup_answers_before_date', 'checkup',
     'Questionnaire answers before 実施年月日 (an order the guideline does not fix): they are read in '
     'the period of the date that follows (飲酒 3 = 週3～4日 in 第4期), and an unknown code among them is '
     'reported in document order, before the unknown code of an answer after the date.',
     [rec(CHECKUP, [('飲酒', s('3'), valid(code='3')), ('喫煙', s('9'), valid('unknown_code', code='9')),
                    ('実施年月日', s('20240615'), None),
                    ('あなたの現在の健康状態はいかがですか(後期)', s('7'), valid('unknown_code', code='7')),
                    ('毎日の生活に満足していますか(後期)', s('2'), valid(code='2'))],
          drop=('実施年月日',))],
     sources=['guideline 表2.4-3 (no item order)', 'echk 24040/24050 (第4期 tables)'])
