#!/usr/bin/env python3
"""Builds tools/code_tables/code_tables.json: the code tables of every coded item of the
guideline's tables 2.4-2 / 2.4-3 / 2.4-4, each code with its meaning, its published source,
the period it applies to and its FHIR CodeSystem.

Meanings of the sets that exist in the JAMI eCheckup package are read from the package
(../shared/fhir/jp-eChekupReport.r4.tgz), never typed by hand; everything else is curated
below, each with the source it comes from. `--check` only verifies that code_tables.json is
up to date. Python 3 standard library only.

    python3 tools/code_tables/build_code_tables.py [--package PATH] [--check]
"""
import argparse
import json
import os
import sys
import tarfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, '..', '..'))
OUT = os.path.join(HERE, 'code_tables.json')
OID = 'urn:oid:1.2.392.200119.6.'
PERIOD_4_START = '2024-04-01'   # 第4期 特定健診・特定保健指導
PERIOD_3_END = '2024-03-31'

# ----------------------------------------------------------------------------- sources
# verification: "read"          the text was read in the original file (package, seed)
#               "transcription" read through a transcription of the official document
#                               (an OCR page or a third-party copy): check the original
#               "third_party"   only third-party material says so
#               "none"          nothing published was found
SOURCES = {
    'guideline': dict(
        title='マイナポータル 医療保険情報取得API 利用ガイドライン', issuer='デジタル庁', version='1.4版',
        date='2021-12-07', section='2.4 表2.4-2, 表2.4-3, 表2.4-4', verification='read',
        locator='../shared/seed/000_599dbe5040ed47fb.txt (OCR)',
        note='Fixes item numbers and names only: no formats, code sets, ranges or lengths.'),
    'echk': dict(
        title='健診結果報告書 FHIR 実装ガイド (eCheckupReport)', issuer='日本HL7協会・日本医療情報学会 (JAMI)',
        version='package jp-eCheckupReport.r4 1.0.0-temp (ImplementationGuide resource: version 1.1.3)',
        date='repository jami-fhir-jp-wg/eCheckupReport, commit a9ab40f, 2025-02-07',
        section='CodeSystem-specialCheckup-choice-*.json, CodeSystem-echeckup-programService-cs.json, '
                'CodeSystem-eCheckup-codeSystem-reportCategory.json, CodeSystem-specialCheckup-observations-cs.json '
                '(title 特定健診検査項目コード第４期)',
        verification='read', locator='../shared/fhir/jp-eChekupReport.r4.tgz',
        note='Carries the 第4期 tables only; CodeSystems have no version element. Period tables are '
             'separate CodeSystems (different OIDs), not versions of one.'),
    'echk-sample': dict(
        title='健診結果報告書 FHIR IG, example Bundle-eCheckupReport-Sample-01', issuer='JAMI',
        version='as echk', date='as echk', section='Observation.valueCodeableConcept.coding.system per item',
        verification='read', locator='package/Bundle-Bundle-eCheckupReport-Sample-01.json',
        note='The only place in the package that binds an item code to its answer CodeSystem: '
             '9N736 喫煙 → 24060, 9N786 飲酒 → 24040, 9N791 飲酒量 → 24050, 9N808 特定保健指導の受診歴 → 2003, '
             '9N872 咀嚼 → 18030, 9N141 採血時間 → 2202. Its effectiveDateTime (2020-04-04) is a 第3期 date '
             'although it uses 第4期 tables: the example is not evidence about periods.'),
    'mhlw-program-r6': dict(
        title='標準的な健診・保健指導プログラム（令和6年度版）', issuer='厚生労働省 健康局',
        version='令和6年度版 (第4期, applies to checkups from 2024-04-01)',
        date='draft 資料2-1 of 標準的な健診・保健指導プログラム改訂に関するWG 第2回, 2023-03-07 '
             '(https://www.mhlw.go.jp/stf/newpage_31652.html)',
        section='第2編 別紙3 標準的な質問票 and 解説: 質問8 喫煙 (p.79 of the draft), 質問18・19 飲酒 (p.102), '
                '質問22 (p.111); 健診項目表 血清クレアチニン(対象者) (p.179); 入力最小値(L)/入力最大値(H) (p.200)',
        verification='transcription',
        locator='OCR transcription of the draft pages (wic-net.com/material/document/8096/79, /102, /111, /179, /200)',
        note='Read as the WG draft through an OCR transcription; the published 令和6年度版 should be compared '
             'before release.'),
    'mhlw-review-2022': dict(
        title='特定健診・特定保健指導の健康増進に係る科学的な知見を踏まえた技術的事項に関する資料 (参考資料1-1)',
        issuer='厚生労働省 第4期特定健診・特定保健指導の見直しに関する検討会 (第3回)', version='',
        date='2022-10-12 (https://www.mhlw.go.jp/stf/newpage_28516.html)',
        section='pp.16-17 ①喫煙に関する質問項目 ②飲酒に関する質問項目 (見直しの方向性と修正案)',
        verification='transcription', locator='wic-net.com/material/document/5451/16, /17',
        note='Why 喫煙 gained 「以前は吸っていたが最近1ヶ月間は吸っていない」 and 飲酒 was split into 8 answers.'),
    'mhlw-wg-2022': dict(
        title='喫煙・飲酒の選択肢設定について (資料3-2)', issuer='厚生労働省 技術的事項に関するWG (第1回)',
        version='', date='2022-04-26 (https://www.mhlw.go.jp/stf/newpage_25397.html)',
        section='p.6 飲酒についての質問 (現行 = 第3期 質問18・19 の選択肢)', verification='transcription',
        locator='wic-net.com/material/document/2128/6',
        note='Quotes the 第3期 answers: 18 ①毎日 ②時々 ③ほとんど飲まない(飲めない); 19 ①1合未満 ②1～2合未満 '
             '③2～3合未満 ④3合以上.'),
    'mhlw-oid': dict(
        title='特定健診・特定保健指導の電子的な標準様式 OID(オブジェクトID)表', issuer='厚生労働省',
        version='第4期 (2024年度～)', date='https://www.mhlw.go.jp/content/12400000/001082788.pdf',
        section='OID 1.2.392.200119.6.xxxx tables', verification='third_party',
        locator='read only through a third-party transcription stored in the public code index '
                '(file id 68308981098, "厚生労働省 OID(オブジェクトID)表 準拠"); some meanings there are paraphrased',
        note='Names OIDs the eCheckup package lacks (1104 男女区分, 18110 血清クレアチニン(対象者)) and disagrees '
             'with the package on 2113 SCOTT分類 and 19120 (後期) たばこ: see disagreements.'),
    'hdw-ig': dict(
        title='jp-specific-health-checkups FHIR IG (draft)', issuer='HealthDataWorks (third party)',
        version='gofsh output, meta.lastUpdated 2021-05-10 (第3期 era)', date='2021-05-10',
        section='DrinkingHabits (urn:oid:1.2.392.200119.6.2005), AlcoholConsumptionClassification (…6.2006), '
                'BloodGlucosePostprandialTimeDivision (…6.2201/2202)',
        verification='third_party', locator='github HealthDataWorks/fhir-ig-jp-specific-health-guidance, '
                                            'gofsh_output/input/fsh/',
        note='Third-party, 第3期 era: confirms that 飲酒 and 飲酒量 had their own OIDs (2005, 2006) before 第4期. '
             'Its ValueSet for 19040 is titled むせる (the package: 固いもの) — an off-by-one there.'),
    'third-party-code': dict(
        title='third-party 特定健診 software in the public code index', issuer='various', version='', date='',
        section='採血時間 "1 食後10時間未満 2 以上" (ids 38515664661, 48600766205); 後期 たばこ '
                '"吸っている/吸っていない/やめた" (id 40658884511)',
        verification='third_party', locator='public code index', note='Corroboration only.'),
    'jpcore': dict(
        title='JP Core 1.1.2, JP_Observation_LabResult', issuer='JAMI NeXEHRS FHIR IGWG', version='1.1.2',
        date='snapshot package', section='Observation.value[x] comment: valueQuantity.comparator 「未満」など',
        verification='read', locator='../shared/fhir/jp-core.r4-1.1.2.tgz', note=''),
}

