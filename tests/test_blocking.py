"""Password hashing runs off the gevent event loop when the server runs on gevent."""
import subprocess
import sys

from tests.live_server import ROOT

SCRIPT = """
from gevent import monkey
monkey.patch_all()
import gevent
real_thread_id = monkey.get_original("_thread", "get_ident")
from collab.runtime.blocking import off_event_loop

loop_thread = real_thread_id()
ticks = []

def ticker():
    for _ in range(5):
        ticks.append(1)
        gevent.sleep(0.01)

def slow():
    import time
    time.sleep(0.2)  # the unpatched sleep stands in for CPU-bound hashing
    return real_thread_id()

busy = gevent.spawn(ticker)
worker_thread = off_event_loop(slow)
ticked_meanwhile = len(ticks)  # the loop ran the ticker while the worker slept
busy.join()
print(worker_thread != loop_thread, ticked_meanwhile)
"""


def test_work_sent_off_the_event_loop_runs_in_another_thread_while_the_loop_goes_on():
    script = SCRIPT.replace("time.sleep(0.2)", "monkey.get_original('time', 'sleep')(0.2)")
    answer = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                            timeout=60, check=True)
    assert answer.stdout.split() == ["True", "5"]


def test_without_gevent_the_work_runs_in_place():
    from collab.runtime.blocking import off_event_loop

    assert off_event_loop(lambda a, b: a + b, 2, 3) == 5


def test_a_bounded_pool_runs_its_workers_queues_its_limit_and_refuses_the_rest_at_once():
    import threading

    import pytest

    from collab.errors import Busy
    from collab.runtime.blocking import BoundedPool

    pool = BoundedPool(workers=2, queue_limit=1, busy_message="Too busy.")
    release, lock = threading.Event(), threading.Lock()
    running, most = [0], [0]

    def job():
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        release.wait(20)
        with lock:
            running[0] -= 1
        return "done"

    threads = [threading.Thread(target=pool.run, args=(job,)) for _ in range(3)]
    for thread in threads:
        thread.start()
    for _ in range(1000):
        if pool.in_flight == 3 and running[0] == 2:
            break
        release.wait(0.01)
    with pytest.raises(Busy) as refused:
        pool.run(job)
    assert refused.value.status == 503 and refused.value.retry_after >= 1
    release.set()
    for thread in threads:
        thread.join(20)
    assert most[0] == 2 and pool.completed == 3 and pool.refused == 1
    assert pool.run(lambda: 7) == 7


GEVENT_POOL = """
from gevent import monkey
monkey.patch_all()
import gevent
from collab.errors import Busy
from collab.runtime.blocking import BoundedPool

sleep = monkey.get_original("time", "sleep")
pool = BoundedPool(workers=1, queue_limit=1, busy_message="Too busy.")
ticks = []

def ticker():
    for _ in range(10):
        ticks.append(1)
        gevent.sleep(0.01)

def refused():
    try:
        pool.run(sleep, 0.2)
    except Busy:
        return "refused"
    return "ran"

busy = gevent.spawn(ticker)
calls = [gevent.spawn(pool.run, sleep, 0.2), gevent.spawn(pool.run, sleep, 0.2)]
gevent.sleep(0.05)
third = refused()
gevent.joinall(calls)
busy.join()
print(third, len(ticks), pool.completed)
"""


def test_under_gevent_the_bounded_pool_keeps_the_loop_going_and_refuses_beyond_its_queue():
    answer = subprocess.run([sys.executable, "-c", GEVENT_POOL], cwd=ROOT, capture_output=True, text=True,
                            timeout=60, check=True)
    assert answer.stdout.split() == ["refused", "10", "2"]
