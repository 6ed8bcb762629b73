"""Bounded retries and bounded calls: every remote step of the publisher goes through here."""
import threading
import time


class Retry:
    """``attempts`` tries in all, waiting ``backoff`` seconds after the first failure, doubling each time."""

    def __init__(self, attempts=3, backoff=0.5):
        if attempts < 1:
            raise ValueError("attempts must be >= 1, got %r" % (attempts,))
        if backoff < 0:
            raise ValueError("backoff must be >= 0, got %r" % (backoff,))
        self.attempts = attempts
        self.backoff = backoff

    def run(self, call, retryable, fail):
        """Returns ``call()``; retries exceptions for which ``retryable(e)`` is true; after the last attempt
        raises ``fail(last_exception, attempts, elapsed_seconds)``. Non-retryable exceptions propagate at once.
        """
        start = time.monotonic()
        wait = self.backoff
        for attempt in range(1, self.attempts + 1):
            try:
                return call()
            except Exception as e:  # noqa: BLE001 - classified by retryable()
                if not retryable(e):
                    raise
                if attempt == self.attempts:
                    raise fail(e, attempt, time.monotonic() - start) from e
            time.sleep(wait)
            wait *= 2
        raise AssertionError("unreachable")


def bounded(call, timeout, what):
    """Runs ``call()`` in a daemon thread and waits at most ``timeout`` seconds for it.

    For client calls that have no timeout of their own (the registry clients of confluent_kafka 1.7 use
    requests without one). Raises TimeoutError naming ``what`` if it does not return in time; the thread is
    abandoned (daemon: it cannot keep the interpreter alive).
    """
    result = {}

    def target():
        try:
            result["value"] = call()
        except BaseException as e:  # noqa: BLE001 - re-raised in the caller's thread
            result["error"] = e

    thread = threading.Thread(target=target, name="rsk-bounded-call", daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise TimeoutError("%s did not answer within %s s" % (what, timeout))
    if "error" in result:
        raise result["error"]
    return result.get("value")
