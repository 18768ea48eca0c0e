#!/usr/bin/env python3
"""End-to-end tests of the `myna` binary: every command runs as a subprocess against
`myna sandbox` (also a subprocess) over loopback HTTPS with mutual TLS; outputs and exit codes
are checked. Run by CTest (tests/cli.cmake):

    python3 tests/cli/test_cli.py --myna build/cli/myna [unittest arguments, e.g. TestSync]
"""
import csv
import io
import json
import os
import pty
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.parse
import urllib.request

MYNA = None  # path of the binary under test (--myna)

# Exit codes (docs/cli.md)
OK, USAGE, CONSENT, NETWORK, SERVICE, DATA, STORAGE, PARTIAL, INTERRUPTED = 0, 2, 3, 4, 5, 6, 7, 8, 130


def clean_env(**extra):
    """The environment without the caller's MYNA_* settings and with a private HOME."""
    env = {k: v for k, v in os.environ.items() if not k.startswith('MYNA_') and k not in ('DISPLAY', 'WAYLAND_DISPLAY')}
    env['HOME'] = tempfile.mkdtemp(prefix='myna-home-')
    env.pop('XDG_CONFIG_HOME', None)
    env.pop('XDG_DATA_HOME', None)
    env.update(extra)
    return env


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def myna(*args, env=None, timeout=120):
    return subprocess.run([MYNA, *args], env=env or clean_env(), capture_output=True, text=True, timeout=timeout)


class Sandbox:
    """`myna sandbox --state-dir DIR` in the background; its config file points the other commands at it."""

    def __init__(self, *extra, state_dir=None):
        self.dir = state_dir or tempfile.mkdtemp(prefix='myna-e2e-')
        self.config = os.path.join(self.dir, 'config')
        self.proc = subprocess.Popen([MYNA, 'sandbox', '--state-dir', self.dir, *extra], env=clean_env(),
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.time() + 30
        while not os.path.exists(self.config):
            if self.proc.poll() is not None:
                raise RuntimeError('myna sandbox exited: ' + self.proc.stderr.read())
            if time.time() > deadline:
                raise RuntimeError('myna sandbox did not write its config')
            time.sleep(0.05)
        self.env = clean_env(MYNA_CONFIG=self.config)

    def run(self, *args, timeout=120, **extra_env):
        env = dict(self.env, **extra_env)
        return myna(*args, env=env, timeout=timeout)

    def login(self, citizen, sandbox_citizen=None):
        return self.run('login', '--citizen', citizen, '--sandbox-citizen', sandbox_citizen or citizen, '--no-browser')

    def stop(self):
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc.stdout.close()
        self.proc.stderr.close()
        shutil.rmtree(self.dir, ignore_errors=True)


def parse_json_lines(text):
    # Numbers stay text: exact decimals ("5.60") are compared as written.
    return [json.loads(line, parse_float=str, parse_int=str) for line in text.splitlines() if line]


def parse_csv(text):
    return list(csv.reader(io.StringIO(text, newline='')))


def catalog(kind):
    """The catalog rows of a record type, from `myna catalog TYPE --format csv`."""
    r = myna('catalog', kind, '--format', 'csv')
    assert r.returncode == OK, r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout, newline='')))
    return rows


