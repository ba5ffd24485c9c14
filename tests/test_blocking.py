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