# ----------------------------------------------------------------------------- package


def load_package(path):
    systems = {}
    with tarfile.open(path) as tar:
        for m in tar.getmembers():
            name = os.path.basename(m.name)
            if not (name.startswith('CodeSystem-') and name.endswith('.json')):
                continue
            d = json.load(tar.extractfile(m))
            systems[d['url']] = d
    return systems


def from_package(systems, url, override=None):
    """Codes and displays of one CodeSystem of the package."""
    cs = systems[url]
    codes = []
    for c in cs['concept']:
        display = c.get('display') or c.get('definition')
        codes.append(dict(code=c['code'], meaning=display, display=display, sources=['echk']))
    return dict(fhir_system=url, fhir_title=cs.get('title'), codes=codes)


def curated(system, pairs, sources, title=None):
    return dict(fhir_system=system, fhir_title=title,
                codes=[dict(code=c, meaning=m, display=m, sources=list(sources)) for c, m in pairs])


def table(content, period=(None, None), sources=(), verification='read', notes=''):
    t = dict(period=dict(**{'from': period[0], 'until': period[1]}), sources=list(sources),
             verification=verification, notes=notes)
    t.update(content)
    return t


ALL = (None, None)
P3 = (None, PERIOD_3_END)
P4 = (PERIOD_4_START, None)

