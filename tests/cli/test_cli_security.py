#!/usr/bin/env python3
"""Local attacks on the `myna` binary: files planted where it writes (symlinks at the final
and at the temporary names, existing files), stray requests to the consent callback of
`myna login`, an unverifiable expired-certificate redirect, and local hardening (token
directory, configuration and key file permissions, core dumps). Every command runs as a
subprocess against `myna sandbox`. Run by CTest (tests/cli.cmake):

    python3 tests/cli/test_cli_security.py --myna build/cli/myna [unittest arguments]
"""
import os
import re
import select
import shutil
import signal
import ssl
import stat
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_cli  # noqa: E402  (the shared helpers: Sandbox, myna, exit codes)
from test_cli import OK, STORAGE, Sandbox, clean_env  # noqa: E402

MYNA = None


def mode_of(path):
    return stat.S_IMODE(os.lstat(path).st_mode)


def next_pids(count=400):
    """The process ids the next processes will most likely get (Linux hands them out in order)."""
    try:
        with open('/proc/sys/kernel/ns_last_pid') as f:
            last = int(f.read())
    except OSError:
        return []
    return [last + i for i in range(1, count + 1)]


class Victims:
    """Files an attacker wants the CLI to write into: each starts with a known content, and
    world-readable (what a planted symlink would leak into)."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix='myna-victims-')
        self.files = []

    def new(self, name):
        path = os.path.join(self.dir, name)
        with open(path, 'w') as f:
            f.write('untouched\n')
        os.chmod(path, 0o666)
        self.files.append(path)
        return path

    def plant(self, link, name):
        """A symlink at `link` pointing at a new victim file."""
        os.symlink(self.new(name), link)

    def assert_untouched(self, case):
        for path in self.files:
            with open(path) as f:
                case.assertEqual(f.read(), 'untouched\n', path)

    def remove(self):
        shutil.rmtree(self.dir, ignore_errors=True)


class TestFileSafety(unittest.TestCase):
    """Every file the CLI writes goes through one safe writer: a temp file with an unpredictable
    name created O_EXCL|O_NOFOLLOW, mode 0600, renamed over the final path (a symlink there
    is replaced, never followed)."""

    @classmethod
    def setUpClass(cls):
        cls.sb = Sandbox('--delay', '30')
        r = cls.sb.login('C0000005')
        assert r.returncode == OK, r.stderr
        cls.citizens = os.path.join(cls.sb.dir, 'citizens.txt')
        with open(cls.citizens, 'w') as f:
            f.write('C0000005\n')

    @classmethod
    def tearDownClass(cls):
        cls.sb.stop()

    def setUp(self):
        self.victims = Victims()
        self.addCleanup(self.victims.remove)
        self.work = tempfile.mkdtemp(prefix='myna-out-', dir=self.sb.dir)

    def fetch(self, out):
        return self.sb.run('fetch', 'drugs', '--citizen', 'C0000005', '--from', '2024-01-01', '--to', '2024-12-31',
                           '--format', 'csv', '--out', out)

    def assert_private_records(self, path):
        self.assertFalse(os.path.islink(path), path)
        self.assertTrue(os.path.isfile(path), path)
        self.assertEqual(mode_of(path), 0o600, path)
        with open(path, encoding='utf-8-sig') as f:
            self.assertIn('医薬品', f.readline())  # the CSV header: the records are there

    def test_fetch_out_never_writes_through_a_symlink_at_the_temp_name(self):
        out = os.path.join(self.work, 'drugs.csv')
        for pid in next_pids():
            self.victims.plant(f'{out}.tmp-{pid}', f'tmp-{pid}')
        r = self.fetch(out)
        self.assertEqual(r.returncode, OK, r.stderr)
        self.victims.assert_untouched(self)
        self.assert_private_records(out)

    def test_fetch_out_replaces_a_symlink_at_the_final_name(self):
        out = os.path.join(self.work, 'drugs.csv')
        self.victims.plant(out, 'final')
        r = self.fetch(out)
        self.assertEqual(r.returncode, OK, r.stderr)
        self.victims.assert_untouched(self)
        self.assert_private_records(out)

    def test_fetch_out_replaces_an_existing_file_with_a_private_one(self):
        out = os.path.join(self.work, 'drugs.csv')
        with open(out, 'w') as f:
            f.write('old\n')
        os.chmod(out, 0o644)
        r = self.fetch(out)
        self.assertEqual(r.returncode, OK, r.stderr)
        self.assert_private_records(out)
        self.assertEqual([n for n in os.listdir(self.work) if 'tmp' in n], [])  # no temp file left

    def test_sync_files_and_progress_never_follow_planted_symlinks(self):
        out = os.path.join(self.work, 'sync')
        os.makedirs(os.path.join(out, 'drugs'))
        target = os.path.join(out, 'drugs', 'C0000005.csv')
        self.victims.plant(target, 'final')
        for pid in next_pids():
            self.victims.plant(f'{target}.tmp-{pid}', f'tmp-{pid}')
        self.victims.plant(os.path.join(out, '.myna-sync-progress'), 'progress')
        r = self.sb.run('sync', '--citizens', self.citizens, '--out', out, '--from', '2024-01-01', '--to',
                        '2024-12-31', '--types', 'drugs')
        self.assertEqual(r.returncode, OK, r.stdout + r.stderr)
        self.victims.assert_untouched(self)
        self.assert_private_records(target)
        progress = os.path.join(out, '.myna-sync-progress')
        self.assertFalse(os.path.islink(progress))
        self.assertEqual(mode_of(progress), 0o600)
        with open(progress) as f:
            self.assertRegex(f.read(), r'(?m)^ok\tdrugs\tC0000005\t\d+$')

    def test_sync_refuses_a_symlinked_type_directory(self):
        out = os.path.join(self.work, 'sync-dir')
        os.makedirs(out)
        elsewhere = tempfile.mkdtemp(prefix='myna-elsewhere-', dir=self.victims.dir)
        os.symlink(elsewhere, os.path.join(out, 'drugs'))
        r = self.sb.run('sync', '--citizens', self.citizens, '--out', out, '--from', '2024-01-01', '--to',
                        '2024-12-31', '--types', 'drugs')
        self.assertEqual(r.returncode, STORAGE, r.stdout + r.stderr)
        self.assertIn('symbolic link', r.stderr)
        self.assertEqual(os.listdir(elsewhere), [])

    def test_telegram_id_slots_never_follow_planted_symlinks(self):
        slots = os.path.join(self.sb.dir, 'tokens', '.telegram-id-slots')
        os.makedirs(slots, mode=0o700, exist_ok=True)
        for i in range(20):  # every slot file (lock files with the time of their last use) a symlink
            link = os.path.join(slots, f'{i:02d}')
            if os.path.lexists(link):
                os.unlink(link)
            self.victims.plant(link, f'slot-{i}')
        r = self.fetch(os.path.join(self.work, 'slots.csv'))
        self.assertEqual(r.returncode, OK, r.stderr)
        self.victims.assert_untouched(self)
        self.assertTrue(any(os.path.isfile(os.path.join(slots, n)) and not os.path.islink(os.path.join(slots, n))
                            for n in os.listdir(slots)))


class TestSandboxFiles(unittest.TestCase):
    """`myna sandbox --state-dir DIR` writes its config, certificates and keys safely too."""

    def test_config_keys_and_certificates_replace_planted_symlinks(self):
        victims = Victims()
        self.addCleanup(victims.remove)
        state = tempfile.mkdtemp(prefix='myna-state-')
        self.addCleanup(shutil.rmtree, state, True)
        files = ('config', 'ca.pem', 'client.pem', 'client-key.pem', 'server-key.pem', 'listener-key.pem')
        for name in files + ('config.tmp',):  # config.tmp: the temp name an earlier version used
            victims.plant(os.path.join(state, name), name)
        p = subprocess.Popen([MYNA, 'sandbox', '--state-dir', state], env=clean_env(), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
        try:
            ready = ''
            for line in iter(p.stdout.readline, ''):  # printed once the config is written
                ready += line
                if 'export MYNA_CONFIG' in line:
                    break
            self.assertIn('export MYNA_CONFIG', ready, p.stderr.read() if p.poll() is not None else '')
            victims.assert_untouched(self)
            config = os.path.join(state, 'config')
            self.assertFalse(os.path.islink(config))
            self.assertEqual(mode_of(config), 0o600)
            with open(config) as f:
                self.assertIn('api_base_url = https://', f.read())
            for name in files:
                path = os.path.join(state, name)
                self.assertFalse(os.path.islink(path), name)
                self.assertEqual(mode_of(path), 0o600 if name == 'config' or 'key' in name else 0o644, name)
        finally:
            p.send_signal(signal.SIGINT)
            p.communicate(timeout=15)

def config_value(config, key):
    with open(config) as f:
        return re.search(r'(?m)^' + key + r' = (\S+)$', f.read()).group(1)


class LoginRun:
    """`myna login --no-browser` in the background: the test plays the citizen's browser."""

    def __init__(self, sb, citizen, timeout=60):
        self.sb = sb
        self.proc = subprocess.Popen([MYNA, 'login', '--citizen', citizen, '--no-browser', '--timeout', str(timeout)],
                                     env=sb.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.url = self.read_consent_url()
        self.redirect_uri = config_value(sb.config, 'redirect_uri')

    def read_consent_url(self):
        for line in iter(self.proc.stdout.readline, ''):
            if '/oauth/authorize?' in line:
                return line.strip()
        raise RuntimeError('myna login exited: ' + self.proc.stderr.read())

    def get_callback(self, query):
        """A request to the loopback callback, as any local process or web page can send."""
        try:
            with urllib.request.urlopen(self.redirect_uri + query, timeout=10) as r:
                return r.status
        except urllib.error.HTTPError as e:
            return e.code

    def play_browser(self, sandbox_citizen):
        """The citizen consents at the sandbox; the browser follows its redirect to the callback."""
        context = ssl.create_default_context(cafile=os.path.join(self.sb.dir, 'ca.pem'))

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=context), NoRedirect)
        try:
            opener.open(self.url + '&citizen=' + sandbox_citizen, timeout=10)
            raise AssertionError('the consent page did not redirect')
        except urllib.error.HTTPError as e:
            location = e.headers['Location']
        return location

    def finish(self, timeout=60):
        stdout, stderr = self.proc.communicate(timeout=timeout)
        return self.proc.returncode, stdout, stderr

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.communicate()


