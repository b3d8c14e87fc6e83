#!/usr/bin/env python3
"""The collector's memory when many screens attach to a long log at once, and after they leave.

Needs root (it adds Unix accounts, as a room's screens come from many accounts and each account
may join only a few at a time). Runs `collect --serve` against the simulator endpoint at x60 for
three minutes (a 3-hour log, WARROOM_BENCH_LOG_SECONDS to change), then attaches SCREENS raw
screens (ACCOUNTS accounts, SCREENS/ACCOUNTS each), each reading its whole catch-up, and closes
them. Prints the collector's resident memory (VmRSS) and its peak (VmHWM) idle, with the screens
attached, and after they left, as a table.

Usage: sudo scripts/bench-room-memory.py [BINARY] [SCREENS]   (default target/release/warroom, 240)
"""
import grp
import json
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time

BIN = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "target/release/warroom")
SCREENS = int(sys.argv[2]) if len(sys.argv) > 2 else 240
PER_ACCOUNT = 8
ACCOUNTS = (SCREENS + PER_ACCOUNT - 1) // PER_ACCOUNT
GROUP = "wrbench"
READ_SECONDS = 20
LOG_SECONDS = int(os.environ.get("WARROOM_BENCH_LOG_SECONDS", "180"))


def status(pid):
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            k, _, v = line.partition(":")
            if k in ("VmRSS", "VmHWM"):
                out[k] = int(v.split()[0]) // 1024
    return out


def accounts():
    try:
        grp.getgrnam(GROUP)
    except KeyError:
        subprocess.run(["groupadd", GROUP], check=True)
    names = []
    for i in range(ACCOUNTS):
        name = f"wrb{i:03d}"
        try:
            pwd.getpwnam(name)
        except KeyError:
            subprocess.run(["useradd", "-M", "-N", "-G", GROUP, name], check=True)
        names.append(name)
    return names


def screen(sock_path, who, ready_w):
    """A raw screen: hello, then it reads what the room sends (its catch-up, then the live
    steps) for READ_SECONDS."""
    got = 0
    for _ in range(30):
        # As `warroom attach` does, a screen turned away (the room's places for connecting
        # screens are full) comes back a moment later.
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.connect(sock_path)
            hello = {"hello": {"protocol": 1, "operator": who, "read_only": who.endswith(("0", "2", "4"))}}
            s.sendall((json.dumps(hello) + "\n").encode())
            s.settimeout(1.0)
            end = time.time() + READ_SECONDS
            while time.time() < end:
                try:
                    b = s.recv(1 << 16)
                except socket.timeout:
                    continue
                if not b:
                    break
                got += len(b)
            if got > 4096:
                break
        except OSError:
            pass
        s.close()
        time.sleep(1.0)
    os.write(ready_w, b"x")
    return s, got


def main():
    names = accounts()
    d = tempfile.mkdtemp(prefix="wrmem-")
    os.chmod(d, 0o750)
    os.chown(d, 0, grp.getgrnam(GROUP).gr_gid)
    rec = os.path.join(d, "ev.jsonl")
    env = dict(os.environ, WARROOM_LOG_FILE=os.path.join(d, "log"))
    # Three hours of the event at x60: a 3-hour log in three minutes.
    serve = subprocess.Popen([BIN, "sim", "serve", "--at", "T-1h", "--speed", "60", "--port", "0"],
                             env=env, stdout=subprocess.PIPE, text=True)
    line = ""
    while "export " not in line:
        line = serve.stdout.readline()
    for kv in line.split("export ", 1)[1].split():
        k, _, v = kv.partition("=")
        env[k] = v
    sock = os.path.join(d, "ev.jsonl.sock")
    collect = subprocess.Popen([BIN, "collect", "layouts/hybrid-bts.toml", "--record", rec,
                                "--serve", "--socket-group", GROUP], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while not os.path.exists(sock):
        if collect.poll() is not None or time.time() > deadline:
            sys.exit("collect did not serve the room: see " + os.path.join(d, "log"))
        time.sleep(0.1)
    time.sleep(LOG_SECONDS)
    size = os.path.getsize(rec)
    rows = [("idle, before", status(collect.pid))]
    ready_r, ready_w = os.pipe()
    kids = []
    for i, name in enumerate(names):
        pid = os.fork()
        if pid == 0:
            os.close(ready_r)
            u = pwd.getpwnam(name)
            os.setgroups([grp.getgrnam(GROUP).gr_gid])
            os.setgid(u.pw_gid)
            os.setuid(u.pw_uid)
            import threading
            held = []
            n = min(PER_ACCOUNT, SCREENS - i * PER_ACCOUNT)
            ts = [threading.Thread(target=lambda k=k: held.append(screen(sock, f"{name}-{k}", ready_w)))
                  for k in range(n)]
            for t in ts:
                t.start()
            for t in ts:
                t.join()
            os._exit(0 if len(held) == n and all(g > 0 for _, g in held) else 1)
        kids.append(pid)
        time.sleep(0.5)
    os.close(ready_w)
    done = 0
    while done < SCREENS:
        b = os.read(ready_r, 4096)
        if not b:
            break
        done += len(b)
    rows.append((f"{done} screens caught up", status(collect.pid)))
    failed = sum(1 for p in kids if os.waitpid(p, 0)[1] != 0)
    time.sleep(10)
    rows.append(("after they left (10 s)", status(collect.pid)))
    time.sleep(20)
    rows.append(("after they left (30 s)", status(collect.pid)))
    collect.terminate()
    collect.wait()
    serve.terminate()
    serve.wait()
    print(f"log {size / 1e6:.1f} MB ({LOG_SECONDS} s at x60), {SCREENS} screens from {ACCOUNTS} accounts, "
          f"{failed} account(s) with a screen that read nothing")
    print(f"{'moment':<26} {'VmRSS MB':>9} {'VmHWM MB':>9}")
    for what, st in rows:
        print(f"{what:<26} {st.get('VmRSS', 0):>9} {st.get('VmHWM', 0):>9}")
    shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    main()