class TestBasics(unittest.TestCase):
    """--help on every command, usage errors, the catalog, configuration errors."""

    def test_help_on_every_command(self):
        r = myna('--help')
        self.assertEqual(r.returncode, OK)
        for command in ('login', 'fetch', 'sync', 'sandbox', 'catalog'):
            self.assertIn(command, r.stdout)
            h = myna(command, '--help')
            self.assertEqual(h.returncode, OK, command)
            self.assertTrue(h.stdout.startswith('usage: myna ' + command), h.stdout[:80])
            self.assertIn('--help', h.stdout)
        self.assertIn('exit codes', r.stdout)
        self.assertRegex(myna('--version').stdout, r'^myna \d+\.\d+\.\d+')

    def test_usage_errors_exit_2_and_say_what_to_do(self):
        self.assertEqual(myna().returncode, USAGE)
        for args in (['nonsense'], ['fetch'], ['fetch', 'pills', '--from', '2024-01-01', '--to', '2024-02-01'],
                     ['fetch', 'drugs', '--from', '2024-01-01'], ['fetch', 'drugs', '--bogus'],
                     ['fetch', 'drugs', '--from', '2024-02-30', '--to', '2024-03-01'],
                     ['fetch', 'drugs', '--from', '2024-03-01', '--to', '2024-02-01'],
                     ['fetch', 'drugs', '--from', '2024-01-01', '--to', '2024-02-01', '--format', 'xml'],
                     ['sync', '--out', '/tmp/x'], ['catalog', 'pills'], ['sandbox', '--port', 'eighty']):
            r = myna(*args)
            self.assertEqual(r.returncode, USAGE, f'{args}: {r.stderr}')
            self.assertTrue(r.stderr.startswith('myna: '), r.stderr)
            self.assertEqual(r.stdout, '')

    def test_catalog_lists_every_item(self):
        for kind, n in (('drugs', 30), ('checkups', 143), ('expenses', 6)):
            rows = catalog(kind)
            self.assertEqual([int(r['number']) for r in rows], list(range(1, n + 1)))
        checkups = {int(r['number']): r for r in catalog('checkups')}
        self.assertEqual(checkups[18]['ja'], '身長')
        self.assertEqual(checkups[18]['unit'], 'cm')
        self.assertEqual(checkups[18]['observation_code'], '9N001000000000001')
        # 喫煙 changed on 2024-04-01: one CodeSystem per period (第3期, 第4期), space-separated.
        self.assertEqual(checkups[112]['code_set_system'].split(),
                         ['urn:oid:1.2.392.200119.6.2003', 'urn:oid:1.2.392.200119.6.24060'])
        self.assertIn('1 はい', checkups[112]['codes'])
        table = myna('catalog', 'checkups')
        self.assertEqual(table.returncode, OK)
        self.assertIn('健診情報・基本項目', table.stdout)
        self.assertIn('code sets:', table.stdout)
        everything = myna('catalog')
        for name in ('薬剤情報', '特定健診情報', '医療費通知情報'):
            self.assertIn(name, everything.stdout)
        self.assertEqual(len(json.loads(myna('catalog', 'drugs', '--format', 'json').stdout)), 30)

    def test_configuration_file_errors(self):
        with tempfile.TemporaryDirectory() as d:
            bad = os.path.join(d, 'config')
            with open(bad, 'w') as f:
                f.write('# comment\napi_base_url = https://127.0.0.1:1\ncolour = blue\n')
            r = myna('fetch', 'drugs', '--from', '2024-01-01', '--to', '2024-02-01', '--config', bad)
            self.assertEqual(r.returncode, USAGE)
            self.assertIn(bad + ':3', r.stderr)
            self.assertIn('colour', r.stderr)
            r = myna('fetch', 'drugs', '--from', '2024-01-01', '--to', '2024-02-01', '--config', d + '/missing')
            self.assertEqual(r.returncode, USAGE)
            self.assertIn('cannot read', r.stderr)
            # a redirect_uri elsewhere cannot be received by `myna login`
            r = myna('login', '--redirect-uri', 'https://phr.example/callback', '--token-dir', d + '/t')
            self.assertEqual(r.returncode, USAGE)
            self.assertIn('loopback', r.stderr)

    def test_nothing_configured_says_what_is_missing(self):
        # Each network command, run with no file, no MYNA_* variable and no flag: exit 2 before any
        # network call, naming what is missing and how `myna sandbox` gives a working setup.
        with tempfile.TemporaryDirectory() as d:
            citizens = os.path.join(d, 'citizens.txt')
            with open(citizens, 'w') as f:
                f.write('C0000001\n')
            period = ['--from', '2024-01-01', '--to', '2024-02-01']
            for args, missing in ((['login'], 'redirect_uri, api_base_url, authorize_base_url'),
                                  (['fetch', 'drugs', *period], 'api_base_url'),
                                  (['sync', '--citizens', citizens, '--out', d + '/out', *period], 'api_base_url')):
                r = myna(*args)
                self.assertEqual(r.returncode, USAGE, f'{args}: {r.stderr}')
                self.assertIn('nothing is configured', r.stderr)
                self.assertIn(missing, r.stderr)
                self.assertIn('myna sandbox --state-dir', r.stderr)
                self.assertIn('MYNA_CONFIG', r.stderr)
                self.assertNotIn('consent_required', r.stderr)
                self.assertEqual(r.stdout, '')
            self.assertFalse(os.path.exists(d + '/out'))  # sync stopped before writing anything
            # The commands that need no configuration work without one.
            self.assertEqual(myna('catalog', 'drugs').returncode, OK)
            # A configuration that lacks a needed key is named, with the key.
            partial = os.path.join(d, 'config')
            with open(partial, 'w') as f:
                f.write('client_id = SP00000086_AA0003\n')
            r = myna('fetch', 'drugs', *period, '--config', partial)
            self.assertEqual(r.returncode, USAGE, r.stderr)
            self.assertIn(partial + ' does not set api_base_url', r.stderr)

    def test_unreachable_service_is_a_network_error(self):
        with tempfile.TemporaryDirectory() as d:
            port = free_port()
            env = clean_env(MYNA_API_BASE_URL=f'https://127.0.0.1:{free_port()}', MYNA_TOKEN_DIR=d)
            r = myna('login', '--sandbox-citizen', 'C0000001', '--redirect-uri', f'http://127.0.0.1:{port}/cb',
                     '--authorize-base-url', f'https://127.0.0.1:{free_port()}', env=env)
            self.assertEqual(r.returncode, NETWORK, r.stderr)
            self.assertIn('network', r.stderr)


    def test_sandbox_stops_on_sigint_like_a_background_job(self):
        # A shell starts background jobs with SIGINT ignored; `kill -INT` must still stop it.
        p = subprocess.Popen([MYNA, 'sandbox'], env=clean_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
        config = None
        for line in p.stdout:
            if line.strip().startswith('config'):
                config = line.split()[-1]
                break
        self.assertTrue(config and os.path.exists(config))
        p.send_signal(signal.SIGINT)
        p.communicate(timeout=20)
        self.assertEqual(p.returncode, OK)
        self.assertFalse(os.path.exists(os.path.dirname(config)))  # its temporary directory is gone


class TestLoginFetch(unittest.TestCase):
    """Consent and single fetches in every format against one sandbox."""

    @classmethod
    def setUpClass(cls):
        cls.sb = Sandbox('--deny', 'C0000003', '--expired-cert', 'C0000004', '--delay', '50')
        r = cls.sb.login('C0000005')
        assert r.returncode == OK, r.stderr

    @classmethod
    def tearDownClass(cls):
        cls.sb.stop()

    def fetch(self, kind, *extra, citizen='C0000005', frm='2022-01-01', to='2026-12-31'):
        return self.sb.run('fetch', kind, '--citizen', citizen, '--from', frm, '--to', to, *extra)

    def test_sandbox_wrote_a_complete_config(self):
        with open(self.sb.config) as f:
            text = f.read()
        for key in ('api_base_url', 'authorize_base_url', 'redirect_uri', 'ca_file', 'client_cert', 'client_key',
                    'notify_listen', 'token_dir'):
            self.assertRegex(text, r'(?m)^' + key + r' = \S+')
        for name in re.findall(r'(?m)^(?:ca_file|client_cert|client_key|notify_cert|notify_key) = (\S+)', text):
            self.assertTrue(os.path.exists(os.path.join(self.sb.dir, name)), name)

    def test_login_stores_a_token_and_prints_no_secret(self):
        r = self.sb.login('user-7', 'C0000007')
        self.assertEqual(r.returncode, OK, r.stderr)
        self.assertIn('/online-authorization-web/oauth/authorize?', r.stdout)  # the consent URL
        token_dir = os.path.join(self.sb.dir, 'tokens')
        tokens = [f for f in os.listdir(token_dir) if f.endswith('.json')]
        self.assertGreaterEqual(len(tokens), 2)
        for name in tokens:
            path = os.path.join(token_dir, name)
            self.assertEqual(os.stat(path).st_mode & 0o777, 0o600)
            with open(path) as f:
                secret = json.load(f)['access_token']
            self.assertNotIn(secret, r.stdout + r.stderr)
        v = self.fetch('drugs', '--verbose', citizen='user-7', frm='2024-01-01', to='2024-03-31')
        self.assertEqual(v.returncode, OK, v.stderr)
        self.assertIn('[info]', v.stderr)
        for name in tokens:
            with open(os.path.join(token_dir, name)) as f:
                self.assertNotIn(json.load(f)['access_token'], v.stdout + v.stderr)
        self.assertNotIn('code=', v.stderr)

    def config_value(self, key):
        with open(self.sb.config) as f:
            value = re.search(r'(?m)^' + key + r' = (\S+)', f.read()).group(1)
        return value if os.path.isabs(value) or '://' in value else os.path.join(self.sb.dir, value)

    def test_login_for_one_type_then_a_fetch_of_another_exits_3(self):
        r = self.sb.run('login', '--citizen', 'types-user', '--types', 'checkups', '--sandbox-citizen', 'C0000006',
                        '--no-browser')
        self.assertEqual(r.returncode, OK, r.stderr)
        self.assertIn('特定健診情報', r.stderr)
        self.assertEqual(self.fetch('checkups', citizen='types-user').returncode, OK)
        drugs = self.fetch('drugs', citizen='types-user')
        self.assertEqual(drugs.returncode, CONSENT, drugs.stderr)
        self.assertIn('薬剤情報', drugs.stderr)
        bad = self.sb.run('login', '--citizen', 'x', '--types', 'vaccines', '--no-browser')
        self.assertEqual(bad.returncode, USAGE, bad.stderr)

    def test_a_person_completes_login_on_the_sandbox_pages(self):
        """No --sandbox-citizen: the URL opens the sign-in and consent pages, as in a browser."""
        proc = subprocess.Popen([MYNA, 'login', '--citizen', 'page-user', '--types', 'expenses,drugs', '--no-browser',
                                 '--timeout', '60'], env=self.sb.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
        try:
            url = proc.stdout.readline().strip()
            tls = ssl.create_default_context(cafile=self.config_value('ca_file'))
            page = urllib.request.urlopen(url, context=tls, timeout=30).read().decode()
            self.assertIn('マイナンバーカードで本人確認', page)
            session = re.search(r'name="session" value="([^"]+)"', page).group(1)
            pages = self.config_value('authorize_base_url') + '/online-authorization-web/oauth/authorize'

            def post(path, **form):
                data = urllib.parse.urlencode(dict(session=session, **form)).encode()
                return urllib.request.urlopen(pages + path, data=data, context=tls, timeout=30).read().decode()

            consent = post('/sign-in', citizen='C0000006', pin='1234')
            self.assertIn('<strong>薬剤情報</strong>', consent)
            self.assertIn('<strong>医療費通知情報</strong>', consent)
            self.assertNotIn('<strong>特定健診情報</strong>', consent)
            self.assertIn('同意の結果を受け取りました', post('/decision', decision='agree'))  # the redirect, followed
            _, err = proc.communicate(timeout=60)
        finally:
            proc.kill()
        self.assertEqual(proc.returncode, OK, err)
        self.assertIn('薬剤情報・医療費通知情報', err)
        self.assertEqual(self.fetch('expenses', citizen='page-user').returncode, OK)

    def test_refused_consent_exits_3(self):
        # (The expired-card redirect carries no state and is not trusted: test_cli_security.py.)
        r = self.sb.login('C0000003')
        self.assertEqual(r.returncode, CONSENT, r.stderr)
        self.assertIn('refused', r.stderr)

    def test_fetch_without_consent_exits_3(self):
        r = self.fetch('drugs', citizen='never-logged-in')
        self.assertEqual(r.returncode, CONSENT)
        self.assertIn('myna login', r.stderr)

    def test_formats_agree_and_keep_exact_values(self):
        for kind in ('drugs', 'checkups', 'expenses'):
            rows = {int(r['number']): r for r in catalog(kind)}
            j = self.fetch(kind, '--format', 'json')
            c = self.fetch(kind, '--format', 'csv', '--names', 'en')
            self.assertEqual((j.returncode, c.returncode), (OK, OK), j.stderr + c.stderr)
            records = parse_json_lines(j.stdout)
            table = parse_csv(c.stdout)
            self.assertGreater(len(records), 0, kind)
            # One column per item, then the record's issues and extra items (empty for the
            # sandbox's clean data).
            self.assertEqual(table[0], [rows[n]['en'] for n in sorted(rows)] + ['issues', 'extra_items'])
            self.assertEqual(len(table), len(records) + 1)
            for record, row in zip(records, table[1:]):
                self.assertEqual(len(row), len(rows) + 2)
                self.assertEqual(row[-2:], ['', ''])
                self.assertNotIn('issues', record)
                self.assertNotIn('extra_items', record)
                for name, cell in zip(table[0][:-2], row):
                    self.assertEqual(record.get(name, ''), cell, f'{kind} {name}')
            if kind == 'drugs':
                for record in records:
                    if 'medicine_code' in record:
                        self.assertRegex(record['medicine_code'], r'^\d{9}$')
                    if 'institution_code' in record:
                        self.assertRegex(record['institution_code'], r'^\d{10}$')
            t = self.fetch(kind)  # table: one block per record
            self.assertEqual(t.returncode, OK)
            self.assertEqual(t.stdout.count(' 1/' + str(len(records)) + '\n'), 1)

    def test_csv_with_bom_opens_as_utf8_japanese(self):
        out = os.path.join(self.sb.dir, 'expenses.csv')
        r = self.fetch('expenses', '--format', 'csv', '--bom', '--out', out)
        self.assertEqual(r.returncode, OK, r.stderr)
        self.assertEqual(r.stdout, '')
        self.assertIn('records written to', r.stderr)
        self.assertEqual(os.stat(out).st_mode & 0o777, 0o600)
        with open(out, 'rb') as f:
            raw = f.read()
        self.assertTrue(raw.startswith(b'\xef\xbb\xbf'))
        self.assertIn(b'\r\n', raw)
        with open(out, encoding='utf-8-sig', newline='') as f:
            table = list(csv.reader(f))
        self.assertEqual(table[0][:2], ['受診者氏名', '保険者名称'])
        names = {row[0] for row in table[1:] if row[0]}
        self.assertTrue(names and all(re.search('[\u4e00-\u9fff]', n) for n in names), names)
        json_names = {r.get('patient_name') for r in parse_json_lines(self.fetch('expenses', '--format', 'json').stdout)}
        self.assertTrue(names <= json_names)

    def test_fhir_bundle(self):
        for kind, resource in (('drugs', 'MedicationDispense'), ('checkups', 'Observation'),
                               ('expenses', 'ExplanationOfBenefit')):
            r = self.fetch(kind, '--format', 'fhir')
            self.assertEqual(r.returncode, OK, r.stderr)
            bundle = json.loads(r.stdout)
            self.assertEqual((bundle['resourceType'], bundle['type']), ('Bundle', 'collection'))
            types = [e['resource']['resourceType'] for e in bundle['entry']]
            self.assertIn(resource, types)
            self.assertEqual(types.count('Patient'), 1)
            for e in bundle['entry']:
                self.assertRegex(e['fullUrl'], r'^urn:uuid:[0-9a-f-]{36}$')
            patient = next(e['resource'] for e in bundle['entry'] if e['resource']['resourceType'] == 'Patient')
            self.assertEqual(patient['identifier'][0]['value'], 'C0000005')
        n_json = len(parse_json_lines(self.fetch('drugs', '--format', 'json').stdout))
        bundle = json.loads(self.fetch('drugs', '--format', 'fhir').stdout)
        self.assertEqual(sum(e['resource']['resourceType'] == 'MedicationDispense' for e in bundle['entry']), n_json)

    def test_config_by_flags_environment_and_file(self):
        # the citizen from the environment, overridden by the flag
        r = self.sb.run('fetch', 'expenses', '--from', '2024-01-01', '--to', '2024-12-31', '--format', 'json',
                        MYNA_CITIZEN='C0000005')
        self.assertEqual(r.returncode, OK, r.stderr)
        r = self.sb.run('fetch', 'expenses', '--citizen', 'nobody', '--from', '2024-01-01', '--to', '2024-12-31',
                        MYNA_CITIZEN='C0000005')
        self.assertEqual(r.returncode, CONSENT)
        # a wrong CA from the environment beats the file: TLS error
        r = self.sb.run('fetch', 'expenses', '--citizen', 'C0000005', '--from', '2024-01-01', '--to', '2024-12-31',
                        MYNA_CA_FILE=os.path.join(self.sb.dir, 'client.pem'))
        self.assertEqual(r.returncode, NETWORK, r.stderr)
        self.assertIn('tls', r.stderr)


class TestServiceFaults(unittest.TestCase):
    """Exit codes for a service in maintenance and for malformed data."""

    def check(self, fault, expected, words):
        sb = Sandbox('--fault', fault, '--delay', '20')
        try:
            self.assertEqual(sb.login('C0000001').returncode, OK)
            r = sb.run('fetch', 'drugs', '--citizen', 'C0000001', '--from', '2024-01-01', '--to', '2024-03-31')
            self.assertEqual(r.returncode, expected, r.stderr)
            self.assertIn(words, r.stderr)
            self.assertEqual(r.stdout, '')
        finally:
            sb.stop()

    def test_maintenance_exits_5(self):
        self.check('maintenance_503=1', SERVICE, 'maintenance')

    def test_malformed_data_exits_6(self):
        self.check('malformed_json=1', DATA, 'decode')


class TestOddValues(unittest.TestCase):
    """Values in real-world variants (sandbox fault odd_values): kept with a warning line of issue
    counts (never a value); --strict refuses them."""

    ODD_TEXTS = ['R06.01.15', '１２', '２８', '123456789', '一包化', 'その他備考', '2024/01', '６５.2']

    @classmethod
    def setUpClass(cls):
        cls.sb = Sandbox('--fault', 'odd_values=1', '--delay', '20')
        for c in ('C0000001', 'C0000002', 'C0000003'):
            r = cls.sb.login(c)
            assert r.returncode == OK, r.stderr

    @classmethod
    def tearDownClass(cls):
        cls.sb.stop()

    def assert_counts_only(self, stderr):
        for text in self.ODD_TEXTS:
            self.assertNotIn(text, stderr)

    def test_fetch_warns_with_issue_counts_and_keeps_the_values(self):
        r = self.sb.run('fetch', 'drugs', '--citizen', 'C0000001', '--from', '2015-01-01', '--to', '2026-12-31',
                        '--format', 'json')
        self.assertEqual(r.returncode, OK, r.stderr)
        warnings = [l for l in r.stderr.splitlines() if l.startswith('myna: warning: ')]
        self.assertEqual(len(warnings), 1, r.stderr)
        self.assertRegex(warnings[0], r'^myna: warning: 薬剤情報 of C0000001 \(telegram [^)]+\): \d+ issues? \(')
        self.assertRegex(warnings[0], r'(unparsed_value|unknown_item|text_repaired|wrong_json_type)=\d+')
        self.assert_counts_only(r.stderr)
        rows = parse_json_lines(r.stdout)
        self.assertTrue(rows)
        self.assertTrue(any('issues' in row for row in rows))
        self.assertTrue(all('issues' in row or 'extra_items' in row or row.get('quantity', '').startswith('-')
                            for row in rows))

    def test_strict_refuses_the_retrieval(self):
        r = self.sb.run('fetch', 'drugs', '--citizen', 'C0000002', '--from', '2015-01-01', '--to', '2026-12-31',
                        '--strict', '--format', 'json')
        self.assertEqual(r.returncode, DATA, r.stderr)
        self.assertEqual(r.stdout, '')
        self.assert_counts_only(r.stderr)

    def test_sync_warns_once_per_retrieval_with_issues(self):
        out = os.path.join(self.sb.dir, 'sync-odd')
        citizens = os.path.join(self.sb.dir, 'odd-citizens.txt')
        with open(citizens, 'w') as f:
            f.write('C0000001\nC0000003\n')
        r = self.sb.run('sync', '--citizens', citizens, '--out', out, '--from', '2015-01-01', '--to', '2026-12-31',
                        '--types', 'drugs,expenses', '--format', 'json')
        self.assertEqual(r.returncode, OK, r.stdout + r.stderr)
        warnings = [l for l in r.stderr.splitlines() if l.startswith('myna: warning: ')]
        self.assertEqual(len(warnings), 4, r.stderr)
        self.assert_counts_only(r.stderr)


class TestSync(unittest.TestCase):
    """myna sync: progress, interruption (SIGINT and SIGKILL), resumption, summary."""

    CITIZENS = [f'C{i:07d}' for i in range(10, 26)]

    @classmethod
    def setUpClass(cls):
        cls.sb = Sandbox('--delay', '300')
        for c in cls.CITIZENS:
            r = cls.sb.login(c)
            assert r.returncode == OK, r.stderr
        cls.citizens = os.path.join(cls.sb.dir, 'citizens.txt')
        with open(cls.citizens, 'w') as f:
            f.write('# sandbox citizens\n' + '\n'.join(cls.CITIZENS) + '\n')

    @classmethod
    def tearDownClass(cls):
        cls.sb.stop()

    def sync_args(self, out, *extra):
        return [MYNA, 'sync', '--citizens', self.citizens, '--out', out, '--from', '2024-01-01', '--to', '2024-12-31',
                '--concurrency', '2', *extra]

    @staticmethod
    def ok_lines(out):
        with open(os.path.join(out, '.myna-sync-progress')) as f:
            return [l.split('\t') for l in f.read().splitlines()[1:] if l.startswith('ok\t')]

    def wait_for_progress(self, proc, out, n):
        deadline = time.time() + 60
        while time.time() < deadline and proc.poll() is None:
            if os.path.exists(os.path.join(out, '.myna-sync-progress')) and len(self.ok_lines(out)) >= n:
                return
            time.sleep(0.05)
        self.fail(f'sync did not reach {n} finished citizens')

    def test_interrupted_sync_resumes_without_refetching(self):
        out = os.path.join(self.sb.dir, 'sync-resume')
        total = len(self.CITIZENS) * 3
        # 1. Ctrl-C: in-flight retrievals are cancelled, the summary says how to resume.
        p = subprocess.Popen(self.sync_args(out), env=self.sb.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
        self.wait_for_progress(p, out, 6)
        p.send_signal(signal.SIGINT)
        stdout, stderr = p.communicate(timeout=60)
        self.assertEqual(p.returncode, INTERRUPTED, stderr)
        self.assertIn('interrupted', stdout)
        first = len(self.ok_lines(out))
        self.assertLess(first, total)
        self.assertRegex(stderr, r'sync: \d+/48 ok')  # plain progress lines: stderr is not a terminal
        # 2. SIGKILL: no summary, but the progress file is intact.
        p = subprocess.Popen(self.sync_args(out), env=self.sb.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
        self.wait_for_progress(p, out, first + 6)
        p.kill()
        p.communicate(timeout=30)
        second = len(self.ok_lines(out))
        self.assertGreater(second, first)
        # 3. The rerun fetches only what is missing.
        r = subprocess.run(self.sync_args(out), env=self.sb.env, capture_output=True, text=True, timeout=120)
        self.assertEqual(r.returncode, OK, r.stdout + r.stderr)
        self.assertIn(f'resuming, {second} of {total} already done', r.stderr)
        self.assertEqual(len(re.findall(r'(?m)^sync: \d+/\d+ ok ', r.stderr)), total - second)
        self.assertIn(f'sync: {total - second} succeeded, 0 failed, {second} already done', r.stdout)
        done = {(t, c) for _, t, c, _ in self.ok_lines(out)}
        self.assertEqual(len(done), total)
        records = {(t, c): int(n) for _, t, c, n in self.ok_lines(out)}
        for kind in ('drugs', 'checkups', 'expenses'):
            files = sorted(os.listdir(os.path.join(out, kind)))
            self.assertEqual(files, sorted(c + '.csv' for c in self.CITIZENS), kind)  # no leftover temp files
            for c in self.CITIZENS:
                with open(os.path.join(out, kind, c + '.csv'), encoding='utf-8', newline='') as f:
                    rows = list(csv.reader(f))
                self.assertEqual(len(rows) - 1, records[(kind, c)], f'{kind} {c}')

    def test_progress_bar_on_a_terminal_and_failures_in_the_summary(self):
        out = os.path.join(self.sb.dir, 'sync-tty')
        with open(self.citizens) as f:
            listed = f.read()
        mixed = os.path.join(self.sb.dir, 'mixed.txt')
        with open(mixed, 'w') as f:
            f.write(listed.split('\n')[1] + '\nno-consent-1\nno-consent-2\n')
        master, slave = pty.openpty()
        p = subprocess.Popen([MYNA, 'sync', '--citizens', mixed, '--out', out, '--from', '2024-01-01', '--to',
                              '2024-12-31', '--types', 'drugs,expenses', '--format', 'json'],
                             env=self.sb.env, stdout=subprocess.PIPE, stderr=slave, text=True)
        os.close(slave)
        chunks = []
        reader = threading.Thread(target=lambda: chunks.extend(iter(lambda: _read(master), b'')))
        reader.start()
        stdout, _ = p.communicate(timeout=120)
        reader.join(timeout=10)
        os.close(master)
        terminal = b''.join(chunks).decode('utf-8', 'replace')
        self.assertEqual(p.returncode, PARTIAL, stdout)
        self.assertIn('\r', terminal)
        self.assertRegex(terminal, r'\[#+\.*\] \d+/6')
        self.assertIn('2 succeeded, 4 failed', stdout)
        self.assertIn('consent_required: 4', stdout)
        self.assertIn('myna login', stdout)
        self.assertTrue(os.path.exists(os.path.join(out, 'drugs', self.CITIZENS[0] + '.jsonl')))
        # other parameters in the same directory are refused
        r = subprocess.run([MYNA, 'sync', '--citizens', mixed, '--out', out, '--from', '2023-01-01', '--to',
                            '2023-12-31'], env=self.sb.env, capture_output=True, text=True)
        self.assertEqual(r.returncode, USAGE)
        self.assertIn('--restart', r.stderr)


def _read(fd):
    try:
        return os.read(fd, 4096)
    except OSError:  # EIO: the terminal's other side closed
        return b''


if __name__ == '__main__':
    args = sys.argv[1:]
    if len(args) < 2 or args[0] != '--myna':
        sys.exit('usage: test_cli.py --myna PATH [unittest arguments]')
    MYNA = os.path.abspath(args[1])
    unittest.main(argv=[sys.argv[0], '-v', *args[2:]])
