// Applies a document's events exactly once and in `seq` order.
//
// `seq` is global: events of other documents leave holes that this client never
// sees. A hole is first given a moment to fill (two events committed together may
// arrive swapped); then the client asks the server (`join {since}`) for everything
// of this document after the last applied seq, and the answer's `head` tells it
// that nothing up to there is missing any more.
export class EventStream {
  constructor({ since, apply, requestCatchUp, gapWaitMs = 400 }) {
    this.last = since;
    this.apply = apply;
    this.requestCatchUp = requestCatchUp;
    this.gapWaitMs = gapWaitMs;
    this.pending = new Map();
    this.timer = null;
    this.catchingUp = false;
  }

  receive(event) {
    if (!event || typeof event.seq !== "number" || event.seq <= this.last) return;
    this.pending.set(event.seq, event);
    this.drain();
  }

  // The acknowledgement of a `join`: every event of this document after `since` up to `head`.
  caughtUp(missed, head) {
    this.catchingUp = false;
    for (const event of missed || []) {
      if (event.seq > this.last) this.pending.set(event.seq, event);
    }
    const upToHead = [...this.pending.keys()].filter((seq) => seq <= head).sort((a, b) => a - b);
    for (const seq of upToHead) {
      const event = this.pending.get(seq);
      this.pending.delete(seq);
      if (seq > this.last) this.step(event);
    }
    if (typeof head === "number" && head > this.last) this.last = head;
    this.drain();
  }

  catchUpFailed() {
    this.catchingUp = false;
    if (this.pending.size) this.scheduleGapFill();
  }

  step(event) {
    this.last = event.seq;
    try {
      this.apply(event);
    } catch (error) {
      console.error("could not apply event", event.seq, error);
    }
  }

  drain() {
    while (this.pending.has(this.last + 1)) {
      const event = this.pending.get(this.last + 1);
      this.pending.delete(this.last + 1);
      this.step(event);
    }
    for (const seq of this.pending.keys()) {
      if (seq <= this.last) this.pending.delete(seq);
    }
    if (this.pending.size) this.scheduleGapFill();
  }

  scheduleGapFill() {
    if (this.timer || this.catchingUp) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (!this.pending.size || this.catchingUp) return;
      this.catchingUp = true;
      this.requestCatchUp(this.last);
    }, this.gapWaitMs);
  }
}