# ----------------------------------------------------------------------------- code sets


def code_sets(pk):
    E = lambda oid: from_package(pk, OID + oid)  # noqa: E731
    sets = []

    def add(id_, name, tables, unknown_code_issue=True, fhir_category_use=True, notes=''):
        sets.append(dict(id=id_, name=name, unknown_code_issue=unknown_code_issue,
                         fhir_category_use=fhir_category_use, notes=notes, tables=tables))

    add('sex', '男女区分', [table(curated(None, [('1', '男'), ('2', '女')], ['mhlw-oid']), ALL, ['mhlw-oid'],
                                'third_party',
                                'MHLW OID 1.2.392.200119.6.1104 男女区分コード (特定健診). The same 1/2 convention is '
                                'assumed for 薬剤情報 items 7/8 (from the qualification data): no table of the '
                                'Mynaportal layout is public. No FHIR CodeSystem: export maps to Patient.gender.')])
    add('inpatient_outpatient', '入外等の別',
        [table(curated(None, [('1', '入院'), ('2', '外来'), ('3', '調剤')], ['none']), ALL, ['none'], 'none',
               'source: none. The guideline says only 「入院、外来等を示す区分」. The Mynaportal/オンライン資格確認 '
               '薬剤情報 layout that defines it is not public. These meanings are the SDK\'s assumption (shared '
               'with the sandbox generator); they must not derive FHIR categories (Encounter.class etc.).')],
        unknown_code_issue=False, fhir_category_use=False)
    add('treatment_category', '診療識別等区分',
        [table(curated(None, [('21', '内服'), ('22', '屯服'), ('23', '外用'), ('31', '注射(皮下筋肉内)'),
                              ('32', '注射(静脈内)'), ('33', '注射(その他)'), ('40', '処置'), ('50', '手術'),
                              ('54', '麻酔'), ('60', '検査・病理'), ('70', '画像診断'), ('80', 'その他')], ['none']),
               ALL, ['none'], 'none',
               'source: none for this item. The codes resemble the 診療識別 codes of the レセプト電算処理システム '
               '記録条件仕様 (public), but the guideline says 「診療識別等を示す区分」 and 「等」 means the set may '
               'hold more (e.g. dispensing records): unconfirmed. Not to be used for FHIR categories '
               '(MedicationDispense.category / MedicationRequest.category).')],
        unknown_code_issue=False, fhir_category_use=False)
    add('report_category', '報告区分',
        [table(from_package(pk, 'http://jpfhir.jp/fhir/eCheckup/CodeSystem/checkup-report-category'), ALL, ['echk'],
               'read', 'The MHLW 報告区分コード (OID 1.2.392.200119.6.1001, per mhlw-oid) also lists 19 削除依頼, '
               '21-25 特定保健指導, 30, 49, which a checkup record should not carry. The package also has '
               'urn:oid:2.16.840.1.113883.2.2.1.6.1001 (10, 40, 90) — an OID outside the MHLW arc, likely a typo.')])
    add('program_service', '健診プログラムサービスコード',
        [table(E('1002'), ALL, ['echk'], 'read',
               'mhlw-oid adds 100 特定保健指導 (not a checkup program).')])
    add('noteworthy', '特記すべきこと有無 (既往歴・自覚症状・他覚症状)', [table(E('2001'), ALL, ['echk'])])
    add('findings', '所見有無', [table(E('2002'), ALL, ['echk'], 'read',
                                   'mhlw-oid words them 異常所見あり/異常所見なし/要再検査/検査不適 (paraphrase?).')])
    bd = curated(OID + '2202', [('1', '食後10時間未満'), ('2', '食後10時間以上'), ('3', '食後3.5時間以上10時間未満'),
                                ('4', '食後3.5時間未満')], ['echk'])
    bd['codes'][0]['sources'] = ['third-party-code']
    bd['codes'][0]['display'] = '食後10時間未満'
    add('blood_draw_timing', '採血時間(食後)',
        [table(bd, ALL, ['echk', 'mhlw-oid', 'third-party-code'], 'read',
               'The package (第4期) lists 2, 3, 4 only; code 1 食後10時間未満 is the older table (third-party '
               'software). The meanings never conflict, so one table serves both periods; which period used which '
               'codes is unverified. The package titles this CodeSystem 「C型肝炎ウイルス検診の判定コード」 by mistake.')])
    add('urine_qualitative', '尿定性検査結果', [table(E('2102'), ALL, ['echk'])])
    add('creatinine_target', '血清クレアチニン(対象者)',
        [table(curated(OID + '18110', [('0', '詳細な健診の項目として実施しない'),
                                       ('1', '検査結果による血清クレアチニン検査対象者')],
                       ['mhlw-program-r6', 'mhlw-oid']), ALL, ['mhlw-program-r6', 'mhlw-oid'], 'transcription',
               'Not in the package. 0 is entered when the test was done outside the 詳細な健診 (program p.179: '
               '「詳細な健診の項目として実施しない場合で、値を出現させるときは0」); mhlw-oid words it 詳細健診以外で実施.')])
    add('ecg_target', '心電図(対象者)', [table(E('18120'), ALL, ['echk'])])
    add('fundus_target', '眼底検査(対象者)', [table(E('18130'), ALL, ['echk'])])
    add('keith_wagener', '眼底検査(キースワグナー分類)', [table(E('2110'), ALL, ['echk'])])
    add('scheie_h', '眼底検査(シェイエ分類:H)', [table(E('2111'), ALL, ['echk'])])
    add('scheie_s', '眼底検査(シェイエ分類:S)', [table(E('2112'), ALL, ['echk'])])
    scott = E('2113')
    for c in scott['codes']:
        c['meaning'] = None  # withheld: disputed (see disagreements[scott])
    scott['codes'] += [dict(code=str(n), meaning=None, display=None, sources=['mhlw-oid']) for n in range(6, 10)]
    add('scott', '眼底検査(SCOTT分類)', [table(scott, ALL, ['echk', 'mhlw-oid'], 'read',
                                             'DISPUTED: the package gives 1-5 = 0,1,2,3,4 (the Scheie grades); '
                                             'mhlw-oid gives 1-9 = Ⅰ(a),Ⅰ(b),Ⅱ,Ⅲ(a),Ⅲ(b),Ⅳ,Ⅴ(a),Ⅴ(b),Ⅵ, which are the '
                                             'grades of the Scott classification. See disagreements; until the MHLW '
                                             'original is checked no meaning should be shown for this item.')],
        unknown_code_issue=False, notes='meanings withheld (meaning null): see disagreements[scott]')
    add('wong_mitchell', '眼底検査(Wong-Mitchell分類)', [table(E('18080'), ALL, ['echk'])])
    add('modified_davis', '眼底検査(改変Davis分類)', [table(E('18090'), ALL, ['echk'])])
    add('metabolic_syndrome', 'メタボリックシンドローム判定', [table(E('1008'), ALL, ['echk'])])
    add('guidance_level', '保健指導レベル', [table(E('3001'), ALL, ['echk'])])
    add('yes_no', 'はい・いいえ (質問票)', [table(E('2003'), ALL, ['echk'])])
    add('smoking', '喫煙 (質問8)',
        [table(E('2003'), P3, ['echk', 'mhlw-program-r6'], 'transcription',
               '第3期 質問8 「現在、たばこを習慣的に吸っている。」 ①はい ②いいえ (program r6 p.79: 「第3期特定健診まで、'
               'この質問の選択肢は「はい」「いいえ」の2択であった」). Coded with the yes/no table 2003.'),
         table(E('24060'), P4, ['echk', 'echk-sample', 'mhlw-program-r6', 'mhlw-review-2022'], 'read',
               '第4期 質問8 「現在、たばこを習慣的に吸っていますか。」 ①はい ②以前は吸っていたが、最近1ヶ月間は吸って'
               'いない ③いいえ. Code 2 changes meaning between the periods (いいえ → 過去喫煙).')])
    add('drinking_frequency', '飲酒 (質問18)',
        [table(curated(OID + '2005', [('1', '毎日'), ('2', '時々'), ('3', 'ほとんど飲まない(飲めない)')],
                       ['mhlw-wg-2022', 'hdw-ig']), P3, ['mhlw-wg-2022', 'hdw-ig'], 'transcription',
               '第3期 質問18 お酒を飲む頻度. OID 2005 from hdw-ig (third party); not in the package.'),
         table(E('24040'), P4, ['echk', 'echk-sample', 'mhlw-program-r6', 'mhlw-review-2022'], 'read',
               '第4期: 時々 split into 週5～6日/週3～4日/週1～2日/月に1～3日/月に1日未満, やめた added. Codes 2 and 3 change '
               'meaning between the periods; 4-8 exist only in 第4期.')])
    add('drinking_amount', '飲酒量 (質問19)',
        [table(curated(OID + '2006', [('1', '1合未満'), ('2', '1～2合未満'), ('3', '2～3合未満'), ('4', '3合以上')],
                       ['mhlw-wg-2022', 'hdw-ig']), P3, ['mhlw-wg-2022', 'hdw-ig'], 'transcription',
               '第3期 質問19 飲酒日の1日当たりの飲酒量. OID 2006 from hdw-ig (third party); not in the package.'),
         table(E('24050'), P4, ['echk', 'echk-sample', 'mhlw-program-r6', 'mhlw-review-2022'], 'read',
               '第4期: 3合以上 split into 3～5合未満 and 5合以上. Code 4 changes meaning; 5 exists only in 第4期.')])
    add('guidance_wish', '保健指導の希望 / 特定保健指導の受診歴 (質問22)',
        [table(E('2003'), P3, ['echk', 'guideline'], 'transcription',
               '第3期 質問22 保健指導の希望 (「生活習慣の改善について保健指導を受ける機会があれば、利用しますか」, '
               'wording not re-read in this session), item code 9N806000000000011 (not in the 第4期 package).'),
         table(E('2003'), P4, ['echk', 'echk-sample', 'mhlw-program-r6'], 'transcription',
               '第4期 質問22 is a different question: 「生活習慣の改善について、これまでに特定保健指導を受けたことが'
               'ありますか」 (特定保健指導の受診歴, item code 9N808000000000011). Same codes 1/2, different question: '
               'whether the Mynaportal item 126 carries the new question from 2024-04-01 is not documented.')])
    add('chewing', '咀嚼 (質問13)', [table(E('18030'), ALL, ['echk'], 'read',
                                          'Answer wording in the questionnaire: 何でもかんで食べることができる / 歯や歯ぐき、'
                                          'かみあわせなど気になる部分があり、かみにくいことがある / ほとんどかめない.')])
    add('eating_speed', '食べ方1(早食い等) (質問14)', [table(E('2004'), ALL, ['echk'])])
    add('snacking', '食べ方3(間食) (質問16)', [table(E('18040'), ALL, ['echk'])])
    add('lifestyle_improvement', '生活習慣の改善 (質問21)', [table(E('2007'), ALL, ['echk'], 'read',
                                                             'Unchanged in 第4期 as far as the sources read show.')])
    add('information_method', '情報提供の方法', [table(E('18050'), ALL, ['echk'])])
    add('first_interview', '初回面接実施', [table(E('18060'), ALL, ['echk'])])
    add('elderly_health', '健康状態(後期)', [table(E('19010'), ALL, ['echk'])])
    add('elderly_satisfaction', '生活満足感(後期)', [table(E('19020'), ALL, ['echk'])])
    for oid, id_, name in ELDERLY_YES_NO:
        t = table(E(oid), ALL, ['echk'])
        notes = ''
        if oid == '19120':
            t['notes'] = ('DISPUTED: the package has 1 はい / 2 いいえ; mhlw-oid and third-party code give the '
                          '後期高齢者の質問票 answers 1 吸っている / 2 吸っていない / 3 やめた. Codes 1 and 2 agree in '
                          'sense; code 3 is unknown to the package. See disagreements.')
            t['codes'].append(dict(code='3', meaning=None, display=None, sources=['mhlw-oid', 'third-party-code']))
            t['sources'] += ['mhlw-oid', 'third-party-code']
            notes = 'code 3 known without a meaning (disputed)'
        add(id_, name, [t], notes=notes)
    return sets