class TestLogin(unittest.TestCase):
    """`myna login` keeps waiting through stray requests to its callback; the expired-card
    redirect, which carries no state, is reported as unverified, never as a fact."""

    @classmethod
    def setUpClass(cls):
        cls.sb = Sandbox('--expired-cert', 'C0000004')

    @classmethod
    def tearDownClass(cls):
        cls.sb.stop()

    def test_stray_requests_are_answered_but_do_not_end_the_login(self):
        login = LoginRun(self.sb, 'strays')
        self.addCleanup(login.kill)
        strays = ['', '?code=stolen-or-made-up', '?code=x&state=not-the-state', '?error=access_denied',
                  '?error=access_denied&state=wrong', '?state=Certificate%20expired', '?code=a&code=b']
        for query in strays:
            self.assertEqual(login.get_callback(query), 200, query)  # answered like any redirect
            time.sleep(0.2)
            self.assertIsNone(login.proc.poll(), f'the stray request {query!r} ended the login')
        location = login.play_browser('C0000006')
        self.assertIsNone(login.proc.poll(), 'a stray request ended the login')
        with urllib.request.urlopen(location, timeout=10) as r:
            self.assertEqual(r.status, 200)
        code, _, stderr = login.finish()
        self.assertEqual(code, OK, stderr)
        self.assertIn('ignored', stderr)
        self.assertIn('consent granted', stderr)

    def test_the_expired_certificate_redirect_is_reported_as_unverified(self):
        r = self.sb.run('login', '--citizen', 'expired', '--sandbox-citizen', 'C0000004', '--no-browser',
                        '--timeout', '3')
        self.assertEqual(r.returncode, test_cli.NETWORK, r.stderr)  # it ends at the timeout, not on the claim
        self.assertIn('cannot be verified', r.stderr)
        self.assertNotIn('consent granted', r.stderr)
        self.assertFalse(any(f.endswith('.token.json') for f in os.listdir(os.path.join(self.sb.dir, 'tokens'))
                             if 'expired' in f))


