"""A forked process's messages: read into one buffer kept between them, whole and in
order; its errors and a silent death reported."""

from __future__ import annotations

import os

import numpy as np
import pytest

from prospecting.errors import StoreError
from prospecting.forked import Child, QueuedSender, can_fork, fast_pickle

pytestmark = pytest.mark.skipif(not can_fork(), reason="forked processes: Linux only")

# Small and large (past a pipe's capacity and past the buffer read before), growing and
# shrinking, bytes, arrays and plain objects.
SIZES = [10, 300_000, 50, 2_000_000, 0, 700_000, 3_000_000, 5]


def _message(size: int) -> tuple[str, object]:
    return "part", {"size": size, "text": "é" * (size // 2), "array": np.arange(size // 8),
                    "bytes": bytes(range(256)) * (size // 256), "rows": [(size, "x")] * 3}


def _check(got: object, size: int) -> None:
    assert got["size"] == size
    assert got["text"] == "é" * (size // 2)
    assert np.array_equal(got["array"], np.arange(size // 8))
    assert got["bytes"] == bytes(range(256)) * (size // 256)
    assert got["rows"] == [(size, "x")] * 3


def test_messages_of_every_size_arrive_whole_and_in_order():
    def send_all(writer, sizes):
        with QueuedSender(writer, depth=2) as sender:
            for size in sizes:
                sender.send(fast_pickle(_message(size)))
            sender.send(fast_pickle(("bytes sent as they are", os.getpid())))
        writer.send(("end", None))

    with Child(send_all, (SIZES,), doing="a test process", then="nothing") as child:
        for size in SIZES:
            what, payload = child.recv()
            assert what == "part"
            _check(payload, size)
        what, pid = child.recv()
        assert what == "bytes sent as they are"
        assert pid != os.getpid()
        assert child.recv() == ("end", None)
        # The buffer kept is the largest message's, not one per message.
        assert len(child._buffer) < 2 * len(fast_pickle(_message(max(SIZES))))


def test_an_error_in_the_child_is_raised_here_after_its_messages():
    def fail(writer):
        with QueuedSender(writer) as sender:
            sender.send(fast_pickle(_message(400_000)))
        raise ValueError("row 12: no such column")

    with Child(fail, (), doing="a test process", then="nothing") as child:
        _check(child.recv()[1], 400_000)
        with pytest.raises(ValueError, match="row 12"):
            child.recv()


def test_a_child_that_dies_without_a_word_is_reported():
    def die(writer):
        writer.send(("first", 1))
        os._exit(3)

    with Child(die, (), doing="the process reading the file",
               then="nothing was written") as child:
        assert child.recv() == ("first", 1)
        with pytest.raises(StoreError, match="the process reading the file stopped "
                                             r"unexpectedly \(exit .*nothing was written"):
            child.recv()