ELDERLY_YES_NO = [
    ('19030', 'elderly_three_meals', '1日3食(後期)'),
    ('19040', 'elderly_hard_food', '固いものが食べにくい(後期)'),
    ('19050', 'elderly_choking', 'むせる(後期)'),
    ('19060', 'elderly_weight_loss', '体重減少(後期)'),
    ('19070', 'elderly_walking_speed', '歩く速度(後期)'),
    ('19080', 'elderly_fall', '転倒(後期)'),
    ('19090', 'elderly_exercise', '運動(後期)'),
    ('19100', 'elderly_forgetfulness', '物忘れ(後期)'),
    ('19110', 'elderly_date_orientation', '日付の認識(後期)'),
    ('19120', 'elderly_smoking', 'たばこ(後期)'),
    ('19130', 'elderly_outing', '外出(後期)'),
    ('19140', 'elderly_social', '家族・友人との付き合い(後期)'),
    ('19150', 'elderly_consult', '相談相手(後期)'),
]

# ----------------------------------------------------------------------------- items
# (record type, item, code set, observation code(s) per period)
ITEMS = [
    ('drug', 7, 'sex'), ('drug', 8, 'sex'), ('drug', 10, 'inpatient_outpatient'), ('drug', 20, 'treatment_category'),
    ('checkup', 11, 'sex'), ('checkup', 12, 'sex'), ('checkup', 13, 'report_category'),
    ('checkup', 15, 'program_service'), ('checkup', 25, 'noteworthy'), ('checkup', 27, 'noteworthy'),
    ('checkup', 29, 'noteworthy'), ('checkup', 37, 'blood_draw_timing'), ('checkup', 57, 'creatinine_target'),
    ('checkup', 72, 'urine_qualitative'), ('checkup', 73, 'urine_qualitative'), ('checkup', 74, 'urine_qualitative'),
    ('checkup', 75, 'urine_qualitative'), ('checkup', 80, 'findings'), ('checkup', 82, 'ecg_target'),
    ('checkup', 84, 'keith_wagener'), ('checkup', 85, 'scheie_h'), ('checkup', 86, 'scheie_s'),
    ('checkup', 87, 'scott'), ('checkup', 88, 'wong_mitchell'), ('checkup', 89, 'modified_davis'),
    ('checkup', 91, 'fundus_target'), ('checkup', 93, 'metabolic_syndrome'), ('checkup', 94, 'guidance_level'),
    ('checkup', 96, 'yes_no'), ('checkup', 100, 'yes_no'), ('checkup', 104, 'yes_no'), ('checkup', 108, 'yes_no'),
    ('checkup', 109, 'yes_no'), ('checkup', 110, 'yes_no'), ('checkup', 111, 'yes_no'), ('checkup', 112, 'smoking'),
    ('checkup', 113, 'yes_no'), ('checkup', 114, 'yes_no'), ('checkup', 115, 'yes_no'), ('checkup', 116, 'yes_no'),
    ('checkup', 117, 'chewing'), ('checkup', 118, 'eating_speed'), ('checkup', 119, 'yes_no'),
    ('checkup', 120, 'snacking'), ('checkup', 121, 'yes_no'), ('checkup', 122, 'drinking_frequency'),
    ('checkup', 123, 'drinking_amount'), ('checkup', 124, 'yes_no'), ('checkup', 125, 'lifestyle_improvement'),
    ('checkup', 126, 'guidance_wish'), ('checkup', 127, 'information_method'), ('checkup', 128, 'first_interview'),
    ('checkup', 129, 'elderly_health'), ('checkup', 130, 'elderly_satisfaction'),
] + [('checkup', 131 + i, e[1]) for i, e in enumerate(ELDERLY_YES_NO)]