class TestLocalHardening(unittest.TestCase):
    """The token directory, the configuration file, key files and core dumps."""

    @classmethod
    def setUpClass(cls):
        cls.sb = Sandbox('--delay', '30')
        r = cls.sb.login('C0000005')
        assert r.returncode == OK, r.stderr

    @classmethod
    def tearDownClass(cls):
        cls.sb.stop()

    def fetch(self, *extra, **env):
        return self.sb.run('fetch', 'drugs', '--citizen', 'C0000005', '--from', '2024-01-01', '--to', '2024-03-31',
                           *extra, **env)

    def test_a_symlinked_token_directory_is_refused(self):
        real = tempfile.mkdtemp(prefix='myna-real-tokens-')
        link = os.path.join(tempfile.mkdtemp(prefix='myna-links-'), 'tokens')
        os.symlink(real, link)
        r = self.fetch('--token-dir', link)
        self.assertEqual(r.returncode, STORAGE, r.stderr)
        self.assertIn('symbolic link', r.stderr)
        self.assertEqual(os.listdir(real), [])

    def test_a_token_directory_of_another_user_or_writable_by_others_is_refused(self):
        other = tempfile.mkdtemp(prefix='myna-other-tokens-')
        os.chown(other, 65534, 65534)
        r = self.fetch('--token-dir', other)
        self.assertEqual(r.returncode, STORAGE, r.stderr)
        self.assertIn('owned by', r.stderr)
        shared = tempfile.mkdtemp(prefix='myna-shared-tokens-')
        os.chmod(shared, 0o777)
        r = self.fetch('--token-dir', shared)
        self.assertEqual(r.returncode, STORAGE, r.stderr)
        self.assertIn('writable by others', r.stderr)
        readable = tempfile.mkdtemp(prefix='myna-readable-tokens-')
        os.chmod(readable, 0o755)
        r = self.fetch('--token-dir', readable)  # readable only: tightened to 0700, then used
        self.assertEqual(mode_of(readable), 0o700)
        self.assertNotIn('token directory', r.stderr)

    def test_a_world_writable_configuration_is_refused_a_group_writable_one_warned_about(self):
        copy = os.path.join(tempfile.mkdtemp(prefix='myna-config-'), 'config')
        with open(self.sb.config) as f:
            text = f.read()
        text = re.sub(r'(?m)^(ca_file|client_cert|client_key|notify_cert|notify_key|token_dir) = (?!/)',
                      lambda m: m.group(0) + self.sb.dir + '/', text)
        with open(copy, 'w') as f:
            f.write(text)
        os.chmod(copy, 0o666)
        r = self.fetch(MYNA_CONFIG=copy)
        self.assertEqual(r.returncode, test_cli.USAGE, r.stderr)
        self.assertIn('writable by others', r.stderr)
        os.chmod(copy, 0o660)
        r = self.fetch(MYNA_CONFIG=copy)
        self.assertEqual(r.returncode, OK, r.stderr)
        self.assertIn('warning', r.stderr)
        self.assertIn('group', r.stderr)
        os.chmod(copy, 0o600)
        r = self.fetch(MYNA_CONFIG=copy)
        self.assertEqual(r.returncode, OK, r.stderr)
        self.assertNotIn('warning', r.stderr)

    def test_a_key_file_readable_by_others_is_warned_about(self):
        key = config_value(self.sb.config, 'client_key')
        key = key if key.startswith('/') else os.path.join(self.sb.dir, key)
        os.chmod(key, 0o644)
        self.addCleanup(os.chmod, key, 0o600)
        r = self.fetch()
        self.assertEqual(r.returncode, OK, r.stderr)
        self.assertIn('warning', r.stderr)
        self.assertIn(os.path.basename(key), r.stderr)
        os.chmod(key, 0o600)
        r = self.fetch()
        self.assertNotIn('warning', r.stderr)

    def test_core_dumps_are_disabled(self):
        import resource

        def allow_core_dumps():
            resource.setrlimit(resource.RLIMIT_CORE, (1 << 20, 1 << 20))

        p = subprocess.Popen([MYNA, 'login', '--citizen', 'core', '--no-browser', '--timeout', '30'], env=self.sb.env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=allow_core_dumps)
        try:
            select.select([p.stdout], [], [], 20)  # it prints the consent URL once it runs
            with open(f'/proc/{p.pid}/limits') as f:
                limits = f.read()
            self.assertRegex(limits, r'(?m)^Max core file size\s+0\s+0\s')
        finally:
            p.kill()
            p.communicate()


if __name__ == '__main__':
    args = sys.argv[1:]
    if len(args) < 2 or args[0] != '--myna':
        sys.exit('usage: test_cli_security.py --myna PATH [unittest arguments]')
    MYNA = test_cli.MYNA = os.path.abspath(args[1])
    unittest.main(argv=[sys.argv[0], '-v', *args[2:]])
