"""A forked process that works for this one and sends its results through a pipe.

Used where a second core helps (reading a file while writing the last batch,
comparing half the pairs, preparing merges). The child is forked, so it shares what
this process built without pickling it, and must never touch this process's SQLite
connection (it opens its own when it needs one). It sends ``(kind, payload)``
messages; an exception in it reaches this process as the same exception (or a
``RuntimeError`` with its traceback when it does not pickle). It stops when this
process goes away (its next send fails) and is terminated if this process stops
listening early. Linux only: elsewhere callers do the work in one process.
"""

from __future__ import annotations

import gc
import io
import multiprocessing
import os
import pickle
import queue
import signal
import struct
import sys
import threading
import traceback
from collections.abc import Callable
from typing import Any

from .errors import StoreError

__all__ = ["Child", "QueuedSender", "can_fork", "die_with_parent", "fast_pickle", "next_turn",
           "send_error", "turns"]

_PR_SET_PDEATHSIG = 1  # prctl(2)


def can_fork() -> bool:
    """Whether work may go to a forked process here (Linux; macOS forks unsafely)."""
    return sys.platform.startswith("linux")


def die_with_parent(parent: int) -> None:
    """In a worker process of a pool: be killed when ``parent`` (the process that
    started it, by pid) dies, even by SIGKILL.

    A pool's worker waits for its next task on a pipe whose writing end it holds too,
    so it would wait forever once its parent is gone, holding its memory, a read
    connection and any pipe it inherited. Linux (``prctl``); elsewhere nothing is done.
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # gone before the call took effect
        os._exit(1)


def turns() -> Any:
    """A counter this process and the processes it forks from now on share: each asks
    :func:`next_turn` for the next piece of work not yet taken, so whichever is faster
    does more."""
    return multiprocessing.get_context("fork").Value("i", 0)


def next_turn(counter: Any) -> int:
    """The counter's value, counted as taken (see :func:`turns`)."""
    with counter.get_lock():
        k = counter.value
        counter.value = k + 1
    return k


class Child:
    """``target(writer, *args)`` running in a forked process; read it with :meth:`recv`.

    ``doing`` names it in the error raised if it dies without a word ("the process
    reading the file"), ``then`` says what that means for the user.
    """

    def __init__(self, target: Callable[..., None], args: tuple[Any, ...], *, doing: str,
                 then: str) -> None:
        context = multiprocessing.get_context("fork")
        self._reader, writer = context.Pipe(duplex=False)
        self._doing, self._then = doing, then
        # Every message is read into this buffer, grown to the largest (see _message).
        self._buffer = bytearray()
        self._process = context.Process(target=_main, daemon=True,
                                        args=(self._reader, writer, target, args))
        self._process.start()
        writer.close()

    def poll(self) -> bool:
        """Whether a message is waiting."""
        return self._reader.poll()

    def recv(self) -> tuple[str, Any]:
        """The next message; the child's exception if it failed."""
        try:
            what, payload = self._message()
        except EOFError:
            raise StoreError(f"{self._doing} stopped unexpectedly (exit "
                             f"{self._process.exitcode}); {self._then}") from None
        if what == "error":
            raise payload
        return what, payload

    def _message(self) -> Any:
        """The next message, as the pipe's ``recv`` reads it, but into one buffer kept
        from message to message.

        ``recv`` builds each message anew, a piece of at most a pipe's capacity at a
        time: fresh memory of about twice the message's size, which a loaded machine is
        slowest to give. At a million people the process writing the merges took
        280,000 page faults fewer (over a gigabyte) reading the other's prepared
        batches. Unpickled objects never point into the buffer.
        """
        fd = self._reader.fileno()
        size = struct.unpack("!i", self._exactly(fd, 4))[0]
        if size == -1:  # over 2 GiB: the size follows in eight bytes
            size = struct.unpack("!Q", self._exactly(fd, 8))[0]
        if len(self._buffer) < size:
            self._buffer = bytearray()  # the old one freed before the new one is made
            self._buffer = bytearray(size)
        with memoryview(self._buffer) as whole, whole[:size] as view:
            got = 0
            while got < size:
                with view[got:] as rest:
                    n = os.readv(fd, [rest])
                if n == 0:
                    raise EOFError
                got += n
            return pickle.loads(view)  # noqa: S301 (this process's own fork wrote it)

    @staticmethod
    def _exactly(fd: int, size: int) -> bytes:
        data = b""
        while len(data) < size:
            chunk = os.read(fd, size - len(data))
            if not chunk:
                raise EOFError
            data += chunk
        return data

    def close(self) -> None:
        """Stop listening; the child ends (its next send fails) or is terminated."""
        self._reader.close()
        self._process.join(timeout=5)
        if self._process.is_alive():
            self._process.terminate()
            self._process.join()

    def __enter__(self) -> Child:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def fast_pickle(message: Any) -> bytes:
    """``message`` as the pipe's ``send`` would pickle it, without the memo: messages
    here hold no cycles and share few objects, and the memo's bookkeeping of every
    string and tuple costs more (at both ends) than the repeats it saves. The parent
    reads it with :meth:`Child.recv` as any other message."""
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True
    pickler.dump(message)
    return out.getvalue()