# Item 126: the observation code depends on the period (the question changed).
OBSERVATION_OVERRIDES = {
    126: [dict(period={'from': None, 'until': PERIOD_3_END}, code='9N806000000000011', display='保健指導の希望',
               in_package=False, verification='none',
               note='第3期 XML項目コード; not in the 第4期 package; not re-read in this session'),
          dict(period={'from': PERIOD_4_START, 'until': None}, code='9N808000000000011',
               display='特定保健指導の受診歴', in_package=True, verification='read',
               note='Assumes Mynaportal item 126 carries 質問22 of 第4期 from 2024-04-01: undocumented.')],
}

# Questionnaire items that are free text (not coded) in the guideline's table.
UNCODED_QUESTIONNAIRE = [
    (97, '服薬1(血圧)(薬剤名)'), (98, '服薬1(血圧)(実施理由)'), (99, '服薬確認者(血圧)'),
    (101, '服薬2(血糖)(薬剤名)'), (102, '服薬2(血糖)(実施理由)'), (103, '服薬確認者(血糖)'),
    (105, '服薬3(脂質)(薬剤名)'), (106, '服薬3(脂質)(実施理由)'), (107, '服薬確認者(脂質)'),
]

DISAGREEMENTS = [
    dict(id='scott', items=[87], sources=['echk', 'mhlw-oid'],
         what='SCOTT分類 codes: package 2113 = 1:0 2:1 3:2 4:3 5:4 (copy of the Scheie table); mhlw-oid = '
              '1:Ⅰ(a) 2:Ⅰ(b) 3:Ⅱ 4:Ⅲ(a) 5:Ⅲ(b) 6:Ⅳ 7:Ⅴ(a) 8:Ⅴ(b) 9:Ⅵ (the grades the Scott classification has).',
         recommendation='Keep every code 1-9 as a code without meaning (no unknown_code for 6-9) until the MHLW '
                        'original (XML用特定健診項目情報 / OID表) is checked; the SDK\'s current closed 1-5 table rejects '
                        'real 6-9 in strict mode.'),
    dict(id='elderly_smoking', items=[140], sources=['echk', 'mhlw-oid', 'third-party-code'],
         what='あなたはたばこを吸いますか(後期): package 19120 = 1 はい 2 いいえ; mhlw-oid and a third-party '
              'questionnaire = 1 吸っている 2 吸っていない 3 やめた.',
         recommendation='Accept code 3 without a meaning and without unknown_code until the 後期高齢者の質問票 / '
                        'OID表 original is checked; meanings of 1 and 2 agree in sense.'),
    dict(id='elderly_19040', items=[132, 133], sources=['echk', 'hdw-ig'],
         what='hdw-ig titles its 19040 ValueSet 「お茶や汁物等でむせることがありますか」; the package has 19040 = '
              '固いもの, 19050 = むせる, as does mhlw-oid.',
         recommendation='Follow the package (two sources agree).'),
    dict(id='findings_wording', items=[80], sources=['echk', 'mhlw-oid'],
         what='2002: package 所見あり/所見なし/要再撮影/マンモグラフィー不適; mhlw-oid transcription '
              '異常所見あり/異常所見なし/要再検査/検査不適.',
         recommendation='Follow the package; the transcription looks paraphrased.'),
    dict(id='blood_draw_timing_code1', items=[37], sources=['echk', 'third-party-code'],
         what='採血時間: the 第4期 package lists 2,3,4; older software uses 1 食後10時間未満, 2 食後10時間以上.',
         recommendation='One table 1-4 for both periods (meanings never conflict).'),
    dict(id='item126_question', items=[126], sources=['guideline', 'mhlw-program-r6', 'echk'],
         what='The guideline names item 126 保健指導の希望 (第3期 質問22). 第4期 replaced the question by '
              '特定保健指導の受診歴 (9N808). Whether the service sends the new answer under the old name is unknown.',
         recommendation='Codes 1/2 はい/いいえ in both periods; FHIR Observation.code by period (9N806 / 9N808); '
                        'say so in docs.'),
]


