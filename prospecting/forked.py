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

import multiprocessing
import os
import sys
import traceback
from collections.abc import Callable
from typing import Any

from .errors import StoreError

__all__ = ["Child", "can_fork", "send_error"]


def can_fork() -> bool:
    """Whether work may go to a forked process here (Linux; macOS forks unsafely)."""
    return sys.platform.startswith("linux")


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
            what, payload = self._reader.recv()
        except EOFError:
            raise StoreError(f"{self._doing} stopped unexpectedly (exit "
                             f"{self._process.exitcode}); {self._then}") from None
        if what == "error":
            raise payload
        return what, payload

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


def _main(reader: Any, writer: Any, target: Callable[..., None], args: tuple[Any, ...]) -> None:
    reader.close()
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