class QueuedSender:
    """Sends byte messages from a thread, so the child goes on working while the parent
    is busy with what came before.

    A plain send blocks until the parent has read all of a large message, which it does
    only once it is done with the previous one; with ``depth`` messages queued the child
    blocks only when that many are waiting. A blocking pipe takes each message in one
    write, during which the thread does not hold the GIL. Use as a context manager: the
    block's end waits for every queued message to be sent, so whatever the child sends
    afterwards (its end, or its error) comes after them on the pipe. A failed send
    (the parent gone) is raised in the child at its next :meth:`send` or at the end.
    """

    def __init__(self, writer: Any, depth: int = 2) -> None:
        self._writer = writer
        self._queue: queue.Queue[Any] = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._sending = False
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (data := self._queue.get()) is not None:
            if self._error is None:
                self._sending = True
                try:
                    self._writer.send_bytes(data)
                except BaseException as exc:  # raised in the child's own thread
                    self._error = exc
                finally:
                    self._sending = False

    def _put(self, item: Any) -> None:
        while True:
            if self._error is not None:
                raise self._error
            try:
                self._queue.put(item, timeout=0.5)
                return
            except queue.Full:
                continue

    def send(self, data: Any) -> None:
        """Queue ``data`` (bytes, or a buffer nobody writes to any more)."""
        self._put(data)

    def idle(self) -> bool:
        """Whether every message sent so far is read, as far as this process can tell:
        the parent is done with them, or reading the last one (a large message is read
        only as the parent gets to it). A hint for sharing work, never for correctness."""
        return not self._sending and self._queue.empty()

    def __enter__(self) -> QueuedSender:
        return self

    def __exit__(self, *exc: object) -> None:
        self._queue.put(None)  # the thread drops what it can no longer send
        self._thread.join()
        if self._error is not None and exc[0] is None:
            raise self._error


def _main(reader: Any, writer: Any, target: Callable[..., None], args: tuple[Any, ...]) -> None:
    reader.close()
    # What the parent built is there to be read, never freed here: out of the scans of
    # this process's own collections.
    gc.freeze()
    try:
        target(writer, *args)
    except (BrokenPipeError, ConnectionResetError):
        return  # the parent is gone: nothing left to do
    except BaseException as exc:  # handed to the parent
        send_error(writer, exc)
    finally:
        writer.close()


def send_error(writer: Any, exc: BaseException) -> None:
    """Send ``exc`` to the parent, as a ``RuntimeError`` with its traceback if it does
    not pickle; exit when the parent is gone."""
    try:
        writer.send(("error", exc))
    except (BrokenPipeError, ConnectionResetError):
        os._exit(1)
    except Exception:  # the exception itself does not pickle
        try:
            writer.send(("error", RuntimeError("".join(traceback.format_exception(exc)))))
        except OSError:
            os._exit(1)