def observation_codes(pk):
    cs = pk[OID + '1005']
    return {c['code']: c['display'] for c in cs['concept']}


def checkup_observation_code(item):
    for line in open(os.path.join(ROOT, 'tools', 'checkup_table.txt'), encoding='utf-8'):
        if line.startswith('#') or not line.strip():
            continue
        parts = line.rstrip('\n').split('|')
        if int(parts[1]) == item:
            return parts[2], parts[6]
    raise KeyError(item)


def guideline_names():
    names = {}
    for line in open(os.path.join(ROOT, 'tests', 'data', 'guideline_items.tsv'), encoding='utf-8'):
        if line.startswith('#'):
            continue
        t, n, name = line.rstrip('\n').split('\t')[:3]
        names[(t, int(n))] = name
    return names


def build(package_path):
    pk = load_package(package_path)
    obs = observation_codes(pk)
    names = guideline_names()
    sets = code_sets(pk)
    known_sets = {s['id'] for s in sets}
    items = []
    for rtype, n, set_id in ITEMS:
        assert set_id in known_sets, set_id
        entry = dict(record_type=rtype, item=n, name=names[(rtype, n)], code_set=set_id)
        if rtype == 'checkup':
            _, code = checkup_observation_code(n)
            if n in OBSERVATION_OVERRIDES:
                entry['observation_code'] = OBSERVATION_OVERRIDES[n]
            elif code:
                entry['observation_code'] = [dict(period={'from': None, 'until': None}, code=code,
                                                  display=obs.get(code), in_package=code in obs,
                                                  verification='read' if code in obs else 'none')]
        items.append(entry)
    uncoded = [dict(record_type='checkup', item=n, name=names[('checkup', n)], kind='text',
                    notes='free text in the guideline; 99/103/107 (服薬確認者) may carry the 第4期 保険者再確認 '
                          'code 24020 (1 質問票の記載違い(服薬中)を確認, 2 健診以後に服薬開始を確認) as text'
                          if n in (99, 103, 107) else 'free text')
               for n, _ in UNCODED_QUESTIONNAIRE]
    return dict(
        format_version=1,
        generated_by='tools/code_tables/build_code_tables.py (do not edit by hand)',
        period_rule=dict(
            applies_to='checkup items whose code set has more than one table',
            key='item 14 実施年月日 of the same record',
            boundary=PERIOD_4_START,
            rule='実施年月日 < 2024-04-01: the table with until=2024-03-31 (第3期); >= 2024-04-01: the table with '
                 'from=2024-04-01 (第4期). When 実施年月日 is absent or unparsed, a code whose meaning is the same in '
                 'every period keeps that meaning; a code whose meaning differs (or that exists in only one period) '
                 'has no meaning and the record gets an ambiguous_code issue (proposed kind).'),
        conventions=dict(
            meaning_null='a listed code whose meaning is withheld because sources disagree: decode it as a known '
                         'code (no unknown_code issue) with no meaning; FHIR coding without display',
            unknown_code_issue='false for sets with no published table (入外等の別, 診療識別等区分) and for SCOTT: '
                               'a code outside the list is kept without meaning and without an issue',
            fhir_category_use='false: the meanings are not sourced and must not derive FHIR categories',
            display='the eCheckup CodeSystem display (FHIR coding.display) where the set is in the package'),
        sources=SOURCES, code_sets=sets, items=items, uncoded_questionnaire_items=uncoded,
        disagreements=DISAGREEMENTS)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--package', default=os.path.join(ROOT, '..', '..', 'shared', 'fhir', 'jp-eChekupReport.r4.tgz'))
    ap.add_argument('--check', action='store_true')
    args = ap.parse_args()
    if not os.path.exists(args.package):
        alt = '/work/shared/fhir/jp-eChekupReport.r4.tgz'
        args.package = alt if os.path.exists(alt) else args.package
    text = json.dumps(build(args.package), ensure_ascii=False, indent=1) + '\n'
    if args.check:
        same = os.path.exists(OUT) and open(OUT, encoding='utf-8').read() == text
        print('code_tables.json is up to date' if same else 'code_tables.json is stale: rebuild it')
        return 0 if same else 1
    with open(OUT, 'w', encoding='utf-8') as f:
        f.write(text)
    print('wrote', os.path.relpath(OUT, ROOT))
    return 0


if __name__ == '__main__':
    sys.exit(main())
